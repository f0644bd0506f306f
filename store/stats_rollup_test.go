package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/store"
)

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close(ctx) })
	return conn
}

// ownDatabase is a migrated database of the test's own, with the Wushen organisation.
func ownDatabase(t *testing.T) (*store.Store, *pgx.Conn) {
	t.Helper()
	ctx := context.Background()
	url := testenv.OwnDatabaseURL(t)
	s, err := store.Open(ctx, url)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	org, err := definitions.DemoOrg()
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
	_, url := setupURL(t)
	conn := connect(t, url)
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
	s, conn := ownDatabase(t)
	ctx := context.Background()
	org, err := definitions.DemoOrg()
	require.NoError(t, err)
	now := time.Date(2009, time.July, 1, 15, 30, 0, 0, definitions.Shanghai)
	require.NoError(t, s.SeedCases(ctx, store.SeedOptions{Cases: 3000, Seed: 11, Org: org, Now: now}))
	rollupMatchesFacts(t, conn)
	// The seed writes with the triggers off and computes the facts once a batch: they are the
	// facts the triggers keep, one row a case.
	facts := func() (n int, sum string) {
		require.NoError(t, conn.QueryRow(ctx, `select count(*), md5(coalesce(string_agg(f::text, ',' order by case_id), ''))
			from case_facts f`).Scan(&n, &sum))
		return n, sum
	}
	n, before := facts()
	require.Equal(t, 3000, n)
	_, err = conn.Exec(ctx, "select case_facts_refresh(array(select id from cases))")
	require.NoError(t, err)
	_, after := facts()
	require.Equal(t, before, after, "the facts the seed computed are those of its rows")
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

// The seed sums the statistics' rollups at the end of its run, and a run cut short, before its
// last batch or while summing, has them summed by the next run, also one with nothing to write.
func TestSeedSumsTheRollupsOfARunCutShort(t *testing.T) {
	t.Parallel()
	s, conn := ownDatabase(t)
	ctx := context.Background()
	org, err := definitions.DemoOrg()
	require.NoError(t, err)
	now := time.Date(2010, time.May, 1, 12, 0, 0, 0, definitions.Shanghai)
	state := func() (facts, received int, pending bool) {
		t.Helper()
		require.NoError(t, conn.QueryRow(ctx, `select (select count(*) from case_facts),
			(select coalesce(sum(received), 0) from case_stats_daily where department = ''),
			(select rollup_pending from seed_runs where seed = 3)`).Scan(&facts, &received, &pending))
		return facts, received, pending
	}

	// Cut short (Ctrl-C) after its second batch of three.
	cut, stop := context.WithCancel(ctx)
	defer stop()
	err = s.SeedCases(cut, store.SeedOptions{Cases: 300, Seed: 3, Org: org, Now: now, Batch: 100, Progress: func(done int) {
		if done == 200 {
			stop()
		}
	}})
	require.ErrorIs(t, err, context.Canceled)
	facts, received, pending := state()
	require.Equal(t, 200, facts, "two batches written whole")
	require.Zero(t, received, "their rollups not summed yet")
	require.True(t, pending)
	drift, err := s.BoardCountsDrift(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, drift, "their open tasks not counted for the boards yet")

	// Started again: the last batch, then the rollups of all three.
	require.NoError(t, s.SeedCases(ctx, store.SeedOptions{Cases: 300, Seed: 3, Org: org, Now: now, Batch: 100}))
	facts, received, pending = state()
	require.Equal(t, 300, facts)
	require.Equal(t, 300, received)
	require.False(t, pending)
	rollupMatchesFacts(t, conn)
	drift, err = s.BoardCountsDrift(ctx)
	require.NoError(t, err)
	require.Empty(t, drift)

	// Cut short while summing (the sum is one transaction, so the rollups are as before it): the
	// next run writes no case and sums them.
	_, err = conn.Exec(ctx, "update seed_runs set rollup_pending = true; truncate case_stats_daily, case_stats_monthly, board_counts")
	require.NoError(t, err)
	var stages []string
	require.NoError(t, s.SeedCases(ctx, store.SeedOptions{Cases: 300, Seed: 3, Org: org, Now: now, Stage: func(what string) func() {
		stages = append(stages, what)
		return func() { stages = append(stages, "done") }
	}}))
	require.Equal(t, []string{"counting the open tasks for the supervision boards", "done",
		"summing the statistics' daily and monthly figures", "done",
		"analyzing the tables for the query planner", "done"}, stages, "the run says what it does after its batches")
	facts, received, pending = state()
	require.Equal(t, 300, facts)
	require.Equal(t, 300, received)
	require.False(t, pending)
	rollupMatchesFacts(t, conn)
	drift, err = s.BoardCountsDrift(ctx)
	require.NoError(t, err)
	require.Empty(t, drift)
}

// Runs of two seeds at once (a way to load faster on a database server of many cores) each sum
// the rollups at their end while the other still writes batches, and leave them right.
func TestSeedRunsOfTwoSeedsAtOnce(t *testing.T) {
	t.Parallel()
	s, conn := ownDatabase(t)
	ctx := context.Background()
	org, err := definitions.DemoOrg()
	require.NoError(t, err)
	now := time.Date(2011, time.March, 1, 12, 0, 0, 0, definitions.Shanghai)
	var g errgroup.Group
	// The short runs sum while the long one writes.
	for _, run := range []struct{ seed, cases int }{{4, 1500}, {5, 100}, {6, 300}} {
		g.Go(func() error {
			return s.SeedCases(ctx, store.SeedOptions{Cases: run.cases, Seed: int64(run.seed), Org: org, Now: now, Batch: 50})
		})
	}
	require.NoError(t, g.Wait())
	var facts, received int
	require.NoError(t, conn.QueryRow(ctx, `select (select count(*) from case_facts),
		(select coalesce(sum(received), 0) from case_stats_daily where department = '')`).Scan(&facts, &received))
	require.Equal(t, 1900, facts)
	require.Equal(t, 1900, received)
	rollupMatchesFacts(t, conn)
}

// Rebuilds of the boards' counts at once (two seeds' runs ending together) each leave the
// counts right: the second waits for the first and counts again over it.
func TestBoardCountsRebuiltAtOnce(t *testing.T) {
	t.Parallel()
	s, _ := ownDatabase(t)
	ctx := context.Background()
	org, err := definitions.DemoOrg()
	require.NoError(t, err)
	now := time.Date(2011, time.March, 1, 12, 0, 0, 0, definitions.Shanghai)
	require.NoError(t, s.SeedCases(ctx, store.SeedOptions{Cases: 300, Seed: 7, Org: org, Now: now}))
	var g errgroup.Group
	for range 4 {
		g.Go(func() error {
			for range 5 {
				if err := s.RebuildBoardCounts(ctx); err != nil {
					return err
				}
			}
			return nil
		})
	}
	require.NoError(t, g.Wait())
	drift, err := s.BoardCountsDrift(ctx)
	require.NoError(t, err)
	require.Empty(t, drift)
}
