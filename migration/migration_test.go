package migration_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/demo"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/migration"
	"github.com/onedoor/onedoor/service"
	"github.com/onedoor/onedoor/store"
	"github.com/onedoor/onedoor/worker"
	"github.com/onedoor/onedoor/workflows"
)

// binary is the onedoor binary under test.
func binary(t *testing.T) string { return testenv.Binary(t) }

// publish stores and publishes a test procedure version from testdata.
func publish(t *testing.T, s *store.Store, file string) *definitions.Procedure {
	t.Helper()
	ctx := context.Background()
	src, err := os.ReadFile(filepath.Join("testdata", file))
	require.NoError(t, err)
	org, err := s.Org(ctx)
	require.NoError(t, err)
	v, err := s.CreateProcedure(ctx, src, "", "admin")
	require.NoError(t, err)
	v, err = s.PublishProcedure(ctx, v.Procedure.Key, v.Procedure.Version, org, "admin")
	require.NoError(t, err)
	return v.Procedure
}

// TestMigrateHundredCases is issue 12's test: a dry run of 100 running cases lists each one's
// target step and new due date; `onedoor migrations apply`, SIGKILLed half-way and started again,
// moves every mappable case exactly once (one audit entry each, its workflow on version 2) and
// leaves the cases at a step version 2 lacks on version 1, listed with the reason.
func TestMigrateHundredCases(t *testing.T) {
	ctx := context.Background()
	s := testenv.Store(t)
	require.NoError(t, demo.Load(ctx, s))
	tc := testenv.Temporal(t)
	queue := "migrate-" + uuid.NewString()
	w := worker.New(tc, s, queue)
	require.NoError(t, w.Start())
	t.Cleanup(w.Stop)
	cases := &service.Cases{Temporal: tc, TaskQueue: queue, Store: s, Logger: slog.New(slog.DiscardHandler)}

	v1 := publish(t, s, "migtest-v1.yaml")
	v2 := publish(t, s, "migtest-v2.yaml")
	chain, err := s.Chain(ctx, "galutu")
	require.NoError(t, err)
	clerk := onedoor.User{ID: "clerk-galutu", Role: onedoor.RoleClerk, OrgUnit: "galutu"}

	// 100 cases: 60 stay at intake, 25 go on to verify (mapped to check), 15 to review (unmapped).
	const total, toVerify, toReview = 100, 25, 15
	states := make([]workflows.CaseState, total)
	var g errgroup.Group
	g.SetLimit(6)
	for i := range total {
		g.Go(func() error {
			id := uuid.NewString()
			number, err := s.ReserveNumber(ctx, id, "MIG-"+fmt.Sprint(2026))
			if err != nil {
				return err
			}
			now := time.Now()
			st, _, err := cases.Open(ctx, workflows.CaseInput{Procedure: v1, Chain: chain, Case: onedoor.Case{
				ID: id, Number: number, Matter: v1.Matter, Status: onedoor.StatusOpen, Level: chain[0].Level,
				OrgUnit: chain[0].Code, ReceivedBy: chain[0].Code, Channel: onedoor.ChannelVisit, Subject: "迁移测试",
				ResidentName: "张三", Data: map[string]any{"facts": "草场边界纠纷"}, ProcedureKey: v1.Key,
				ProcedureVersion: v1.Version, CreatedBy: clerk.ID, ReceivedAt: now, UpdatedAt: now,
			}})
			if err != nil {
				return err
			}
			outcome := ""
			switch {
			case i < toVerify:
				outcome = "verify"
			case i < toVerify+toReview:
				outcome = "review"
			}
			if outcome != "" {
				st, err = cases.Act(ctx, st.Case, "to-"+outcome, workflows.Action{Type: workflows.ActComplete, Actor: clerk,
					Task: st.OpenTasks()[0].ID, Outcome: outcome})
			}
			states[i] = st
			return err
		})
	}
	require.NoError(t, g.Wait())

	// The dry run.
	m := &migration.Migrator{Store: s, Cases: cases}
	plan, items, err := m.Plan(ctx, definitions.MigrationPlan{Procedure: "migtest", From: 1, To: 2, Steps: map[string]string{"verify": "check"}}, "", nil, "admin")
	require.NoError(t, err)
	require.Len(t, items, total)
	byCase := map[string]store.MigrationItem{}
	for _, it := range items {
		byCase[it.CaseID] = it
	}
	calendar := definitions.NewCalendar()
	for i, st := range states {
		it, ok := byCase[st.Case.ID]
		require.True(t, ok, "case %s is in the dry run", st.Case.Number)
		task := st.OpenTasks()[0]
		if i >= toVerify && i < toVerify+toReview {
			require.Equal(t, store.ItemLeft, it.Status, st.Case.Number)
			require.Equal(t, "review", it.Step)
			require.Contains(t, it.Reason, "step review has no step in version 2")
			continue
		}
		require.Equal(t, store.ItemPending, it.Status, "%s: %s", st.Case.Number, it.Reason)
		want, period := "intake", definitions.Workdays(3)
		if i < toVerify {
			want, period = "check", definitions.Workdays(7)
		}
		require.Equal(t, want, it.TargetStep, st.Case.Number)
		// The new due date, counted here on the calendar from when the task opened.
		due := calendar.Due(task.OpenedAt, period)
		require.NotNil(t, it.DueAt)
		require.True(t, due.At.Equal(*it.DueAt), "%s: due %s, want %s", st.Case.Number, it.DueAt, due.At)
		var landed []workflows.TaskLanding
		require.NoError(t, json.Unmarshal(it.Tasks, &landed))
		require.Len(t, landed, 1)
		require.Equal(t, task.Step, landed[0].From)
		require.Equal(t, due.Explanation.Summary, landed[0].Explanation.Summary)
	}

	// Apply it in another process, kill it half-way, and start it again.
	env := append(os.Environ(), "DATABASE_URL="+testenv.DatabaseURL(t), "TEMPORAL_ADDRESS="+testenv.TemporalAddress(t),
		"ONEDOOR_NO_CODEC=true", "TEMPORAL_NAMESPACE=default")
	bin := binary(t)
	apply := exec.Command(bin, "migrations", "apply", fmt.Sprint(plan.ID), "--batch", "5", "--by", "admin")
	apply.Env = env
	var out bytes.Buffer
	apply.Stdout, apply.Stderr = &out, &out
	require.NoError(t, apply.Start())
	mappable := total - toReview
	var atKill store.MigrationProgress
	require.Eventually(t, func() bool {
		p, err := s.MigrationProgress(ctx, plan.ID)
		require.NoError(t, err)
		atKill = p
		return p.Moved >= mappable/2
	}, 2*time.Minute, 5*time.Millisecond, "half the cases move: %s", &out)
	require.NoError(t, apply.Process.Signal(syscall.SIGKILL))
	_ = apply.Wait()
	require.Less(t, atKill.Moved, mappable, "the run was killed before its end")
	after, err := s.MigrationPlan(ctx, plan.ID)
	require.NoError(t, err)
	require.Equal(t, store.PlanApplying, after.Status)
	t.Logf("killed with %d of %d moved", atKill.Moved, mappable)

	again := exec.Command(bin, "migrations", "apply", fmt.Sprint(plan.ID), "--batch", "20")
	again.Env = env
	output, err := again.CombinedOutput()
	require.NoError(t, err, "%s", output)
	require.Contains(t, string(output), fmt.Sprintf("plan %d done: %d of %d moved, %d left, 0 failed", plan.ID, mappable, total, toReview))

	// Every mappable case moved once; the unmappable ones are still on version 1, listed.
	p, err := s.MigrationProgress(ctx, plan.ID)
	require.NoError(t, err)
	require.Equal(t, store.MigrationProgress{Total: total, Moved: mappable, Left: toReview}, p)
	done, err := s.MigrationPlan(ctx, plan.ID)
	require.NoError(t, err)
	require.Equal(t, store.PlanDone, done.Status)
	left, err := s.MigrationItems(ctx, plan.ID, store.ItemLeft, "", 100)
	require.NoError(t, err)
	require.Len(t, left.Items, toReview)
	for _, st := range states {
		q, err := tc.QueryWorkflow(ctx, st.Case.WorkflowID(), "", workflows.QueryState)
		require.NoError(t, err)
		var now workflows.CaseState
		require.NoError(t, q.Get(&now))
		audit, err := s.Audit(ctx, st.Case.ID)
		require.NoError(t, err)
		migrated := 0
		for _, e := range audit {
			if e.Action == workflows.ActMigrate {
				migrated++
				require.Contains(t, e.Reason, fmt.Sprintf("migrated from version 1 to 2 (plan %d)", plan.ID))
				require.Equal(t, "admin", e.Actor)
			}
		}
		row, err := s.Case(ctx, st.Case.ID)
		require.NoError(t, err)
		if byCase[st.Case.ID].Status == store.ItemLeft {
			require.Equal(t, 0, migrated, st.Case.Number)
			require.Equal(t, v1.Version, now.Case.ProcedureVersion)
			require.Equal(t, v1.Version, row.ProcedureVersion)
			continue
		}
		require.Equal(t, 1, migrated, "%s has one migrate entry", st.Case.Number)
		require.Equal(t, v2.Version, now.Case.ProcedureVersion, st.Case.Number)
		require.Equal(t, byCase[st.Case.ID].TargetStep, now.Case.Step)
		require.Equal(t, byCase[st.Case.ID].TargetStep, now.OpenTasks()[0].Step)
		require.True(t, byCase[st.Case.ID].DueAt.Equal(*now.OpenTasks()[0].DueAt))
		require.Equal(t, v2.Version, row.ProcedureVersion, "the read model follows")
		tasks, err := s.Tasks(ctx, st.Case.ID)
		require.NoError(t, err)
		require.Equal(t, now.OpenTasks()[0].Step, tasks[len(tasks)-1].Step)
	}

	// The command line shows the plan, and a second plan finds only the cases left on version 1.
	show := exec.Command(bin, "migrations", "show", fmt.Sprint(plan.ID))
	show.Env = env
	output, err = show.CombinedOutput()
	require.NoError(t, err, "%s", output)
	require.Contains(t, string(output), fmt.Sprintf("plan %d: migtest version 1 → 2, done; %d cases: %d moved, %d left, 0 failed, 0 pending", plan.ID, total, mappable, toReview))
	require.Equal(t, total+1, strings.Count(string(output), "\n"))
	second := exec.Command(bin, "migrations", "plan", "--procedure", "migtest", "--from", "1", "--to", "2", "--map", "verify=check")
	second.Env = env
	output, err = second.CombinedOutput()
	require.NoError(t, err, "%s", output)
	require.Contains(t, string(output), fmt.Sprintf("migtest version 1 → 2, %d running cases", toReview))
	require.Equal(t, toReview, strings.Count(string(output), " left    review: step review has no step in version 2"), "%s", output)

	// A moved case goes on on version 2: its intake completes with an outcome version 1 lacks.
	moved := states[toVerify+toReview]
	row, err := s.Case(ctx, moved.Case.ID)
	require.NoError(t, err)
	st, err := cases.Act(ctx, row, "check", workflows.Action{Type: workflows.ActComplete, Actor: clerk, Task: moved.OpenTasks()[0].ID, Outcome: "check"})
	require.NoError(t, err)
	require.Equal(t, "check", st.Case.Step)
	require.True(t, strings.HasPrefix(st.Case.Number, "MIG-"))
}
