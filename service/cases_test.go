package service_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/demo"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/service"
	"github.com/onedoor/onedoor/store"
	"github.com/onedoor/onedoor/worker"
	"github.com/onedoor/onedoor/workflows"
)

// bundle is a case service on the real PostgreSQL and Temporal servers, with a worker of its own.
type bundle struct {
	cases *service.Cases
	store *store.Store
}

func setup(t *testing.T) bundle {
	t.Helper()
	ctx := context.Background()
	s := testenv.Store(t)
	require.NoError(t, demo.Load(ctx, s))
	org, err := definitions.DemoOrg()
	require.NoError(t, err)
	_, err = s.LoadLibrary(ctx, org)
	require.NoError(t, err)
	tc := testenv.Temporal(t)
	queue := "service-test-" + uuid.NewString()
	w := worker.New(tc, s, queue)
	require.NoError(t, w.Start())
	t.Cleanup(w.Stop)
	return bundle{cases: &service.Cases{Temporal: tc, TaskQueue: queue, Store: s, Logger: slog.New(slog.DiscardHandler)}, store: s}
}

// user is the demo user id.
func user(t *testing.T, id string) onedoor.User {
	t.Helper()
	for _, u := range demo.Users {
		if u.ID == id {
			return u
		}
	}
	t.Fatalf("no demo user %s", id)
	return onedoor.User{}
}

// petition is the input of a new petition received at Galutu town, with its number reserved.
func (b bundle) petition(t *testing.T) workflows.CaseInput {
	t.Helper()
	ctx := context.Background()
	now := time.Now().In(definitions.Shanghai)
	proc, err := b.store.CurrentProcedure(ctx, "petition", "", now)
	require.NoError(t, err)
	chain, err := b.store.Chain(ctx, "galutu")
	require.NoError(t, err)
	departments, err := b.store.Departments(ctx)
	require.NoError(t, err)
	c := onedoor.Case{
		ID: uuid.NewString(), Matter: proc.Matter, Status: onedoor.StatusOpen, Step: proc.StartStep(),
		Level: chain[0].Level, OrgUnit: chain[0].Code, ReceivedBy: chain[0].Code, Channel: onedoor.Channel("visit"),
		Subject: "草场边界纠纷", ResidentName: "张三", ProcedureKey: proc.Key, ProcedureVersion: proc.Version,
		CreatedBy: "clerk-galutu", ReceivedAt: now, UpdatedAt: now,
	}
	c.Number, err = b.store.ReserveNumber(ctx, c.ID, onedoor.NumberPrefix("ST", c.Matter, now.Year()))
	require.NoError(t, err)
	return workflows.CaseInput{Case: c, Procedure: proc, Chain: chain, Departments: departments, Changes: workflows.CurrentChanges}
}

func TestOpenTwiceIsOneCase(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	in := b.petition(t)

	first, existing, err := b.cases.Open(ctx, in)
	require.NoError(t, err)
	require.False(t, existing)
	require.Equal(t, in.Case.Number, first.Case.Number)
	require.NotEmpty(t, first.Tasks)

	// A retry joins the running workflow and gets the same answer.
	again, existing, err := b.cases.Open(ctx, in)
	require.NoError(t, err)
	require.False(t, existing)
	require.Equal(t, first.Seq, again.Seq)

	// Open answers once the read model shows the case.
	c, err := b.store.Case(ctx, in.Case.ID)
	require.NoError(t, err)
	require.Equal(t, in.Case.Number, c.Number)
}

