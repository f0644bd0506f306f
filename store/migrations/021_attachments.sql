-- Attachments (附件) of issue 13: the papers of a case, and of one of its actions. The bytes are in
-- a blob store (package blob: a folder or S3), never here nor in Temporal; this row says what the
-- paper is. Its upload and its deletion are each an event of the case's workflow, so the audit
-- log, written by the mirror alone, records them in the case's order with the checksum:
-- seq is the upload's audit entry (null while the upload is being recorded: not listed yet),
-- deleted_seq the deletion's. A deleted or replaced attachment keeps its row and its blob (soft
-- delete): the audit log names its checksum, and the bytes stay to prove it.
create table attachments (
    id           uuid        primary key,
    case_id      uuid        not null references cases (id),
    action_seq   bigint,
    name         text        not null,
    size         bigint      not null check (size >= 0),
    content_type text        not null,
    sha256       text        not null check (sha256 ~ '^[0-9a-f]{64}$'),
    blob_key     text        not null,
    uploaded_by  text        not null,
    uploaded_at  timestamptz not null,
    seq          bigint,
    deleted_at   timestamptz,
    deleted_by   text        not null default '',
    deleted_seq  bigint,
    replaced_by  uuid        references attachments (id)
);
create index attachments_case on attachments (case_id, uploaded_at, id);
