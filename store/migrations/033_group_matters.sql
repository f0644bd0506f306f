-- 集体访: several residents bring one matter together. The first is the case's resident; the
-- others are named here, as the case's workflow records them, and found by the resident lookup
-- through their keyed hashes in resident_keys, as the first is.
alter table cases add column residents jsonb not null default '[]';
