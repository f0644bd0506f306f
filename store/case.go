package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// AuditEntry is one line of a case's append-only audit log.
type AuditEntry struct {
	Seq    int64           `json:"seq"`
	At     time.Time       `json:"at"`
	Actor  string          `json:"actor"`
	Post   string          `json:"post,omitempty" doc:"The post the actor took the action in (role@unit, department:code@unit); empty for the system's events."`
	Action string          `json:"action"`
	Reason string          `json:"reason,omitempty"`
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after,omitempty"`
}

// Event is one committed event of a case's workflow to mirror: its audit entry, the case as it
// was after it, and the notifications it sends.
type Event struct {
	Entry         AuditEntry
	Case          onedoor.Case
	Notifications []onedoor.Notification
	// Notify writes the notices the event sends to the outbox (notice.Triggered), in the same
	// transaction: the workflow's mirror does; tools and demo data that write cases do not.
	Notify bool
	// Relay leaves the sending of those notices to the outbox relay (ClaimNotices): they are
	// written due at once, and MirrorNotify returns none of them as pending. Without it the
	// workflow sends them, as cases started before the relay do.
	Relay bool
}

// ReserveNumber gives the case with this id the next number of its prefix (matter and year), or
// the number it already has: a retried registration keeps its number and burns none.
func (s *Store) ReserveNumber(ctx context.Context, caseID, prefix string) (string, error) {
	// One statement, one round trip (the transaction it replaced took five): the counter moves
	// only for a case that has no number yet; its number has at least six digits.
	var number string
	err := s.keyed.QueryRow(ctx, `
		with held as (
			select number from case_numbers where case_id = $1
		), counted as (
			insert into case_number_counters (prefix, last)
			select $2, 1 where not exists (select from held)
			on conflict (prefix) do update set last = case_number_counters.last + 1
			returning last
		), reserved as (
			insert into case_numbers (case_id, number)
			select $1, $2 || '-' || lpad(last::text, greatest(6, length(last::text)), '0') from counted
			returning number
		)
		select number from held union all select number from reserved`, caseID, prefix).Scan(&number)
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "23505" && pg.ConstraintName == "case_numbers_pkey" {
		// Two requests for one case at once (a grid event posted twice, a retry racing its
		// first try): the other reserved it, and its number is the case's.
		err = s.keyed.QueryRow(ctx, `select number from case_numbers where case_id = $1`, caseID).Scan(&number)
	}
	return number, interpret(err, "case number")
}

// Mirror writes committed events of one case, in order, to the read model and the audit log,
// with tasks of the case as of the last event (those given; a task not given keeps its row), in
// one transaction. The event with seq 1 creates
// the case's row. It is idempotent: an event already in the audit log is skipped once it is
// checked to be the same event (a different one is an error: two histories for one case), and
// the case and its tasks never move back to an older event, so a late retry changes nothing.
func (s *Store) Mirror(ctx context.Context, events []Event, tasks []onedoor.Task) error {
	_, err := s.MirrorNotify(ctx, events, tasks)
	return err
}

