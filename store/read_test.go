package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/store"
)

// history writes a case through the workflow's own write path (RegisterCase, then SaveCase per
// event, with the done tasks), so that the read model's triggers see what they see in production.
type history struct {
	t     *testing.T
	s     *store.Store
	c     onedoor.Case
	seq   int64
	proc  *definitions.Procedure
	tasks []onedoor.Task
}

func register(t *testing.T, s *store.Store, prefix string, matter definitions.Matter, unit string, level definitions.Level, at time.Time, subject string) *history {
	t.Helper()
	return registerOn(t, s, prefix, library(t, string(matter)), unit, level, at, subject)
}

// library is the built-in procedure key as stored and published (LoadLibrary).
func library(t *testing.T, key string) *definitions.Procedure {
	t.Helper()
	src, ok := definitions.LibrarySource(key)
	require.True(t, ok)
	p, err := definitions.Parse(src)
	require.NoError(t, err)
	return p
}

// registerOn registers a case on the procedure p, which is stored and published if it is not.
func registerOn(t *testing.T, s *store.Store, prefix string, p *definitions.Procedure, unit string, level definitions.Level, at time.Time, subject string) *history {
	t.Helper()
	ctx := context.Background()
	if _, err := s.ProcedureVersion(ctx, p.Key, 1); onedoor.ErrorCode(err) == onedoor.ENotFound {
		_, err := s.LoadLibrary(ctx, wushen(t))
		require.NoError(t, err)
	}
	c := onedoor.Case{ID: uuid.NewString(), Matter: p.Matter, Status: onedoor.StatusOpen, Step: p.StartStep(), Level: level,
		OrgUnit: unit, ReceivedBy: unit, Channel: onedoor.ChannelVisit, Subject: subject, ResidentName: "张三",
		Data: map[string]any{"phone": "13800138000"}, ProcedureKey: p.Key, ProcedureVersion: 1, CreatedBy: "test",
		ReceivedAt: at, UpdatedAt: at}
	after, _ := json.Marshal(c)
	c, err := s.RegisterCase(ctx, c, nil, prefix, store.AuditEntry{Seq: 1, At: at, Actor: "test", Action: "register", After: after})
	require.NoError(t, err)
	return &history{t: t, s: s, c: c, seq: 1, proc: p}
}

// event records one more event of the case at the time, after changing it with change.
func (h *history) event(at time.Time, action, reason string, change func(c *onedoor.Case)) *history {
	h.t.Helper()
	h.seq++
	if change != nil {
		change(&h.c)
	}
	h.c.UpdatedAt = at
	after, _ := json.Marshal(h.c)
	require.NoError(h.t, h.s.SaveCase(context.Background(), h.c, h.tasks, nil,
		store.AuditEntry{Seq: h.seq, At: at, Actor: "test", Action: action, Reason: reason, After: after}))
	return h
}

// complete takes the outcome at the case's step, which goes on to the outcome's next step, and
// closes the case when that is the end, as the workflow does.
func (h *history) complete(at time.Time, outcome string) *history {
	h.t.Helper()
	// The current step's outcome, or (for a history that skips the steps between) the first
	// step's that has it.
	step, _ := h.proc.Step(h.c.Step)
	if step == nil || !slices.ContainsFunc(step.Outcomes, func(o definitions.Outcome) bool { return o.ID == outcome }) {
		i := slices.IndexFunc(h.proc.Steps, func(s definitions.Step) bool {
			return slices.ContainsFunc(s.Outcomes, func(o definitions.Outcome) bool { return o.ID == outcome })
		})
		require.GreaterOrEqual(h.t, i, 0, "no step of %s has the outcome %s", h.proc.Key, outcome)
		step = &h.proc.Steps[i]
	}
	o, _ := step.Outcome(outcome)
	h.tasks = append(h.tasks, onedoor.Task{ID: fmt.Sprintf("t%d", len(h.tasks)+1), Step: step.ID, Name: step.Name,
		OrgUnit: h.c.OrgUnit, Level: h.c.Level, Role: "clerk", Status: onedoor.TaskDone, Priority: "normal",
		OpenedAt: h.c.UpdatedAt, Outcome: outcome, ClosedAt: &at})
	return h.event(at, "complete", outcome, func(c *onedoor.Case) {
		if o.Next != definitions.EndStep {
			c.Step = o.Next
			return
		}
		var taken []definitions.Taken
		for _, t := range h.tasks {
			taken = append(taken, definitions.Taken{Step: t.Step, Outcome: t.Outcome})
		}
		kind, onSpot := h.proc.Result(step.ID, outcome, taken)
		c.Status, c.Outcome, c.Step, c.OutcomeKind, c.OnSpot = onedoor.StatusClosed, outcome, "", string(kind), onSpot
	})
}

