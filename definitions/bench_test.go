package definitions

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// BenchmarkLevelRule evaluates a typical escalation rule of the five-link chain:
// `overdue || data.people >= 5 || visits >= 2` (petition, village).
func BenchmarkLevelRule(b *testing.B) {
	procs, err := Library()
	require.NoError(b, err)
	c, err := procs[0].Compile()
	require.NoError(b, err)
	env := &Env{Level: "village", LevelRank: 1, Visits: 1,
		Data: procs[0].Form.Complete(map[string]any{"category": "request", "topic": "labor", "people": 3})}
	b.ReportAllocs()
	for b.Loop() {
		ok, err := c.Escalate(LevelVillage, env)
		if err != nil || ok {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkDivertRule evaluates the town's diversion rule, a map lookup by topic.
func BenchmarkDivertRule(b *testing.B) {
	procs, err := Library()
	require.NoError(b, err)
	c, err := procs[0].Compile()
	require.NoError(b, err)
	env := &Env{Level: "town", LevelRank: 2,
		Data: procs[0].Form.Complete(map[string]any{"category": "request", "topic": "labor", "people": 3})}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Divert(LevelTown, env); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidateLibrary validates (and so compiles every rule of) the whole built-in library.
func BenchmarkValidateLibrary(b *testing.B) {
	procs, err := Library()
	require.NoError(b, err)
	org, err := DemoOrg()
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range procs {
			if err := p.Validate(org); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkDue computes a 60-day petition deadline with its explanation.
func BenchmarkDue(b *testing.B) {
	c := NewCalendar()
	from := at(2026, 1, 5, 11, 0)
	b.ReportAllocs()
	for b.Loop() {
		c.Due(from, Days(60))
	}
}
