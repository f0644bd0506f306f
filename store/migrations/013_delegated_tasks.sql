-- A task the holder delegated to a colleague (委派) shows in the colleague's queue: the queue
-- reads the open tasks delegated to a user by this index.
create index tasks_open_delegate on tasks ((detail->>'delegate'), due_at) where status = 'open';

-- A clerk's completed tasks (已办), newest first, and the cases a user registered (我发起的).
create index tasks_done_by on tasks ((detail->>'closed_by'), closed_at desc, case_id desc, id desc) where status = 'done';
create index cases_created_by on cases (created_by, received_at desc, id desc);