// close completes the case's closing step.
func (h *history) close(at time.Time) *history {
	h.t.Helper()
	require.Equal(h.t, "close", h.c.Step)
	return h.complete(at, "closed")
}

func TestStatsOfAKnownSet(t *testing.T) {
	t.Parallel()
	s, url := setupURL(t)
	ctx := context.Background()
	day := func(d, h int) time.Time { return time.Date(2025, time.March, d, h, 0, 0, 0, definitions.Shanghai) }
	// The week of Monday 3 March 2025 has no holiday: working days are Monday to Friday.
	register(t, s, "ST-PET-2025", "petition", "galutu-v01", "village", day(3, 9), "当场办结").
		complete(day(3, 10), "on_spot").close(day(3, 15))
	register(t, s, "ST-PET-2025", "petition", "tuke", "town", day(3, 11), "逾期上报").
		complete(day(3, 12), "register").complete(day(4, 9), "accept").
		event(day(5, 0), "deadline_overdue", "overdue [t3]", func(c *onedoor.Case) { c.Overdue = true }).
		event(day(5, 1), "escalate", "rule", func(c *onedoor.Case) { c.Escalations, c.Overdue = 1, false }).
		complete(day(6, 9), "opinion").close(day(7, 16))
	register(t, s, "ST-MED-2025", "mediation", "galutu-v01", "village", day(4, 9), "即知即调").
		complete(day(4, 10), "on_spot").close(day(4, 11))
	register(t, s, "ST-MED-2025", "mediation", "galutu-v01", "village", day(5, 9), "调解成功").
		complete(day(5, 10), "register").complete(day(5, 11), "accept").complete(day(5, 12), "mediator").
		complete(day(6, 12), "agreed").complete(day(7, 12), "applied").close(day(10, 9))
	register(t, s, "ST-MED-2025", "mediation", "galutu-v01", "village", day(6, 9), "调解不成").
		complete(day(6, 10), "register").complete(day(6, 11), "accept").complete(day(6, 12), "failed").close(day(6, 17))
	register(t, s, "ST-LAD-2025", "legal_aid", "galutu-v01", "village", day(7, 9), "不予援助").
		complete(day(7, 10), "register").complete(day(7, 11), "refuse")
	register(t, s, "ST-NOT-2025", "notarization", "galutu-v01", "village", day(8, 9), "周六登记")
	register(t, s, "ST-PET-2025", "petition", "galutu-v01", "village", day(10, 9), "下一周").complete(day(10, 10), "on_spot")

	// The facts kept event by event are those of the whole logs, and the daily and monthly
	// rollups their triggers keep (also for the statements that changed no fact) sum them.
	drift, err := s.FactsDrift(ctx)
	require.NoError(t, err)
	require.Empty(t, drift)
	rollupMatchesFacts(t, connect(t, url))

	cal := definitions.NewCalendar()
	f := store.StatsFilter{Scope: store.Scope{All: true}, From: day(3, 0), To: day(10, 0)}
	st, err := s.Stats(ctx, f, cal)
	require.NoError(t, err)
	require.Equal(t, store.Stats{
		Received: 7, Accepted: 5, FirstVisit: 2, FirstVisitRate: 2.0 / 7, Mediated: 3, MediationSucceeded: 2,
		MediationSuccessRate: 2.0 / 3, Escalated: 1, Overdue: 1, OverdueRate: 1.0 / 7, Closed: 5,
		// (0 + 4 + 0 + 3 + 0) / 5: the days after receipt up to the closing day, weekends excluded.
		AvgHandlingWorkdays: 1.4,
	}, st)

	f.Matter = "mediation"
	st, err = s.Stats(ctx, f, cal)
	require.NoError(t, err)
	require.Equal(t, 3, st.Received)
	require.Equal(t, 3, st.Mediated)
	require.InDelta(t, 1.0, st.AvgHandlingWorkdays, 1e-9)

	galutu, err := s.Subtree(ctx, "galutu")
	require.NoError(t, err)
	st, err = s.Stats(ctx, store.StatsFilter{Scope: store.Scope{Units: galutu}, From: day(3, 0), To: day(10, 0)}, cal)
	require.NoError(t, err)
	require.Equal(t, 6, st.Received, "the Tuke case is outside Galutu")
	st, err = s.Stats(ctx, store.StatsFilter{Scope: store.Scope{All: true}, Level: "town", From: day(3, 0), To: day(10, 0)}, cal)
	require.NoError(t, err)
	require.Equal(t, 1, st.Received)
	require.Equal(t, 1, st.Escalated)
}

