package store_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/store"
)

// benchCases is the size of the benchmarks' seeded set: ONEDOOR_BENCH_CASES, 100,000 by default.
func benchCases(b *testing.B) int {
	n := 100_000
	if v := os.Getenv("ONEDOOR_BENCH_CASES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n <= 0 {
			b.Fatalf("ONEDOOR_BENCH_CASES=%q is not a positive number", v)
		}
	}
	return n
}

// seededSet is a database holding the seeded set, opened once per run.
type seededSet struct {
	once  sync.Once
	store *store.Store
	err   error
}

var (
	benchOne = &seededSet{} // the demo organisation: Wushen, with Otog Front's few units
	benchTen = &seededSet{} // the same number of cases over ten counties (tenCounties)
)

// benchSetup opens a database of its own holding the seeded set, named after its size so that a
// cluster that outlives the run (ONEDOOR_TEST_DATABASE_URL pointing at your own) seeds it once.
func benchSetup(b *testing.B) *store.Store { return benchOne.open(b, "bench", definitions.DemoOrg) }

// benchSetupTen is benchSetup's set spread over ten counties.
func benchSetupTen(b *testing.B) *store.Store { return benchTen.open(b, "bench_ten", tenCounties) }

func (set *seededSet) open(b *testing.B, prefix string, org func() (*definitions.Org, error)) *store.Store {
	b.Helper()
	n := benchCases(b)
	set.once.Do(func() {
		o, err := org()
		if err != nil {
			set.err = err
			return
		}
		set.store, set.err = seededDatabase(b, fmt.Sprintf("%s_%d", prefix, n), n, o)
	})
	if set.err != nil {
		b.Fatal(set.err)
	}
	return set.store
}

// tenCounties is the demo organisation with nine more copies of Wushen under the city (codes
// with -c2 … -c10, case number prefixes W2 … W10): a city's platform of ten such counties.
func tenCounties() (*definitions.Org, error) {
	org, err := definitions.DemoOrg()
	if err != nil {
		return nil, err
	}
	var wushen []definitions.OrgUnit
	for _, u := range org.Units {
		if slices.ContainsFunc(org.Chain(u.Code), func(c definitions.OrgUnit) bool { return c.Code == "wushen-gov" }) {
			wushen = append(wushen, u)
		}
	}
	for k := 2; k <= 10; k++ {
		for _, u := range wushen {
			c := u
			c.Code = fmt.Sprintf("%s-c%d", u.Code, k)
			c.Name = fmt.Sprintf("%s（%d）", u.Name, k)
			if u.Code != "wushen-gov" {
				c.Parent = fmt.Sprintf("%s-c%d", u.Parent, k)
			}
			if u.NumberPrefix != "" {
				c.NumberPrefix = fmt.Sprintf("W%d", k)
			}
			org.Units = append(org.Units, c)
		}
	}
	return org, org.Check()
}

