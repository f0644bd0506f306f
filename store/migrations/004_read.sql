-- The read side: indexes for the clerks' queues, the search, the supervision board and the
-- statistics; claims on tasks; supervision urges; and case_facts, the per-case figures the
-- statistics count, kept by triggers from the rows the case workflow writes.

create extension if not exists pg_trgm;

-- Queues: open tasks of a unit or a department in due order (no due date last), then case and
-- task id, so that a keyset cursor (due, case, task) walks them with one index range scan.
create index tasks_queue_unit on tasks (org_unit, (coalesce(due_at, 'infinity'::timestamptz)), case_id, id)
    where status = 'open';
create index tasks_queue_department on tasks (department, (coalesce(due_at, 'infinity'::timestamptz)), case_id, id)
    where status = 'open';
-- A department's scope: the cases that have or had a task for it.
create index tasks_department_cases on tasks (department, case_id) where department is not null;
-- The supervision boards: the running open tasks of each group (level, department) in due order,
-- so that a group's count is one index range and its first tasks are the range's first entries;
-- org_unit and name are carried so that both are read from the index alone (plain columns, no
-- expression: an index-only scan needs them).
create index tasks_board on tasks (level, department, due_at, case_id, id) include (org_unit, name)
    where status = 'open' and not suspended;

-- One claim per task: the clerk who took it from the unit's queue.
create table task_claims (
    case_id    uuid        not null,
    task_id    text        not null,
    user_id    text        not null references users (id),
    claimed_at timestamptz not null,
    primary key (case_id, task_id),
    foreign key (case_id, task_id) references tasks (case_id, id) on delete cascade
);
create index task_claims_user on task_claims (user_id);

-- Search: newest first with a stable tie-break, within a holder unit or a receiving unit, and
-- contains-text on number, subject and resident name (Chinese included: trigrams of the
-- database's UTF-8 characters). Queries of one or two characters match the start of a name.
create index cases_newest on cases (received_at desc, id desc);
create index cases_unit_newest on cases (org_unit, received_at desc, id desc);
create index cases_received_by_newest on cases (received_by, received_at desc, id desc);
create index cases_text on cases using gin ((number || ' ' || subject || ' ' || resident_name) gin_trgm_ops);
create index cases_resident_prefix on cases (resident_name text_pattern_ops);

-- Urges (督办) are notifications of kind 'supervision' with a negative seq drawn from urge_seq,
-- so they never collide with the workflow's own (positive) event seqs; sender is the supervisor.
create sequence urge_seq;
alter table notifications add column sender text not null default '';

-- The working-day calendar of the statistics: the days on which definitions.NewCalendar()
-- departs from "Monday to Friday" (a holiday on a weekday: false; a make-up working day on a
-- weekend: true). The rows are generated from the Go calendar, and a test checks them against it
-- (TestWorkdayExceptionsMatchTheCalendar in store/stats_rollup_test.go); when a State Council
-- notice is added to the Go calendar (definitions), a migration adds its days here and recomputes
-- case_facts.workdays of the cases closed in that year.
create table workday_exceptions (
    day     date    primary key,
    workday boolean not null
);
insert into workday_exceptions (day, workday) values
    ('2025-01-01', false), ('2025-01-26', true), ('2025-01-28', false), ('2025-01-29', false),
    ('2025-01-30', false), ('2025-01-31', false), ('2025-02-03', false), ('2025-02-04', false),
    ('2025-02-08', true), ('2025-04-04', false), ('2025-04-27', true), ('2025-05-01', false),
    ('2025-05-02', false), ('2025-05-05', false), ('2025-06-02', false), ('2025-09-28', true),
    ('2025-10-01', false), ('2025-10-02', false), ('2025-10-03', false), ('2025-10-06', false),
    ('2025-10-07', false), ('2025-10-08', false), ('2025-10-11', true),
    ('2026-01-01', false), ('2026-01-02', false), ('2026-01-04', true), ('2026-02-14', true),
    ('2026-02-16', false), ('2026-02-17', false), ('2026-02-18', false), ('2026-02-19', false),
    ('2026-02-20', false), ('2026-02-23', false), ('2026-02-28', true), ('2026-04-06', false),
    ('2026-05-01', false), ('2026-05-04', false), ('2026-05-05', false), ('2026-05-09', true),
    ('2026-06-19', false), ('2026-09-20', true), ('2026-09-25', false), ('2026-10-01', false),
    ('2026-10-02', false), ('2026-10-05', false), ('2026-10-06', false), ('2026-10-07', false),
    ('2026-10-10', true);

-- workdays_between counts the working days after day a up to and including day b (negative when
-- b is before a), as store.Stats counts them in Go: days before 2000-01-01 count as that day.
-- Monday to Friday by arithmetic from Monday 1999-12-27, corrected by the exceptions.
create function workdays_between(a date, b date) returns int language sql stable parallel safe as $$
    select (5 * ((y - date '1999-12-27') / 7) + least((y - date '1999-12-27') % 7 + 1, 5))
         - (5 * ((x - date '1999-12-27') / 7) + least((x - date '1999-12-27') % 7 + 1, 5))
         + coalesce((select sum(case when e.workday then 1 else -1 end) from workday_exceptions e
                     where e.day > least(x, y) and e.day <= greatest(x, y)), 0) * sign(y - x)::int
    from (select greatest(a, date '2000-01-01') as x, greatest(b, date '2000-01-01') as y) d
$$;

-- case_facts: what the statistics count about each case, derived from its cases row, its audit
-- lines and its tasks, and recomputed from all of them whenever one of them is written (a write
-- for the same event seq may replace an earlier one, so nothing is accumulated). Outcomes are
-- the first word of a 'complete' or 'close' line's reason (the workflow writes "outcome
-- reason"). matter, received_by, received_level and received_at are those at registration.
create table case_facts (
    case_id            uuid        primary key references cases (id),
    matter             text        not null,
    received_by        text        not null,
    received_level     text        not null,
    received_at        timestamptz not null,
    accepted           boolean     not null default false,
    first_visit        boolean     not null default false,
    mediated           boolean     not null default false,
    mediation_success  boolean     not null default false,
    escalated          boolean     not null default false,
    overdue            boolean     not null default false,
    closed_at          timestamptz,
    -- The departments the case has or had a task for, in order.
    departments        text[]      not null default '{}',
    -- Working days from the day received to the day closed (workdays_between); null while open.
    workdays           int,
    -- The statistics group by these days; stored, so that rows are not converted to the time
    -- zone on every query.
    received_day       date generated always as ((received_at at time zone 'Asia/Shanghai')::date) stored,
    closed_day         date generated always as ((closed_at at time zone 'Asia/Shanghai')::date) stored
);
create index case_facts_received on case_facts (received_at) include (matter, received_level, received_by);

-- case_facts_refresh recomputes the facts of the given cases from their rows.
create function case_facts_refresh(ids uuid[]) returns void language sql as $$
    insert into case_facts as f (case_id, matter, received_by, received_level, received_at, accepted, first_visit,
        mediated, mediation_success, escalated, overdue, closed_at, departments, workdays)
    select c.id, c.matter, c.received_by, c.level, c.received_at,
        coalesce(a.accepted, false), coalesce(a.first_visit, false),
        c.matter = 'mediation' and coalesce(a.mediated, false),
        c.matter = 'mediation' and coalesce(a.mediation_success, false),
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
            bool_or(l.action in ('complete', 'close') and split_part(l.reason, ' ', 1) in ('accept', 'approve', 'aid_first', 'on_spot')) as accepted,
            bool_or(l.action in ('complete', 'close') and split_part(l.reason, ' ', 1) = 'on_spot') as first_visit,
            bool_or(l.action in ('complete', 'close') and split_part(l.reason, ' ', 1) in ('agreed', 'oral', 'failed', 'on_spot')) as mediated,
            bool_or(l.action in ('complete', 'close') and split_part(l.reason, ' ', 1) in ('agreed', 'oral', 'on_spot')) as mediation_success,
            bool_or(l.action = 'escalate' or coalesce((l.after ->> 'escalations')::int, 0) > 0) as escalated,
            bool_or(l.action = 'deadline_overdue' or coalesce((l.after ->> 'overdue')::boolean, false)) as overdue,
            max(l.at) filter (where l.after ->> 'status' = 'closed') as closed_at
        from audit_log l where l.case_id = c.id
    ) a on true
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

