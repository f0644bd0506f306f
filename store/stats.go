package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/onedoor/onedoor/definitions"
)

// StatsFilter selects the cases a statistic counts: those received in [From, To) in the scope,
// optionally of one matter, received at one level, received by a unit of a subtree (OrgUnits), or
// that have or had a task for a department. A scope of units counts the cases they received.
type StatsFilter struct {
	Scope      Scope
	From, To   time.Time
	Matter     string
	Level      string
	OrgUnits   []string
	Department string
}

// Stats are the figures of a period; docs/api.md defines each. Rates are fractions (0..1), 0
// when their denominator is 0.
type Stats struct {
	Received             int     `json:"received" doc:"Matters received in the period."`
	Accepted             int     `json:"accepted" doc:"Of those, accepted (受理) or handled on the spot."`
	FirstVisit           int     `json:"first_visit" doc:"Handled on the spot at the first visit (首访首办)."`
	FirstVisitRate       float64 `json:"first_visit_rate" doc:"first_visit / received."`
	Mediated             int     `json:"mediated" doc:"Mediation cases whose mediation concluded (agreement, oral agreement, failure, or settled on the spot)."`
	MediationSucceeded   int     `json:"mediation_succeeded" doc:"Of those, with an agreement or settled on the spot."`
	MediationSuccessRate float64 `json:"mediation_success_rate" doc:"mediation_succeeded / mediated."`
	Escalated            int     `json:"escalated" doc:"Cases that moved up the chain at least once."`
	Overdue              int     `json:"overdue" doc:"Cases that missed the law's deadline: one of their statutory periods ran out, or, for a procedure without statutory periods, they were ever past a deadline."`
	OverdueRate          float64 `json:"overdue_rate" doc:"overdue / received."`
	Closed               int     `json:"closed" doc:"Cases closed (so far)."`
	AvgHandlingWorkdays  float64 `json:"avg_handling_workdays" doc:"Mean working days from receipt to closing over closed cases, the receiving day not counted."`
	Repeated             int     `json:"repeated" doc:"Cases the resident came to more than once (重复访): a visit recorded on them while open, or registered as the repeated visit of an earlier case."`
	RepeatedRate         float64 `json:"repeated_rate" doc:"repeated / received."`
	GroupMatters         int     `json:"group_matters" doc:"Matters several residents brought together (集体访): more than one resident named on the case, or five people or more on its form (people >= 5)."`
	GroupMattersRate     float64 `json:"group_matters_rate" doc:"group_matters / received."`
}

// Stats counts the figures of the cases the filter selects. Working days follow cal: each case's
// handling time is the number of working days after the day it was received up to and including
// the day it closed (both days in Asia/Shanghai).
//
// The whole months of the period are read from case_stats_monthly (a row per month and group),
// its other whole days from case_stats_daily and the parts of days at its ends from case_facts.
// They carry working days counted by the database's
// calendar (workday_exceptions); when cal disagrees with it about a day that may count, or when
// two departments are asked for, the figures are counted from case_facts alone, case by case.
func (s *Store) Stats(ctx context.Context, f StatsFilter, cal *definitions.Calendar) (Stats, error) {
	var st Stats
	depts, ok := f.departments()
	if !ok {
		return st, nil
	}
	agrees, err := s.calendarAgrees(ctx, cal, definitions.DateOf(f.From).AddDays(-1),
		latest(definitions.DateOf(f.To), definitions.DateOf(s.Clock())).AddDays(366))
	if err != nil {
		return st, err
	}
	var n [9]int
	if agrees && len(depts) <= 1 {
		n, err = s.statsFromRollup(ctx, f, depts)
	} else {
		n, err = s.statsByCase(ctx, f, depts, cal)
	}
	if err != nil {
		return st, err
	}
	st.Received, st.Accepted, st.FirstVisit, st.Mediated, st.MediationSucceeded = n[0], n[1], n[2], n[3], n[4]
	st.Escalated, st.Overdue, st.Closed = n[5], n[6], n[7]
	if st.Closed > 0 {
		st.AvgHandlingWorkdays = float64(n[8]) / float64(st.Closed)
	}
	st.FirstVisitRate = ratio(st.FirstVisit, st.Received)
	st.MediationSuccessRate = ratio(st.MediationSucceeded, st.Mediated)
	st.OverdueRate = ratio(st.Overdue, st.Received)
	if st.Repeated, err = s.countReceived(ctx, f, depts, repeatedCases); err != nil {
		return st, err
	}
	st.RepeatedRate = ratio(st.Repeated, st.Received)
	if st.GroupMatters, err = s.countReceived(ctx, f, depts, groupMatters); err != nil {
		return st, err
	}
	st.GroupMattersRate = ratio(st.GroupMatters, st.Received)
	return st, nil
}

