-- Migration plans: moving the running cases of a procedure from one published version to another
-- (when a law changes). A plan is created with its dry run, one item per running case with where
-- it lands or why it is left, in one transaction; applying it moves the pending items a batch at a
-- time through each case's workflow, each batch claimed with FOR UPDATE SKIP LOCKED so that two
-- runners, or one started again after a crash, never move a case twice.
create table migration_plans (
    id            bigint      generated always as identity primary key,
    procedure_key text        not null,
    from_version  int         not null,
    to_version    int         not null check (to_version <> from_version),
    -- definitions.MigrationPlan's step mapping.
    steps         jsonb       not null default '{}',
    -- The county whose cases the plan moves; null for every county's (a city's administrator).
    county        text        references org_units (code),
    status        text        not null default 'planned' check (status in ('planned', 'applying', 'done')),
    created_by    text        not null,
    created_at    timestamptz not null default now(),
    applied_by    text,
    started_at    timestamptz,
    finished_at   timestamptz,
    foreign key (procedure_key, from_version) references procedure_versions (key, version),
    foreign key (procedure_key, to_version) references procedure_versions (key, version)
);

create table migration_items (
    plan_id     bigint      not null references migration_plans (id),
    case_id     uuid        not null references cases (id),
    number      text        not null,
    -- pending: to move; moved: on the target version; left: stays on its version (reason says
    -- why); failed: the workflow refused or could not be reached (reason has the error).
    status      text        not null check (status in ('pending', 'moved', 'left', 'failed')),
    -- The case's step before and after, and its earliest new due date with the explanation of
    -- each open task's (workflows.TaskLanding), as the dry run computed them.
    step        text        not null,
    target_step text        not null default '',
    due_at      timestamptz,
    tasks       jsonb       not null default '[]',
    reason      text        not null default '',
    moved_at    timestamptz,
    primary key (plan_id, case_id)
);
create index migration_items_pending on migration_items (plan_id, number) where status = 'pending';