-- The triggers: statement-level, over the rows each statement inserted, updated or deleted (an
-- INSERT ... ON CONFLICT DO UPDATE fires both the insert and the update trigger, each with its
-- own rows).
create function case_facts_from_cases() returns trigger language plpgsql as $$
begin
    perform case_facts_refresh(array(select id from new_rows));
    return null;
end;
$$;
create trigger case_facts_from_cases after insert on cases
    referencing new table as new_rows
    for each statement execute function case_facts_from_cases();

create function case_facts_from_audit() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        perform case_facts_refresh(array(select distinct case_id from new_rows));
    else
        perform case_facts_refresh(array(select case_id from new_rows union select case_id from old_rows));
    end if;
    return null;
end;
$$;
create trigger case_facts_from_audit_insert after insert on audit_log
    referencing new table as new_rows
    for each statement execute function case_facts_from_audit();
create trigger case_facts_from_audit_update after update on audit_log
    referencing old table as old_rows new table as new_rows
    for each statement execute function case_facts_from_audit();

-- Tasks matter for the departments only: a new or removed task of a department, or a task whose
-- department changed.
create function case_facts_from_tasks() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        perform case_facts_refresh(array(select distinct case_id from new_rows where department is not null));
    elsif tg_op = 'DELETE' then
        perform case_facts_refresh(array(select distinct case_id from old_rows where department is not null));
    else
        perform case_facts_refresh(array(
            select n.case_id from new_rows n join old_rows o on o.case_id = n.case_id and o.id = n.id
            where n.department is distinct from o.department));
    end if;
    return null;
end;
$$;
create trigger case_facts_from_tasks_insert after insert on tasks
    referencing new table as new_rows
    for each statement execute function case_facts_from_tasks();