func TestSearchPagesStayStableWhileCasesArrive(t *testing.T) {
	t.Parallel()
	s := setup(t)
	ctx := context.Background()
	base := time.Date(2024, time.June, 1, 9, 0, 0, 0, definitions.Shanghai)
	want := map[string]bool{}
	for i := range 25 {
		// Groups of five share their received_at: the cursor must break the ties by id.
		h := register(t, s, "PG-PET-2024", "petition", "galutu-v02", "village", base.Add(time.Duration(i/5)*time.Hour), fmt.Sprintf("分页稳定测试%02d", i))
		want[h.c.Number] = true
	}
	f := store.CaseFilter{Scope: store.Scope{All: true}, Q: "分页稳定测试", Limit: 4}
	seen := map[string]bool{}
	var last time.Time
	for page := 0; ; page++ {
		p, err := s.SearchCases(ctx, f)
		require.NoError(t, err)
		for _, c := range p.Items {
			require.False(t, seen[c.Number], "case %s on two pages", c.Number)
			seen[c.Number] = true
			if !last.IsZero() {
				require.False(t, c.ReceivedAt.After(last), "newest first")
			}
			last = c.ReceivedAt
		}
		if p.Next == "" {
			break
		}
		// New matters arrive between pages: newer ones (already behind the cursor) and ones
		// received at the very instants of the pages, whose ids fall anywhere.
		register(t, s, "PG-PET-2024", "petition", "galutu-v02", "village", time.Now(), fmt.Sprintf("分页稳定测试新%02d", page))
		register(t, s, "PG-PET-2024", "petition", "galutu-v02", "village", base.Add(4*time.Hour), fmt.Sprintf("分页稳定测试同%02d", page))
		f.Cursor = p.Next
	}
	for n := range want {
		require.True(t, seen[n], "case %s skipped", n)
	}

	_, err := s.SearchCases(ctx, store.CaseFilter{Scope: store.Scope{All: true}, Cursor: "not-a-cursor"})
	require.Equal(t, onedoor.EInvalid, onedoor.ErrorCode(err))
}

