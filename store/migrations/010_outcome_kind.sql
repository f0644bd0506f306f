-- Outcomes have a typed meaning (definitions.Kind): the statistics count kinds, never outcome
-- ids read out of audit text, so renaming an outcome in a new version changes no figure.
--
-- cases.outcome_kind is how a closed case ended (resolved, mediated_success, ..., not_accepted)
-- and cases.on_spot whether it was handled on the spot (首访首办); the workflow sets both when it
-- closes a case. What happens before closing (accepted, a mediation agreement on a case still
-- open at the judicial-confirmation step) is read from the done tasks' outcomes and the kinds
-- their procedure version gives them.

alter table cases
    add column outcome_kind text    not null default '',
    add column on_spot      boolean not null default false;

-- legacy_outcome_kind is the meaning the statistics gave an outcome id before outcomes had
-- kinds; it is used here only, once, to fill in the rows and versions written before.
create function pg_temp.legacy_outcome_kind(id text, matter text) returns text language sql immutable as $$
    select case
        when id in ('accept', 'approve', 'aid_first', 'corrected') then 'accepted'
        when id in ('agreed', 'oral') then 'mediated_success'
        when id = 'on_spot' then case when matter = 'mediation' then 'mediated_success' else 'resolved' end
        when id = 'failed' then 'mediated_failure'
        when id in ('resolved', 'answered', 'opinion', 'reviewed', 'final', 'issued', 'concluded', 'consult') then 'resolved'
        when id in ('withdraw', 'withdrawn') then 'withdrawn'
        when id in ('transfer', 'transferred', 'to_mediation', 'to_legal_aid') then 'transferred'
        when id in ('refuse', 'refused', 'upheld') then 'refused'
        when id = 'terminated' then 'terminated'
        when id in ('decline', 'declined', 'redirect', 'not_accepted') then 'not_accepted'
    end
$$;

-- The published and retired versions stored before kinds existed get the kinds the statistics
-- gave their outcome ids, so cases still starting on them count as before. Their YAML is left
-- as written; drafts are not touched (publishing one checks that its outcomes say how a case
-- ends). The frozen-version trigger is set aside for this one statement: the change adds
-- meaning and changes no behaviour of a running case.
alter table procedure_versions disable trigger procedure_versions_frozen;
update procedure_versions pv set definition = jsonb_set(pv.definition, '{steps}', (
    select jsonb_agg(case when jsonb_typeof(s -> 'outcomes') = 'array' then jsonb_set(s, '{outcomes}', (
        select jsonb_agg(o
            || case when o ? 'kind' or pg_temp.legacy_outcome_kind(o ->> 'id', pv.matter) is null then '{}'::jsonb
                    else jsonb_build_object('kind', pg_temp.legacy_outcome_kind(o ->> 'id', pv.matter)) end
            || case when o ->> 'id' = 'on_spot' and not o ? 'on_spot' then '{"on_spot": true}'::jsonb else '{}'::jsonb end
            order by n)
        from jsonb_array_elements(s -> 'outcomes') with ordinality as x (o, n))) else s end order by m)
    from jsonb_array_elements(pv.definition -> 'steps') with ordinality as y (s, m)))
where pv.status in ('published', 'retired') and jsonb_typeof(pv.definition -> 'steps') = 'array'
    and not jsonb_path_exists(pv.definition, '$.steps[*].outcomes[*].kind');
alter table procedure_versions enable trigger procedure_versions_frozen;

-- The cases written before: how they ended and whether on the spot, from the audit lines as the
-- statistics used to read them (the outcome id first in a 'complete' or 'close' line's reason,
-- after "on_spot" for a case closed on the spot; a 'transfer' line).
update cases c set outcome_kind = coalesce(k.kind, ''), on_spot = coalesce(k.on_spot, false)
from (
    select c.id,
        (select pg_temp.legacy_outcome_kind(case when l.action = 'transfer' then 'transferred'
                    when l.action = 'close' and split_part(l.reason, ' ', 1) = 'on_spot' then split_part(l.reason, ' ', 2)
                    else split_part(l.reason, ' ', 1) end, c.matter)
            from audit_log l
            where l.case_id = c.id and c.status = 'closed' and l.action in ('complete', 'close', 'transfer')
                and pg_temp.legacy_outcome_kind(case when l.action = 'transfer' then 'transferred'
                    when l.action = 'close' and split_part(l.reason, ' ', 1) = 'on_spot' then split_part(l.reason, ' ', 2)
                    else split_part(l.reason, ' ', 1) end, c.matter) not in ('accepted')
            order by l.seq desc limit 1) as kind,
        (select bool_or(l.action in ('complete', 'close') and split_part(l.reason, ' ', 1) = 'on_spot')
            from audit_log l where l.case_id = c.id) as on_spot
    from cases c
) k
where k.id = c.id;
-- A mediation closed on the spot with any outcome was counted a mediation success.
update cases set outcome_kind = 'mediated_success'
where on_spot and status = 'closed' and matter = 'mediation' and outcome_kind in ('', 'resolved');

-- case_facts_refresh now counts kinds: those of the done tasks' outcomes in the case's procedure
-- version, and how the case ended as its audit lines (the case as of each event) and its row say.
create or replace function case_facts_refresh(ids uuid[]) returns void language sql as $$
    insert into case_facts as f (case_id, matter, received_by, received_level, received_at, accepted, first_visit,
        mediated, mediation_success, escalated, overdue, closed_at, departments, workdays)
    select c.id, c.matter, c.received_by, c.level, c.received_at,
        coalesce(t.accepted, false) or coalesce(t.on_spot, false) or on_spot.v,
        coalesce(t.on_spot, false) or on_spot.v,
        coalesce(t.mediated, false) or a.kinds && array['mediated_success', 'mediated_failure'] or c.outcome_kind in ('mediated_success', 'mediated_failure'),
        coalesce(t.mediation_success, false) or a.kinds && array['mediated_success'] or c.outcome_kind = 'mediated_success',
        c.escalations > 0 or coalesce(a.escalated, false),
        c.overdue or coalesce(a.overdue, false),
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

-- A task done (or its outcome changed) matters now too, not only a task's department; and the
-- case row, for the kinds a tool writes on it.
create or replace function case_facts_from_tasks() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        perform case_facts_refresh(array(select distinct case_id from new_rows where department is not null or status = 'done'));
    elsif tg_op = 'DELETE' then
        perform case_facts_refresh(array(select distinct case_id from old_rows where department is not null or status = 'done'));
    else
        perform case_facts_refresh(array(
            select distinct n.case_id from new_rows n join old_rows o on o.case_id = n.case_id and o.id = n.id
            where n.department is distinct from o.department or n.status is distinct from o.status
                or n.outcome is distinct from o.outcome));
    end if;
    return null;
end;
$$;

create function case_facts_from_case_kinds() returns trigger language plpgsql as $$
begin
    perform case_facts_refresh(array(
        select n.id from new_rows n join old_rows o on o.id = n.id
        where (n.outcome_kind, n.on_spot) is distinct from (o.outcome_kind, o.on_spot)));
    return null;
end;
$$;
create trigger case_facts_from_case_kinds after update on cases
    referencing old table as old_rows new table as new_rows
    for each statement execute function case_facts_from_case_kinds();

select case_facts_refresh(array(select id from cases));
