package workflows_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/activities"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/demo"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/workflows"
)

// setup gives a workflow test environment whose activities write to the package's real database.
func setup(t *testing.T) (*testsuite.TestWorkflowEnvironment, *activities.Activities) {
	t.Helper()
	s := testenv.Store(t)
	require.NoError(t, demo.Load(context.Background(), s))
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	a := &activities.Activities{Store: s}
	env.RegisterActivity(a)
	return env, a
}

func TestCaseRegistersAndAnswersOpen(t *testing.T) {
	t.Parallel()
	env, a := setup(t)
	now := time.Date(2026, 2, 10, 9, 30, 0, 0, definitions.Shanghai)
	env.SetStartTime(now)
	in := workflows.CaseInput{
		Case: onedoor.Case{
			ID: uuid.NewString(), Matter: definitions.MatterPetition, Status: onedoor.StatusOpen, Step: "intake",
			Level: definitions.LevelVillage, OrgUnit: "galutu-v01", ReceivedBy: "galutu-v01", Channel: onedoor.ChannelVisit,
			Subject: "邻里噪音", ResidentName: "李四", ProcedureKey: "petition", ProcedureVersion: 1,
			CreatedBy: "clerk-sarula", ReceivedAt: now, UpdatedAt: now,
		},
		NumberPrefix: "WF-PET-2026",
	}
	var opened workflows.CaseState
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(workflows.UpdateOpen, "open", &testsuite.TestUpdateCallback{
			OnReject:   func(err error) { t.Errorf("open rejected: %v", err) },
			OnAccept:   func() {},
			OnComplete: func(v any, err error) { require.NoError(t, err); opened = v.(workflows.CaseState) },
		})
	}, 0)
	env.RegisterDelayedCallback(func() {
		v, err := env.QueryWorkflow(workflows.QueryState)
		require.NoError(t, err)
		var st workflows.CaseState
		require.NoError(t, v.Get(&st))
		require.Equal(t, "WF-PET-2026-000001", st.Case.Number)
		env.CancelWorkflow()
	}, time.Hour)
	env.ExecuteWorkflow(workflows.Case, in)

	require.True(t, env.IsWorkflowCompleted())
	require.Equal(t, "WF-PET-2026-000001", opened.Case.Number)
	require.Equal(t, int64(1), opened.Seq)
	stored, err := a.Store.Case(context.Background(), opened.Case.Number)
	require.NoError(t, err)
	require.Equal(t, in.Case.ID, stored.ID)
	require.Equal(t, definitions.LevelVillage, stored.Level)
}
