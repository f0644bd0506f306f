-- The search for overdue cases in a scope (a town's supervisor's, newest first) read the newest
-- cases of all and kept the overdue ones of the town: one case in sixteen is overdue and a town
-- holds one case in forty, so a page of 50 read 31,000 cases at 6.6 million (54 ms, and more as
-- the cases grow). The overdue cases alone, newest first, give a town's page after about 2,000.
-- Building it reads every case and holds off writes to cases meanwhile (about a minute at 10
-- million cases here); a database administrator may build it beforehand with create index
-- concurrently, and this migration keeps that one.
create index if not exists cases_overdue_newest on cases (received_at desc, id desc) where overdue;
