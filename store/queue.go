package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// Queue statuses: which open tasks a queue shows.
const (
	QueueOpen      = "open"      // every open task
	QueueSuspended = "suspended" // open tasks whose deadline is suspended
	QueueClaimed   = "claimed"   // open tasks someone claimed
	QueueUnclaimed = "unclaimed" // open tasks nobody claimed
	QueueDelegated = "delegated" // open tasks delegated to the user (委派给我的)
)

// QueueFilter selects a user's queue: the open tasks held by the user's org unit, those of the
// user's department, those the user claimed and those delegated to the user.
type QueueFilter struct {
	UserID     string
	OrgUnit    string
	Department string
	// Fence, when set, keeps the department's tasks to the cases held or received by these
	// units: the county of department staff on a platform of many counties.
	Fence []string
	// More are the holders of the user's further posts, whose tasks the queue joins.
	More      []QueueHolder
	Matter    string
	Status    string
	DueBefore *time.Time
	Overdue   *bool
	Cursor    string
	Limit     int
}

// QueueHolder is who holds tasks in one post of a user: an org unit, or a department fenced to
// the cases of some units.
type QueueHolder struct {
	OrgUnit    string
	Department string
	Fence      []string
}

// QueueItem is an open task in a queue with what the clerk needs to pick it: its case's number,
// matter, subject and resident, and who claimed it.
type QueueItem struct {
	CaseID       string             `json:"case_id"`
	CaseNumber   string             `json:"case_number"`
	Matter       definitions.Matter `json:"matter"`
	Subject      string             `json:"subject"`
	ResidentName string             `json:"resident_name"`
	Task         onedoor.Task       `json:"task"`
	ClaimedBy    string             `json:"claimed_by,omitempty"`
	ClaimedAt    *time.Time         `json:"claimed_at,omitempty"`
	// Post is, for a user of several posts, the post the task is theirs in.
	Post string `json:"post,omitempty" doc:"For a user of several posts: the post the task is theirs in (send it as the OneDoor-Post header to act)."`
}

// queueCursor is the position after a task in queue order: due date (none last), case, task.
type queueCursor struct {
	Due  *time.Time `json:"d"`
	Case string     `json:"c"`
	Task string     `json:"t"`
}

func (c *queueCursor) ok() bool { return isUUID(c.Case) && c.Task != "" && isText(c.Task) }

// dueKey is the sort key of a due date: infinity when there is none.
func dueKey(t *time.Time) pgtype.Timestamptz {
	if t == nil {
		return pgtype.Timestamptz{InfinityModifier: pgtype.Infinity, Valid: true}
	}
	return pgtype.Timestamptz{Time: *t, Valid: true}
}

// Queue is one page of a user's queue, earliest due first (tasks without a due date last).
// Each source of tasks (unit, department, claims) is read in index order up to the page size,
// and the union of those is cut to the page.
func (s *Store) Queue(ctx context.Context, f QueueFilter) (Page[QueueItem], error) {
	var page Page[QueueItem]
	var cur queueCursor
	if f.Cursor != "" {
		if err := decodeCursor(f.Cursor, &cur); err != nil {
			return page, err
		}
	}
	n := limit(f.Limit)
	q := &query{}
	var filters query
	filters.where("t.status = 'open'")
	if f.Matter != "" {
		filters.where("c.matter = " + q.arg(f.Matter))
	}
	switch f.Status {
	case QueueSuspended:
		filters.where("t.suspended")
	case QueueClaimed:
		filters.where("cl.user_id is not null")
	case QueueUnclaimed:
		filters.where("cl.user_id is null")
	case QueueDelegated:
		filters.where("t.detail->>'delegate' = " + q.arg(f.UserID))
	}
	if f.DueBefore != nil {
		filters.where("t.due_at < " + q.arg(*f.DueBefore))
	}
	if f.Overdue != nil {
		filters.where("t.overdue = " + q.arg(*f.Overdue))
	}
	if f.Cursor != "" {
		filters.where(fmt.Sprintf("(coalesce(t.due_at, 'infinity'::timestamptz), t.case_id, t.id) > (%s, %s::uuid, %s)",
			q.arg(dueKey(cur.Due)), q.arg(cur.Case), q.arg(cur.Task)))
	}
	branch := func(cond string) string {
		return fmt.Sprintf(`(select t.case_id, t.id, coalesce(t.due_at, 'infinity'::timestamptz) as k
			from tasks t join cases c on c.id = t.case_id
			left join task_claims cl on cl.case_id = t.case_id and cl.task_id = t.id
			where %s and %s
			order by k, t.case_id, t.id limit %d)`, cond, filters.sql(), n+1)
	}
	user := q.arg(f.UserID)
	// The user's claims, and the tasks delegated to the user (委派), which the migration 013
	// indexes.
	branches := []string{branch("cl.user_id = " + user), branch("t.detail->>'delegate' = " + user)}
	for _, h := range append([]QueueHolder{{OrgUnit: f.OrgUnit, Department: f.Department, Fence: f.Fence}}, f.More...) {
		if h.OrgUnit != "" {
			branches = append(branches, branch("t.org_unit = "+q.arg(h.OrgUnit)))
		}
		if h.Department != "" {
			cond := "t.department = " + q.arg(h.Department)
			if len(h.Fence) > 0 {
				u := q.arg(h.Fence)
				cond += fmt.Sprintf(" and (c.org_unit = any(%s) or c.received_by = any(%s))", u, u)
			}
			branches = append(branches, branch(cond))
		}
	}
	union := branches[0]
	for _, b := range branches[1:] {
		union += " union " + b
	}
	rows, err := s.pool.Query(ctx, `
		select t.detail, c.number, c.matter, c.subject, c.resident_name, coalesce(cl.user_id, ''), cl.claimed_at, c.id::text
		from (select * from (`+union+`) u order by k, case_id, id limit `+fmt.Sprint(n+1)+`) q
		join tasks t on t.case_id = q.case_id and t.id = q.id
		join cases c on c.id = q.case_id
		left join task_claims cl on cl.case_id = q.case_id and cl.task_id = q.id
		order by q.k, q.case_id, q.id`, q.args...)
	if err != nil {
		return page, err
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (QueueItem, error) {
		var it QueueItem
		err := r.Scan(&it.Task, &it.CaseNumber, &it.Matter, &it.Subject, &it.ResidentName, &it.ClaimedBy, &it.ClaimedAt, &it.CaseID)
		return it, err
	})
	if err != nil {
		return page, err
	}
	if len(items) > n {
		items = items[:n]
		last := items[n-1]
		page.Next = encodeCursor(queueCursor{Due: last.Task.DueAt, Case: last.CaseID, Task: last.Task.ID})
	}
	page.Items = items
	return page, nil
}