func TestQueueClaims(t *testing.T) {
	t.Parallel()
	s := setup(t)
	ctx := context.Background()
	a := onedoor.User{ID: "q-clerk-a", Name: "甲", Role: onedoor.RoleClerk, OrgUnit: "wushenzhao-v03"}
	b := onedoor.User{ID: "q-clerk-b", Name: "乙", Role: onedoor.RoleClerk, OrgUnit: "wushenzhao-v03"}
	other := onedoor.User{ID: "q-clerk-c", Name: "丙", Role: onedoor.RoleClerk, OrgUnit: "wushenzhao"}
	require.NoError(t, s.SaveUsers(ctx, []onedoor.User{a, b, other}))
	now := time.Now()
	var ids []string
	for i := range 7 {
		h := register(t, s, "QU-MED-2026", "mediation", "wushenzhao-v03", "village", now, fmt.Sprintf("队列%d", i))
		due := now.Add(time.Duration(7-i) * time.Hour)
		if i == 6 {
			due = now.Add(-time.Hour)
		}
		task := onedoor.Task{ID: "t1", Step: "intake", Name: "纠纷登记", OrgUnit: "wushenzhao-v03", Level: "village", Role: "clerk",
			Status: onedoor.TaskOpen, Priority: "normal", OpenedAt: now, DueAt: &due, Overdue: i == 6}
		if i == 3 {
			task.DueAt = nil
		}
		h.seq++
		after, _ := json.Marshal(h.c)
		require.NoError(t, s.SaveCase(ctx, h.c, []onedoor.Task{task}, nil, store.AuditEntry{Seq: h.seq, At: now, Actor: "test", Action: "open", After: after}))
		ids = append(ids, h.c.ID)
	}
	var order []string
	f := store.QueueFilter{UserID: "q-clerk-a", OrgUnit: "wushenzhao-v03", Limit: 3}
	for {
		p, err := s.Queue(ctx, f)
		require.NoError(t, err)
		for _, it := range p.Items {
			order = append(order, it.CaseID)
		}
		if p.Next == "" {
			break
		}
		f.Cursor = p.Next
	}
	// Earliest due first, the overdue one leading, the one without a due date last.
	require.Equal(t, []string{ids[6], ids[5], ids[4], ids[2], ids[1], ids[0], ids[3]}, order)

	err := s.Claim(ctx, ids[1], "t1", other, now)
	require.Equal(t, onedoor.EConflict, onedoor.ErrorCode(err), "the town's clerk may not claim the village's task")
	require.Contains(t, err.Error(), "not in your queue")
	require.NoError(t, s.Claim(ctx, ids[0], "t1", a, now))
	require.NoError(t, s.Claim(ctx, ids[0], "t1", a, now), "claiming one's own claim again is fine")
	require.Equal(t, onedoor.EConflict, onedoor.ErrorCode(s.Claim(ctx, ids[0], "t1", b, now)))
	require.Equal(t, onedoor.ENotFound, onedoor.ErrorCode(s.Claim(ctx, ids[0], "t9", b, now)))
	require.Equal(t, onedoor.EConflict, onedoor.ErrorCode(s.Release(ctx, ids[0], "t1", "q-clerk-b", false)))

	p, err := s.Queue(ctx, store.QueueFilter{UserID: "q-clerk-b", OrgUnit: "wushenzhao-v03", Status: store.QueueClaimed})
	require.NoError(t, err)
	require.Len(t, p.Items, 1)
	require.Equal(t, "q-clerk-a", p.Items[0].ClaimedBy)
	yes := true
	p, err = s.Queue(ctx, store.QueueFilter{UserID: "q-clerk-b", OrgUnit: "wushenzhao-v03", Overdue: &yes})
	require.NoError(t, err)
	require.Len(t, p.Items, 1)
	require.Equal(t, ids[6], p.Items[0].CaseID)
	// A claim follows its clerk: the queue of someone with no unit still lists it.
	p, err = s.Queue(ctx, store.QueueFilter{UserID: "q-clerk-a"})
	require.NoError(t, err)
	require.Len(t, p.Items, 1)

	require.NoError(t, s.Release(ctx, ids[0], "t1", "q-clerk-a", false))
	require.NoError(t, s.Claim(ctx, ids[0], "t1", b, now))
	require.NoError(t, s.Release(ctx, ids[0], "t1", "q-supervisor", true))
}

func TestSeed(t *testing.T) {
	t.Parallel()
	s := setup(t)
	ctx := context.Background()
	org, err := definitions.DemoOrg()
	require.NoError(t, err)
	// Ten years back, so that no other test's period holds them.
	now := time.Date(2015, time.January, 1, 0, 0, 0, 0, definitions.Shanghai)
	require.NoError(t, s.SeedCases(ctx, store.SeedOptions{Cases: 300, Seed: 7, Org: org, Now: now}))
	from := now.AddDate(-3, 0, 0)
	p, err := s.SearchCases(ctx, store.CaseFilter{Scope: store.Scope{All: true}, ReceivedFrom: &from, ReceivedTo: &now, Limit: 500})
	require.NoError(t, err)
	require.Len(t, p.Items, 300)
	matters := map[definitions.Matter]bool{}
	statuses := map[onedoor.Status]bool{}
	for _, c := range p.Items {
		require.Equal(t, store.SeedCreator, c.CreatedBy)
		matters[c.Matter], statuses[c.Status] = true, true
	}
	require.Len(t, matters, 5)
	require.Len(t, statuses, 2)
	st, err := s.Stats(ctx, store.StatsFilter{Scope: store.Scope{All: true}, From: from, To: now}, definitions.NewCalendar())
	require.NoError(t, err)
	require.Equal(t, 300, st.Received)
	require.Positive(t, st.FirstVisit)
	require.Positive(t, st.Mediated)
	require.Positive(t, st.Escalated)
	drift, err := s.FactsDrift(ctx)
	require.NoError(t, err)
	require.Empty(t, drift, "facts kept by the triggers as the seed's COPY wrote them, against those of whole logs")
	drift, err = s.BoardCountsDrift(ctx)
	require.NoError(t, err)
	require.Empty(t, drift, "the boards' counts summed at the end of the seed's run")
	// The seed has its cases: asking for fewer writes nothing.
	require.NoError(t, s.SeedCases(ctx, store.SeedOptions{Cases: 10, Seed: 7, Org: org, Now: now}))
	n, err := s.SeedWritten(ctx, 7)
	require.NoError(t, err)
	require.Equal(t, 300, n)
}

