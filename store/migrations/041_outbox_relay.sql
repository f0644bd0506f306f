-- The outbox relay (issue 15): a message of a case started on today's code is sent by the relay
-- each worker process runs, which claims the messages that are due from this table, instead of
-- by an activity of the case workflow per message (two more workflow tasks and an activity in
-- Temporal for each event that sends any). next_attempt_at is when the relay may try a message
-- next: set when it is written, pushed ahead by a claim (a lease, for a relay that dies while
-- sending) and after a failed attempt (the backoff). It stays null for the messages a workflow
-- sends (cases started before), which the relay never touches.
alter table outbox add column next_attempt_at timestamptz;
create index outbox_due on outbox (next_attempt_at) where status = 'pending' and next_attempt_at is not null;