// Claim takes an open task of the user's queue: one held by the user's org unit or by the
// user's department. Claiming one's own claim again changes nothing; a task claimed by someone
// else is a conflict, and so are a task that is not open and another unit's or department's task.
func (s *Store) Claim(ctx context.Context, caseID, taskID string, u onedoor.User, now time.Time) error {
	var holder string
	err := s.pool.QueryRow(ctx, `
		with ins as (
			insert into task_claims (case_id, task_id, user_id, claimed_at)
			select case_id, id, $3, $4 from tasks
			where case_id = $1 and id = $2 and status = 'open' and (org_unit = nullif($5, '') or department = nullif($6, ''))
			on conflict (case_id, task_id) do nothing
			returning user_id
		)
		select user_id from ins
		union all
		select user_id from task_claims where case_id = $1 and task_id = $2
		limit 1`, caseID, taskID, u.ID, now, u.OrgUnit, u.Department).Scan(&holder)
	if errors.Is(err, pgx.ErrNoRows) {
		return s.taskNotClaimable(ctx, caseID, taskID)
	}
	if err != nil {
		return interpret(err, "task "+taskID)
	}
	if holder != u.ID {
		return onedoor.Errorf(onedoor.EConflict, "task %s is claimed by %s", taskID, holder)
	}
	return nil
}

// Release gives a claimed task back to its unit's queue. Only the claimant releases it unless
// anyone is set (a supervisor's release); releasing an unclaimed task changes nothing.
func (s *Store) Release(ctx context.Context, caseID, taskID, userID string, anyone bool) error {
	tag, err := s.pool.Exec(ctx, `delete from task_claims where case_id = $1 and task_id = $2 and (user_id = $3 or $4)`,
		caseID, taskID, userID, anyone)
	if err != nil || tag.RowsAffected() > 0 {
		return err
	}
	var holder string
	err = s.pool.QueryRow(ctx, `select user_id from task_claims where case_id = $1 and task_id = $2`, caseID, taskID).Scan(&holder)
	if errors.Is(err, pgx.ErrNoRows) {
		var exists bool
		if err := s.pool.QueryRow(ctx, `select exists (select 1 from tasks where case_id = $1 and id = $2)`, caseID, taskID).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return onedoor.Errorf(onedoor.ENotFound, "task %s not found", taskID)
		}
		return nil
	}
	if err != nil {
		return err
	}
	return onedoor.Errorf(onedoor.EConflict, "task %s is claimed by %s, not by you", taskID, holder)
}

// taskNotClaimable is the error of claiming a task that does not exist, is finished, or is not
// in the claimant's queue.
func (s *Store) taskNotClaimable(ctx context.Context, caseID, taskID string) error {
	var status, unit, dept string
	err := s.pool.QueryRow(ctx, `select status, coalesce(org_unit, ''), coalesce(department, '') from tasks where case_id = $1 and id = $2`,
		caseID, taskID).Scan(&status, &unit, &dept)
	if err != nil {
		return interpret(err, "task "+taskID)
	}
	if status != "open" {
		return onedoor.Errorf(onedoor.EConflict, "task %s is %s, not open", taskID, status)
	}
	return onedoor.Errorf(onedoor.EConflict, "task %s is %s, not in your queue: claim the tasks of your own org unit or department", taskID, holderOf(unit, dept))
}

