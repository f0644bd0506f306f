-- Placeholder for migration 028, which another branch adds: tern needs contiguous numbers, and
-- this branch's migration is 029. Drop this file at merge.
select 1;
