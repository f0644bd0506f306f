package store

import (
	"context"
	"fmt"
	"math"
	"slices"
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
	// The board walks tasks_board (level, department, due_at, case_id, id over the running open
	// tasks, with org_unit and name): its groups are each level found in it (a skip scan) with
	// each department or none; a group's count is one range of the index and its first tasks the
	// range's first entries, both read from the index alone. Only the listed cases are read.
	switch {
	case f.Scope.All:
	case f.Scope.Department != "":
		q.where("t.department = " + q.arg(f.Scope.Department))
		if len(f.Scope.Units) > 0 {
			q.where(q.fence("t.case_id", f.Scope.Units))
		}
	case len(f.Scope.Units) > 0:
		q.where("t.org_unit = any(" + q.arg(f.Scope.Units) + ")")
	default:
		return []BoardGroup{}, nil
	}
	per := f.PerGroup
	if per <= 0 {
		per = 20
	}
	where := q.sql()
	// An overdue board counts the tasks due before this week from board_counts
	// (043_board_counts.sql) in the scope's rows of it; a department's tasks in a subtree are
	// counted from the tasks. The counting statement's arguments come after the board's (cq): the
	// list's statement does not take them, and PostgreSQL refuses an argument left unused.
	cq := query{args: slices.Clone(q.args)}
	var weekStart, weeks string
	counted := f.Kind == BoardOverdue && !(f.Scope.Department != "" && len(f.Scope.Units) > 0)
	if counted {
		y, m, d := f.Now.In(definitions.Shanghai).Date()
		monday := time.Date(y, m, d, 0, 0, 0, 0, definitions.Shanghai)
		monday = monday.AddDate(0, 0, -(int(monday.Weekday())+6)%7)
		weekStart = cq.arg(monday)
		switch {
		case f.Scope.All:
		case f.Scope.Department != "":
			weeks = " and b.department = " + cq.arg(f.Scope.Department)
		default:
			weeks = " and b.org_unit = any(" + cq.arg(f.Scope.Units) + ")"
		}
	}
	type key struct{ level, department string } // department "": the unit's own tasks
	type row struct {
		group BoardGroup
		item  BoardItem
	}
	counts := map[key]int{}
	var list []row
	// Two statements on the pool, no transaction: under read committed each saw its own snapshot
	// inside one too. The planner's estimates for these index walks are far above what they
	// cost; the sessions do not compile them (jit = off, store.Open, unless DATABASE_URL asks).
	err := func() error {
		// The groups and their counts first; a task of no department is in the group of none (null),
		// and two branches keep both exact index ranges.
		countWhere := where
		if counted {
			countWhere += " and t.due_at >= " + weekStart
		}
		countSQL := `
			with recursive levels (level) as (
				select min(t.level) from tasks t where t.status = 'open' and not t.suspended
				union all
				select (select min(t.level) from tasks t where t.status = 'open' and not t.suspended and t.level > l.level)
				from levels l where l.level is not null
			)
			select l.level, d.department, n.n
			from levels l
			cross join unnest(array[null] || array(select code from departments)) d (department)
			cross join lateral (
				select (select count(*) from tasks t where ` + countWhere + ` and t.level = l.level and t.department is null and d.department is null)
					+ (select count(*) from tasks t where ` + countWhere + ` and t.level = l.level and t.department = d.department) as n
			) n
			where l.level is not null`
		if len(f.Scope.Units) > 0 && !f.Scope.All {
			// A subtree's tasks are fewer than the board index's ranges it would filter: they are
			// counted from the units' queue index instead.
			countSQL = `select t.level, t.department, count(*) from tasks t where ` + countWhere + ` group by 1, 2`
		}
		if counted {
			// The weeks before this one from board_counts, this week's overdue tasks from the index.
			countSQL = `
				select level, department, sum(n)::bigint from (
					select b.level, nullif(b.department, '') as department, sum(b.n) as n from board_counts b
					where b.due_week < board_week(` + weekStart + `)` + weeks + `
					group by 1, 2
					union all
					select * from (` + countSQL + `) this_week
				) x group by 1, 2`
		}
		rows, err := s.pool.Query(ctx, countSQL, cq.args...)
		if err != nil {
			return err
		}
		var levels []string
		var depts []*string
		var level string
		var dept *string
		var n int
		if _, err := pgx.ForEachRow(rows, []any{&level, &dept, &n}, func() error {
			if n == 0 {
				return nil
			}
			k := key{level: level}
			if dept != nil {
				k.department = *dept
			}
			counts[k] = n
			levels, depts = append(levels, level), append(depts, dept)
			return nil
		}); err != nil {
			return err
		}
		if len(levels) == 0 {
			return nil
		}
		// Then the first tasks of each group, and their cases one by one by key. The group of no
		// department orders by department too (null in all its rows): "is null" is no equality to
		// the planner, which otherwise sorted the whole range (55,000 overdue tasks of a level at
		// 6.3 million cases) instead of reading its first entries off tasks_board in order.
		rows, err = s.pool.Query(ctx, `
			select g.level, coalesce(g.department, ''), 0, c.id::text, c.number, c.matter, c.subject, x.id, x.name, x.org_unit, x.due_at
			from unnest(`+q.arg(levels)+`::text[], `+q.arg(depts)+`::text[]) g (level, department)
			cross join lateral (
				(select t.case_id, t.id, t.name, coalesce(t.org_unit, '') as org_unit, t.due_at from tasks t
				 where `+where+` and t.level = g.level and t.department is null and g.department is null
				 order by t.department, t.due_at, t.case_id, t.id limit `+q.arg(per)+`)
				union all
				(select t.case_id, t.id, t.name, coalesce(t.org_unit, '') as org_unit, t.due_at from tasks t
				 where `+where+` and t.level = g.level and t.department = g.department
				 order by t.due_at, t.case_id, t.id limit `+q.arg(per)+`)
			) x
			cross join lateral (select c.id, c.number, c.matter, c.subject from cases c where c.id = x.case_id offset 0) c
			order by array_position(array['group', 'village', 'town', 'banner', 'government'], g.level), coalesce(g.department, ''),
				x.due_at, x.case_id, x.id`, q.args...)
		if err != nil {
			return err
		}
		list, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
			var x row
			err := r.Scan(&x.group.Level, &x.group.Department, &x.group.Count, &x.item.CaseID, &x.item.CaseNumber,
				&x.item.Matter, &x.item.Subject, &x.item.TaskID, &x.item.TaskName, &x.item.OrgUnit, &x.item.DueAt)
			return x, err
		})
		return err
	}()
	if err != nil {
		return nil, err
	}
	groups := []BoardGroup{}
	for _, x := range list {
		if len(groups) == 0 || groups[len(groups)-1].Level != x.group.Level || groups[len(groups)-1].Department != x.group.Department {
			groups = append(groups, BoardGroup{Level: x.group.Level, Department: x.group.Department, Items: []BoardItem{}})
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
		g.Count = counts[key{string(g.Level), g.Department}]
	}
	return groups, nil
}

