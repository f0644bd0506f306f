-- Outbound notices (issue 13): the resident's acceptance and result SMS, staff's due-soon,
-- overdue and escalation notices by webhook. A message is written to the outbox in the same
-- transaction as the event that causes it is mirrored, so nothing mirrored goes unsent and
-- nothing is sent for an event the read model lacks; a Temporal workflow per message sends it,
-- and every attempt is recorded beside it.

-- The texts an administrator has edited, one per kind of notice; a kind without a row here uses
-- its default text, which the binary carries (package notice).
create table notice_templates (
    key        text        primary key,
    body       text        not null,
    updated_by text        not null default '',
    updated_at timestamptz not null default now()
);

create table outbox (
    id         uuid        primary key,
    case_id    uuid        not null references cases (id),
    seq        bigint      not null,            -- the event that caused it
    n          int         not null,            -- its place among the event's messages
    template   text        not null,            -- notice.Key
    channel    text        not null,            -- sms or webhook
    recipient  text        not null,            -- a phone number, or org_unit/role, department/role
    vars       jsonb       not null,            -- the template's variables, fixed when written
    body       text,                            -- the text, rendered at the first attempt and sent as such on every retry
    status     text        not null default 'pending' check (status in ('pending', 'sent', 'failed')),
    attempts   int         not null default 0,
    last_error text        not null default '',
    created_at timestamptz not null,
    sent_at    timestamptz,
    unique (case_id, seq, n)
);
create index outbox_created on outbox (created_at desc, id desc);
create index outbox_pending on outbox (created_at) where status = 'pending';

create table outbox_attempts (
    message_id  uuid        not null references outbox (id),
    attempt     int         not null,           -- Temporal's attempt number of the send activity
    started_at  timestamptz not null,
    finished_at timestamptz,
    error       text        not null default '',
    primary key (message_id, attempt)
);