// holderOf names who holds a task: its department, or its org unit.
func holderOf(unit, dept string) string {
	if dept != "" {
		return "held by department " + dept
	}
	return "held by org unit " + unit
}

// Claim is a user's claim of an open task.
type Claim struct {
	Task   string
	UserID string
}

// OpenClaims are the claims of a case's open tasks.
func (s *Store) OpenClaims(ctx context.Context, caseID string) ([]Claim, error) {
	rows, err := s.pool.Query(ctx, `
		select cl.task_id, cl.user_id from task_claims cl join tasks t on t.case_id = cl.case_id and t.id = cl.task_id
		where cl.case_id = $1 and t.status = 'open' order by cl.task_id`, caseID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Claim])
}

// ClaimFor claims a task on a user's behalf (a supervisor's reassignment, 转办), replacing any
// claim of it. The task's row is written first from tasks, the workflow's answer, in case the
// read model has not caught up with it yet.
func (s *Store) ClaimFor(ctx context.Context, caseID, taskID string, tasks []onedoor.Task, userID string, now time.Time) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var exists bool
		if err := tx.QueryRow(ctx, `select exists (select 1 from tasks where case_id = $1 and id = $2)`, caseID, taskID).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			for _, t := range tasks {
				if t.ID == taskID {
					// seq 0: the mirror's next write of the task replaces it.
					var write pgx.Batch
					if err := queueTasks(&write, caseID, []onedoor.Task{t}, 0); err != nil {
						return err
					}
					if err := tx.SendBatch(ctx, &write).Close(); err != nil {
						return err
					}
				}
			}
		}
		_, err := tx.Exec(ctx, `
			insert into task_claims (case_id, task_id, user_id, claimed_at) values ($1, $2, $3, $4)
			on conflict (case_id, task_id) do update set user_id = excluded.user_id, claimed_at = excluded.claimed_at`,
			caseID, taskID, userID, now)
		return interpret(err, "task "+taskID)
	})
}

// DoneItem is a task a user completed (已办), with its case as it stands now.
type DoneItem struct {
	CaseID     string             `json:"case_id"`
	CaseNumber string             `json:"case_number"`
	Matter     definitions.Matter `json:"matter"`
	Subject    string             `json:"subject"`
	CaseStatus onedoor.Status     `json:"case_status" doc:"Where the case stands now: open or closed."`
	CaseStep   string             `json:"case_step,omitempty" doc:"The case's current step, while it is open."`
	Task       onedoor.Task       `json:"task"`
}

// doneCursor is the position after a task in the done list: closed newest first, case, task.
type doneCursor struct {
	At   time.Time `json:"a"`
	Case string    `json:"c"`
	Task string    `json:"t"`
}

func (c *doneCursor) ok() bool {
	return !c.At.IsZero() && isUUID(c.Case) && c.Task != "" && isText(c.Task)
}

// DoneTasks is one page of the tasks a user completed, most recently completed first.
func (s *Store) DoneTasks(ctx context.Context, userID, cursor string, pageSize int) (Page[DoneItem], error) {
	var page Page[DoneItem]
	n := limit(pageSize)
	q := &query{}
	q.where("t.status = 'done'")
	q.where("t.detail->>'closed_by' = " + q.arg(userID))
	if cursor != "" {
		var cur doneCursor
		if err := decodeCursor(cursor, &cur); err != nil {
			return page, err
		}
		q.where(fmt.Sprintf("(t.closed_at, t.case_id, t.id) < (%s, %s::uuid, %s)", q.arg(cur.At), q.arg(cur.Case), q.arg(cur.Task)))
	}
	rows, err := s.pool.Query(ctx, `
		select c.id::text, c.number, c.matter, c.subject, c.status, c.step, t.detail
		from tasks t join cases c on c.id = t.case_id
		where `+q.sql()+fmt.Sprintf(` order by t.closed_at desc, t.case_id desc, t.id desc limit %d`, n+1), q.args...)
	if err != nil {
		return page, err
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DoneItem, error) {
		var it DoneItem
		err := r.Scan(&it.CaseID, &it.CaseNumber, &it.Matter, &it.Subject, &it.CaseStatus, &it.CaseStep, &it.Task)
		return it, err
	})
	if err != nil {
		return page, err
	}
	if len(items) > n {
		items = items[:n]
		last := items[n-1]
		page.Next = encodeCursor(doneCursor{At: *last.Task.ClosedAt, Case: last.CaseID, Task: last.Task.ID})
	}
	page.Items = items
	return page, nil
}
