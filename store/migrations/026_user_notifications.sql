-- Notifications to one person: a delegation, a delegate's result, a reassignment or a copy
-- reaches the colleague named, not everyone of their unit or department. A notification with a
-- user_id is that user's alone; the others are their unit's or department's as before.
alter table notifications add column user_id text;
create index notifications_user on notifications (user_id, id) where user_id is not null;
