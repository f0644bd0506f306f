-- What the statistics read from a case's audit log, kept as the log grows instead of read whole
-- at every write. case_facts_refresh aggregated every line of the case's log (its JSON after
-- images, a few kilobytes each) on each insert into the log and into tasks: 6.5 ms for a case of
-- 100 events, twice per event the mirror writes, and more with each event. The log is append-only
-- and each of these figures only grows with it (a flag set once stays set, a kind seen stays
-- seen, the time closed is the latest), so the lines a statement adds are folded into one row
-- per case, and the case's facts are recomputed only when that row changed.
create table case_log_facts (
    case_id           uuid        primary key references cases (id),
    -- The outcome kinds the log's after images name, in order.
    kinds             text[]      not null default '{}',
    on_spot           boolean     not null default false,
    escalated         boolean     not null default false,
    overdue           boolean     not null default false,
    has_clocks        boolean     not null default false,
    statutory_overdue boolean     not null default false,
    -- The latest line that shows the case closed.
    closed_at         timestamptz
);

-- case_log_facts_rebuild recomputes the rows of the given cases from their whole logs: for the
-- migration, and for an update of the log (which the log's own trigger refuses).
create function case_log_facts_rebuild(ids uuid[]) returns void language sql as $$
    insert into case_log_facts as f (case_id, kinds, on_spot, escalated, overdue, has_clocks, statutory_overdue, closed_at)
    select l.case_id,
        coalesce(array_agg(distinct l.after ->> 'outcome_kind') filter (where l.after ->> 'outcome_kind' <> ''), '{}'),
        coalesce(bool_or(coalesce((l.after ->> 'on_spot')::boolean, false)), false),
        coalesce(bool_or(l.action = 'escalate' or coalesce((l.after ->> 'escalations')::int, 0) > 0), false),
        coalesce(bool_or(l.action = 'deadline_overdue' or coalesce((l.after ->> 'overdue')::boolean, false)), false),
        coalesce(bool_or(jsonb_array_length(coalesce(l.after -> 'clocks', '[]')) > 0), false),
        coalesce(bool_or(jsonb_path_exists(l.after, '$.clocks[*] ? (@.overdue == true)')), false),
        max(l.at) filter (where l.after ->> 'status' = 'closed')
    from audit_log l where l.case_id = any(ids)
    group by l.case_id
    on conflict (case_id) do update set
        kinds = excluded.kinds, on_spot = excluded.on_spot, escalated = excluded.escalated, overdue = excluded.overdue,
        has_clocks = excluded.has_clocks, statutory_overdue = excluded.statutory_overdue, closed_at = excluded.closed_at
$$;

select case_log_facts_rebuild(array(select id from cases));

-- case_facts_refresh as in 011, with the log's figures read from case_log_facts. It is PL/pgSQL
-- now: the triggers call it once or twice per event, and a SQL function's statement was parsed
-- again at every call, where PL/pgSQL keeps it parsed for the session; it returns at once for no
-- case, which most calls of the tasks' triggers are.
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
            bool_or(o ->> 'kind' = 'accepted') as accepted,
            bool_or(coalesce((o ->> 'on_spot')::boolean, false)) as on_spot,
            bool_or(o ->> 'kind' in ('mediated_success', 'mediated_failure')) as mediated,
            bool_or(o ->> 'kind' = 'mediated_success') as mediation_success
        from tasks tk
        join procedure_versions pv on pv.key = c.procedure_key and pv.version = c.procedure_version
        cross join lateral jsonb_array_elements(pv.definition -> 'steps') s
        cross join lateral jsonb_array_elements(coalesce(s -> 'outcomes', '[]')) o
        where tk.case_id = c.id and tk.status = 'done' and s ->> 'id' = tk.step and o ->> 'id' = tk.outcome
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

-- The log's insert trigger folds the new lines into case_log_facts and recomputes the facts of
-- the cases whose row changed; most lines (a note, a claim, a reminder) change none.
create or replace function case_facts_from_audit() returns trigger language plpgsql as $$
declare
    changed uuid[];
begin
    if tg_op <> 'INSERT' then
        changed := array(select case_id from new_rows union select case_id from old_rows);
        perform case_log_facts_rebuild(changed);
        perform case_facts_refresh(changed);
        return null;
    end if;
    with added as (
        insert into case_log_facts as f (case_id, kinds, on_spot, escalated, overdue, has_clocks, statutory_overdue, closed_at)
        select l.case_id,
            coalesce(array_agg(distinct l.after ->> 'outcome_kind') filter (where l.after ->> 'outcome_kind' <> ''), '{}'),
            coalesce(bool_or(coalesce((l.after ->> 'on_spot')::boolean, false)), false),
            coalesce(bool_or(l.action = 'escalate' or coalesce((l.after ->> 'escalations')::int, 0) > 0), false),
            coalesce(bool_or(l.action = 'deadline_overdue' or coalesce((l.after ->> 'overdue')::boolean, false)), false),
            coalesce(bool_or(jsonb_array_length(coalesce(l.after -> 'clocks', '[]')) > 0), false),
            coalesce(bool_or(jsonb_path_exists(l.after, '$.clocks[*] ? (@.overdue == true)')), false),
            max(l.at) filter (where l.after ->> 'status' = 'closed')
        from new_rows l
        group by l.case_id
        order by l.case_id
        on conflict (case_id) do update set
            kinds = array(select distinct k from unnest(f.kinds || excluded.kinds) k order by 1),
            on_spot = f.on_spot or excluded.on_spot,
            escalated = f.escalated or excluded.escalated,
            overdue = f.overdue or excluded.overdue,
            has_clocks = f.has_clocks or excluded.has_clocks,
            statutory_overdue = f.statutory_overdue or excluded.statutory_overdue,
            closed_at = greatest(f.closed_at, excluded.closed_at)
        where not (excluded.kinds <@ f.kinds)
            or (excluded.on_spot and not f.on_spot)
            or (excluded.escalated and not f.escalated)
            or (excluded.overdue and not f.overdue)
            or (excluded.has_clocks and not f.has_clocks)
            or (excluded.statutory_overdue and not f.statutory_overdue)
            or excluded.closed_at > coalesce(f.closed_at, '-infinity')
        returning f.case_id
    )
    select array_agg(case_id) into changed from added;
    perform case_facts_refresh(changed);
    return null;
end;
$$;
