package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/notice"
)

// Outbox message statuses.
const (
	NoticePending = "pending" // not yet delivered; the relay or its workflow is trying
	NoticeSent    = "sent"    // an attempt delivered it
	NoticeFailed  = "failed"  // every attempt failed, or the receiver refused it for good
)

// writeNotices writes to the outbox the notices the event sends, keyed by case, event and place:
// a repeated mirror of the event writes none again. before is the case's status before the event
// (none for its first).
func writeNotices(ctx context.Context, tx pgx.Tx, e Event, before onedoor.Status, tasks []onedoor.Task, publicURL string) error {
	names := &txNames{ctx: ctx, tx: tx, units: map[string]string{}, departments: map[string]string{}}
	ev := notice.Event{
		First: e.Entry.Seq == 1, Before: before, Case: e.Case, Notifications: e.Notifications, Tasks: tasks,
		PublicURL: publicURL,
	}
	if notice.WantsRatingLink(ev) {
		// The result notice carries a rating link of its own, issued below with the message.
		ev.RatingToken = NewRatingToken()
	}
	drafts := notice.Triggered(ev, names)
	if names.err != nil {
		return names.err
	}
	for n, d := range drafts {
		vars, err := json.Marshal(d.Vars)
		if err != nil {
			return err
		}
		var due *time.Time
		if e.Relay {
			due = &e.Entry.At
		}
		tag, err := tx.Exec(ctx, `
			insert into outbox (id, case_id, seq, n, template, channel, recipient, vars, created_at, next_attempt_at)
			values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict (case_id, seq, n) do nothing`,
			uuid.New(), e.Case.ID, e.Entry.Seq, n, d.Key, d.Channel, d.Recipient, vars, e.Entry.At, due)
		if err != nil {
			return err
		}
		// The link is issued with the message that carries it, once: a repeated mirror of the
		// event writes no message, so it must not replace the link the first one sent.
		if d.Key == notice.Result && d.Vars["RateURL"] != "" && tag.RowsAffected() == 1 {
			if err := issueRatingLink(ctx, tx, e.Case.ID, RatingTokenHash(ev.RatingToken), "system", e.Entry.At.Add(notice.RatingWindow)); err != nil {
				return err
			}
		}
	}
	return nil
}

// txNames looks names up inside the mirror's transaction, once each.
type txNames struct {
	ctx                context.Context
	tx                 pgx.Tx
	units, departments map[string]string
	err                error
}

func (n *txNames) lookup(cache map[string]string, table, code string) string {
	if code == "" {
		return ""
	}
	if name, ok := cache[code]; ok {
		return name
	}
	name := code
	err := n.tx.QueryRow(n.ctx, `select name from `+table+` where code = $1`, code).Scan(&name)
	if err != nil && err != pgx.ErrNoRows && n.err == nil {
		n.err = err
	}
	cache[code] = name
	return name
}

func (n *txNames) Unit(code string) string { return n.lookup(n.units, "org_units", code) }
func (n *txNames) Department(code string) string {
	return n.lookup(n.departments, "departments", code)
}

// PendingNotices are the outbox messages of one event of a case not yet delivered nor failed,
// in their order: one workflow sends them (activities.NoticesWorkflowID).
type PendingNotices struct {
	CaseID string
	Seq    int64
	IDs    []string
}

// queuePendingNotices queues the read of the events' outbox messages not yet delivered nor
// failed, by event, into pending.
func queuePendingNotices(b *pgx.Batch, caseID string, events []Event, pending *[]PendingNotices) {
	var seqs []int64
	for _, e := range events {
		if e.Notify && !e.Relay {
			seqs = append(seqs, e.Entry.Seq)
		}
	}
	if len(seqs) == 0 {
		return
	}
	b.Queue(`select seq, array_agg(id::text order by n) from outbox
		where case_id = $1 and seq = any($2) and status = 'pending' group by seq order by seq`, caseID, seqs).
		Query(func(rows pgx.Rows) error {
			var err error
			*pending, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (PendingNotices, error) {
				p := PendingNotices{CaseID: caseID}
				return p, row.Scan(&p.Seq, &p.IDs)
			})
			return err
		})
}

