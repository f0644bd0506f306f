package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/store"
)

// TestBoardCountsFollowTheTasks: the overdue board's counts, summed from board_counts for the
// weeks before this one and counted from the tasks for this week, are those of the tasks as the
// workflow writes them (opened, closed, moved up the chain, given another deadline, suspended,
// dropped by a repair), for the whole banner, a town's subtree and a department.
func TestBoardCountsFollowTheTasks(t *testing.T) {
	t.Parallel()
	s := setup(t)
	ctx := context.Background()
	due := func(m time.Month, d, h int) *time.Time {
		x := time.Date(2003, m, d, h, 0, 0, 0, definitions.Shanghai)
		return &x
	}
	now := *due(time.June, 1, 12)
	galutu, err := s.Subtree(ctx, "galutu")
	require.NoError(t, err)

	a := register(t, s, "BDA", definitions.MatterMediation, "galutu-v01", definitions.LevelVillage, now.AddDate(0, -1, 0), "草场纠纷")
	b := register(t, s, "BDB", definitions.MatterMediation, "galutu", definitions.LevelTown, now.AddDate(0, -1, 0), "工资纠纷")
	c := register(t, s, "BDC", definitions.MatterMediation, "tuke", definitions.LevelTown, now.AddDate(0, -1, 0), "土地纠纷")
	open := func(h *history, id, unit string, level definitions.Level, department string, due *time.Time) onedoor.Task {
		return onedoor.Task{ID: id, Step: "mediate", Name: "调解", OrgUnit: unit, Level: level, Department: department,
			Role: "clerk", Status: onedoor.TaskOpen, Priority: "normal", OpenedAt: h.c.ReceivedAt, DueAt: due}
	}
	a.tasks = []onedoor.Task{
		open(a, "t1", "galutu-v01", definitions.LevelVillage, "", due(time.May, 20, 0)),
		open(a, "t2", "galutu-v01", definitions.LevelVillage, "justice", due(time.June, 1, 8)), // due today, passed
	}
	a.event(now, "open", "", nil)
	b.tasks = []onedoor.Task{
		open(b, "t1", "galutu", definitions.LevelTown, "", due(time.June, 1, 18)), // due today, later
		open(b, "t2", "galutu", definitions.LevelTown, "", due(time.June, 10, 0)),
		open(b, "t3", "galutu", definitions.LevelTown, "", due(time.June, 1, 0)), // due at today's start
		open(b, "t4", "galutu", definitions.LevelTown, "", nil),
	}
	b.event(now, "open", "", nil)
	c.tasks = []onedoor.Task{
		open(c, "t1", "tuke", definitions.LevelTown, "", due(time.June, 1, 11)),
		open(c, "t2", "tuke", definitions.LevelTown, "justice", due(time.May, 1, 0)),
	}
	c.tasks[1].Suspended = true
	c.event(now, "open", "", nil)

	check := func(step string, all, town, justice map[string]int) {
		t.Helper()
		for _, x := range []struct {
			name  string
			scope store.Scope
			want  map[string]int
		}{
			{"banner", store.Scope{All: true}, all},
			{"galutu", store.Scope{Units: galutu}, town},
			{"justice", store.Scope{Department: "justice"}, justice},
		} {
			groups, err := s.Board(ctx, store.BoardFilter{Scope: x.scope, Kind: store.BoardOverdue, Now: now})
			require.NoError(t, err)
			got := map[string]int{}
			for _, g := range groups {
				got[fmt.Sprintf("%s/%s", g.Level, g.Department)] = g.Count
			}
			require.Equal(t, x.want, got, "%s: the %s board", step, x.name)
		}
		drift, err := s.BoardCountsDrift(ctx)
		require.NoError(t, err)
		require.Empty(t, drift, "%s: board_counts against the tasks", step)
	}
	check("opened",
		map[string]int{"village/": 1, "village/justice": 1, "town/": 2},
		map[string]int{"village/": 1, "village/justice": 1, "town/": 1},
		map[string]int{"village/justice": 1})

	// The town's suspended task runs again; the village's task closes.
	c.tasks[1].Suspended = false
	c.event(now, "resume", "", nil)
	a.tasks[0].Status, a.tasks[0].ClosedAt = onedoor.TaskDone, &now
	a.event(now, "complete", "", nil)
	check("resumed and closed",
		map[string]int{"village/justice": 1, "town/": 2, "town/justice": 1},
		map[string]int{"village/justice": 1, "town/": 1},
		map[string]int{"village/justice": 1, "town/justice": 1})

	// The village's department task goes up to the town (closed there, opened again above); the town's task due later today is given
	// a deadline before today; the one due in ten days one that has passed.
	a.tasks[1].Status, a.tasks[1].ClosedAt = onedoor.TaskDone, &now
	a.tasks = append(a.tasks, open(a, "t3", "galutu", definitions.LevelTown, "justice", due(time.June, 1, 8)))
	a.event(now, "escalate", "", nil)
	b.tasks[0].DueAt = due(time.May, 30, 0)
	b.tasks[1].DueAt = due(time.June, 1, 9)
	b.event(now, "extend", "", nil)
	check("moved",
		map[string]int{"town/": 4, "town/justice": 2},
		map[string]int{"town/": 3, "town/justice": 1},
		map[string]int{"town/justice": 2})

	// A repair of case b drops every task the workflow does not have but its last.
	require.NoError(t, s.Repair(ctx, b.c, b.tasks[3:], b.seq))
	check("repaired",
		map[string]int{"town/": 1, "town/justice": 2},
		map[string]int{"town/justice": 1},
		map[string]int{"town/justice": 2})
}
