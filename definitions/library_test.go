package definitions

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLibrary(t *testing.T) {
	t.Parallel()
	procs, err := Library()
	require.NoError(t, err)
	require.Len(t, procs, 6)
	org, err := DemoOrg()
	require.NoError(t, err)
	for i, p := range procs {
		require.Equal(t, LibraryKeys[i], p.Key)
		require.Equal(t, Matter(p.Key), p.Matter)
		require.Equal(t, StatusPublished, p.Status)
		require.NotEmpty(t, p.LegalBasis, p.Key)
		require.NoError(t, p.Validate(org), p.Key)
		steps := []string{"intake", "accept", "divert", "handle", "close"}
		if p.Key == string(MatterGridEvent) {
			// A grid event is no matter received at a window: the grid worker holds it first.
			steps = []string{"report", "handle", "department", "close"}
			report, _ := p.Step("report")
			require.Equal(t, RoleGrid, report.Assignee.Role)
			spot, ok := report.Outcome("on_spot")
			require.True(t, ok)
			require.True(t, spot.OnSpot)
			up, ok := report.Outcome("escalate")
			require.True(t, ok)
			require.Equal(t, MoveUp, up.Move)
		}
		for _, id := range steps {
			_, ok := p.Step(id)
			require.True(t, ok, "%s has no step %s", p.Key, id)
		}
		_, err := p.Compile()
		require.NoError(t, err)
	}
}

// TestLibraryDeadlines pins the statutory deadlines of DOMAIN.md.
func TestLibraryDeadlines(t *testing.T) {
	t.Parallel()
	procs, err := Library()
	require.NoError(t, err)
	byKey := map[string]*Procedure{}
	for _, p := range procs {
		byKey[p.Key] = p
	}
	for _, tc := range []struct {
		key, step string
		want      Period
	}{
		{"petition", "intake", Days(15)},              // Art.22 register and route
		{"petition", "accept", Days(15)},              // Art.23 written notice
		{"petition", "department_check", Workdays(5)}, // Art.23 remit objection
		{"petition", "handle", Days(60)},              // Art.34
		{"petition", "close", Days(30)},               // Art.35 review request window
		{"petition", "review", Days(30)},              // Art.35 review decision
		{"petition", "review_close", Days(30)},        // Art.36 re-review request window
		{"petition", "rereview", Days(30)},            // Art.36 re-review decision
		{"mediation", "handle", Days(30)},             // one month
		{"mediation", "confirm", Days(30)},            // 人民调解法 Art.33
		{"legal_aid", "accept", Days(7)},              // 法律援助法 Art.43
		{"legal_aid", "divert", Days(3)},              // Art.43
		{"legal_aid", "objection", Days(5)},           // Art.49
		{"notarization", "handle", Workdays(15)},      // 公证法 Art.30
	} {
		p := byKey[tc.key]
		d := p.DeadlineAt(tc.step, LevelBanner)
		require.NotNil(t, d, "%s.%s", tc.key, tc.step)
		got, ok := d.Period()
		require.True(t, ok)
		require.Equal(t, tc.want, got, "%s.%s", tc.key, tc.step)
	}
	h, _ := byKey["petition"].Step("handle")
	require.True(t, h.Deadline.Extendable)
	require.Equal(t, &Period{30, UnitDays}, h.Deadline.Extension)
	require.Equal(t, 1, h.Deadline.MaxExtensions)
	n, _ := byKey["notarization"].Step("handle")
	require.True(t, n.Deadline.Suspendable)
	rr, _ := byKey["petition"].Step("rereview")
	require.True(t, rr.Deadline.Suspendable, "hearing time is excluded")
}

// TestFiveLinkChain walks a petition up the chain: simple matters stay at the window, group
// visits and overdue cases move up, and the town diverts by topic.
func TestFiveLinkChain(t *testing.T) {
	t.Parallel()
	procs, err := Library()
	require.NoError(t, err)
	c, err := procs[0].Compile()
	require.NoError(t, err)
	// yes fails the test when a rule fails to run: a broken rule must not pass as a no.
	yes := func(ok bool, err error) bool {
		t.Helper()
		require.NoError(t, err)
		return ok
	}
	data := procs[0].Form.Complete(map[string]any{"category": "proposal", "topic": "labor", "people": 1})
	env := &Env{Level: "village", LevelRank: 1, Visits: 1, Data: data}

	ok, err := c.FirstVisit(LevelVillage, env)
	require.NoError(t, err)
	require.True(t, ok, "a simple proposal is handled at the village window")

	// 重复访: the resident's second visit (a linked earlier petition) is not closed at a window again.
	env.Visits = 2
	require.False(t, yes(c.FirstVisit(LevelVillage, env)), "a repeated visit is not handled at the village window")
	require.False(t, yes(c.FirstVisit(LevelTown, env)), "nor at the town's")
	require.True(t, yes(c.Escalate(LevelVillage, env)), "the village passes a repeated visit up")
	require.NotContains(t, data, "repeat", "the box the clerk ticked from memory is gone")
	env.Visits = 1
	ok = yes(c.Escalate(LevelVillage, env))
	require.False(t, ok)
	ok = yes(c.Escalate(LevelGroup, env))
	require.True(t, ok, "groups report every petition up")

	data["people"] = 8
	ok = yes(c.Accept(LevelVillage, env))
	require.False(t, ok, "a group visit is not accepted at the village")
	ok = yes(c.Escalate(LevelVillage, env))
	require.True(t, ok)

	data["people"] = 1
	env.Overdue = true
	ok = yes(c.Escalate(LevelVillage, env))
	require.False(t, ok, "矛盾不上交: an overdue village does not pass the matter up by letting it lapse")
	env.Overdue = false

	env.Level, env.LevelRank = "town", 2
	depts, err := c.Divert(LevelTown, env)
	require.NoError(t, err)
	require.Equal(t, []string{"hrss"}, depts)
	data["topic"] = "other"
	depts, err = c.Divert(LevelTown, env)
	require.NoError(t, err)
	require.Equal(t, []string{"petition-bureau"}, depts)

	data["pending_below"] = true
	ok = yes(c.Accept(LevelBanner, env))
	require.False(t, ok, "Art.19: not accepted above while handled below")
	env.Escalations = 1
	ok = yes(c.Accept(LevelBanner, env))
	require.True(t, ok, "unless it came up by escalation")

	_, p, _, err := c.Deadline("handle", LevelVillage, env)
	require.NoError(t, err)
	require.Equal(t, Days(15), p)
	_, p, _, err = c.Deadline("handle", LevelBanner, env)
	require.NoError(t, err)
	require.Equal(t, Days(60), p)

	env.Level, env.LevelRank = "government", 4
	ok = yes(c.Allowed("handle", "escalate", env))
	require.False(t, ok, "the government is the top of the chain")
}
