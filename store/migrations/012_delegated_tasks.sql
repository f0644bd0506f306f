-- A task the holder delegated to a colleague (委派) shows in the colleague's queue: the queue
-- reads the open tasks delegated to a user by this index.
create index tasks_open_delegate on tasks ((detail->>'delegate'), due_at) where status = 'open';
