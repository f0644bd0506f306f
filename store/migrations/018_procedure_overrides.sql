-- Procedures at three levels: a city or a province publishes procedure templates (ordinary
-- procedure versions); a county adopts a template version with its own overrides (shorter
-- deadlines, its diversion table, extra form fields). One row per version of a county's override
-- of one procedure: drafts are edited, one version at a time is published (new cases of the county
-- run on the template version it adopts with its changes), the one it replaced is retired. Running
-- cases keep the effective procedure they started on: the workflow holds it by value, and the case
-- records the override version beside the template version.
create table procedure_overrides (
    county       text        not null references org_units (code),
    key          text        not null,
    version      int         not null check (version >= 1),
    -- The template version adopted; adopting a newer one is publishing a version naming it.
    template     int         not null,
    status       text        not null check (status in ('draft', 'published', 'retired')),
    -- definitions.Override as the API returns it.
    definition   jsonb       not null,
    created_by   text        not null,
    created_at   timestamptz not null default now(),
    updated_by   text        not null,
    updated_at   timestamptz not null default now(),
    -- Who published the version and when; adopted_from is the template version the county ran
    -- before it (null for its first, or when it did not change): the record of an adoption.
    published_by text,
    published_at timestamptz,
    adopted_from int,
    retired_at   timestamptz,
    primary key (county, key, version),
    foreign key (key, template) references procedure_versions (key, version),
    check (status = 'draft' or (published_by is not null and published_at is not null)),
    check (status <> 'retired' or retired_at is not null)
);
create unique index procedure_overrides_published on procedure_overrides (county, key) where status = 'published';

-- procedure_overrides_frozen refuses any change to a published or retired version but retiring a
-- published one: cases may run on it.
create function procedure_overrides_frozen() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        if old.status <> 'draft' then
            raise exception 'override % of procedure % version % is % and cannot be deleted', old.county, old.key, old.version, old.status
                using errcode = 'P0001';
        end if;
        return old;
    end if;
    if old.status = 'draft' or (old.status = 'published' and new.status = 'retired'
        and new.definition - 'status' = old.definition - 'status' and new.template = old.template
        and new.county = old.county and new.key = old.key and new.version = old.version) then
        return new;
    end if;
    raise exception 'override % of procedure % version % is % and cannot be changed', old.county, old.key, old.version, old.status
        using errcode = 'P0001', hint = 'edit a new draft instead';
end;
$$;

create trigger procedure_overrides_frozen
    before update or delete on procedure_overrides
    for each row execute function procedure_overrides_frozen();

-- The version of its county's override a case runs on; 0 when it runs on the template as published.
alter table cases add column procedure_override int not null default 0;