// UrgeResult is what an urge did to one case: the org units notified, or why none was.
type UrgeResult struct {
	CaseID   string   `json:"case_id"`
	Number   string   `json:"number"`
	Notified []string `json:"notified" doc:"Org units whose holders were notified."`
	Skipped  string   `json:"skipped,omitempty" doc:"Why the case was not urged (it has no open task the supervisor may urge)."`
}

// Urge sends a supervision notice (督办) about each case to the org units holding its open tasks
// (the case's unit for a department's task), as notifications of kind 'supervision' with a
// negative seq of their own. Cases are given by id. When units is not nil, only holders among
// them are notified: a supervisor urges the units of their own subtree, never those above it.
func (s *Store) Urge(ctx context.Context, caseIDs, units []string, sender, message string, now time.Time) ([]UrgeResult, error) {
	results := make([]UrgeResult, 0, len(caseIDs))
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		results = results[:0]
		for _, id := range caseIDs {
			res := UrgeResult{CaseID: id, Notified: []string{}}
			rows, err := tx.Query(ctx, `
				select c.number, coalesce(t.org_unit, c.org_unit), min(t.id), min(coalesce(nullif(t.role, ''), 'clerk'))
				from cases c join tasks t on t.case_id = c.id and t.status = 'open'
				where c.id = $1 and ($2::text[] is null or coalesce(t.org_unit, c.org_unit) = any($2))
				group by c.number, coalesce(t.org_unit, c.org_unit)
				order by 2`, id, units)
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
				res.Skipped = "the case has no open task held by a unit you may urge"
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
	// ID orders the notifications as they were written; the event stream resumes after one.
	ID int64 `json:"id"`
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

// ok also bounds N by the int column it is compared with.
func (c *notificationCursor) ok() bool {
	return !c.At.IsZero() && isUUID(c.Case) && c.N >= math.MinInt32 && c.N <= math.MaxInt32
}

// Addressee is whose notifications to read: those addressed to an org unit, or to a department
// when Department is set, of the cases held or received by the Fence's units when it is set (the
// county of a department's staff on a platform of many counties); and those addressed to User
// alone, which nobody else reads.
type Addressee struct {
	OrgUnit    string
	Department string
	Fence      []string
	User       string
}

// where adds the condition that a notification (alias x) is the addressee's.
func (a Addressee) where(q *query) {
	var ours string
	if a.Department != "" {
		ours = "x.department = " + q.arg(a.Department)
		if len(a.Fence) > 0 {
			ours += " and " + q.fence("x.case_id", a.Fence)
		}
	} else {
		ours = "x.org_unit = " + q.arg(a.OrgUnit)
	}
	q.where(fmt.Sprintf("((x.user_id is null and %s) or x.user_id = %s)", ours, q.arg(a.User)))
}

// NotificationsPage is one page of the addressee's notifications, newest first.
func (s *Store) NotificationsPage(ctx context.Context, to Addressee, cursor string, n int) (Page[NotificationItem], error) {
	var page Page[NotificationItem]
	q := &query{}
	to.where(q)
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
		select x.id, coalesce(x.org_unit, ''), coalesce(x.department, ''), x.role, coalesce(x.user_id, ''), x.kind, x.case_id::text, x.task_id, x.message, x.at, c.number, x.sender, x.seq, x.n
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
		err := r.Scan(&x.item.ID, &x.item.OrgUnit, &x.item.Department, &x.item.Role, &x.item.User, &x.item.Kind, &x.item.CaseID, &x.item.TaskID, &x.item.Message,
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