// MirrorNotify is Mirror, which also writes to the outbox the notices of the events marked
// Notify, and returns the events' outbox messages still pending, by event: those it wrote and
// those an earlier attempt wrote, whose sending may not have started.
func (s *Store) MirrorNotify(ctx context.Context, events []Event, tasks []onedoor.Task) ([]PendingNotices, error) {
	if len(events) == 0 {
		return nil, nil
	}
	c := events[len(events)-1].Case
	seq := events[len(events)-1].Entry.Seq
	var pending []PendingNotices
	// On the keyed pool: every statement of the mirror is keyed by a case. Planned at each call,
	// its statements, those of the triggers they fire (the statistics' facts, the board's counts)
	// and the foreign keys' checks took half of PostgreSQL's time for a registration.
	err := pgx.BeginFunc(ctx, s.keyed, func(tx pgx.Tx) error {
		// What the notices need is read first; the rest of the writes go to the database in one
		// batch, one round trip instead of one per statement. before is the case after the event
		// before, within the batch; the first event's audit line takes it in its insert
		// (queueAudit). prev is the case's status before the event, which its notices compare.
		var before json.RawMessage
		var prev onedoor.Status
		var writes pgx.Batch
		var again []AuditEntry // lines already in the log: checked to be the same after the batch
		for i, e := range events {
			if e.Entry.Seq == 1 {
				if err := insertCase(ctx, tx, e.Case, 1); err != nil {
					return err
				}
			}
			entry := e.Entry
			if len(entry.After) == 0 {
				after, err := json.Marshal(e.Case)
				if err != nil {
					return err
				}
				entry.After = after
			}
			if i == 0 && entry.Seq > 1 && e.Notify {
				// The case before an event is the case after the one before it: only its status,
				// not the whole snapshot, comes over the wire.
				err := tx.QueryRow(ctx, `select coalesce(after ->> 'status', '') from audit_log
					where case_id = $1 and seq < $2 order by seq desc limit 1`, e.Case.ID, entry.Seq).Scan(&prev)
				if err != nil && err != pgx.ErrNoRows {
					return err
				}
			}
			if e.Notify {
				if err := writeNotices(ctx, tx, e, prev, tasks, s.PublicURL); err != nil {
					return err
				}
			}
			if len(entry.Before) == 0 {
				entry.Before = before
			}
			queueAudit(&writes, e.Case.ID, entry, &again)
			for n, note := range e.Notifications {
				writes.Queue(`
					insert into notifications (case_id, seq, n, org_unit, department, role, kind, task_id, message, at, user_id)
					values ($1, $2, $3, nullif($4, ''), nullif($5, ''), $6, $7, $8, $9, $10, nullif($11, '')) on conflict (case_id, seq, n) do nothing`,
					e.Case.ID, entry.Seq, n, note.OrgUnit, note.Department, note.Role, note.Kind, note.TaskID, note.Message, note.At, note.User)
			}
			before, prev = entry.After, e.Case.Status
		}
		if err := queueCase(&writes, c, seq, false); err != nil {
			return err
		}
		if err := queueTasks(&writes, c.ID, tasks, seq); err != nil {
			return err
		}
		queuePendingNotices(&writes, c.ID, events, &pending)
		if err := tx.SendBatch(ctx, &writes).Close(); err != nil {
			return err
		}
		for _, entry := range again {
			if err := sameAudit(ctx, tx, c.ID, entry); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, interpret(err, "case "+c.ID)
	}
	s.mirrored.wake(c.ID)
	for _, e := range events {
		if e.Notify && e.Relay {
			s.outboxWritten()
			break
		}
	}
	return pending, nil
}

// RegisterCase records a new case as its workflow's first event does, with a number reserved
// for it, and returns it with its number: for tools and tests that write cases without a workflow.
func (s *Store) RegisterCase(ctx context.Context, c onedoor.Case, tasks []onedoor.Task, numberPrefix string, entry AuditEntry) (onedoor.Case, error) {
	number, err := s.ReserveNumber(ctx, c.ID, numberPrefix)
	if err != nil {
		return c, err
	}
	c.Number = number
	entry.Seq = 1
	return c, s.Mirror(ctx, []Event{{Entry: entry, Case: c}}, tasks)
}

// SaveCase mirrors one event of a case, as Mirror does: for tools and tests that write cases
// without a workflow.
func (s *Store) SaveCase(ctx context.Context, c onedoor.Case, tasks []onedoor.Task, notes []onedoor.Notification, entry AuditEntry) error {
	return s.Mirror(ctx, []Event{{Entry: entry, Case: c, Notifications: notes}}, tasks)
}

// queueCase queues the write of the case's row as of event seq: only over an older event, unless
// force.
func queueCase(b *pgx.Batch, c onedoor.Case, seq int64, force bool) error {
	data, err := json.Marshal(c.Data)
	if err != nil {
		return err
	}
	b.Queue(`
		update cases set status = $2, step = $3, level = $4, org_unit = $5, subject = $6,
			resident_name = $7, data = $8, updated_at = $9, seq = $10, outcome = $11,
			overdue = $12, due_at = $13, escalations = $14, supervision = $15, evaluation = $16, links = $17,
			outcome_kind = $19, on_spot = $20, clocks = $21, copies = $22, findings = $23, visits = greatest($24, 1),
			procedure_version = $25, procedure_override = $26, conferences = $27, residents = $28
		where id = $1 and (seq < $10 or $18)`,
		c.ID, c.Status, c.Step, c.Level, c.OrgUnit, c.Subject, c.ResidentName, data, c.UpdatedAt, seq,
		c.Outcome, c.Overdue, c.DueAt, c.Escalations, jsonList(c.Supervision), c.Evaluation, jsonList(c.Links), force,
		c.OutcomeKind, c.OnSpot, jsonList(c.Clocks), jsonList(c.Copies), jsonList(c.Findings), c.Visits,
		c.ProcedureVersion, c.OverrideVersion, jsonList(c.Conferences), jsonList(c.Residents))
	// Copies are only ever added, each at its place in the list: an older event's write adds
	// nothing a later one has not.
	for n, cp := range c.Copies {
		b.Queue(`
			insert into case_copies (case_id, n, user_id, org_unit, by_user, at, reason)
			values ($1, $2, nullif($3, ''), nullif($4, ''), $5, $6, $7) on conflict (case_id, n) do nothing`,
			c.ID, n, cp.User, cp.OrgUnit, cp.By, cp.At, cp.Reason)
	}
	return nil
}

// queueTasks queues the writes of the tasks as of event seq; rows written for a later event stay.
func queueTasks(b *pgx.Batch, caseID string, tasks []onedoor.Task, seq int64) error {
	for _, t := range tasks {
		detail, err := json.Marshal(t)
		if err != nil {
			return err
		}
		b.Queue(`
			insert into tasks (case_id, id, step, name, org_unit, level, role, department, status, priority,
				opened_at, due_at, warn_at, overdue, suspended, outcome, closed_at, detail, seq, waits_on)
			values ($1, $2, $3, $4, nullif($5, ''), $6, $7, nullif($8, ''), $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
			on conflict (case_id, id) do update set step = excluded.step, name = excluded.name, waits_on = excluded.waits_on,
				status = excluded.status, priority = excluded.priority,
				due_at = excluded.due_at, warn_at = excluded.warn_at, overdue = excluded.overdue,
				suspended = excluded.suspended, outcome = excluded.outcome, closed_at = excluded.closed_at,
				detail = excluded.detail, seq = excluded.seq
			where tasks.seq <= excluded.seq`,
			caseID, t.ID, t.Step, t.Name, t.OrgUnit, t.Level, t.Role, t.Department, t.Status, t.Priority,
			t.OpenedAt, t.DueAt, t.WarnAt, t.Overdue, t.Suspended, t.Outcome, t.ClosedAt, detail, seq, t.WaitsOn)
	}
	return nil
}

// Tasks reads a case's tasks in the order they were opened.
func (s *Store) Tasks(ctx context.Context, caseID string) ([]onedoor.Task, error) {
	rows, err := s.keyed.Query(ctx, `select detail from tasks where case_id = $1 order by opened_at, length(id), id`, caseID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (onedoor.Task, error) {
		var t onedoor.Task
		err := r.Scan(&t)
		return t, err
	})
}

// CaseNotifications reads every notification a case sent, to org units and departments, in
// the order they were written.
func (s *Store) CaseNotifications(ctx context.Context, caseID string) ([]onedoor.Notification, error) {
	rows, err := s.keyed.Query(ctx, `
		select coalesce(org_unit, ''), coalesce(department, ''), role, kind, case_id::text, task_id, message, at
		from notifications where case_id = $1 order by id`, caseID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (onedoor.Notification, error) {
		var n onedoor.Notification
		err := r.Scan(&n.OrgUnit, &n.Department, &n.Role, &n.Kind, &n.CaseID, &n.TaskID, &n.Message, &n.At)
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
			outcome, overdue, due_at, escalations, supervision, evaluation, links, outcome_kind, on_spot,
			clocks, registered_at, late_reason, procedure_override, visits)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27,
			$28, $29, $30, $31, greatest($32, 1))
		on conflict (id) do nothing`,
		c.ID, c.Number, c.Matter, c.Status, c.Step, c.Level, c.OrgUnit, c.ReceivedBy, c.Channel, c.Subject,
		c.ResidentName, data, c.ProcedureKey, c.ProcedureVersion, c.CreatedBy, c.ReceivedAt, c.UpdatedAt, seq,
		c.Outcome, c.Overdue, c.DueAt, c.Escalations, jsonList(c.Supervision), c.Evaluation, jsonList(c.Links),
		c.OutcomeKind, c.OnSpot, jsonList(c.Clocks), c.RegisteredAt, c.LateReason, c.OverrideVersion, c.Visits)
	return err
}

// queueAudit queues the append of an entry to the audit log. The log is append-only (the database
// refuses updates and deletes): an entry already there is added to again, to be checked with
// sameAudit once the batch has run. An entry without the case as it was before takes the case
// after the entry before it.
func queueAudit(b *pgx.Batch, caseID string, e AuditEntry, again *[]AuditEntry) {
	b.Queue(`
		insert into audit_log (case_id, seq, at, actor, action, reason, before, after, post)
		values ($1, $2, $3, $4, $5, $6,
			coalesce($7, (select a.after from audit_log a where a.case_id = $1 and a.seq < $2 order by a.seq desc limit 1)),
			$8, $9)
		on conflict (case_id, seq) do nothing`,
		caseID, e.Seq, e.At, e.Actor, e.Action, e.Reason, nullJSON(e.Before), nullJSON(e.After), e.Post).
		Exec(func(tag pgconn.CommandTag) error {
			if tag.RowsAffected() == 0 {
				*again = append(*again, e)
			}
			return nil
		})
}

// sameAudit accepts an entry the audit log already has only when it is the same entry.
func sameAudit(ctx context.Context, tx pgx.Tx, caseID string, e AuditEntry) error {
	var same bool
	if err := tx.QueryRow(ctx, `
		select (at, actor, action, reason, after) is not distinct from ($3::timestamptz, $4, $5, $6, $7::jsonb)
		from audit_log where case_id = $1 and seq = $2`,
		caseID, e.Seq, e.At, e.Actor, e.Action, e.Reason, nullJSON(e.After)).Scan(&same); err != nil {
		return err
	}
	if !same {
		return fmt.Errorf("store: audit log of case %s already has a different event %d: two histories for one case", caseID, e.Seq)
	}
	return nil
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
	err := s.keyed.QueryRow(ctx, `
		select id::text, number, matter, status, step, level, org_unit, received_by, channel, subject,
			resident_name, data, procedure_key, procedure_version, created_by, received_at, updated_at,
			outcome, overdue, due_at, escalations, supervision, evaluation, links, outcome_kind, on_spot,
			clocks, registered_at, late_reason, procedure_override, copies, findings, visits, conferences, residents
		from cases where `+caseKey(idOrNumber)+` = $1`, idOrNumber).
		Scan(&c.ID, &c.Number, &c.Matter, &c.Status, &c.Step, &c.Level, &c.OrgUnit, &c.ReceivedBy, &c.Channel,
			&c.Subject, &c.ResidentName, &data, &c.ProcedureKey, &c.ProcedureVersion, &c.CreatedBy,
			&c.ReceivedAt, &c.UpdatedAt, &c.Outcome, &c.Overdue, &c.DueAt, &c.Escalations, &c.Supervision,
			&c.Evaluation, &c.Links, &c.OutcomeKind, &c.OnSpot, &c.Clocks, &c.RegisteredAt, &c.LateReason, &c.OverrideVersion, &c.Copies, &c.Findings, &c.Visits, &c.Conferences, &c.Residents)
	if err != nil {
		return c, interpret(err, "case "+idOrNumber)
	}
	c.ReceivedAt, c.UpdatedAt = c.ReceivedAt.In(definitions.Shanghai), c.UpdatedAt.In(definitions.Shanghai)
	if err := json.Unmarshal(data, &c.Data); err != nil {
		return c, fmt.Errorf("store: case %s data: %w", c.ID, err)
	}
	return c, nil
}

// CaseSoon is Case for a reader that may come right after the case's registration through
// another API node: a case whose number or id is reserved (its registration has begun) but whose
// row the read model does not hold yet is waited for, up to wait. It is then an EUnavailable
// (try again shortly) rather than a not-found, which would tell the clerk that the case she has
// just registered does not exist.
func (s *Store) CaseSoon(ctx context.Context, idOrNumber string, wait time.Duration) (onedoor.Case, error) {
	c, err := s.Case(ctx, idOrNumber)
	if onedoor.ErrorCode(err) != onedoor.ENotFound {
		return c, err
	}
	var id string
	if rerr := s.keyed.QueryRow(ctx, `select case_id::text from case_numbers where `+reservedKey(idOrNumber)+` = $1`,
		idOrNumber).Scan(&id); rerr == pgx.ErrNoRows {
		return c, err // no registration has begun: not found
	} else if rerr != nil {
		return c, rerr
	}
	wctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	if err := s.WaitMirrored(wctx, id, 1); err != nil && ctx.Err() == nil && wctx.Err() == nil {
		return c, interpret(err, "case "+idOrNumber)
	}
	c, err = s.Case(ctx, id)
	if onedoor.ErrorCode(err) == onedoor.ENotFound {
		return c, onedoor.Errorf(onedoor.EUnavailable, "case %s is being registered: try again in a few seconds", idOrNumber)
	}
	return c, err
}

// reservedKey is the column of case_numbers that ref names.
func reservedKey(ref string) string {
	if caseKey(ref) == "id" {
		return "case_id"
	}
	return "number"
}

// Audit reads a case's audit log in order.
func (s *Store) Audit(ctx context.Context, caseID string) ([]AuditEntry, error) {
	rows, err := s.keyed.Query(ctx, `
		select seq, at, actor, post, action, reason, coalesce(before, 'null'::jsonb), coalesce(after, 'null'::jsonb)
		from audit_log where case_id = $1 order by seq`, caseID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (AuditEntry, error) {
		var e AuditEntry
		var before, after []byte
		err := r.Scan(&e.Seq, &e.At, &e.Actor, &e.Post, &e.Action, &e.Reason, &before, &after)
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

// CaseIDs are the ids of every case of the read model, in id order.
func (s *Store) CaseIDs(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, `select id::text from cases order by id`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// CaseSeq is the event of its workflow the read model of a case is at.
func (s *Store) CaseSeq(ctx context.Context, caseID string) (int64, error) {
	var seq int64
	err := s.keyed.QueryRow(ctx, `select seq from cases where id = $1`, caseID).Scan(&seq)
	return seq, interpret(err, "case "+caseID)
}

// AuditSeqs are the event numbers in a case's audit log, in order.
func (s *Store) AuditSeqs(ctx context.Context, caseID string) ([]int64, error) {
	rows, err := s.pool.Query(ctx, `select seq from audit_log where case_id = $1 order by seq`, caseID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// Repair overwrites the read model of a case with its workflow's state at event seq, whatever
// the read model holds: the row is created when missing, tasks the workflow does not have go.
// The audit log is not touched: it is append-only.
func (s *Store) Repair(ctx context.Context, c onedoor.Case, tasks []onedoor.Task, seq int64) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := insertCase(ctx, tx, c, seq); err != nil {
			return err
		}
		var writes pgx.Batch
		if err := queueCase(&writes, c, seq, true); err != nil {
			return err
		}
		ids := make([]string, len(tasks))
		for i, t := range tasks {
			ids[i] = t.ID
		}
		writes.Queue(`delete from tasks where case_id = $1 and id <> all($2)`, c.ID, ids)
		writes.Queue(`update tasks set seq = 0 where case_id = $1`, c.ID)
		if err := queueTasks(&writes, c.ID, tasks, seq); err != nil {
			return err
		}
		return tx.SendBatch(ctx, &writes).Close()
	})
	return interpret(err, "case "+c.ID)
}
