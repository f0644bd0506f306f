package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// AuditEntry is one line of a case's append-only audit log.
type AuditEntry struct {
	Seq    int64           `json:"seq"`
	At     time.Time       `json:"at"`
	Actor  string          `json:"actor"`
	Action string          `json:"action"`
	Reason string          `json:"reason,omitempty"`
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after,omitempty"`
}

// RegisterCase records a new case in the read model, giving it the next number of its matter and
// year, and returns it with its number. Registering the same case id again returns the case as
// first registered: the workflow's activity may be retried.
func (s *Store) RegisterCase(ctx context.Context, c onedoor.Case, tasks []onedoor.Task, numberPrefix string, entry AuditEntry) (onedoor.Case, error) {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var number string
		err := tx.QueryRow(ctx, `select number from cases where id = $1`, c.ID).Scan(&number)
		if err == nil {
			c.Number = number
			return nil
		}
		if err != pgx.ErrNoRows {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `
			insert into case_number_counters (prefix, last) values ($1, 1)
			on conflict (prefix) do update set last = case_number_counters.last + 1
			returning last`, numberPrefix).Scan(&n); err != nil {
			return err
		}
		c.Number = fmt.Sprintf("%s-%06d", numberPrefix, n)
		if err := insertCase(ctx, tx, c, entry.Seq); err != nil {
			return err
		}
		if err := saveTasks(ctx, tx, c.ID, tasks, entry.Seq); err != nil {
			return err
		}
		return appendAudit(ctx, tx, c.ID, entry)
	})
	if err != nil {
		return c, interpret(err, "case")
	}
	return c, nil
}

// SaveCase writes the state of a case and its tasks after the workflow event entry.Seq, with
// the event's audit entry and notifications. A write for an event older than the one stored is
// ignored, so retries never move a case back. A write for the same event replaces what is
// stored: the workflow's local activities write before its task is committed, and when that
// task fails the event that really takes the number is the one written last.
func (s *Store) SaveCase(ctx context.Context, c onedoor.Case, tasks []onedoor.Task, notes []onedoor.Notification, entry AuditEntry) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		data, err := json.Marshal(c.Data)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			update cases set status = $2, step = $3, level = $4, org_unit = $5, subject = $6,
				resident_name = $7, data = $8, updated_at = $9, seq = $10, outcome = $11,
				overdue = $12, due_at = $13, escalations = $14, supervision = $15, evaluation = $16, links = $17
			where id = $1 and seq <= $10`,
			c.ID, c.Status, c.Step, c.Level, c.OrgUnit, c.Subject, c.ResidentName, data, c.UpdatedAt, entry.Seq,
			c.Outcome, c.Overdue, c.DueAt, c.Escalations, jsonList(c.Supervision), c.Evaluation, jsonList(c.Links)); err != nil {
			return err
		}
		if err := saveTasks(ctx, tx, c.ID, tasks, entry.Seq); err != nil {
			return err
		}
		for i, n := range notes {
			if _, err := tx.Exec(ctx, `
				insert into notifications (case_id, seq, n, org_unit, role, kind, task_id, message, at)
				values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
				on conflict (case_id, seq, n) do update set org_unit = excluded.org_unit, role = excluded.role,
					kind = excluded.kind, task_id = excluded.task_id, message = excluded.message, at = excluded.at`,
				c.ID, entry.Seq, i, n.OrgUnit, n.Role, n.Kind, n.TaskID, n.Message, n.At); err != nil {
				return err
			}
		}
		return appendAudit(ctx, tx, c.ID, entry)
	})
	return interpret(err, "case "+c.ID)
}

// saveTasks writes the tasks as of event seq: rows of later events stay, and rows the workflow
// no longer has (written by an event that was not committed) go.
func saveTasks(ctx context.Context, tx pgx.Tx, caseID string, tasks []onedoor.Task, seq int64) error {
	ids := make([]string, len(tasks))
	for i, t := range tasks {
		ids[i] = t.ID
	}
	if _, err := tx.Exec(ctx, `delete from tasks where case_id = $1 and id <> all($2) and seq <= $3`, caseID, ids, seq); err != nil {
		return err
	}
	for _, t := range tasks {
		detail, err := json.Marshal(t)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			insert into tasks (case_id, id, step, name, org_unit, level, role, department, status, priority,
				opened_at, due_at, warn_at, overdue, suspended, outcome, closed_at, detail, seq)
			values ($1, $2, $3, $4, nullif($5, ''), $6, $7, nullif($8, ''), $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
			on conflict (case_id, id) do update set status = excluded.status, priority = excluded.priority,
				due_at = excluded.due_at, warn_at = excluded.warn_at, overdue = excluded.overdue,
				suspended = excluded.suspended, outcome = excluded.outcome, closed_at = excluded.closed_at,
				detail = excluded.detail, seq = excluded.seq
			where tasks.seq <= excluded.seq`,
			caseID, t.ID, t.Step, t.Name, t.OrgUnit, t.Level, t.Role, t.Department, t.Status, t.Priority,
			t.OpenedAt, t.DueAt, t.WarnAt, t.Overdue, t.Suspended, t.Outcome, t.ClosedAt, detail, seq); err != nil {
			return err
		}
	}
	return nil
}

