-- 会商研判: case conferences. A center convenes a conference on one or several cases, invites
-- departments, records who attended, the minutes and the decisions; each decision becomes a
-- task of a case. The cases record the conferences they were put to (cases.conferences, from
-- their workflows); these tables are the conferences themselves, for the conference list.
alter table cases add column conferences jsonb not null default '[]';

create table conferences (
    id           uuid        primary key,
    org_unit     text        not null references org_units (code),
    title        text        not null,
    at           timestamptz not null,
    place        text        not null,
    remind_at    timestamptz,
    stop_clock   boolean     not null,
    status       text        not null check (status in ('scheduled', 'held', 'cancelled')),
    minutes      text        not null default '',
    decisions    jsonb       not null default '[]',
    created_by   text        not null,
    created_at   timestamptz not null,
    held_by      text,
    held_at      timestamptz,
    cancelled_by text,
    cancel_reason text
);
create index conferences_unit on conferences (org_unit, at desc);

create table conference_cases (
    conference_id uuid not null references conferences (id),
    case_id       uuid not null references cases (id),
    primary key (conference_id, case_id)
);
create index conference_cases_case on conference_cases (case_id);

-- The departments invited, and, once held, whether each attended and who came.
create table conference_invitees (
    conference_id uuid    not null references conferences (id),
    department    text    not null references departments (code),
    attended      boolean,
    attendee      text    not null default '',
    primary key (conference_id, department)
);
