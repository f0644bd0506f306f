-- The State Council's yearly holiday notices, which were compiled into the binary: a new year's
-- notice (published each November) is now entered by an administrator and counts at once for
-- new cases. Running cases keep the notices they started with, carried in their workflow input.
-- The built-in notices are loaded by the migration run that creates these tables (Store.Migrate).
create table calendar_notices (
    year       int         primary key check (year between 2000 and 2999),
    title      text        not null check (title <> ''),
    issued     date        not null,
    verified   text        not null default '',
    entered_by text        not null,
    entered_at timestamptz not null default now()
);

-- A day belongs to one notice only: two notices setting the same day would leave it to chance
-- which one counts.
create table calendar_notice_days (
    day     date    primary key,
    year    int     not null references calendar_notices (year) on delete cascade,
    name    text    not null check (name <> ''),
    name_en text    not null default '',
    workday boolean not null default false
);

create index calendar_notice_days_year on calendar_notice_days (year);

-- The notices built into the binary (definitions.BuiltinNotices), as insert statements.
{{ .builtin_notices }}