// Tasks reads a case's tasks in the order they were opened.
func (s *Store) Tasks(ctx context.Context, caseID string) ([]onedoor.Task, error) {
	rows, err := s.pool.Query(ctx, `select detail from tasks where case_id = $1 order by opened_at, length(id), id`, caseID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (onedoor.Task, error) {
		var t onedoor.Task
		err := r.Scan(&t)
		return t, err
	})
}

// Notifications reads the notifications addressed to an org unit, newest first.
func (s *Store) Notifications(ctx context.Context, orgUnit string, limit int) ([]onedoor.Notification, error) {
	rows, err := s.pool.Query(ctx, `
		select org_unit, role, kind, case_id::text, task_id, message, at from notifications
		where org_unit = $1 order by at desc, case_id, seq, n limit $2`, orgUnit, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (onedoor.Notification, error) {
		var n onedoor.Notification
		err := r.Scan(&n.OrgUnit, &n.Role, &n.Kind, &n.CaseID, &n.TaskID, &n.Message, &n.At)
		return n, err
	})
}

func insertCase(ctx context.Context, tx pgx.Tx, c onedoor.Case, seq int64) error {
	data, err := json.Marshal(c.Data)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `
		insert into cases (id, number, matter, status, step, level, org_unit, received_by, channel, subject,
			resident_name, data, procedure_key, procedure_version, created_by, received_at, updated_at, seq,
			outcome, overdue, due_at, escalations, supervision, evaluation, links)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)`,
		c.ID, c.Number, c.Matter, c.Status, c.Step, c.Level, c.OrgUnit, c.ReceivedBy, c.Channel, c.Subject,
		c.ResidentName, data, c.ProcedureKey, c.ProcedureVersion, c.CreatedBy, c.ReceivedAt, c.UpdatedAt, seq,
		c.Outcome, c.Overdue, c.DueAt, c.Escalations, jsonList(c.Supervision), c.Evaluation, jsonList(c.Links))
	return err
}

func appendAudit(ctx context.Context, tx pgx.Tx, caseID string, e AuditEntry) error {
	_, err := tx.Exec(ctx, `
		insert into audit_log (case_id, seq, at, actor, action, reason, before, after)
		values ($1, $2, $3, $4, $5, $6, $7, $8)
		on conflict (case_id, seq) do update set at = excluded.at, actor = excluded.actor, action = excluded.action,
			reason = excluded.reason, before = excluded.before, after = excluded.after`,
		caseID, e.Seq, e.At, e.Actor, e.Action, e.Reason, nullJSON(e.Before), nullJSON(e.After))
	return err
}

// jsonList writes a nil list as an empty JSON array, as the column's default has it.
func jsonList[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

func nullJSON(b json.RawMessage) any {
	if len(b) == 0 {
		return nil
	}
	return []byte(b)
}

// Case reads a case by its id or its number.
func (s *Store) Case(ctx context.Context, idOrNumber string) (onedoor.Case, error) {
	var c onedoor.Case
	var data []byte
	err := s.pool.QueryRow(ctx, `
		select id::text, number, matter, status, step, level, org_unit, received_by, channel, subject,
			resident_name, data, procedure_key, procedure_version, created_by, received_at, updated_at,
			outcome, overdue, due_at, escalations, supervision, evaluation, links
		from cases where `+caseKey(idOrNumber)+` = $1`, idOrNumber).
		Scan(&c.ID, &c.Number, &c.Matter, &c.Status, &c.Step, &c.Level, &c.OrgUnit, &c.ReceivedBy, &c.Channel,
			&c.Subject, &c.ResidentName, &data, &c.ProcedureKey, &c.ProcedureVersion, &c.CreatedBy,
			&c.ReceivedAt, &c.UpdatedAt, &c.Outcome, &c.Overdue, &c.DueAt, &c.Escalations, &c.Supervision,
			&c.Evaluation, &c.Links)
	if err != nil {
		return c, interpret(err, "case "+idOrNumber)
	}
	c.ReceivedAt, c.UpdatedAt = c.ReceivedAt.In(definitions.Shanghai), c.UpdatedAt.In(definitions.Shanghai)
	if err := json.Unmarshal(data, &c.Data); err != nil {
		return c, fmt.Errorf("store: case %s data: %w", c.ID, err)
	}
	return c, nil
}

// Audit reads a case's audit log in order.
func (s *Store) Audit(ctx context.Context, caseID string) ([]AuditEntry, error) {
	rows, err := s.pool.Query(ctx, `
		select seq, at, actor, action, reason, coalesce(before, 'null'::jsonb), coalesce(after, 'null'::jsonb)
		from audit_log where case_id = $1 order by seq`, caseID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (AuditEntry, error) {
		var e AuditEntry
		var before, after []byte
		err := r.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.Reason, &before, &after)
		e.Before, e.After = before, after
		return e, err
	})
}

// caseKey is the column a case reference names: its id when it is a UUID, else its number.
func caseKey(ref string) string {
	if _, err := uuid.Parse(ref); err == nil {
		return "id"
	}
	return "number"
}
