package store_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/store"
)

func connect(t *testing.T) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, testenv.DatabaseURL(t))
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close(ctx) })
	return conn
}

// ownDatabase is a migrated database of the test's own, with the Wushen organisation, for cases
// that must not show in the other tests' queues.
func ownDatabase(t *testing.T, name string) (*store.Store, *pgx.Conn) {
	t.Helper()
	ctx := context.Background()
	url := testenv.EmptyDatabase(t, name)
	s, err := store.Open(ctx, url)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	_, _, err = s.Migrate(ctx)
	require.NoError(t, err)
	org, err := definitions.WushenOrg()
	require.NoError(t, err)
	require.NoError(t, s.SeedOrg(ctx, org))
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close(ctx) })
	return s, conn
}

// The database's calendar (workday_exceptions, workdays_between) is generated from the Go one:
// when a notice is added in definitions, this fails until a migration adds its days.
func TestWorkdayExceptionsMatchTheCalendar(t *testing.T) {
	t.Parallel()
	setup(t)
	conn := connect(t)
	ctx := context.Background()
	cal := definitions.NewCalendar()
	rows, err := conn.Query(ctx, `
		select d::date::text, workdays_between((d - interval '1 day')::date, d::date) = 1
		from generate_series(date '2000-01-02', date '2100-12-31', interval '1 day') d`)
	require.NoError(t, err)
	var day string
	var workday bool
	n := 0
	_, err = pgx.ForEachRow(rows, []any{&day, &workday}, func() error {
		d, err := definitions.ParseDate(day)
		require.NoError(t, err)
		require.Equal(t, cal.IsWorkday(d), workday, "%s", day)
		n++
		return nil
	})
	require.NoError(t, err)
	require.Greater(t, n, 36000)

	// Spans, both ways and across the calendar's origin, against a count day by day.
	count := func(a, b definitions.Date) int {
		origin := definitions.NewDate(2000, time.January, 1)
		cum := func(d definitions.Date) int {
			k := 0
			for x := origin.AddDays(1); !x.After(d); x = x.AddDays(1) {
				if cal.IsWorkday(x) {
					k++
				}
			}
			return k
		}
		return cum(b) - cum(a)
	}
	for _, p := range [][2]definitions.Date{
		{definitions.NewDate(2025, 1, 20), definitions.NewDate(2025, 2, 10)},
		{definitions.NewDate(2026, 10, 12), definitions.NewDate(2025, 12, 25)},
		{definitions.NewDate(1999, 12, 1), definitions.NewDate(2000, 1, 20)},
		{definitions.NewDate(2024, 12, 31), definitions.NewDate(2027, 1, 1)},
		{definitions.NewDate(2025, 5, 1), definitions.NewDate(2025, 5, 1)},
	} {
		var got int
		require.NoError(t, conn.QueryRow(ctx, `select workdays_between($1::date, $2::date)`, p[0].String(), p[1].String()).Scan(&got))
		require.Equal(t, count(p[0], p[1]), got, "%s..%s", p[0], p[1])
	}
}

// rollupMatchesFacts checks that case_stats_daily and case_stats_monthly hold exactly
// case_facts summed by their keys.
func rollupMatchesFacts(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	for _, grain := range []struct{ table, day string }{
		{"case_stats_daily", "f.received_day"},
		{"case_stats_monthly", "date_trunc('month', f.received_day)::date"},
	} {
		rollupMatches(t, conn, grain.table, grain.day)
	}
}

func rollupMatches(t *testing.T, conn *pgx.Conn, table, day string) {
	t.Helper()
	var diff int
	require.NoError(t, conn.QueryRow(context.Background(), `
		with want as (
			select d.department, `+day+` as day, f.matter, f.received_by, f.received_level,
				count(*)::int as received, count(*) filter (where f.accepted)::int as accepted,
				count(*) filter (where f.first_visit)::int as first_visit, count(*) filter (where f.mediated)::int as mediated,
				count(*) filter (where f.mediation_success)::int as mediation_success,
				count(*) filter (where f.escalated)::int as escalated, count(*) filter (where f.overdue)::int as overdue,
				count(*) filter (where f.closed_at is not null)::int as closed, coalesce(sum(f.workdays), 0)::bigint as workdays
			from case_facts f cross join lateral unnest(array[''] || f.departments) d (department)
			group by 1, 2, 3, 4, 5
		), have as (
			select department, day, matter, received_by, received_level, received, accepted, first_visit, mediated,
				mediation_success, escalated, overdue, closed, workdays
			from `+table+`
			where (received, accepted, first_visit, mediated, mediation_success, escalated, overdue, closed, workdays)
				<> (0, 0, 0, 0, 0, 0, 0, 0, 0)
		)
		select (select count(*) from (select * from want except all select * from have) a)
			+ (select count(*) from (select * from have except all select * from want) b)`).Scan(&diff))
	require.Zero(t, diff, "%s differs from case_facts", table)
}