create trigger case_facts_from_tasks_delete after delete on tasks
    referencing old table as old_rows
    for each statement execute function case_facts_from_tasks();
create trigger case_facts_from_tasks_update after update on tasks
    referencing old table as old_rows new table as new_rows
    for each statement execute function case_facts_from_tasks();

-- case_stats_daily and case_stats_monthly: case_facts summed by the day (the month) received,
-- matter, receiving unit and level received at, once over all cases (department '') and once
-- more per department the cases have or had a task for, so that the statistics of a period read
-- a row per month and group for its whole months, a row per day and group for the rest of its
-- whole days, and case_facts only for the parts of days at its ends. Kept from the changes of
-- case_facts by the triggers below. A month is its first day.
create table case_stats_daily (
    department        text   not null,
    day               date   not null,
    matter            text   not null,
    received_by       text   not null,
    received_level    text   not null,
    received          int    not null,
    accepted          int    not null,
    first_visit       int    not null,
    mediated          int    not null,
    mediation_success int    not null,
    escalated         int    not null,
    overdue           int    not null,
    closed            int    not null,
    workdays          bigint not null,
    primary key (department, day, matter, received_by, received_level)
);
create table case_stats_monthly (like case_stats_daily including all);

create function case_stats_apply() returns trigger language plpgsql as $$
declare
    -- The changed rows: +1 for a row as it is now, -1 for a row as it was.
    changes text := case tg_op
        when 'INSERT' then 'select 1 as sign, n.* from new_rows n'
        when 'DELETE' then 'select -1 as sign, o.* from old_rows o'
        else 'select 1 as sign, n.* from new_rows n union all select -1, o.* from old_rows o' end;
begin
    -- Each changed case takes its old row's figures away and adds its new row's, in key order, so
    -- that concurrent writers lock the rows they share in the same order.
    execute $q$
    with delta as (
        select d.department, x.received_day as day, x.matter, x.received_by, x.received_level,
            sum(x.sign) as received, sum(x.sign * x.accepted::int) as accepted,
            sum(x.sign * x.first_visit::int) as first_visit, sum(x.sign * x.mediated::int) as mediated,
            sum(x.sign * x.mediation_success::int) as mediation_success, sum(x.sign * x.escalated::int) as escalated,
            sum(x.sign * x.overdue::int) as overdue, sum(x.sign * (x.closed_at is not null)::int) as closed,
            sum(x.sign * coalesce(x.workdays, 0)) as workdays
        from ($q$ || changes || $q$) x
        cross join lateral unnest(array[''] || x.departments) as d (department)
        group by 1, 2, 3, 4, 5
    ), daily as (
        insert into case_stats_daily as s
        select * from delta
        where (received, accepted, first_visit, mediated, mediation_success, escalated, overdue, closed, workdays)
            <> (0, 0, 0, 0, 0, 0, 0, 0, 0)
        order by 1, 2, 3, 4, 5
        on conflict (department, day, matter, received_by, received_level) do update set
            received = s.received + excluded.received, accepted = s.accepted + excluded.accepted,
            first_visit = s.first_visit + excluded.first_visit, mediated = s.mediated + excluded.mediated,
            mediation_success = s.mediation_success + excluded.mediation_success,
            escalated = s.escalated + excluded.escalated, overdue = s.overdue + excluded.overdue,
            closed = s.closed + excluded.closed, workdays = s.workdays + excluded.workdays
    )
    insert into case_stats_monthly as s
    select department, date_trunc('month', day)::date, matter, received_by, received_level, sum(received), sum(accepted),
        sum(first_visit), sum(mediated), sum(mediation_success), sum(escalated), sum(overdue), sum(closed), sum(workdays)
    from delta
    group by 1, 2, 3, 4, 5
    having (sum(received), sum(accepted), sum(first_visit), sum(mediated), sum(mediation_success), sum(escalated),
        sum(overdue), sum(closed), sum(workdays)) <> (0, 0, 0, 0, 0, 0, 0, 0, 0)
    order by 1, 2, 3, 4, 5
    on conflict (department, day, matter, received_by, received_level) do update set
        received = s.received + excluded.received, accepted = s.accepted + excluded.accepted,
        first_visit = s.first_visit + excluded.first_visit, mediated = s.mediated + excluded.mediated,
        mediation_success = s.mediation_success + excluded.mediation_success,
        escalated = s.escalated + excluded.escalated, overdue = s.overdue + excluded.overdue,
        closed = s.closed + excluded.closed, workdays = s.workdays + excluded.workdays
    $q$;
    return null;
end;
$$;
create trigger case_stats_insert after insert on case_facts
    referencing new table as new_rows
    for each statement execute function case_stats_apply();
create trigger case_stats_update after update on case_facts
    referencing old table as old_rows new table as new_rows
    for each statement execute function case_stats_apply();
create trigger case_stats_delete after delete on case_facts
    referencing old table as old_rows
    for each statement execute function case_stats_apply();

-- The facts, and so the daily and monthly figures, of the cases that existed before this migration.
select case_facts_refresh(array(select id from cases));
