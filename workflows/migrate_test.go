package workflows_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/workflows"
)

// migrateAt sends the migration m after d of skipped time; its answer or refusal goes to done.
func (h *harness) migrateAt(d time.Duration, m workflows.Migration, done func(workflows.CaseState, error)) {
	h.env.RegisterDelayedCallback(func() {
		h.env.UpdateWorkflow(workflows.UpdateMigrate, uuid.NewString(), &testsuite.TestUpdateCallback{
			OnAccept: func() {},
			OnReject: func(err error) { done(workflows.CaseState{}, err) },
			OnComplete: func(v any, err error) {
				st, _ := v.(workflows.CaseState)
				done(st, err)
			},
		}, m)
	}, d)
}

// A case moved to a new version mid-step: its task takes the new deadline counted from when it
// opened, with the extension it was granted; a step the plan maps nowhere is refused and changes
// nothing; the same move again answers the case as it is.
func TestMigrateMovesTheOpenTaskToTheNewDeadline(t *testing.T) {
	t.Parallel()
	v1 := procedure(t, "quick")
	h := newHarness(t, v1, "galutu", map[string]any{"facts": "欠薪"})
	v2 := v1.Clone()
	v2.Version = 2
	mediate, _ := v2.Step("mediate")
	mediate.Deadline.Amount, mediate.Deadline.Basis = 30, "新规第三条"
	v3 := v1.Clone()
	v3.Version = 3
	talk, _ := v3.Step("mediate")
	talk.ID = "talk"

	h.at(5*time.Minute, workflows.Action{Type: workflows.ActExtend, Actor: user("supervisor-galutu"), Reason: "双方需要更多时间",
		Extension: &definitions.Period{Amount: 10, Unit: definitions.UnitMinutes}})
	var unmapped, again error
	var moved, repeated workflows.CaseState
	h.migrateAt(6*time.Minute, workflows.Migration{Plan: 1, Actor: "admin", From: 1, Procedure: v3},
		func(_ workflows.CaseState, err error) { unmapped = err })
	h.migrateAt(7*time.Minute, workflows.Migration{Plan: 2, Actor: "admin", From: 1, Procedure: v2},
		func(st workflows.CaseState, err error) { require.NoError(t, err); moved = st })
	h.migrateAt(8*time.Minute, workflows.Migration{Plan: 2, Actor: "admin", From: 1, Procedure: v2},
		func(st workflows.CaseState, err error) { repeated, again = st, err })
	st := h.run(30 * time.Minute)

	require.Error(t, unmapped)
	require.Equal(t, workflows.ErrConflict, refusalType(unmapped))
	require.Contains(t, unmapped.Error(), "step mediate has no step in version 3")

	require.Equal(t, 2, moved.Case.ProcedureVersion)
	task := moved.OpenTasks()[0]
	require.Equal(t, 40, task.Period.Amount, "30 minutes of version 2 and the 10 granted")
	require.True(t, start.Add(40*time.Minute).Equal(*task.DueAt), "counted from when the task opened: %s", task.DueAt)
	require.Equal(t, "新规第三条", task.Basis)

	require.NoError(t, again)
	require.Equal(t, moved.Seq, repeated.Seq, "the same move again records nothing")

	// Version 1 (with its extension) made the task due after 20 minutes; at 30 it is not overdue.
	require.Equal(t, 2, st.Case.ProcedureVersion)
	require.False(t, st.OpenTasks()[0].Overdue)
	audit, err := h.store.Audit(t.Context(), st.Case.ID)
	require.NoError(t, err)
	var reasons []string
	for _, e := range audit {
		if e.Action == workflows.ActMigrate {
			reasons = append(reasons, e.Reason)
		}
	}
	require.Len(t, reasons, 1)
	require.Contains(t, reasons[0], "migrated from version 1 to 2 (plan 2): t1 mediate → mediate (due ")
}
