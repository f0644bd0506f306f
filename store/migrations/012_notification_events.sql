-- Notifications as a stream (GET /v1/events): each has an increasing id a client resumes from
-- (Last-Event-ID), and every insert wakes the API nodes listening on onedoor_notifications.
alter table notifications add column id bigint generated always as identity;
create unique index notifications_id on notifications (id);

create function notifications_wake() returns trigger language plpgsql as $$
begin
    perform pg_notify('onedoor_notifications', '');
    return null;
end
$$;
create trigger notifications_wake after insert on notifications
    for each statement execute function notifications_wake();
