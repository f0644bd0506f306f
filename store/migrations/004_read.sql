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
-- The supervision board: open tasks by due date.
create index tasks_open_due on tasks (due_at) where status = 'open';

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

-- case_facts: what the statistics count about each case, derived from the case row (written once
-- at registration) and from its audit lines. Outcomes are the first word of a 'complete' line's
-- reason (the workflow writes "outcome reason"); a 'close' line of a matter handled on the spot
-- at the window starts with on_spot.
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
    -- The statistics group by these days (working days are counted between them); stored, so
    -- that a million rows are not converted to the time zone on every query.
    received_day       date generated always as ((received_at at time zone 'Asia/Shanghai')::date) stored,
    closed_day         date generated always as ((closed_at at time zone 'Asia/Shanghai')::date) stored
);
create index case_facts_received on case_facts (received_at) include (matter, received_level, received_by);

create function case_facts_from_cases() returns trigger language plpgsql as $$
begin
    insert into case_facts (case_id, matter, received_by, received_level, received_at, escalated, overdue, closed_at)
    select n.id, n.matter, n.received_by, n.level, n.received_at, n.escalations > 0, n.overdue,
           case when n.status = 'closed' then n.updated_at end
    from new_cases n
    on conflict (case_id) do nothing;
    return null;
end;
$$;

create trigger case_facts_from_cases after insert on cases
    referencing new table as new_cases
    for each statement execute function case_facts_from_cases();

create function case_facts_from_audit() returns trigger language plpgsql as $$
begin
    update case_facts f set
        accepted          = f.accepted or a.accepted,
        first_visit       = f.first_visit or a.first_visit,
        mediated          = f.mediated or (f.matter = 'mediation' and a.mediated),
        mediation_success = f.mediation_success or (f.matter = 'mediation' and a.mediation_success),
        escalated         = f.escalated or a.escalated,
        overdue           = f.overdue or a.overdue,
        closed_at         = coalesce(a.closed_at, f.closed_at)
    from (
        select case_id,
            bool_or(action in ('complete', 'close') and split_part(reason, ' ', 1) in ('accept', 'approve', 'aid_first', 'on_spot')) as accepted,
            bool_or(action in ('complete', 'close') and split_part(reason, ' ', 1) = 'on_spot') as first_visit,
            bool_or(action in ('complete', 'close') and split_part(reason, ' ', 1) in ('agreed', 'oral', 'failed', 'on_spot')) as mediated,
            bool_or(action in ('complete', 'close') and split_part(reason, ' ', 1) in ('agreed', 'oral', 'on_spot')) as mediation_success,
            bool_or(action = 'escalate' or coalesce((after ->> 'escalations')::int, 0) > 0) as escalated,
            bool_or(action = 'deadline_overdue' or coalesce((after ->> 'overdue')::boolean, false)) as overdue,
            max(at) filter (where after ->> 'status' = 'closed') as closed_at
        from new_audit
        group by case_id
    ) a
    where f.case_id = a.case_id;
    return null;
end;
$$;

create trigger case_facts_from_audit after insert on audit_log
    referencing new table as new_audit
    for each statement execute function case_facts_from_audit();

-- Facts of the cases that existed before this migration.
insert into case_facts (case_id, matter, received_by, received_level, received_at, escalated, overdue, closed_at)
select id, matter, received_by, level, received_at, escalations > 0, overdue, case when status = 'closed' then updated_at end
from cases;
update case_facts f set
    accepted          = a.accepted,
    first_visit       = a.first_visit,
    mediated          = f.matter = 'mediation' and a.mediated,
    mediation_success = f.matter = 'mediation' and a.mediation_success,
    escalated         = f.escalated or a.escalated,
    overdue           = f.overdue or a.overdue,
    closed_at         = coalesce(a.closed_at, f.closed_at)
from (
    select case_id,
        bool_or(action = 'complete' and split_part(reason, ' ', 1) in ('accept', 'approve', 'aid_first', 'on_spot')) as accepted,
        bool_or(action = 'complete' and split_part(reason, ' ', 1) = 'on_spot') as first_visit,
        bool_or(action = 'complete' and split_part(reason, ' ', 1) in ('agreed', 'oral', 'failed', 'on_spot')) as mediated,
        bool_or(action = 'complete' and split_part(reason, ' ', 1) in ('agreed', 'oral', 'on_spot')) as mediation_success,
        bool_or(action = 'escalate') as escalated,
        bool_or(action = 'deadline_overdue') as overdue,
        max(at) filter (where after ->> 'status' = 'closed') as closed_at
    from audit_log group by case_id
) a
where f.case_id = a.case_id;
