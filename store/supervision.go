package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// Board kinds: which open tasks a supervision board shows.
const (
	BoardOverdue = "overdue"  // past their due date
	BoardDueSoon = "due_soon" // due within the board's window
)

// BoardFilter selects a supervision board: the open, running (not suspended) tasks in scope that
// are overdue at Now, or due between Now and Now+Within. A scope of units takes the tasks held by
// those units; a department's, the tasks held by the department.
type BoardFilter struct {
	Scope    Scope
	Kind     string
	Now      time.Time
	Within   time.Duration
	PerGroup int
}

// BoardItem is a task on the board. Late is how long it is past due in calendar time (negative:
// how long until it is due); LateDays counts started calendar days.
type BoardItem struct {
	CaseID     string             `json:"case_id"`
	CaseNumber string             `json:"case_number"`
	Matter     definitions.Matter `json:"matter"`
	Subject    string             `json:"subject"`
	TaskID     string             `json:"task_id"`
	TaskName   string             `json:"task_name"`
	OrgUnit    string             `json:"org_unit,omitempty"`
	DueAt      time.Time          `json:"due_at"`
	LateHours  float64            `json:"late_hours" doc:"Hours past due in calendar time; negative when not yet due."`
	LateDays   int                `json:"late_days" doc:"Calendar days past due, a started day counting as one; 0 when not yet due."`
}

// BoardGroup is the board's tasks of one level and one department (empty: held by the unit
// itself), most overdue first. Count is every such task; Items the first PerGroup of them.
type BoardGroup struct {
	Level      definitions.Level `json:"level"`
	Department string            `json:"department,omitempty"`
	Count      int               `json:"count"`
	Items      []BoardItem       `json:"items"`
}

// Board is a supervision board grouped by level (lowest first) and department.
func (s *Store) Board(ctx context.Context, f BoardFilter) ([]BoardGroup, error) {
	q := &query{}
	q.where("t.status = 'open'")
	q.where("not t.suspended")
	now := q.arg(f.Now)
	switch f.Kind {
	case BoardOverdue:
		q.where("t.due_at < " + now)
	case BoardDueSoon:
		q.where(fmt.Sprintf("t.due_at >= %s and t.due_at < %s", now, q.arg(f.Now.Add(f.Within))))
	default:
		return nil, onedoor.Errorf(onedoor.EInvalid, "unknown board %q", f.Kind)
	}
	// The board counts and ranks tasks alone and joins the cases of the listed ones only.
	switch {
	case f.Scope.All:
	case len(f.Scope.Units) > 0:
		q.where("t.org_unit = any(" + q.arg(f.Scope.Units) + ")")
	case f.Scope.Department != "":
		q.where("t.department = " + q.arg(f.Scope.Department))
	default:
		q.where("false")
	}
	per := f.PerGroup
	if per <= 0 {
		per = 20
	}
	rows, err := s.pool.Query(ctx, `
		select x.level, x.department, x.n, c.id::text, c.number, c.matter, c.subject, x.id, x.name, x.org_unit, x.due_at
		from (
			select t.level, coalesce(t.department, '') as department, t.case_id, t.id, t.name,
				coalesce(t.org_unit, '') as org_unit, t.due_at,
				count(*) over w as n, row_number() over (w order by t.due_at, t.case_id, t.id) as r
			from tasks t
			where `+q.sql()+`
			window w as (partition by t.level, coalesce(t.department, ''))
		) x
		join cases c on c.id = x.case_id
		where x.r <= `+q.arg(per)+`
		order by array_position(array['group', 'village', 'town', 'banner', 'government'], x.level), x.department, x.r`, q.args...)
	if err != nil {
		return nil, err
	}
	type row struct {
		group BoardGroup
		item  BoardItem
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		err := r.Scan(&x.group.Level, &x.group.Department, &x.group.Count, &x.item.CaseID, &x.item.CaseNumber,
			&x.item.Matter, &x.item.Subject, &x.item.TaskID, &x.item.TaskName, &x.item.OrgUnit, &x.item.DueAt)
		return x, err
	})
	if err != nil {
		return nil, err
	}
	groups := []BoardGroup{}
	for _, x := range list {
		if len(groups) == 0 || groups[len(groups)-1].Level != x.group.Level || groups[len(groups)-1].Department != x.group.Department {
			groups = append(groups, BoardGroup{Level: x.group.Level, Department: x.group.Department, Count: x.group.Count, Items: []BoardItem{}})
		}
		it := x.item
		it.DueAt = it.DueAt.In(definitions.Shanghai)
		late := f.Now.Sub(it.DueAt)
		it.LateHours = float64(late.Round(time.Minute)) / float64(time.Hour)
		if late > 0 {
			it.LateDays = int((late + 24*time.Hour - 1) / (24 * time.Hour))
		}
		g := &groups[len(groups)-1]
		g.Items = append(g.Items, it)
	}
	return groups, nil
}