// TestSeedResumes: a seed run cut short goes on where it stopped, on the first run's clock, and
// the runs of two seeds never take each other's numbers.
func TestSeedResumes(t *testing.T) {
	t.Parallel()
	s := setup(t)
	ctx := context.Background()
	org, err := definitions.DemoOrg()
	require.NoError(t, err)
	now := time.Date(2014, time.March, 1, 0, 0, 0, 0, definitions.Shanghai)
	require.NoError(t, s.SeedCases(ctx, store.SeedOptions{Cases: 12, Seed: 21, Org: org, Now: now}))
	// Started again for more, on another day: the run goes on from case 13 with its first clock.
	require.NoError(t, s.SeedCases(ctx, store.SeedOptions{Cases: 20, Seed: 21, Org: org, Now: now.AddDate(5, 0, 0)}))
	// Another seed over the same span, numbered apart.
	require.NoError(t, s.SeedCases(ctx, store.SeedOptions{Cases: 5, Seed: 22, Org: org, Now: now}))

	from := now.AddDate(-3, 0, 0)
	p, err := s.SearchCases(ctx, store.CaseFilter{Scope: store.Scope{All: true}, ReceivedFrom: &from, ReceivedTo: &now, Limit: 500})
	require.NoError(t, err)
	numbers := map[string]int{}
	for _, c := range p.Items {
		var seed, i int
		_, err := fmt.Sscanf(c.Number[strings.LastIndex(c.Number, "-S")+2:], "%d-%d", &seed, &i)
		require.NoError(t, err, c.Number)
		numbers[fmt.Sprintf("%d-%d", seed, i)]++
		require.Equal(t, store.SeedCreator, c.CreatedBy)
	}
	require.Len(t, p.Items, 25, "every case received within the first run's two years")
	for i := 1; i <= 20; i++ {
		require.Equal(t, 1, numbers[fmt.Sprintf("21-%d", i)], "seed 21's case %d once", i)
	}
	for i := 1; i <= 5; i++ {
		require.Equal(t, 1, numbers[fmt.Sprintf("22-%d", i)], "seed 22's case %d once", i)
	}
	n, err := s.SeedWritten(ctx, 21)
	require.NoError(t, err)
	require.Equal(t, 20, n)
}

