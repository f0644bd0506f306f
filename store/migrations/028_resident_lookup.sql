-- One resident, all their matters (一人多事, 重复访): the resident identifiers of each case (the
-- values of its form's resident ID and phone fields) kept as keyed hashes only. The key
-- (ONEDOOR_LOOKUP_KEY) is the API's and never reaches the database, so this index names nobody:
-- a copy of it cannot be searched by trying numbers. The API writes a case's hashes before it
-- starts the case's workflow, so a case that exists has them; rows of a case whose start failed
-- join no case and are never seen.
create table resident_keys (
    case_id uuid  not null,
    kind    text  not null check (kind in ('id_number', 'phone')),
    key     bytea not null,
    primary key (case_id, kind, key)
);
create index resident_keys_key on resident_keys (key);

-- The visits of the resident about the matter (the rules' visits): 1 at registration, more for
-- a case registered as a repeated visit of an earlier one, and one more for each visit recorded
-- while it is open.
alter table cases add column visits integer not null default 1;
-- The statistics count the cases visited more than once; they are few, so a partial index finds
-- them by the day received.
create index cases_repeated on cases (received_at) where visits > 1;