// departments are the departments the filter's cases must have had a task for: the scope's
// (a stationed department's staff see its cases) and the one asked for. ok is false when
// the filter can select no case: a scope of nothing, or an empty period.
func (f StatsFilter) departments() (depts []string, ok bool) {
	switch {
	case f.Scope.All:
	case f.Scope.Department != "":
		depts = append(depts, f.Scope.Department)
	case len(f.Scope.Units) > 0:
	default:
		return nil, false
	}
	if f.Department != "" && !slices.Contains(depts, f.Department) {
		depts = append(depts, f.Department)
	}
	return depts, f.From.Before(f.To)
}

// The conditions of the few cases that countReceived counts, each the predicate of a partial
// index on cases (received_at): migrations 028 and 034 spell them the same way, so that the
// planner uses the index.
const (
	// repeatedCases: the resident came more than once (重复访).
	repeatedCases = "c.visits > 1"
	// groupMatters: several residents brought the matter together (集体访). A comparison of
	// jsonb values never fails on a form whose people is not a number.
	groupMatters = "(c.residents <> '[]'::jsonb or c.data->'people' >= '5'::jsonb)"
)

// countReceived counts the cases received in the filter's period that it selects and that meet
// cond (repeatedCases, groupMatters): few, found by cond's partial index, then filtered on
// their facts.
func (s *Store) countReceived(ctx context.Context, f StatsFilter, depts []string, cond string) (int, error) {
	q := factsFilter(f, depts)
	q.where(cond)
	q.where("c.received_at >= " + q.arg(f.From))
	q.where("c.received_at < " + q.arg(f.To))
	var n int
	err := s.pool.QueryRow(ctx, `select count(*) from cases c join case_facts x on x.case_id = c.id where `+q.sql(), q.args...).Scan(&n)
	return n, err
}

// factsFilter is a query with the filter's conditions but the period on case_facts (alias x),
// and the cases' departments.
func factsFilter(f StatsFilter, depts []string) *query {
	q := &query{}
	statsFilter(q, f)
	if len(depts) > 0 {
		q.where("x.departments @> " + q.arg(depts))
	}
	return q
}

// statsFilter adds the filter's conditions but the period and departments on the columns of
// case_facts or case_stats_daily (alias x), which share their names.
func statsFilter(q *query, f StatsFilter) {
	if len(f.Scope.Units) > 0 && !f.Scope.All {
		q.where("x.received_by = any(" + q.arg(f.Scope.Units) + ")")
	}
	if f.Matter != "" {
		q.where("x.matter = " + q.arg(f.Matter))
	}
	if f.Level != "" {
		q.where("x.received_level = " + q.arg(f.Level))
	}
	if len(f.OrgUnits) > 0 {
		q.where("x.received_by = any(" + q.arg(f.OrgUnits) + ")")
	}
}

// statsFromRollup sums the figures (the eight counts and the working days of the closed cases)
// of the whole months of the period from case_stats_monthly, of its other whole days from
// case_stats_daily, and of the parts of days at its ends from case_facts.
func (s *Store) statsFromRollup(ctx context.Context, f StatsFilter, depts []string) ([9]int, error) {
	var n [9]int
	// [first, end): the whole days within [From, To).
	first := definitions.DateOf(f.From)
	if !first.Start().Equal(f.From) {
		first = first.AddDays(1)
	}
	end := definitions.DateOf(f.To)
	// One list of arguments for both parts; the filter's conditions are shared.
	q := &query{}
	statsFilter(q, f)
	common := q.conds
	dept := ""
	if len(depts) == 1 {
		dept = depts[0]
	}
	var parts []string
	rollup := func(table string, from, to definitions.Date) {
		conds := append(slices.Clone(common), "x.department = "+q.arg(dept),
			"x.day >= "+q.arg(from.String())+"::date", "x.day < "+q.arg(to.String())+"::date")
		parts = append(parts, `
			select sum(x.received), sum(x.accepted), sum(x.first_visit), sum(x.mediated), sum(x.mediation_success),
				sum(x.escalated), sum(x.overdue), sum(x.closed), sum(x.workdays)::bigint
			from `+table+` x where `+strings.Join(conds, " and "))
	}
	facts := slices.Clone(common)
	if first.Before(end) {
		// [firstMonth, endMonth): the whole months within the whole days.
		firstMonth := definitions.NewDate(first.Year, first.Month, 1)
		if first.Day != 1 {
			firstMonth = definitions.NewDate(first.Year, first.Month+1, 1)
		}
		endMonth := definitions.NewDate(end.Year, end.Month, 1)
		if firstMonth.Before(endMonth) {
			rollup("case_stats_monthly", firstMonth, endMonth)
			if first.Before(firstMonth) {
				rollup("case_stats_daily", first, firstMonth)
			}
			if endMonth.Before(end) {
				rollup("case_stats_daily", endMonth, end)
			}
		} else {
			rollup("case_stats_daily", first, end)
		}
		facts = append(facts, fmt.Sprintf("(x.received_at >= %s and x.received_at < %s or x.received_at >= %s and x.received_at < %s)",
			q.arg(f.From), q.arg(first.Start()), q.arg(end.Start()), q.arg(f.To)))
	} else {
		facts = append(facts, "x.received_at >= "+q.arg(f.From), "x.received_at < "+q.arg(f.To))
	}
	if dept != "" {
		facts = append(facts, "x.departments @> array["+q.arg(dept)+"]")
	}
	parts = append(parts, `
		select count(*), count(*) filter (where x.accepted), count(*) filter (where x.first_visit),
			count(*) filter (where x.mediated), count(*) filter (where x.mediation_success),
			count(*) filter (where x.escalated), count(*) filter (where x.overdue),
			count(*) filter (where x.closed_at is not null), sum(x.workdays)
		from case_facts x where `+strings.Join(facts, " and "))
	rows, err := s.pool.Query(ctx, strings.Join(parts, " union all "), q.args...)
	if err != nil {
		return n, err
	}
	defer rows.Close()
	for rows.Next() {
		var v [9]*int64
		if err := rows.Scan(&v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8]); err != nil {
			return n, err
		}
		for i, x := range v {
			if x != nil {
				n[i] += int(*x)
			}
		}
	}
	return n, rows.Err()
}

