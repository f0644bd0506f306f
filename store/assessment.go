package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// The assessment (考评) of the units and stationed departments that hold tasks: what each
// handled in a period, how much of it on time, what it left overdue and how the residents rated
// the cases it worked on. It is what a center's yearly review of stationed staff rests on.

// Holder is whoever held a task: a department (stationed at the unit), or a unit's own staff.
type Holder struct {
	OrgUnit    string `json:"org_unit,omitempty"`
	Department string `json:"department,omitempty"`
}

// StepTally counts the tasks of one holder finished in a period through one outcome of one step
// of one procedure version: the caller knows from the procedure which outcomes move a case up.
type StepTally struct {
	Holder
	ProcedureKey     string
	ProcedureVersion int
	Step, Outcome    string
	Handled, OnTime  int
}

// HolderFigures are a holder's figures that do not depend on the procedure: tasks open and
// overdue now, and the residents' evaluations of the cases it finished a task of.
type HolderFigures struct {
	Holder
	OverdueOpen int
	Evaluations int
	RatingSum   int
	// Findings are the accountability findings (督办查究) recorded in the period that hold it
	// responsible.
	Findings int
}

// AssessmentTallies reads the tasks finished in [from, to) by the holders in the scope (tasks held
// at its units; a department's, at the units of its county) by holder, procedure version, step
// and outcome; and, per holder, its open overdue tasks and the evaluations given in the period of
// the cases it finished tasks of.
func (s *Store) AssessmentTallies(ctx context.Context, sc Scope, from, to time.Time) ([]StepTally, []HolderFigures, error) {
	var q query
	q.where(`t.status = 'done'`)
	q.where(`t.closed_at >= ` + q.arg(from) + ` and t.closed_at < ` + q.arg(to))
	q.scopeTasks(sc)
	rows, err := s.pool.Query(ctx, `
		select coalesce(t.org_unit, ''), coalesce(t.department, ''), c.procedure_key, c.procedure_version, t.step, t.outcome,
			count(*), count(*) filter (where t.due_at is null or t.closed_at <= t.due_at)
		from tasks t join cases c on c.id = t.case_id where `+q.sql()+`
		group by 1, 2, 3, 4, 5, 6 order by 1, 2, 3, 4, 5, 6`, q.args...)
	if err != nil {
		return nil, nil, err
	}
	tallies, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (StepTally, error) {
		var t StepTally
		err := r.Scan(&t.OrgUnit, &t.Department, &t.ProcedureKey, &t.ProcedureVersion, &t.Step, &t.Outcome, &t.Handled, &t.OnTime)
		return t, err
	})
	if err != nil {
		return nil, nil, err
	}

	var o query
	o.scopeTasks(sc)
	from1, to1 := o.arg(from), o.arg(to)
	rows, err = s.pool.Query(ctx, `
		with held as (
			select coalesce(t.org_unit, '') as org_unit, coalesce(t.department, '') as department, t.case_id, t.status, t.overdue
			from tasks t join cases c on c.id = t.case_id where `+o.sql()+`
		), overdue as (
			select org_unit, department, count(*) as n from held where status = 'open' and overdue group by 1, 2
		), rated as (
			select h.org_unit, h.department, count(*) as n, sum((c.evaluation->>'rating')::int) as total
			from (select distinct org_unit, department, case_id from held where status = 'done') h
			join cases c on c.id = h.case_id
			where c.evaluation is not null
				and (c.evaluation->>'at')::timestamptz >= `+from1+` and (c.evaluation->>'at')::timestamptz < `+to1+`
			group by 1, 2
		)
		select coalesce(x.org_unit, r.org_unit), coalesce(x.department, r.department), coalesce(x.n, 0), coalesce(r.n, 0), coalesce(r.total, 0)
		from overdue x full join rated r on r.org_unit = x.org_unit and r.department = x.department
		order by 1, 2`, o.args...)
	if err != nil {
		return nil, nil, err
	}
	figures, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (HolderFigures, error) {
		var f HolderFigures
		err := r.Scan(&f.OrgUnit, &f.Department, &f.OverdueOpen, &f.Evaluations, &f.RatingSum)
		return f, err
	})
	if err != nil {
		return nil, nil, err
	}
	found, err := s.findingTallies(ctx, sc, from, to)
	if err != nil {
		return nil, nil, err
	}
	for i := range figures {
		figures[i].Findings += found[figures[i].Holder]
		delete(found, figures[i].Holder)
	}
	for h, n := range found {
		figures = append(figures, HolderFigures{Holder: h, Findings: n})
	}
	return tallies, figures, nil
}

// findingTallies counts the findings recorded in [from, to) by the holder they hold responsible:
// an org unit; or a department, stationed at the unit of the task the finding is on (at none
// when the finding is on a supervision order or a task of another holder). The scope is the
// tasks' (scopeTasks): a unit of it, a department at a unit of it.
func (s *Store) findingTallies(ctx context.Context, sc Scope, from, to time.Time) (map[Holder]int, error) {
	var q query
	q.where(`(f->>'at')::timestamptz >= ` + q.arg(from) + ` and (f->>'at')::timestamptz < ` + q.arg(to))
	switch {
	case sc.All:
	case sc.Department != "":
		q.where(`f->>'department' = ` + q.arg(sc.Department))
	default:
		q.where(`coalesce(f->>'org_unit', t.org_unit, c.org_unit) = any(` + q.arg(sc.Units) + `)`)
	}
	rows, err := s.pool.Query(ctx, `
		select case when f ? 'department' then coalesce(t.org_unit, '') else f->>'org_unit' end,
			coalesce(f->>'department', ''), count(*)
		from cases c cross join lateral jsonb_array_elements(c.findings) f
		left join tasks t on t.case_id = c.id and t.id = f->>'task' and t.department = f->>'department'
		where c.findings <> '[]' and `+q.sql()+`
		group by 1, 2`, q.args...)
	if err != nil {
		return nil, err
	}
	out := map[Holder]int{}
	var h Holder
	var n int
	_, err = pgx.ForEachRow(rows, []any{&h.OrgUnit, &h.Department, &n}, func() error {
		out[h] += n
		return nil
	})
	return out, err
}

// scopeTasks keeps the tasks (t, of the case c) a scope sees held: those at its units, a
// department's at the units of its county (or everywhere, when it names none).
func (q *query) scopeTasks(sc Scope) {
	switch {
	case sc.All:
	case sc.Department != "":
		q.where(`t.department = ` + q.arg(sc.Department))
		if len(sc.Units) > 0 {
			q.where(`t.org_unit = any(` + q.arg(sc.Units) + `)`)
		}
	default:
		q.where(`t.org_unit = any(` + q.arg(sc.Units) + `)`)
	}
}
