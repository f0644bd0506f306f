-- The organisation, the users, the case read model and the audit log.

create table org_units (
    code    text primary key,
    name    text not null,
    name_en text not null default '',
    level   text not null check (level in ('group', 'village', 'town', 'banner', 'government')),
    parent  text references org_units (code)
);
create index org_units_parent on org_units (parent);

create table departments (
    code           text primary key,
    name           text not null,
    name_en        text not null default '',
    mode           text not null check (mode in ('resident', 'rotating', 'on_call')),
    response_hours int  not null default 0
);

create table users (
    id         text primary key,
    name       text not null,
    role       text not null check (role in ('admin', 'supervisor', 'clerk', 'department', 'grid', 'auditor')),
    org_unit   text references org_units (code),
    department text references departments (code)
);

-- One row per matter, prefix and year: case numbers are allocated from it.
create table case_number_counters (
    prefix text primary key,
    last   int  not null
);

-- The read model of cases, written only by the case workflow's activities. seq is the number of
-- the last workflow event applied, so a retried or late activity never moves a case backwards.
create table cases (
    id                uuid primary key,
    number            text        not null unique,
    matter            text        not null,
    status            text        not null,
    step              text        not null default '',
    level             text        not null,
    org_unit          text        not null references org_units (code),
    received_by       text        not null references org_units (code),
    channel           text        not null,
    subject           text        not null default '',
    resident_name     text        not null default '',
    data              jsonb       not null default '{}',
    procedure_key     text        not null,
    procedure_version int         not null,
    created_by        text        not null,
    received_at       timestamptz not null,
    updated_at        timestamptz not null,
    seq               bigint      not null
);
create index cases_org_unit on cases (org_unit, status);
create index cases_received_at on cases (received_at);

-- Append-only: who did what to which case, with the state before and after.
create table audit_log (
    case_id uuid        not null references cases (id),
    seq     bigint      not null,
    at      timestamptz not null,
    actor   text        not null,
    action  text        not null,
    reason  text        not null default '',
    before  jsonb,
    after   jsonb,
    primary key (case_id, seq)
);
