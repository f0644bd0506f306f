-- A county's own procedures: beside the templates a city or a province publishes for every
-- county (owner null), a county's administrator may publish procedures of the county's own,
-- which only that county's cases start on and only the county and the levels above it see.
-- Every version of a key has the same owner, and it never changes: cases and overrides hold
-- procedures by key.
alter table procedure_versions add column owner text references org_units (code);

create function procedure_versions_owner() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' and new.owner is distinct from old.owner then
        raise exception 'the owner of procedure % version % cannot change', old.key, old.version
            using errcode = 'P0001';
    end if;
    if tg_op = 'INSERT' and exists (select 1 from procedure_versions
            where key = new.key and owner is distinct from new.owner) then
        raise exception 'procedure % belongs to %, not %', new.key,
            coalesce((select owner from procedure_versions where key = new.key limit 1), 'every county'),
            coalesce(new.owner, 'every county')
            using errcode = 'P0001';
    end if;
    return new;
end;
$$;

create trigger procedure_versions_owner
    before insert or update on procedure_versions
    for each row execute function procedure_versions_owner();