// The statistics count what outcomes mean (their kind), not their ids: the same cases on a
// version whose outcomes are renamed give the same figures. (Read from the audit text, as they
// were, the renamed on-the-spot, acceptance and agreement counted for nothing.)
func TestStatsDoNotDependOnOutcomeIDs(t *testing.T) {
	t.Parallel()
	s := setup(t)
	ctx := context.Background()
	orig := library(t, "mediation")
	src, _ := definitions.LibrarySource("mediation")
	renamed := string(src)
	for _, r := range [][2]string{{"key: mediation", "key: mediation_renamed"}, {"{id: on_spot,", "{id: spot_fix,"},
		{"{id: accept,", "{id: take_on,"}, {"{id: agreed,", "{id: settled,"}, {"{id: failed, name: 调解不成、告知", "{id: no_deal, name: 调解不成、告知"}} {
		require.Equal(t, 1, strings.Count(renamed, r[0]), r[0])
		renamed = strings.Replace(renamed, r[0], r[1], 1)
	}
	v, err := s.CreateProcedure(ctx, []byte(renamed), "", "admin")
	require.NoError(t, err)
	_, err = s.PublishProcedure(ctx, "mediation_renamed", v.Procedure.Version, wushen(t), "admin")
	require.NoError(t, err)
	stored, err := s.ProcedureVersion(ctx, "mediation_renamed", v.Procedure.Version)
	require.NoError(t, err)
	other := stored.Procedure

	// The same four cases, on the original in the week of 2 June 2025, on the renamed version in
	// the week of 9 June.
	cases := func(p *definitions.Procedure, monday int, ids map[string]string) {
		day := func(d, h int) time.Time {
			return time.Date(2025, time.June, monday+d, h, 0, 0, 0, definitions.Shanghai)
		}
		id := func(x string) string {
			if y, ok := ids[x]; ok {
				return y
			}
			return x
		}
		registerOn(t, s, "RN-MED-2025", p, "wushenzhao-v05", "village", day(0, 9), "当场").
			complete(day(0, 10), id("on_spot")).close(day(0, 11))
		registerOn(t, s, "RN-MED-2025", p, "wushenzhao-v05", "village", day(1, 9), "成功").
			complete(day(1, 10), "register").complete(day(1, 11), id("accept")).complete(day(1, 12), "mediator").
			complete(day(2, 12), id("agreed")) // still open, at the judicial confirmation
		registerOn(t, s, "RN-MED-2025", p, "wushenzhao-v05", "village", day(2, 9), "不成").
			complete(day(2, 10), "register").complete(day(2, 11), id("accept")).complete(day(2, 12), "mediator").
			complete(day(3, 12), id("failed")).close(day(3, 15))
		registerOn(t, s, "RN-MED-2025", p, "wushenzhao-v05", "village", day(3, 9), "未受理").
			complete(day(3, 10), "register")
	}
	cases(orig, 2, nil)
	cases(other, 9, map[string]string{"on_spot": "spot_fix", "accept": "take_on", "agreed": "settled", "failed": "no_deal"})

	cal := definitions.NewCalendar()
	week := func(monday int) store.Stats {
		st, err := s.Stats(ctx, store.StatsFilter{Scope: store.Scope{All: true}, OrgUnits: []string{"wushenzhao-v05"},
			From: time.Date(2025, time.June, monday, 0, 0, 0, 0, definitions.Shanghai),
			To:   time.Date(2025, time.June, monday+7, 0, 0, 0, 0, definitions.Shanghai)}, cal)
		require.NoError(t, err)
		return st
	}
	// Mediated: settled on the spot, agreed, failed; succeeded: on the spot and agreed.
	want := store.Stats{Received: 4, Accepted: 3, FirstVisit: 1, FirstVisitRate: 0.25, Mediated: 3, MediationSucceeded: 2,
		MediationSuccessRate: 2.0 / 3, Closed: 2,
		// Closed the day received (0) and Thursday after Wednesday (1): (0 + 1) / 2.
		AvgHandlingWorkdays: 0.5}
	require.Equal(t, want, week(2), "the original ids")
	require.Equal(t, want, week(9), "the renamed ids")
}

// TestThePlannerKnowsMostOpenTasksAreOverdue: most tasks are done, and most open ones of a
// seeded backlog are overdue. Taking the two as independent, the planner expected a department's
// overdue queue to hold a twentieth of what it held, read all of its open tasks and sorted them
// (20 ms a page at 300,000 cases, a thousand tasks sorted at 1M) instead of reading the page off
// its queue index in order. With the statistics of migration 040 its estimate of the open
// overdue tasks is close to their number.
func TestThePlannerKnowsMostOpenTasksAreOverdue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, url := setupURL(t)
	org, err := definitions.DemoOrg()
	require.NoError(t, err)
	// The seed analyzes the tables after it wrote.
	require.NoError(t, s.SeedCases(ctx, store.SeedOptions{Cases: 5000, Seed: 11, Org: org, Now: time.Now()}))
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer conn.Close(ctx)
	var plan []struct {
		Plan struct {
			Estimated float64 `json:"Plan Rows"`
			Actual    float64 `json:"Actual Rows"`
		}
	}
	require.NoError(t, conn.QueryRow(ctx, `explain (analyze, format json) select * from tasks where status = 'open' and overdue`).Scan(&plan))
	require.Len(t, plan, 1)
	est, got := plan[0].Plan.Estimated, plan[0].Plan.Actual
	t.Logf("open overdue tasks: %.0f estimated, %.0f", est, got)
	require.Greater(t, got, 100.0, "the seed leaves a backlog")
	require.InDelta(t, 1, est/got, 0.5, "the planner's estimate of the open overdue tasks: %.0f for %.0f", est, got)
}
