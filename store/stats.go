package store

import (
	"context"
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
	Overdue              int     `json:"overdue" doc:"Cases that were ever past a deadline."`
	OverdueRate          float64 `json:"overdue_rate" doc:"overdue / received."`
	Closed               int     `json:"closed" doc:"Cases closed (so far)."`
	AvgHandlingWorkdays  float64 `json:"avg_handling_workdays" doc:"Mean working days from receipt to closing over closed cases, the receiving day not counted."`
}

// Stats counts the figures of the cases the filter selects. Working days follow cal: each case's
// handling time is the number of working days after the day it was received up to and including
// the day it closed (both days in Asia/Shanghai).
func (s *Store) Stats(ctx context.Context, f StatsFilter, cal *definitions.Calendar) (Stats, error) {
	var st Stats
	q := &query{}
	q.where("f.received_at >= " + q.arg(f.From))
	q.where("f.received_at < " + q.arg(f.To))
	switch {
	case f.Scope.All:
	case len(f.Scope.Units) > 0:
		q.where("f.received_by = any(" + q.arg(f.Scope.Units) + ")")
	case f.Scope.Department != "":
		q.where("exists (select 1 from tasks dt where dt.case_id = f.case_id and dt.department = " + q.arg(f.Scope.Department) + ")")
	default:
		q.where("false")
	}
	if f.Matter != "" {
		q.where("f.matter = " + q.arg(f.Matter))
	}
	if f.Level != "" {
		q.where("f.received_level = " + q.arg(f.Level))
	}
	if len(f.OrgUnits) > 0 {
		q.where("f.received_by = any(" + q.arg(f.OrgUnits) + ")")
	}
	if f.Department != "" {
		q.where("exists (select 1 from tasks dt where dt.case_id = f.case_id and dt.department = " + q.arg(f.Department) + ")")
	}
	// Grouped by the day received and, separately, by the day closed. The working days of a
	// closed case are cum(closed day) - cum(received day), where cum counts the working days up
	// to a day; their sum is a sum over the two groupings, so no per-case calendar join is needed.
	where := q.sql()
	rows, err := s.pool.Query(ctx, `
		select true, f.received_day, count(*),
			count(*) filter (where f.accepted),
			count(*) filter (where f.first_visit),
			count(*) filter (where f.mediated),
			count(*) filter (where f.mediation_success),
			count(*) filter (where f.escalated),
			count(*) filter (where f.overdue),
			count(*) filter (where f.closed_at is not null)
		from case_facts f where `+where+`
		group by f.received_day
		union all
		select false, f.closed_day, count(*), 0, 0, 0, 0, 0, 0, 0
		from case_facts f where `+where+` and f.closed_day is not null
		group by f.closed_day`, q.args...)
	if err != nil {
		return st, err
	}
	type group struct {
		byReceived bool
		day        time.Time
		n          [8]int
	}
	groups, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (group, error) {
		var g group
		var day *time.Time
		err := r.Scan(&g.byReceived, &day, &g.n[0], &g.n[1], &g.n[2], &g.n[3], &g.n[4], &g.n[5], &g.n[6], &g.n[7])
		if day != nil {
			g.day = *day
		}
		return g, err
	})
	if err != nil {
		return st, err
	}
	cum := workdayCounter(cal)
	var workdays int
	for _, g := range groups {
		d := definitions.NewDate(g.day.Year(), g.day.Month(), g.day.Day())
		if !g.byReceived {
			workdays += g.n[0] * cum(d)
			continue
		}
		workdays -= g.n[7] * cum(d)
		st.Received += g.n[0]
		st.Accepted += g.n[1]
		st.FirstVisit += g.n[2]
		st.Mediated += g.n[3]
		st.MediationSucceeded += g.n[4]
		st.Escalated += g.n[5]
		st.Overdue += g.n[6]
		st.Closed += g.n[7]
	}
	if st.Closed > 0 {
		st.AvgHandlingWorkdays = float64(workdays) / float64(st.Closed)
	}
	st.FirstVisitRate = ratio(st.FirstVisit, st.Received)
	st.MediationSuccessRate = ratio(st.MediationSucceeded, st.Mediated)
	st.OverdueRate = ratio(st.Overdue, st.Received)
	return st, nil
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
