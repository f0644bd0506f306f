-- Placeholder on branch h-outbox only: migration numbers 021 belongs to other parts of
-- issue 13; tern wants no gaps. Drop this file when merging the branch that brings the real 021.
select 1;
