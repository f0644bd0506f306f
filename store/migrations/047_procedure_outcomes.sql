-- The outcomes of every procedure version, one row each, kept from the definitions by a trigger.
-- case_facts_refresh read a done task's outcome kind from its procedure's definition, expanding
-- the definition's steps and their outcomes at each call: the definition (about 10 KB, stored
-- compressed) was decompressed and walked for every refresh of a case with a done task, 0.5 to
-- 1 ms of the refresh's 1.2. It now looks the outcome up by its key.
create table procedure_outcomes (
    key     text    not null,
    version integer not null,
    step    text    not null,
    outcome text    not null,
    kind    text,
    on_spot boolean not null,
    primary key (key, version, step, outcome),
    foreign key (key, version) references procedure_versions (key, version) on delete cascade
);

create function procedure_outcomes_of(key text, version integer, definition jsonb)
returns table (key text, version integer, step text, outcome text, kind text, on_spot boolean)
language sql immutable as $$
    select distinct on (s ->> 'id', o ->> 'id') $1, $2, s ->> 'id', o ->> 'id', o ->> 'kind',
        coalesce((o ->> 'on_spot')::boolean, false)
    from jsonb_array_elements($3 -> 'steps') s
    cross join lateral jsonb_array_elements(coalesce(s -> 'outcomes', '[]')) o
    where s ->> 'id' is not null and o ->> 'id' is not null
    order by s ->> 'id', o ->> 'id'
$$;

insert into procedure_outcomes
select o.* from procedure_versions pv cross join lateral procedure_outcomes_of(pv.key, pv.version, pv.definition) o;

-- A draft's definition changes with each save; published and retired versions are frozen.
create function procedure_outcomes_sync() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' then
        delete from procedure_outcomes where key = old.key and version = old.version;
    end if;
    insert into procedure_outcomes select * from procedure_outcomes_of(new.key, new.version, new.definition);
    return null;
end;
$$;
create trigger procedure_outcomes_insert after insert on procedure_versions
    for each row execute function procedure_outcomes_sync();
create trigger procedure_outcomes_update after update of definition on procedure_versions
    for each row when (old.definition is distinct from new.definition) execute function procedure_outcomes_sync();

-- case_facts_refresh as in 037, with the outcomes' kinds from procedure_outcomes.
create or replace function case_facts_refresh(ids uuid[]) returns void language plpgsql as $$
begin
    if cardinality(ids) is null or cardinality(ids) = 0 then
        return;
    end if;
    insert into case_facts as f (case_id, matter, received_by, received_level, received_at, accepted, first_visit,
        mediated, mediation_success, escalated, overdue, closed_at, departments, workdays)
    select c.id, c.matter, c.received_by, c.level, c.received_at,
        coalesce(t.accepted, false) or coalesce(t.on_spot, false) or on_spot.v,
        coalesce(t.on_spot, false) or on_spot.v,
        coalesce(t.mediated, false) or coalesce(a.kinds, '{}') && array['mediated_success', 'mediated_failure'] or c.outcome_kind in ('mediated_success', 'mediated_failure'),
        coalesce(t.mediation_success, false) or coalesce(a.kinds, '{}') && array['mediated_success'] or c.outcome_kind = 'mediated_success',
        c.escalations > 0 or coalesce(a.escalated, false),
        case when a.has_clocks then coalesce(a.statutory_overdue, false) else c.overdue or coalesce(a.overdue, false) end,
        x.closed_at,
        array(select distinct t.department from tasks t where t.case_id = c.id and t.department is not null order by 1),
        case when x.closed_at is not null then
            workdays_between((c.received_at at time zone 'Asia/Shanghai')::date, (x.closed_at at time zone 'Asia/Shanghai')::date)
        end
    from cases c
    left join case_log_facts a on a.case_id = c.id
    left join lateral (
        select
            bool_or(o.kind = 'accepted') as accepted,
            bool_or(o.on_spot) as on_spot,
            bool_or(o.kind in ('mediated_success', 'mediated_failure')) as mediated,
            bool_or(o.kind = 'mediated_success') as mediation_success
        from tasks tk
        join procedure_outcomes o on o.key = c.procedure_key and o.version = c.procedure_version
            and o.step = tk.step and o.outcome = tk.outcome
        where tk.case_id = c.id and tk.status = 'done'
    ) t on true
    cross join lateral (select coalesce(a.on_spot, false) or c.on_spot as v) on_spot
    cross join lateral (select coalesce(a.closed_at, case when c.status = 'closed' then c.updated_at end) as closed_at) x
    where c.id = any(ids)
    order by c.id
    on conflict (case_id) do update set
        accepted = excluded.accepted, first_visit = excluded.first_visit, mediated = excluded.mediated,
        mediation_success = excluded.mediation_success, escalated = excluded.escalated, overdue = excluded.overdue,
        closed_at = excluded.closed_at, departments = excluded.departments,
        workdays = excluded.workdays
    where (f.accepted, f.first_visit, f.mediated, f.mediation_success, f.escalated, f.overdue, f.closed_at, f.departments, f.workdays)
        is distinct from (excluded.accepted, excluded.first_visit, excluded.mediated, excluded.mediation_success,
            excluded.escalated, excluded.overdue, excluded.closed_at, excluded.departments, excluded.workdays);
end;
$$;
