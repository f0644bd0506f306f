-- Procedure definitions: one row per version of a procedure. A draft is edited in place; a
-- published version is frozen (running cases depend on it) and may only be retired; a retired
-- version never changes again. The store enforces this and so does the trigger below, so no
-- other writer can change a published definition behind the cases that run on it.

create table procedure_versions (
    key          text        not null check (key ~ '^[a-z][a-z0-9_-]{0,62}$'),
    version      int         not null check (version >= 1),
    status       text        not null check (status in ('draft', 'published', 'retired')),
    -- The first day (Asia/Shanghai) new cases may start on the version; set when published.
    valid_from   date,
    matter       text        not null default '',
    name         text        not null default '',
    -- The definition as the API returns it, and the YAML text the administrator wrote (with its
    -- version, status and valid_from lines kept in step with the columns).
    definition   jsonb       not null,
    source       text        not null,
    created_by   text        not null,
    created_at   timestamptz not null default now(),
    updated_by   text        not null,
    updated_at   timestamptz not null default now(),
    published_by text,
    published_at timestamptz,
    retired_by   text,
    retired_at   timestamptz,
    primary key (key, version),
    check (status = 'draft' or (valid_from is not null and published_by is not null and published_at is not null)),
    check (status <> 'retired' or (retired_by is not null and retired_at is not null))
);

-- CurrentProcedure reads the published versions of one key.
create index procedure_versions_published on procedure_versions (key, valid_from) where status = 'published';

-- procedure_versions_frozen refuses any change to a published or retired version except
-- retiring a published one, and refuses deleting either.
create function procedure_versions_frozen() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        if old.status <> 'draft' then
            raise exception 'procedure % version % is % and cannot be deleted', old.key, old.version, old.status
                using errcode = 'P0001', hint = 'retire it instead';
        end if;
        return old;
    end if;
    if new.key <> old.key or new.version <> old.version then
        raise exception 'the key and version of procedure % version % cannot change', old.key, old.version
            using errcode = 'P0001';
    end if;
    if old.status = 'draft' then
        if new.status = 'retired' then
            raise exception 'procedure % version % is a draft and cannot be retired', old.key, old.version
                using errcode = 'P0001';
        end if;
        return new;
    end if;
    if old.status = 'published' and new.status = 'retired'
        and new.valid_from = old.valid_from
        and new.matter = old.matter and new.name = old.name
        and (new.definition - 'status') = (old.definition - 'status')
        and regexp_replace(new.source, '^status:[^\n]*', '', 'gn') = regexp_replace(old.source, '^status:[^\n]*', '', 'gn')
        and new.created_by = old.created_by and new.created_at = old.created_at
        and new.published_by = old.published_by and new.published_at = old.published_at then
        return new;
    end if;
    raise exception 'procedure % version % is % and cannot be changed', old.key, old.version, old.status
        using errcode = 'P0001', hint = 'edit a new draft instead';
end;
$$;

create trigger procedure_versions_frozen
    before update or delete on procedure_versions
    for each row execute function procedure_versions_frozen();
