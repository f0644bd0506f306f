-- Tasks (the clerks' queues), notifications to supervisors, and the case columns the
-- supervision views filter on.

alter table cases
    add column outcome     text        not null default '',
    add column overdue     boolean     not null default false,
    add column due_at      timestamptz,
    add column escalations int         not null default 0;
create index cases_due on cases (due_at) where status = 'open';

-- One row per task of a case, rewritten by the case workflow with the event seq that produced
-- it: an older write never overwrites a newer one.
create table tasks (
    case_id     uuid        not null references cases (id),
    id          text        not null,
    step        text        not null,
    name        text        not null,
    org_unit    text        references org_units (code),
    level       text        not null,
    role        text        not null default '',
    department  text        references departments (code),
    status      text        not null check (status in ('open', 'done', 'cancelled')),
    priority    text        not null default 'normal',
    opened_at   timestamptz not null,
    due_at      timestamptz,
    warn_at     timestamptz,
    overdue     boolean     not null default false,
    suspended   boolean     not null default false,
    outcome     text        not null default '',
    closed_at   timestamptz,
    detail      jsonb       not null,
    seq         bigint      not null,
    primary key (case_id, id)
);
create index tasks_open_unit on tasks (org_unit, due_at) where status = 'open';
create index tasks_open_department on tasks (department, due_at) where status = 'open';

create table notifications (
    case_id  uuid        not null references cases (id),
    seq      bigint      not null,
    n        int         not null,
    org_unit text        not null references org_units (code),
    role     text        not null,
    kind     text        not null,
    task_id  text        not null default '',
    message  text        not null,
    at       timestamptz not null,
    read_at  timestamptz,
    primary key (case_id, seq, n)
);
create index notifications_unit on notifications (org_unit, at desc);