// OutboxMessage is an outbox message with its attempts.
type OutboxMessage struct {
	ID         string            `json:"id" doc:"The message's id; adapters send it as Idempotency-Key so a receiver can drop a repeat."`
	CaseID     string            `json:"case_id"`
	CaseNumber string            `json:"case_number"`
	Seq        int64             `json:"seq" doc:"The case event that sent it."`
	Template   notice.Key        `json:"template" enum:"acceptance,result,due_soon,overdue,escalation" doc:"The kind of notice (its template's key)."`
	Channel    string            `json:"channel" enum:"sms,webhook"`
	Recipient  string            `json:"recipient" doc:"The resident's phone number, masked (138****8000), or the org unit or department and role of staff (galutu/supervisor)."`
	Body       string            `json:"body,omitempty" doc:"The text sent, rendered at the first attempt; absent before it."`
	Status     string            `json:"status" enum:"pending,sent,failed" doc:"pending while attempts go on, sent once one delivered it, failed when every attempt failed or the receiver refused it."`
	Attempts   []OutboxAttempt   `json:"attempts" doc:"Every attempt to send it, the first first."`
	LastError  string            `json:"last_error,omitempty"`
	CreatedAt  time.Time         `json:"created_at"`
	SentAt     *time.Time        `json:"sent_at,omitempty"`
	Vars       map[string]string `json:"-"`
}

// OutboxAttempt is one attempt to send a message.
type OutboxAttempt struct {
	Attempt    int        `json:"attempt" doc:"The attempt's number, from 1."`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at,omitempty" doc:"Absent while it runs, or when the worker stopped during it."`
	Error      string     `json:"error,omitempty" doc:"Why it failed; absent when it delivered the message."`
}

// NoticeFilter selects outbox messages: in the scope, of a status, channel or case, from a cursor.
type NoticeFilter struct {
	Scope   Scope
	Status  string
	Channel string
	CaseID  string
	Cursor  string
	Limit   int
}

type noticeCursor struct {
	At time.Time `json:"t"`
	ID string    `json:"i"`
}

func (c noticeCursor) ok() bool { return !c.At.IsZero() && uuid.Validate(c.ID) == nil }

// Notices lists outbox messages, newest first, with their attempts; a case's messages are in the
// scope when the case is.
func (s *Store) Notices(ctx context.Context, f NoticeFilter) (Page[OutboxMessage], error) {
	var q query
	q.scopeCases(f.Scope)
	if f.Status != "" {
		q.where("o.status = " + q.arg(f.Status))
	}
	if f.Channel != "" {
		q.where("o.channel = " + q.arg(f.Channel))
	}
	if f.CaseID != "" {
		q.where("o.case_id = " + q.arg(f.CaseID))
	}
	if f.Cursor != "" {
		var c noticeCursor
		if err := decodeCursor(f.Cursor, &c); err != nil {
			return Page[OutboxMessage]{}, err
		}
		q.where(fmt.Sprintf("(o.created_at, o.id) < (%s, %s)", q.arg(c.At), q.arg(c.ID)))
	}
	limit := min(max(f.Limit, 1), MaxLimit)
	rows, err := s.pool.Query(ctx, `
		select o.id::text, o.case_id::text, c.number, o.seq, o.template, o.channel, o.recipient, coalesce(o.body, ''),
			o.status, o.last_error, o.created_at, o.sent_at
		from outbox o join cases c on c.id = o.case_id
		where `+q.sql()+`
		order by o.created_at desc, o.id desc limit `+q.arg(limit+1), q.args...)
	if err != nil {
		return Page[OutboxMessage]{}, err
	}
	items, err := pgx.CollectRows(rows, scanNotice)
	if err != nil {
		return Page[OutboxMessage]{}, err
	}
	var page Page[OutboxMessage]
	if len(items) > limit {
		items = items[:limit]
		last := items[limit-1]
		page.Next = encodeCursor(noticeCursor{At: last.CreatedAt, ID: last.ID})
	}
	if err := s.attachAttempts(ctx, items); err != nil {
		return page, err
	}
	page.Items = items
	return page, nil
}

func scanNotice(row pgx.CollectableRow) (OutboxMessage, error) {
	var n OutboxMessage
	err := row.Scan(&n.ID, &n.CaseID, &n.CaseNumber, &n.Seq, &n.Template, &n.Channel, &n.Recipient, &n.Body,
		&n.Status, &n.LastError, &n.CreatedAt, &n.SentAt)
	n.Attempts = []OutboxAttempt{}
	return n, err
}

func (s *Store) attachAttempts(ctx context.Context, items []OutboxMessage) error {
	if len(items) == 0 {
		return nil
	}
	ids := make([]string, len(items))
	at := make(map[string]int, len(items))
	for i, n := range items {
		ids[i], at[n.ID] = n.ID, i
	}
	rows, err := s.pool.Query(ctx, `
		select message_id::text, attempt, started_at, finished_at, error from outbox_attempts
		where message_id = any($1::uuid[]) order by message_id, attempt`, ids)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var a OutboxAttempt
		if err := rows.Scan(&id, &a.Attempt, &a.StartedAt, &a.FinishedAt, &a.Error); err != nil {
			return err
		}
		items[at[id]].Attempts = append(items[at[id]].Attempts, a)
	}
	return rows.Err()
}

