-- 诉调对接: disputes referred to the court's pre-litigation mediation (诉前调解).
-- A referral is a task at a step that waits on the court (definitions.Step.WaitsOn): it opens
-- when the case is referred and is completed with the court's result (agreement, confirmed,
-- failed), recorded by a clerk or imported from the court's export. The statistics count them
-- by when they opened, through this partial index.
alter table tasks add column waits_on text not null default '';
create index tasks_court on tasks (opened_at) include (case_id, status, outcome) where waits_on = 'court';

-- Every import of the court's export (POST /v1/court/results): who imported which file, and
-- what became of each of its rows. The cases' own timelines record each result applied.
create table court_imports (
    id          uuid        primary key,
    org_unit    text        not null references org_units (code),
    file_name   text        not null,
    file_sha256 bytea       not null check (length(file_sha256) = 32),
    format      text        not null check (format in ('csv', 'xlsx')),
    rows        int         not null check (rows >= 0),
    applied     int         not null check (applied >= 0),
    unchanged   int         not null check (unchanged >= 0),
    failed      int         not null check (failed >= 0),
    results     jsonb       not null,
    imported_by text        not null,
    imported_at timestamptz not null
);
create index court_imports_unit on court_imports (org_unit, imported_at desc);

-- The court's count of new civil and commercial cases (新收民商事案件) of a county's month, as
-- the court reports it: the denominator of the share of disputes mediated before litigation.
create table court_intake (
    org_unit         text        not null references org_units (code),
    month            date        not null check (extract(day from month) = 1),
    civil_commercial int         not null check (civil_commercial >= 0),
    entered_by       text        not null,
    entered_at       timestamptz not null,
    primary key (org_unit, month)
);