// statsByCase counts the figures from case_facts, with working days counted by cal. The cases
// are grouped by the day received and, separately, by the day closed: the working days of a
// closed case are cum(closed day) - cum(received day), where cum counts the working days up to a
// day; their sum is a sum over the two groupings, so no per-case calendar join is needed.
func (s *Store) statsByCase(ctx context.Context, f StatsFilter, depts []string, cal *definitions.Calendar) ([9]int, error) {
	var n [9]int
	q := &query{}
	statsFilter(q, f)
	q.where("x.received_at >= " + q.arg(f.From))
	q.where("x.received_at < " + q.arg(f.To))
	if len(depts) > 0 {
		q.where("x.departments @> " + q.arg(depts))
	}
	where := q.sql()
	rows, err := s.pool.Query(ctx, `
		select true, x.received_day::text, count(*),
			count(*) filter (where x.accepted),
			count(*) filter (where x.first_visit),
			count(*) filter (where x.mediated),
			count(*) filter (where x.mediation_success),
			count(*) filter (where x.escalated),
			count(*) filter (where x.overdue),
			count(*) filter (where x.closed_at is not null)
		from case_facts x where `+where+`
		group by x.received_day
		union all
		select false, x.closed_day::text, count(*), 0, 0, 0, 0, 0, 0, 0
		from case_facts x where `+where+` and x.closed_day is not null
		group by x.closed_day`, q.args...)
	if err != nil {
		return n, err
	}
	type group struct {
		byReceived bool
		day        string
		n          [8]int
	}
	groups, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (group, error) {
		var g group
		err := r.Scan(&g.byReceived, &g.day, &g.n[0], &g.n[1], &g.n[2], &g.n[3], &g.n[4], &g.n[5], &g.n[6], &g.n[7])
		return g, err
	})
	if err != nil {
		return n, err
	}
	cum := workdayCounter(cal)
	for _, g := range groups {
		d, err := definitions.ParseDate(g.day)
		if err != nil {
			return n, err
		}
		if !g.byReceived {
			n[8] += g.n[0] * cum(d)
			continue
		}
		n[8] -= g.n[7] * cum(d)
		for i := range 8 {
			n[i] += g.n[i]
		}
	}
	return n, nil
}

// calendarAgrees reports whether cal counts the same working days as the database's calendar
// (Monday to Friday but workday_exceptions) on every day from first to last.
func (s *Store) calendarAgrees(ctx context.Context, cal *definitions.Calendar, first, last definitions.Date) (bool, error) {
	rows, err := s.pool.Query(ctx, `select day::text, workday from workday_exceptions where day between $1::date and $2::date order by day`,
		first.String(), last.String())
	if err != nil {
		return false, err
	}
	db := map[string]bool{}
	var day string
	var workday bool
	if _, err := pgx.ForEachRow(rows, []any{&day, &workday}, func() error {
		db[day] = workday
		return nil
	}); err != nil {
		return false, err
	}
	for d := first; !d.After(last); d = d.AddDays(1) {
		want := d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
		if w, ok := db[d.String()]; ok {
			want = w
		}
		if cal.IsWorkday(d) != want {
			return false, nil
		}
	}
	return true, nil
}

func latest(a, b definitions.Date) definitions.Date {
	if a.After(b) {
		return a
	}
	return b
}

// workdayCounter returns cum: the number of working days from an arbitrary origin up to and
// including a day, remembered as it goes.
func workdayCounter(cal *definitions.Calendar) func(definitions.Date) int {
	origin := definitions.NewDate(2000, time.January, 1)
	counts := map[definitions.Date]int{}
	last, n := origin, 0
	return func(d definitions.Date) int {
		if c, ok := counts[d]; ok {
			return c
		}
		if d.Start().Before(origin.Start()) {
			return 0
		}
		for last.Start().Before(d.Start()) {
			last = last.AddDays(1)
			if cal.IsWorkday(last) {
				n++
			}
			counts[last] = n
		}
		return counts[d]
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