// NoticeToSend is an outbox message as its sender needs it: the whole recipient, the
// variables, and the text if an earlier attempt rendered it.
func (s *Store) NoticeToSend(ctx context.Context, id string) (OutboxMessage, error) {
	var n OutboxMessage
	var vars []byte
	err := s.keyed.QueryRow(ctx, `
		select o.id::text, o.case_id::text, c.number, o.template, o.channel, o.recipient, coalesce(o.body, ''), o.status, o.vars
		from outbox o join cases c on c.id = o.case_id where o.id = $1`, id).
		Scan(&n.ID, &n.CaseID, &n.CaseNumber, &n.Template, &n.Channel, &n.Recipient, &n.Body, &n.Status, &vars)
	if err != nil {
		return n, interpret(err, "outbox message "+id)
	}
	return n, json.Unmarshal(vars, &n.Vars)
}

// KeepNoticeBodies keeps the text rendered for each message (bodies, by message id) unless an
// earlier attempt kept one, and returns the texts kept, by id: every attempt sends the same text,
// whatever the template becomes.
func (s *Store) KeepNoticeBodies(ctx context.Context, bodies map[string]string) (map[string]string, error) {
	ids, texts := make([]string, 0, len(bodies)), make([]string, 0, len(bodies))
	for id, text := range bodies {
		ids, texts = append(ids, id), append(texts, text)
	}
	rows, err := s.keyed.Query(ctx, `
		update outbox o set body = coalesce(o.body, b.body)
		from unnest($1::uuid[], $2::text[]) as b(id, body)
		where o.id = b.id
		returning o.id::text, o.body`, ids, texts)
	if err != nil {
		return nil, interpret(err, "outbox")
	}
	kept := make(map[string]string, len(bodies))
	var id, body string
	_, err = pgx.ForEachRow(rows, []any{&id, &body}, func() error {
		kept[id] = body
		return nil
	})
	return kept, interpret(err, "outbox")
}

