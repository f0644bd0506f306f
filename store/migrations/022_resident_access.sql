-- Residents without an account (issue 13).
-- The status query's wrong guesses (a case number with the wrong last four digits of its phone),
-- counted here rather than in one API node's memory so that every node sees them: past a few for a
-- number, or from a client address, within a window, further attempts wait. The client address
-- is kept hashed; no digits are kept at all.
create table status_guesses (
    number text        not null,
    client bytea       not null,
    at     timestamptz not null default now()
);
create index status_guesses_number on status_guesses (number, at);
create index status_guesses_client on status_guesses (client, at);

-- The one-time rating link of a closed case: the token is kept as its SHA-256 only, expires at the
-- end of the case's 30 days for the resident's evaluation, and is spent by its first use. Issuing
-- a new link for the case replaces the one before it.
create table rating_links (
    case_id    uuid        primary key references cases (id),
    token_hash bytea       not null unique,
    issued_by  text        not null,
    issued_at  timestamptz not null default now(),
    expires_at timestamptz not null,
    used_at    timestamptz
);
