-- Task operations of issue 16.
-- Copies for information (抄送): the recipients a case was copied to, who may read it but not act.
-- The case row keeps them as the workflow has them; case_copies indexes them for the access
-- check and the recipients' list (抄送我的), and copy_reads says who has read which.
alter table cases add column copies jsonb not null default '[]';
create table case_copies (
    case_id  uuid        not null references cases (id),
    n        int         not null,
    user_id  text,
    org_unit text,
    by_user  text        not null,
    at       timestamptz not null,
    reason   text        not null default '',
    primary key (case_id, n),
    check ((user_id is null) <> (org_unit is null))
);
create index case_copies_user on case_copies (user_id, at desc, case_id desc) where user_id is not null;
create index case_copies_unit on case_copies (org_unit, at desc, case_id desc) where org_unit is not null;
create table copy_reads (
    user_id text        not null,
    case_id uuid        not null references cases (id),
    read_at timestamptz not null,
    primary key (user_id, case_id)
);

-- The answer of a batch (批量办理) sent with an Idempotency-Key: a retry gets it again, whatever
-- the cases have become since.
create table batch_answers (
    user_id text        not null,
    key     text        not null,
    answer  jsonb       not null,
    at      timestamptz not null default now(),
    primary key (user_id, key)
);