// StartNoticeAttempt records that attempt number attempt of a message has begun.
func (s *Store) StartNoticeAttempt(ctx context.Context, id string, attempt int, at time.Time) error {
	return pgx.BeginFunc(ctx, s.keyed, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
			insert into outbox_attempts (message_id, attempt, started_at) values ($1, $2, $3)
			on conflict (message_id, attempt) do nothing`, id, attempt, at); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `update outbox set attempts = greatest(attempts, $2) where id = $1`, id, attempt)
		return err
	})
}

// AttemptEnd is how an attempt at a message ended: delivered (Error empty) or why not, and
// whether the message is then failed for good (Final).
type AttemptEnd struct {
	ID      string
	Attempt int
	At      time.Time
	Error   string
	Final   bool
	// RetryAt, when set, is when the relay tries again a message whose attempt failed, not for good.
	RetryAt time.Time
}

// FinishNoticeAttempts records how attempts ended, in one transaction: a delivered message is
// sent; a failed attempt leaves it pending (due again at RetryAt, when set), or failed when final.
func (s *Store) FinishNoticeAttempts(ctx context.Context, ends []AttemptEnd) error {
	if len(ends) == 0 {
		return nil
	}
	var b pgx.Batch
	for _, e := range ends {
		b.Queue(`update outbox_attempts set finished_at = $3, error = $4 where message_id = $1 and attempt = $2`,
			e.ID, e.Attempt, e.At, e.Error)
		switch {
		case e.Error == "":
			b.Queue(`update outbox set status = 'sent', sent_at = $2, last_error = '' where id = $1`, e.ID, e.At)
		case e.Final:
			b.Queue(`update outbox set status = 'failed', last_error = $2 where id = $1 and status = 'pending'`, e.ID, e.Error)
		default:
			retry := &e.RetryAt
			if e.RetryAt.IsZero() {
				retry = nil
			}
			b.Queue(`update outbox set last_error = $2, next_attempt_at = coalesce($3, next_attempt_at)
				where id = $1 and status = 'pending'`, e.ID, e.Error, retry)
		}
	}
	err := pgx.BeginFunc(ctx, s.keyed, func(tx pgx.Tx) error { return tx.SendBatch(ctx, &b).Close() })
	return interpret(err, "outbox")
}

// FailNotice marks a message failed once its sending has given up, unless an attempt delivered it.
func (s *Store) FailNotice(ctx context.Context, id, reason string) error {
	_, err := s.keyed.Exec(ctx, `update outbox set status = 'failed', last_error = case when last_error = '' then $2 else last_error end
		where id = $1 and status = 'pending'`, id, reason)
	return err
}

// NoticeTemplate is a kind of notice with its template as it is now.
type NoticeTemplate struct {
	notice.Kind
	Body      string     `json:"body" doc:"The template (Go text/template): {{.CaseNumber}} and the kind's other variables."`
	Edited    bool       `json:"edited" doc:"An administrator has edited it; otherwise it is the default text."`
	UpdatedBy string     `json:"updated_by,omitempty"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

// NoticeTemplates are every kind of notice with its template.
func (s *Store) NoticeTemplates(ctx context.Context) ([]NoticeTemplate, error) {
	rows, err := s.keyed.Query(ctx, `select key, body, updated_by, updated_at from notice_templates`)
	if err != nil {
		return nil, err
	}
	type row struct {
		Key       string
		Body      string
		UpdatedBy string
		UpdatedAt time.Time
	}
	edited, err := pgx.CollectRows(rows, pgx.RowToStructByPos[row])
	if err != nil {
		return nil, err
	}
	out := make([]NoticeTemplate, len(notice.Kinds))
	for i, k := range notice.Kinds {
		out[i] = NoticeTemplate{Kind: k, Body: k.Default}
		for _, r := range edited {
			if r.Key == string(k.Key) {
				at := r.UpdatedAt
				out[i].Body, out[i].Edited, out[i].UpdatedBy, out[i].UpdatedAt = r.Body, true, r.UpdatedBy, &at
			}
		}
	}
	return out, nil
}

// NoticeTemplateOf is the kind of notice with the key and its template.
func (s *Store) NoticeTemplateOf(ctx context.Context, key notice.Key) (NoticeTemplate, error) {
	all, err := s.NoticeTemplates(ctx)
	if err != nil {
		return NoticeTemplate{}, err
	}
	for _, t := range all {
		if t.Key == key {
			return t, nil
		}
	}
	return NoticeTemplate{}, onedoor.Errorf(onedoor.ENotFound, "no notice template %s", key)
}

// SaveNoticeTemplate checks and saves an administrator's template for the kind of notice.
func (s *Store) SaveNoticeTemplate(ctx context.Context, key notice.Key, body, by string, at time.Time) (NoticeTemplate, error) {
	if err := notice.Check(key, body); err != nil {
		return NoticeTemplate{}, err
	}
	if _, err := s.pool.Exec(ctx, `
		insert into notice_templates (key, body, updated_by, updated_at) values ($1, $2, $3, $4)
		on conflict (key) do update set body = excluded.body, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		key, body, by, at); err != nil {
		return NoticeTemplate{}, err
	}
	return s.NoticeTemplateOf(ctx, key)
}

// outboxWritten wakes this process's relay (OutboxWritten), at most one wake pending.
func (s *Store) outboxWritten() {
	select {
	case s.written <- struct{}{}:
	default:
	}
}

// OutboxWritten receives when this process's mirror has written messages for the relay, so that
// it sends them at once rather than at its next poll. Messages written by other processes, and
// retries, are found by polling.
func (s *Store) OutboxWritten() <-chan struct{} { return s.written }

// ClaimedNotice is an outbox message the relay has claimed, as its sender needs it (NoticeToSend),
// with the number of the attempt the claim began.
type ClaimedNotice struct {
	OutboxMessage
	Attempt int
}

// ClaimNotices claims up to limit messages due for the relay, the longest due first, pushes their
// next attempt a lease ahead and records that their next attempt began at at, in one statement: a
// relay that dies while sending one leaves it to be claimed again once the lease ends; two relays
// never claim the same message at once (skip locked).
func (s *Store) ClaimNotices(ctx context.Context, limit int, lease time.Duration, at time.Time) ([]ClaimedNotice, error) {
	rows, err := s.keyed.Query(ctx, `
		with due as (
			select id from outbox where status = 'pending' and next_attempt_at <= now()
			order by next_attempt_at limit $1 for update skip locked
		), claimed as (
			update outbox o set next_attempt_at = now() + $2, attempts = o.attempts + 1
			from due where o.id = due.id
			returning o.id, o.case_id, o.template, o.channel, o.recipient, o.body, o.vars, o.attempts
		), started as (
			insert into outbox_attempts (message_id, attempt, started_at)
			select id, attempts, $3 from claimed
			on conflict (message_id, attempt) do nothing
		)
		select m.id::text, m.case_id::text, c.number, m.template, m.channel, m.recipient, coalesce(m.body, ''), m.vars, m.attempts
		from claimed m join cases c on c.id = m.case_id`, limit, lease, at)
	if err != nil {
		return nil, interpret(err, "outbox")
	}
	claimed, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (ClaimedNotice, error) {
		c := ClaimedNotice{OutboxMessage: OutboxMessage{Status: NoticePending}}
		var vars []byte
		if err := row.Scan(&c.ID, &c.CaseID, &c.CaseNumber, &c.Template, &c.Channel, &c.Recipient, &c.Body, &vars, &c.Attempt); err != nil {
			return c, err
		}
		return c, json.Unmarshal(vars, &c.Vars)
	})
	return claimed, interpret(err, "outbox")
}