// UrgeResult is what an urge did to one case: the org units notified, or why none was.
type UrgeResult struct {
	CaseID   string   `json:"case_id"`
	Number   string   `json:"number"`
	Notified []string `json:"notified" doc:"Org units whose holders were notified."`
	Skipped  string   `json:"skipped,omitempty" doc:"Why the case was not urged (it has no open task)."`
}

// Urge sends a supervision notice (督办) about each case to the org units holding its open tasks
// (the case's unit for a department's task), as notifications of kind 'supervision' with a
// negative seq of their own. Cases are given by id.
func (s *Store) Urge(ctx context.Context, caseIDs []string, sender, message string, now time.Time) ([]UrgeResult, error) {
	results := make([]UrgeResult, 0, len(caseIDs))
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		results = results[:0]
		for _, id := range caseIDs {
			res := UrgeResult{CaseID: id, Notified: []string{}}
			rows, err := tx.Query(ctx, `
				select c.number, coalesce(t.org_unit, c.org_unit), min(t.id), min(coalesce(nullif(t.role, ''), 'clerk'))
				from cases c join tasks t on t.case_id = c.id and t.status = 'open'
				where c.id = $1
				group by c.number, coalesce(t.org_unit, c.org_unit)
				order by 2`, id)
			if err != nil {
				return err
			}
			type holder struct{ number, unit, task, role string }
			holders, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (holder, error) {
				var h holder
				err := r.Scan(&h.number, &h.unit, &h.task, &h.role)
				return h, err
			})
			if err != nil {
				return err
			}
			if len(holders) == 0 {
				res.Skipped = "the case has no open task"
				if err := tx.QueryRow(ctx, `select number from cases where id = $1`, id).Scan(&res.Number); err != nil {
					return interpret(err, "case "+id)
				}
				results = append(results, res)
				continue
			}
			res.Number = holders[0].number
			var seq int64
			if err := tx.QueryRow(ctx, `select -nextval('urge_seq')`).Scan(&seq); err != nil {
				return err
			}
			for i, h := range holders {
				if _, err := tx.Exec(ctx, `
					insert into notifications (case_id, seq, n, org_unit, role, kind, task_id, message, at, sender)
					values ($1, $2, $3, $4, $5, 'supervision', $6, $7, $8, $9)`,
					id, seq, i, h.unit, h.role, h.task, message, now, sender); err != nil {
					return err
				}
				res.Notified = append(res.Notified, h.unit)
			}
			results = append(results, res)
		}
		return nil
	})
	return results, err
}

// NotificationItem is a notification with who sent it (a supervisor's urge) and when it was read.
type NotificationItem struct {
	onedoor.Notification
	Number string `json:"case_number"`
	Sender string `json:"sender,omitempty"`
}

type notificationCursor struct {
	At   time.Time `json:"a"`
	Case string    `json:"c"`
	Seq  int64     `json:"s"`
	N    int       `json:"n"`
}

// NotificationsPage is one page of the notifications addressed to an org unit, newest first.
func (s *Store) NotificationsPage(ctx context.Context, orgUnit, cursor string, n int) (Page[NotificationItem], error) {
	var page Page[NotificationItem]
	q := &query{}
	q.where("x.org_unit = " + q.arg(orgUnit))
	if cursor != "" {
		var cur notificationCursor
		if err := decodeCursor(cursor, &cur); err != nil {
			return page, err
		}
		q.where(fmt.Sprintf("(x.at < %s or (x.at = %s and (x.case_id, x.seq, x.n) > (%s::uuid, %s, %s)))",
			q.arg(cur.At), q.arg(cur.At), q.arg(cur.Case), q.arg(cur.Seq), q.arg(cur.N)))
	}
	n = limit(n)
	rows, err := s.pool.Query(ctx, `
		select x.org_unit, x.role, x.kind, x.case_id::text, x.task_id, x.message, x.at, c.number, x.sender, x.seq, x.n
		from notifications x join cases c on c.id = x.case_id
		where `+q.sql()+` order by x.at desc, x.case_id, x.seq, x.n limit `+q.arg(n+1), q.args...)
	if err != nil {
		return page, err
	}
	type row struct {
		item NotificationItem
		seq  int64
		n    int
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		err := r.Scan(&x.item.OrgUnit, &x.item.Role, &x.item.Kind, &x.item.CaseID, &x.item.TaskID, &x.item.Message,
			&x.item.At, &x.item.Number, &x.item.Sender, &x.seq, &x.n)
		x.item.At = x.item.At.In(definitions.Shanghai)
		return x, err
	})
	if err != nil {
		return page, err
	}
	if len(list) > n {
		list = list[:n]
		last := list[n-1]
		page.Next = encodeCursor(notificationCursor{At: last.item.At, Case: last.item.CaseID, Seq: last.seq, N: last.n})
	}
	page.Items = make([]NotificationItem, len(list))
	for i, x := range list {
		page.Items[i] = x.item
	}
	return page, nil
}