func TestRefusedActionsAreDomainErrors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	state, _, err := b.cases.Open(ctx, b.petition(t))
	require.NoError(t, err)
	c := state.Case

	for _, tc := range []struct {
		name    string
		action  workflows.Action
		code    string
		kind    string
		message string
	}{
		// Another unit's clerk: forbidden by the workflow, answered as a conflict (409).
		{"not the holder", workflows.Action{Type: workflows.ActComplete, Actor: user(t, "clerk-sarula"), Outcome: "register"},
			onedoor.EConflict, workflows.ErrForbidden, "not by clerk-sarula"},
		{"wrong state", workflows.Action{Type: workflows.ActResume, Actor: user(t, "clerk-galutu")},
			onedoor.EConflict, workflows.ErrConflict, "suspended"},
		{"missing reason", workflows.Action{Type: workflows.ActEscalate, Actor: user(t, "clerk-galutu")},
			onedoor.EInvalid, workflows.ErrInvalid, "escalating by hand needs a reason"},
		{"unknown action", workflows.Action{Type: "dance", Actor: user(t, "clerk-galutu")},
			onedoor.EInvalid, workflows.ErrInvalid, `unknown action "dance"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := b.cases.Act(ctx, c, uuid.NewString(), tc.action)
			require.Error(t, err)
			var e *onedoor.Error
			require.ErrorAs(t, err, &e)
			require.Equal(t, tc.code, e.Code)
			require.Contains(t, e.Message, tc.message)
			// The chain keeps the workflow's refusal.
			var app *temporal.ApplicationError
			require.ErrorAs(t, err, &app)
			require.Equal(t, tc.kind, app.Type())
		})
	}

	// A valid action answers with the case after it, and the read model shows it.
	after, err := b.cases.Act(ctx, c, uuid.NewString(), workflows.Action{Type: workflows.ActNote, Actor: user(t, "clerk-galutu"), Reason: "回访"})
	require.NoError(t, err)
	require.Greater(t, after.Seq, state.Seq)
	audit, err := b.store.Audit(ctx, c.ID)
	require.NoError(t, err)
	require.Equal(t, after.Seq, audit[len(audit)-1].Seq)
	require.Equal(t, "note", audit[len(audit)-1].Action)
}

func TestActOnAFinishedCaseIsAConflict(t *testing.T) {
	t.Parallel()
	b := setup(t)
	// No workflow has this id: as for a case whose workflow completed 30 days after closing.
	c := onedoor.Case{ID: uuid.NewString(), Number: "ST-PET-2026-999999"}
	_, err := b.cases.Act(context.Background(), c, uuid.NewString(),
		workflows.Action{Type: workflows.ActNote, Actor: user(t, "clerk-galutu"), Reason: "回访"})
	require.Equal(t, onedoor.EConflict, onedoor.ErrorCode(err))
	var e *onedoor.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, service.Closed, e.Message)
}

func TestNoWorkerIsUnavailable(t *testing.T) {
	t.Parallel()
	b := setup(t)
	in := b.petition(t)
	noWorker := *b.cases
	noWorker.TaskQueue = "no-worker-" + uuid.NewString()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, _, err := noWorker.Open(ctx, in)
	require.Equal(t, onedoor.EUnavailable, onedoor.ErrorCode(err), "%v", err)
	require.ErrorIs(t, err, context.DeadlineExceeded, "the API answers it as a request out of time")
	require.NoError(t, b.cases.Temporal.TerminateWorkflow(context.Background(), in.Case.WorkflowID(), "", "test over"))

	require.NoError(t, b.cases.CheckTemporal(context.Background()))
	require.ErrorContains(t, noWorker.CheckWorkers(context.Background()), "no workflow poller")
	require.Eventually(t, func() bool { return b.cases.CheckWorkers(context.Background()) == nil }, 10*time.Second, 100*time.Millisecond)
}

func TestLinkOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	from, _, err := b.cases.Open(ctx, b.petition(t))
	require.NoError(t, err)
	opened, _, err := b.cases.Open(ctx, b.petition(t))
	require.NoError(t, err)

	clerk := user(t, "clerk-galutu")
	require.NoError(t, b.cases.Link(ctx, clerk, from.Case, opened.Case, "opened"))
	require.NoError(t, b.cases.Link(ctx, clerk, from.Case, opened.Case, "opened"), "a retried link is no error and adds nothing")
	c, err := b.store.Case(ctx, from.Case.ID)
	require.NoError(t, err)
	require.Equal(t, []onedoor.Link{{CaseID: opened.Case.ID, Number: opened.Case.Number, Matter: opened.Case.Matter, Relation: "opened"}}, c.Links)

	// A case whose workflow has completed keeps no link, and that is no error either.
	gone := onedoor.Case{ID: uuid.NewString(), Number: "ST-PET-2026-999998"}
	require.NoError(t, b.cases.Link(ctx, clerk, gone, opened.Case, "opened"))

	// Anything else is the service's error: a link without its case is refused as invalid.
	err = b.cases.Link(ctx, clerk, from.Case, onedoor.Case{}, "opened")
	require.Equal(t, onedoor.EInvalid, onedoor.ErrorCode(err))
}

// TestANewCaseAsksForNoOldPath: a case started on today's code (workflows.CurrentChanges) takes
// the workflow's changes from its input, so its history has no version marker and one upsert of
// its own search attributes, none of Temporal's TemporalChangeVersion: each would be another
// write to the visibility store at every registration. A case started before (Changes 0) asks
// workflow.GetVersion, as it did.
func TestANewCaseAsksForNoOldPath(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	count := func(in workflows.CaseInput) (markers, upserts, changeVersions int) {
		t.Helper()
		_, _, err := b.cases.Open(ctx, in)
		require.NoError(t, err)
		it := b.cases.Temporal.GetWorkflowHistory(ctx, in.Case.WorkflowID(), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			e, err := it.Next()
			require.NoError(t, err)
			if e.GetMarkerRecordedEventAttributes() != nil {
				markers++
			}
			if a := e.GetUpsertWorkflowSearchAttributesEventAttributes(); a != nil {
				upserts++
				if _, ok := a.GetSearchAttributes().GetIndexedFields()["TemporalChangeVersion"]; ok {
					changeVersions++
				}
			}
		}
		return markers, upserts, changeVersions
	}

	markers, upserts, changeVersions := count(b.petition(t))
	require.Zero(t, markers)
	require.Equal(t, 1, upserts)
	require.Zero(t, changeVersions)

	old := b.petition(t)
	old.Changes = 0
	markers, upserts, changeVersions = count(old)
	require.Positive(t, markers)
	require.Positive(t, changeVersions)
	require.Greater(t, upserts, 1)
}