func seededDatabase(b *testing.B, name string, n int, org *definitions.Org) (*store.Store, error) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, testenv.DatabaseURL(b))
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `select exists (select 1 from pg_database where datname = $1)`, name).Scan(&exists); err != nil {
		return nil, err
	}
	if !exists {
		if _, err := conn.Exec(ctx, "create database "+name); err != nil {
			return nil, err
		}
	}
	cfg := conn.Config()
	s, err := store.Open(ctx, fmt.Sprintf("postgres://%s@%s:%d/%s?sslmode=disable", cfg.User, cfg.Host, cfg.Port, name))
	if err != nil {
		return nil, err
	}
	if _, _, err := s.Migrate(ctx); err != nil {
		return nil, err
	}
	page, err := s.SearchCases(ctx, store.CaseFilter{Scope: store.Scope{All: true}, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(page.Items) == 0 {
		if err := s.SeedOrg(ctx, org); err != nil {
			return nil, err
		}
		start := time.Now()
		if err := s.SeedCases(ctx, store.SeedOptions{Cases: n, Seed: 1, Org: org}); err != nil {
			return nil, err
		}
		b.Logf("seeded %d cases over %d org units in %s", n, len(org.Units), time.Since(start).Round(time.Second))
	}
	return s, nil
}

// explained holds the names of the benchmarks whose plans were read; plans are the plans read
// and not yet printed.
var (
	explained sync.Map
	plansMu   sync.Mutex
	plans     []string
)

// timed runs fn b.N times against s and reports the 50th and 99th percentile of its durations.
// Before, once per benchmark in a run, it reads the EXPLAIN (ANALYZE, BUFFERS) plan of each query
// fn(0) runs (after a first run, which warms what the timed runs find warm), for printPlans.
func timed(b *testing.B, s *store.Store, fn func(ctx context.Context, i int) error) {
	b.Helper()
	ctx := context.Background()
	if _, done := explained.LoadOrStore(b.Name(), true); !done {
		if err := fn(ctx, 0); err != nil {
			b.Fatal(err)
		}
		p, err := s.Plans(ctx, func(ctx context.Context) error { return fn(ctx, 0) })
		if err != nil {
			b.Fatal(err)
		}
		plansMu.Lock()
		plans = append(plans, "plans of "+b.Name()+":\n"+p)
		plansMu.Unlock()
	}
	var durations []time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if err := fn(ctx, i); err != nil {
			b.Fatal(err)
		}
		durations = append(durations, time.Since(start))
	}
	slices.Sort(durations)
	if len(durations) > 0 {
		b.ReportMetric(float64(durations[len(durations)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(durations[len(durations)*99/100].Microseconds())/1000, "p99-ms")
	}
}

// printPlans prints the plans read since it last printed, on stdout between the results: each
// top-level benchmark defers it, so that a plan that changes shows in make bench's output (b.Log
// would keep ten lines of it). benchstat reads none of these lines as a result.
func printPlans() {
	plansMu.Lock()
	defer plansMu.Unlock()
	for _, p := range plans {
		fmt.Print(p)
	}
	plans = nil
}

var benchTowns = []string{"galutu", "wushenzhao", "tuke", "wulantaolegai", "wudinghe", "sulide"}

func BenchmarkQueuePage(b *testing.B) {
	defer printPlans()
	s := benchSetup(b)
	units := append([]string{"wushen"}, benchTowns...)
	units = append(units, "galutu-v01", "tuke-v05", "wushenzhao-v02")
	b.Run("unit", func(b *testing.B) {
		timed(b, s, func(ctx context.Context, i int) error {
			_, err := s.Queue(ctx, store.QueueFilter{UserID: "bench", OrgUnit: units[i%len(units)], Limit: 50})
			return err
		})
	})
	b.Run("second-page-overdue-department", func(b *testing.B) {
		timed(b, s, func(ctx context.Context, i int) error {
			yes := true
			f := store.QueueFilter{UserID: "bench", OrgUnit: units[i%len(units)], Department: "justice", Overdue: &yes, Limit: 50}
			p, err := s.Queue(ctx, f)
			if err != nil || p.Next == "" {
				return err
			}
			f.Cursor = p.Next
			_, err = s.Queue(ctx, f)
			return err
		})
	})
}

func BenchmarkSearch(b *testing.B) {
	defer printPlans()
	s := benchSetup(b)
	ctx := context.Background()
	subtrees := map[string][]string{}
	for _, t := range benchTowns {
		units, err := s.Subtree(ctx, t)
		if err != nil {
			b.Fatal(err)
		}
		subtrees[t] = units
	}
	matters := []string{"petition", "mediation", "legal_aid", "notarization", "consultation"}
	b.Run("filtered", func(b *testing.B) {
		timed(b, s, func(ctx context.Context, i int) error {
			town := benchTowns[i%len(benchTowns)]
			from := time.Now().AddDate(0, -6, 0)
			_, err := s.SearchCases(ctx, store.CaseFilter{Scope: store.Scope{Units: subtrees[town]}, Matter: matters[i%len(matters)],
				Status: "open", ReceivedFrom: &from, Limit: 50})
			return err
		})
	})
	b.Run("everything-newest", func(b *testing.B) {
		timed(b, s, func(ctx context.Context, i int) error {
			_, err := s.SearchCases(ctx, store.CaseFilter{Scope: store.Scope{All: true}, Limit: 50})
			return err
		})
	})
	texts := []string{"草场边界", "王巴特尔", "WS-PET-2025-S00012", "法律援助申请", "李"}
	b.Run("text", func(b *testing.B) {
		timed(b, s, func(ctx context.Context, i int) error {
			_, err := s.SearchCases(ctx, store.CaseFilter{Scope: store.Scope{All: true}, Q: texts[i%len(texts)], Limit: 50})
			return err
		})
	})
	// Most Chinese search words are two characters, and a clerk searches for one character too
	// (a surname): each from common to rare to absent (seedDetails, in the subject and the
	// statement: 草场 is in about one case in ten, 沙柳 in two in 10,000, 驼羔 in none; 李 is one
	// surname in 25, 柳 is only in 沙柳, 驼 in nothing). A common word fills a page from the newest cases; a rare one must come from an
	// index, or it reads every case in scope.
	for _, word := range []struct{ name, q string }{
		{"two-characters-草场", "草场"}, {"two-characters-沙柳", "沙柳"}, {"two-characters-驼羔", "驼羔"},
		{"one-character-李", "李"}, {"one-character-柳", "柳"}, {"one-character-驼", "驼"},
		// A name that many share (about one case in 750).
		{"name-王巴特尔", "王巴特尔"},
		// Words of the statements alone: every one has 依法处理; 尽快 is in a fifth of them.
		{"statement-依法处理", "依法处理"}, {"statement-尽快答复", "尽快答复"},
	} {
		b.Run(word.name, func(b *testing.B) {
			timed(b, s, func(ctx context.Context, _ int) error {
				_, err := s.SearchCases(ctx, store.CaseFilter{Scope: store.Scope{All: true}, Q: word.q, Limit: 50})
				return err
			})
		})
	}
	yes := true
	b.Run("overdue-in-town", func(b *testing.B) {
		timed(b, s, func(ctx context.Context, i int) error {
			_, err := s.SearchCases(ctx, store.CaseFilter{Scope: store.Scope{Units: subtrees[benchTowns[i%len(benchTowns)]]}, Overdue: &yes, Limit: 50})
			return err
		})
	})
}

func BenchmarkSupervisionBoard(b *testing.B) {
	defer printPlans()
	s := benchSetup(b)
	ctx := context.Background()
	galutu, err := s.Subtree(ctx, "galutu")
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		scope store.Scope
		kind  string
	}{
		{"overdue-banner", store.Scope{All: true}, store.BoardOverdue},
		{"overdue-town", store.Scope{Units: galutu}, store.BoardOverdue},
		{"due-soon-banner", store.Scope{All: true}, store.BoardDueSoon},
	} {
		b.Run(c.name, func(b *testing.B) {
			timed(b, s, func(ctx context.Context, _ int) error {
				_, err := s.Board(ctx, store.BoardFilter{Scope: c.scope, Kind: c.kind, Now: time.Now(), Within: 72 * time.Hour, PerGroup: 20})
				return err
			})
		})
	}
}

func BenchmarkStats(b *testing.B) {
	defer printPlans()
	s := benchSetup(b)
	ctx := context.Background()
	cal := definitions.NewCalendar()
	galutu, err := s.Subtree(ctx, "galutu")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	b.Run("two-years-all", func(b *testing.B) {
		timed(b, s, func(ctx context.Context, _ int) error {
			_, err := s.Stats(ctx, store.StatsFilter{Scope: store.Scope{All: true}, From: now.AddDate(-2, 0, 0), To: now}, cal)
			return err
		})
	})
	b.Run("one-year-town-mediation", func(b *testing.B) {
		timed(b, s, func(ctx context.Context, _ int) error {
			_, err := s.Stats(ctx, store.StatsFilter{Scope: store.Scope{Units: galutu}, Matter: "mediation", From: now.AddDate(-1, 0, 0), To: now}, cal)
			return err
		})
	})
}

// BenchmarkTenants runs the reads of one county's clerks and supervisors in a deployment of that
// county alone (counties-1) and in one of ten counties holding the same number of cases in all
// (counties-10, a tenth of them the county's): the county's fence must not slow them.
func BenchmarkTenants(b *testing.B) {
	defer printPlans()
	ctx := context.Background()
	cal := definitions.NewCalendar()
	// Both sets are seeded first, then each read runs on one beside the other, so that the pairs
	// are measured minutes apart, not a seeding apart.
	type shape struct {
		name           string
		s              *store.Store
		county, galutu []string
	}
	var shapes []shape
	for _, sh := range []struct {
		name  string
		setup func(*testing.B) *store.Store
	}{{"counties-1", benchSetup}, {"counties-10", benchSetupTen}} {
		s := sh.setup(b)
		county, err := s.Subtree(ctx, "wushen-gov")
		if err != nil {
			b.Fatal(err)
		}
		galutu, err := s.Subtree(ctx, "galutu")
		if err != nil {
			b.Fatal(err)
		}
		shapes = append(shapes, shape{sh.name, s, county, galutu})
	}
	units := []string{"galutu", "tuke", "galutu-v01", "wushen"}
	from := time.Now().AddDate(0, -6, 0)
	now := time.Now()
	for _, read := range []struct {
		name string
		run  func(ctx context.Context, sh shape, i int) error
	}{
		{"queue", func(ctx context.Context, sh shape, i int) error {
			_, err := sh.s.Queue(ctx, store.QueueFilter{UserID: "bench", OrgUnit: units[i%len(units)], Limit: 50})
			return err
		}},
		{"search-town-open", func(ctx context.Context, sh shape, _ int) error {
			_, err := sh.s.SearchCases(ctx, store.CaseFilter{Scope: store.Scope{Units: sh.galutu}, Status: "open", ReceivedFrom: &from, Limit: 50})
			return err
		}},
		{"search-county-newest", func(ctx context.Context, sh shape, _ int) error {
			_, err := sh.s.SearchCases(ctx, store.CaseFilter{Scope: store.Scope{Units: sh.county}, Limit: 50})
			return err
		}},
		{"board-overdue-county", func(ctx context.Context, sh shape, _ int) error {
			_, err := sh.s.Board(ctx, store.BoardFilter{Scope: store.Scope{Units: sh.county}, Kind: store.BoardOverdue, Now: now, Within: 72 * time.Hour, PerGroup: 20})
			return err
		}},
		{"stats-year-county", func(ctx context.Context, sh shape, _ int) error {
			_, err := sh.s.Stats(ctx, store.StatsFilter{Scope: store.Scope{Units: sh.county}, From: now.AddDate(-1, 0, 0), To: now}, cal)
			return err
		}},
	} {
		b.Run(read.name, func(b *testing.B) {
			for _, sh := range shapes {
				b.Run(sh.name, func(b *testing.B) {
					timed(b, sh.s, func(ctx context.Context, i int) error { return read.run(ctx, sh, i) })
				})
			}
		})
	}
}
