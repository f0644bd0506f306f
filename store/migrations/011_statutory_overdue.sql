-- A case's statutory periods (clocks) and a registration after the fact (补录) in the read model.
alter table cases
    add column clocks        jsonb not null default '[]',
    add column registered_at timestamptz,
    add column late_reason   text not null default '';

-- A case with statutory periods (clocks, docs/procedures.md) is overdue in the statistics when
-- one of them ran out: each level's step deadline is an internal target under them, which the
-- board shows but the on-time rate does not count. A case without clocks is overdue as before,
-- when it missed any deadline.
create or replace function case_facts_refresh(ids uuid[]) returns void language sql as $$
    insert into case_facts as f (case_id, matter, received_by, received_level, received_at, accepted, first_visit,
        mediated, mediation_success, escalated, overdue, closed_at, departments, workdays)
    select c.id, c.matter, c.received_by, c.level, c.received_at,
        coalesce(t.accepted, false) or coalesce(t.on_spot, false) or on_spot.v,
        coalesce(t.on_spot, false) or on_spot.v,
        coalesce(t.mediated, false) or a.kinds && array['mediated_success', 'mediated_failure'] or c.outcome_kind in ('mediated_success', 'mediated_failure'),
        coalesce(t.mediation_success, false) or a.kinds && array['mediated_success'] or c.outcome_kind = 'mediated_success',
        c.escalations > 0 or coalesce(a.escalated, false),
        case when a.has_clocks then coalesce(a.statutory_overdue, false) else c.overdue or coalesce(a.overdue, false) end,
        x.closed_at,
        array(select distinct t.department from tasks t where t.case_id = c.id and t.department is not null order by 1),
        case when x.closed_at is not null then
            workdays_between((c.received_at at time zone 'Asia/Shanghai')::date, (x.closed_at at time zone 'Asia/Shanghai')::date)
        end
    from cases c
    left join lateral (
        select
            coalesce(array_agg(distinct l.after ->> 'outcome_kind') filter (where l.after ->> 'outcome_kind' <> ''), '{}') as kinds,
            bool_or(coalesce((l.after ->> 'on_spot')::boolean, false)) as on_spot,
            bool_or(l.action = 'escalate' or coalesce((l.after ->> 'escalations')::int, 0) > 0) as escalated,
            bool_or(l.action = 'deadline_overdue' or coalesce((l.after ->> 'overdue')::boolean, false)) as overdue,
            bool_or(jsonb_array_length(coalesce(l.after -> 'clocks', '[]')) > 0) as has_clocks,
            bool_or(jsonb_path_exists(l.after, '$.clocks[*] ? (@.overdue == true)')) as statutory_overdue,
            max(l.at) filter (where l.after ->> 'status' = 'closed') as closed_at
        from audit_log l where l.case_id = c.id
    ) a on true
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
            excluded.escalated, excluded.overdue, excluded.closed_at, excluded.departments, excluded.workdays)
$$;

