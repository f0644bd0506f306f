-- The operator's gauge of notifications nobody has read counts from this index alone, not by
-- reading every notification ever written.
create index notifications_unread on notifications (id) where read_at is null;
