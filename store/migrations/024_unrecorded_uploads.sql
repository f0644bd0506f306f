-- The uploads whose recording never finished, for the sweep of api/uploads.go: few rows, read
-- every hour by each API node.
create index attachments_unrecorded on attachments (uploaded_at) where seq is null;
