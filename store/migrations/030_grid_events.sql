-- Grids (网格) are group-level org units marked as such: the patches grid teams walk and report
-- from (definitions.OrgUnit.Grid).
alter table org_units add column grid boolean not null default false;
alter table org_units add constraint org_units_grid_check check (not grid or level = 'group');

-- The grid systems that post grid events (POST /v1/grid/events): each has a token of its own,
-- of which only the SHA-256 is kept (the token is printed once, by `onedoor grid-sources add`),
-- and reports for the grids below the org units it names.
create table grid_sources (
    code       text        primary key check (code ~ '^[a-z][a-z0-9-]{1,31}$'),
    name       text        not null check (name <> ''),
    token_hash bytea       not null unique check (length(token_hash) = 32),
    units      text[]      not null check (cardinality(units) > 0),
    created_at timestamptz not null default now()
);

-- Each event a source posted, once: the source's own id of the event is unique per source, so
-- a repeated post finds the case of the first (the case id is derived from the two, before the
-- case exists), and a different body under the same id is refused by its hash.
create table grid_events (
    source      text        not null references grid_sources (code),
    event_id    text        not null check (event_id <> ''),
    body_hash   bytea       not null check (length(body_hash) = 32),
    case_id     uuid        not null unique,
    grid        text        not null references org_units (code),
    kind        text        not null,
    latitude    double precision check (latitude between -90 and 90),
    longitude   double precision check (longitude between -180 and 180),
    received_at timestamptz not null default now(),
    primary key (source, event_id)
);
