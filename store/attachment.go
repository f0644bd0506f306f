package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/onedoor/onedoor"
)

const attachmentColumns = `id::text, case_id::text, coalesce(action_seq, 0), name, size, content_type, sha256, blob_key,
	uploaded_by, uploaded_at, coalesce(seq, 0), deleted_at, deleted_by, coalesce(deleted_seq, 0), coalesce(replaced_by::text, '')`

func scanAttachment(r pgx.CollectableRow) (onedoor.Attachment, error) {
	var a onedoor.Attachment
	err := r.Scan(&a.ID, &a.CaseID, &a.Action, &a.Name, &a.Size, &a.Type, &a.SHA256, &a.Key, &a.UploadedBy, &a.UploadedAt,
		&a.Seq, &a.DeletedAt, &a.DeletedBy, &a.DeletedSeq, &a.ReplacedBy)
	return a, err
}

// AddAttachment records an attachment whose bytes are stored, before its upload is recorded in
// the case's audit log (RecordedAttachment): until then it is not listed. A retried upload (the
// same id) is accepted again when it is the same paper of the same case.
func (s *Store) AddAttachment(ctx context.Context, a onedoor.Attachment) error {
	tag, err := s.pool.Exec(ctx, `
		insert into attachments (id, case_id, action_seq, name, size, content_type, sha256, blob_key, uploaded_by, uploaded_at)
		values ($1, $2, nullif($3, 0), $4, $5, $6, $7, $8, $9, $10) on conflict (id) do nothing`,
		a.ID, a.CaseID, a.Action, a.Name, a.Size, a.Type, a.SHA256, a.Key, a.UploadedBy, a.UploadedAt)
	if err != nil || tag.RowsAffected() == 1 {
		return interpret(err, "attachment of case "+a.CaseID)
	}
	old, err := s.Attachment(ctx, a.CaseID, a.ID)
	if err != nil {
		return err
	}
	if old.SHA256 != a.SHA256 || old.Action != a.Action {
		return onedoor.Errorf(onedoor.EConflict, "attachment %s was uploaded before with other content", a.ID)
	}
	return nil
}

// RecordedAttachment notes the audit log entry of an attachment's upload: from then on it is listed.
func (s *Store) RecordedAttachment(ctx context.Context, id string, seq int64) error {
	_, err := s.pool.Exec(ctx, `update attachments set seq = $2 where id = $1 and seq is null`, id, seq)
	return err
}

// DeletedAttachment marks an attachment deleted (or replaced by another) by user at the audit log
// entry seq. Its row and its bytes stay: the audit log names its checksum.
func (s *Store) DeletedAttachment(ctx context.Context, id, user string, at time.Time, seq int64, replacedBy string) error {
	_, err := s.pool.Exec(ctx, `
		update attachments set deleted_at = $3, deleted_by = $2, deleted_seq = $4, replaced_by = nullif($5, '')::uuid
		where id = $1 and deleted_at is null`, id, user, at, seq, replacedBy)
	return err
}

// Attachment reads one attachment of a case, deleted or not, recorded or not.
func (s *Store) Attachment(ctx context.Context, caseID, id string) (onedoor.Attachment, error) {
	rows, err := s.pool.Query(ctx, `select `+attachmentColumns+` from attachments where case_id = $1 and id::text = $2`, caseID, id)
	if err != nil {
		return onedoor.Attachment{}, err
	}
	a, err := pgx.CollectExactlyOneRow(rows, scanAttachment)
	return a, interpret(err, "attachment "+id)
}

// Attachments lists the recorded attachments of a case in upload order; deleted ones only when
// deleted is set.
func (s *Store) Attachments(ctx context.Context, caseID string, deleted bool) ([]onedoor.Attachment, error) {
	rows, err := s.pool.Query(ctx, `
		select `+attachmentColumns+` from attachments
		where case_id = $1 and seq is not null and ($2 or deleted_at is null)
		order by uploaded_at, id`, caseID, deleted)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanAttachment)
}

// AuditAction is the action of a case's audit log entry seq.
func (s *Store) AuditAction(ctx context.Context, caseID string, seq int64) (string, error) {
	var action string
	err := s.pool.QueryRow(ctx, `select action from audit_log where case_id = $1 and seq = $2`, caseID, seq).Scan(&action)
	return action, interpret(err, "timeline entry")
}

// ForgetAttachment removes an attachment whose upload the case's workflow refused: it was never
// recorded, so nothing refers to it. A recorded one is never removed: it reports whether the
// row was, so that its bytes go only with it.
func (s *Store) ForgetAttachment(ctx context.Context, id string) (bool, error) {
	tag, err := s.pool.Exec(ctx, `delete from attachments where id = $1 and seq is null`, id)
	return tag.RowsAffected() == 1, err
}

// UnsettledUpload is an upload whose recording never finished: its row and bytes exist, its
// attachment is not listed.
type UnsettledUpload struct {
	ID, CaseID, Key string
	// Recorded is the audit log entry of its upload when the case's workflow did record it
	// (the answer was lost before the row was marked); 0 when it never did.
	Recorded int64
}

// UnsettledUploads are the uploads not recorded since before: those the case's workflow
// recorded after all (Recorded > 0) and those it never did, oldest first, at most limit.
func (s *Store) UnsettledUploads(ctx context.Context, before time.Time, limit int) ([]UnsettledUpload, error) {
	rows, err := s.pool.Query(ctx, `
		select a.id, a.case_id, a.blob_key, coalesce((
			select l.seq from audit_log l
			where l.case_id = a.case_id and l.action = 'attach' and l.reason like 'attachment ' || a.id || ':%'
			order by l.seq limit 1), 0)
		from attachments a
		where a.seq is null and a.uploaded_at < $1
		order by a.uploaded_at, a.id limit $2`, before, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (UnsettledUpload, error) {
		var u UnsettledUpload
		err := r.Scan(&u.ID, &u.CaseID, &u.Key, &u.Recorded)
		return u, err
	})
}

// SettleRecordedUpload finishes an upload the case's workflow recorded at the audit log entry
// seq: the attachment is listed from then on, and the paper it replaced, if any (as the entry
// says), is marked replaced by it, as the upload itself would have done.
func (s *Store) SettleRecordedUpload(ctx context.Context, id string, seq int64) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var caseID string
		if err := tx.QueryRow(ctx, `update attachments set seq = $2 where id = $1 and seq is null returning case_id`, id, seq).Scan(&caseID); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return nil // settled meanwhile by a retry of the upload
			}
			return err
		}
		_, err := tx.Exec(ctx, `
			update attachments old set deleted_at = l.at, deleted_by = l.actor, deleted_seq = l.seq, replaced_by = $1
			from audit_log l
			where l.case_id = $2 and l.seq = $3 and old.case_id = $2 and old.deleted_at is null
				and old.id::text = substring(l.reason from '; replaces attachment ([0-9a-f-]{36}):')`, id, caseID, seq)
		return err
	})
}