// Figures from the daily rollup equal those counted case by case (a calendar that differs from
// the database's, on a day that counts for no case here, makes Stats count case by case).
func TestStatsFromTheRollupEqualStatsCaseByCase(t *testing.T) {
	t.Parallel()
	s, conn := ownDatabase(t, "stats_rollup")
	ctx := context.Background()
	org, err := definitions.WushenOrg()
	require.NoError(t, err)
	now := time.Date(2009, time.July, 1, 15, 30, 0, 0, definitions.Shanghai)
	require.NoError(t, s.SeedCases(ctx, store.SeedOptions{Cases: 3000, Seed: 11, Org: org, Now: now}))
	rollupMatchesFacts(t, conn)

	future := definitions.DateOf(time.Now()).AddDays(200)
	for future.Weekday() == time.Saturday || future.Weekday() == time.Sunday {
		future = future.AddDays(1)
	}
	byCase := definitions.NewCalendar(definitions.Holiday{Date: future, Name: "测试", Region: "test"})
	cal := definitions.NewCalendar()
	galutu, err := s.Subtree(ctx, "galutu")
	require.NoError(t, err)
	for name, f := range map[string]store.StatsFilter{
		"all, instants inside days": {Scope: store.Scope{All: true}, From: now.AddDate(-2, 0, 0), To: now},
		"all, whole days":           {Scope: store.Scope{All: true}, From: definitions.NewDate(2008, 1, 1).Start(), To: definitions.NewDate(2009, 1, 1).Start()},
		"no whole month":            {Scope: store.Scope{All: true}, From: definitions.NewDate(2008, 1, 15).Start(), To: definitions.NewDate(2008, 2, 10).Start()},
		"days, a month, days":       {Scope: store.Scope{All: true}, From: definitions.NewDate(2008, 1, 15).Start(), To: definitions.NewDate(2008, 3, 20).Start().Add(time.Hour)},
		"within one day":            {Scope: store.Scope{All: true}, From: now.Add(-30 * time.Hour), To: now.Add(-26 * time.Hour)},
		"town, mediation":           {Scope: store.Scope{Units: galutu}, Matter: "mediation", From: now.AddDate(-1, 0, 0), To: now},
		"level and org unit":        {Scope: store.Scope{All: true}, Level: "village", OrgUnits: galutu, From: now.AddDate(-2, 0, 0), To: now},
		"department filter":         {Scope: store.Scope{All: true}, Department: "justice", From: now.AddDate(-2, 0, 0), To: now},
		"department scope":          {Scope: store.Scope{Department: "justice"}, From: now.AddDate(-2, 0, 0), To: now},
		"two departments":           {Scope: store.Scope{Department: "justice"}, Department: "hrss", From: now.AddDate(-2, 0, 0), To: now},
		"same department twice":     {Scope: store.Scope{Department: "justice"}, Department: "justice", From: now.AddDate(-2, 0, 0), To: now},
		"no scope":                  {From: now.AddDate(-2, 0, 0), To: now},
	} {
		want, err := s.Stats(ctx, f, byCase)
		require.NoError(t, err, name)
		got, err := s.Stats(ctx, f, cal)
		require.NoError(t, err, name)
		require.Equal(t, want, got, name)
		if name == "all, instants inside days" {
			require.Greater(t, got.Received, 2500, name)
			require.Positive(t, got.AvgHandlingWorkdays, name)
		}
	}
}

// A write for the same event seq replaces the earlier one (the workflow's task failed after its
// local activity wrote): the facts, and the figures, follow the write that stays.
func TestStatsFollowAReplacedEvent(t *testing.T) {
	t.Parallel()
	s := setup(t)
	ctx := context.Background()
	day := func(d, h int) time.Time { return time.Date(2011, time.May, d, h, 0, 0, 0, definitions.Shanghai) }
	h := register(t, s, "RP-MED-2011", "mediation", "galutu-v02", "village", day(9, 9), "重放替换")
	h.complete(day(9, 10), "register")
	save := func(seq int64, at time.Time, action, reason string, c onedoor.Case, tasks []onedoor.Task) {
		c.UpdatedAt = at
		after, _ := json.Marshal(c)
		require.NoError(t, s.SaveCase(ctx, c, tasks, nil, store.AuditEntry{Seq: seq, At: at, Actor: "test", Action: action, Reason: reason, After: after}))
	}
	// Seq 3, first as an agreement that closes the case with a department's task...
	closed := h.c
	closed.Status, closed.Outcome = onedoor.StatusClosed, "closed"
	task := onedoor.Task{ID: "t9", Step: "handle", Name: "handle", OrgUnit: "galutu-v02", Level: "village", Role: "clerk",
		Department: "justice", Status: onedoor.TaskDone, Priority: "normal", OpenedAt: day(9, 11)}
	save(3, day(12, 9), "complete", "agreed", closed, []onedoor.Task{task})
	f := store.StatsFilter{Scope: store.Scope{All: true}, From: day(1, 0), To: day(31, 0)}
	cal := definitions.NewCalendar()
	st, err := s.Stats(ctx, f, cal)
	require.NoError(t, err)
	require.Equal(t, store.Stats{Received: 1, Accepted: 0, Mediated: 1, MediationSucceeded: 1, MediationSuccessRate: 1,
		Closed: 1, AvgHandlingWorkdays: 3}, st)
	f.Department = "justice"
	st, err = s.Stats(ctx, f, cal)
	require.NoError(t, err)
	require.Equal(t, 1, st.Received)

	// ... then the event that really took seq 3: an escalation, the case open and no task.
	open := h.c
	open.Escalations, open.Level, open.OrgUnit = 1, "town", "galutu"
	save(3, day(12, 9), "escalate", "rule", open, nil)
	st, err = s.Stats(ctx, f, cal)
	require.NoError(t, err)
	require.Equal(t, store.Stats{}, st, "the department's task is gone")
	f.Department = ""
	st, err = s.Stats(ctx, f, cal)
	require.NoError(t, err)
	require.Equal(t, store.Stats{Received: 1, Escalated: 1}, st)
	rollupMatchesFacts(t, connect(t))

	// An audit line rewritten in place (the same seq, directly) is followed too.
	_, err = connect(t).Exec(ctx, `update audit_log set action = 'complete', reason = 'agreed' where case_id = $1 and seq = 2`, uuid.MustParse(h.c.ID))
	require.NoError(t, err)
	st, err = s.Stats(ctx, f, cal)
	require.NoError(t, err)
	require.Equal(t, 1, st.MediationSucceeded)
	rollupMatchesFacts(t, connect(t))
}
