-- What each Idempotency-Key was first used for, so that a key reused for a different request is
-- refused instead of answered with the first request's result.
create table idempotency_keys (
    user_id     text        not null,
    scope       text        not null, -- 'create', or the case id an action was sent to
    key         text        not null,
    fingerprint bytea       not null, -- SHA-256 of the request body as the API decoded it
    created_at  timestamptz not null default now(),
    primary key (user_id, scope, key)
);
