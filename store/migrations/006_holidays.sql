-- Regional holidays and make-up working days that administrators add to the State Council
-- notices built into the calendar (e.g. a holiday of the Inner Mongolia Autonomous Region).

create table regional_holidays (
    day        date        not null,
    region     text        not null check (region <> ''),
    name       text        not null,
    name_en    text        not null default '',
    workday    boolean     not null default false,
    created_by text        not null,
    created_at timestamptz not null default now(),
    primary key (day, region)
);
