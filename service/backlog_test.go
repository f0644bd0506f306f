package service_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/demo"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/service"
	"github.com/onedoor/onedoor/store"
	"github.com/onedoor/onedoor/workflows"
)

// priorities lists, in the order of the case's history, the priority its workflow started with
// ("start=N"), each change of it ("set=N") and where the updates were accepted ("update").
func priorities(t *testing.T, tc client.Client, id string) []string {
	t.Helper()
	var seen []string
	it := tc.GetWorkflowHistory(context.Background(), id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		e, err := it.Next()
		require.NoError(t, err)
		switch a := e.GetAttributes().(type) {
		case *historypb.HistoryEvent_WorkflowExecutionStartedEventAttributes:
			seen = append(seen, "start="+itoa(a.WorkflowExecutionStartedEventAttributes.GetPriority().GetPriorityKey()))
		case *historypb.HistoryEvent_WorkflowExecutionOptionsUpdatedEventAttributes:
			seen = append(seen, "set="+itoa(a.WorkflowExecutionOptionsUpdatedEventAttributes.GetPriority().GetPriorityKey()))
		case *historypb.HistoryEvent_WorkflowExecutionUpdateAcceptedEventAttributes:
			seen = append(seen, "update")
		}
	}
	return seen
}

func itoa(n int32) string { return strconv.Itoa(int(n)) }

// priorityNow is the priority key the case workflow id has now (0: the default).
func priorityNow(t *testing.T, tc client.Client, id string) int32 {
	t.Helper()
	d, err := tc.DescribeWorkflowExecution(context.Background(), id, "")
	require.NoError(t, err)
	return d.GetWorkflowExecutionInfo().GetPriority().GetPriorityKey()
}

// TestClerksGoAheadWhileTheQueueWaits: while the case workflows' tasks wait for a worker, a new
// case starts at the highest priority and a clerk's action raises its case to it before the
// update; both go back to the default once answered. In quiet times nothing changes.
func TestClerksGoAheadWhileTheQueueWaits(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	tc := b.cases.Temporal
	note := workflows.Action{Type: workflows.ActNote, Actor: user(t, "clerk-galutu"), Reason: "回访"}

	quiet, _, err := b.cases.Open(ctx, b.petition(t))
	require.NoError(t, err)
	_, err = b.cases.Act(ctx, quiet.Case, "note-quiet", note)
	require.NoError(t, err)
	require.Equal(t, []string{"start=0", "update", "update"}, priorities(t, tc, quiet.Case.WorkflowID()),
		"no priority set when the queue does not wait")

	behind := true
	b.cases.Behind = func(context.Context) bool { return behind }
	storm, _, err := b.cases.Open(ctx, b.petition(t))
	require.NoError(t, err)
	require.Zero(t, priorityNow(t, tc, storm.Case.WorkflowID()), "the default again once registered")
	_, err = b.cases.Act(ctx, storm.Case, "note-storm", note)
	require.NoError(t, err)
	require.Zero(t, priorityNow(t, tc, storm.Case.WorkflowID()), "the default again once answered")
	require.Equal(t, []string{"start=1", "update", "set=0", "set=1", "update", "set=0"}, priorities(t, tc, storm.Case.WorkflowID()))

	// A refused action puts the priority back too.
	_, err = b.cases.Act(ctx, storm.Case, "refused", workflows.Action{Type: workflows.ActNote, Actor: user(t, "clerk-galutu")})
	var e *onedoor.Error
	require.ErrorAs(t, err, &e)
	require.Zero(t, priorityNow(t, tc, storm.Case.WorkflowID()))

	behind = false
	_, err = b.cases.Act(ctx, storm.Case, "note-after", note)
	require.NoError(t, err)
	got := priorities(t, tc, storm.Case.WorkflowID())
	require.Equal(t, "update", got[len(got)-1], "no change once the queue has caught up")
}

// waited runs one trivial workflow on a task queue of its own, whose worker (on tc) starts after
// the delay: its first workflow task waits that long.
func waited(t *testing.T, tc client.Client, delay time.Duration) {
	t.Helper()
	ctx := context.Background()
	queue := "lag-test-" + uuid.NewString()
	run, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{TaskQueue: queue}, trivial)
	require.NoError(t, err)
	time.Sleep(delay)
	w := sdkworker.New(tc, queue, sdkworker.Options{})
	w.RegisterWorkflow(trivial)
	require.NoError(t, w.Start())
	defer w.Stop()
	require.NoError(t, run.Get(ctx, nil))
}

func trivial(workflow.Context) error { return nil }

// TestLagSeesATaskThatWaited: the workflow tasks a process's workers take tell it whether they
// waited in their queue.
func TestLagSeesATaskThatWaited(t *testing.T) {
	t.Parallel()
	lag := &service.Lag{Threshold: 500 * time.Millisecond, Hold: time.Minute}
	tc := testenv.Temporal(t)
	opts := client.Options{HostPort: testenv.TemporalAddress(t), Logger: testenv.QuietLogger{}}
	lag.Watch(&opts)
	watched, err := client.Dial(opts)
	require.NoError(t, err)
	defer watched.Close()

	waited(t, watched, 0)
	require.False(t, lag.Behind(context.Background()), "a task taken at once")
	waited(t, tc, time.Second)
	require.False(t, lag.Behind(context.Background()), "a task another client's worker took")
	waited(t, watched, time.Second)
	require.True(t, lag.Behind(context.Background()), "a task that waited a second")

	short := &service.Lag{Threshold: 500 * time.Millisecond, Hold: 100 * time.Millisecond}
	opts = client.Options{HostPort: testenv.TemporalAddress(t), Logger: testenv.QuietLogger{}}
	short.Watch(&opts)
	brief, err := client.Dial(opts)
	require.NoError(t, err)
	defer brief.Close()
	waited(t, brief, time.Second)
	require.Eventually(t, func() bool { return !short.Behind(context.Background()) }, 5*time.Second, 10*time.Millisecond,
		"no longer behind once Hold has passed")
}

// TestQueueBacklogSeesWaitingTasks: an API node without a worker asks Temporal how old the
// oldest task of the queue is.
func TestQueueBacklogSeesWaitingTasks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tc := testenv.Temporal(t)
	queue := "backlog-test-" + uuid.NewString()
	q := &service.QueueBacklog{Temporal: tc, Namespace: "default", TaskQueue: queue, Threshold: 500 * time.Millisecond, Every: 10 * time.Millisecond}
	require.False(t, q.Behind(ctx), "an empty queue")

	_, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{TaskQueue: queue}, trivial)
	require.NoError(t, err)
	require.Eventually(t, func() bool { return q.Behind(ctx) }, 20*time.Second, 100*time.Millisecond,
		"a workflow task waiting for a worker")

	w := sdkworker.New(tc, queue, sdkworker.Options{})
	w.RegisterWorkflow(trivial)
	require.NoError(t, w.Start())
	defer w.Stop()
	require.Eventually(t, func() bool { return !q.Behind(ctx) }, 20*time.Second, 100*time.Millisecond,
		"the queue emptied by a worker")
}

// TestForecastSeesDeadlinesNearNow: the read model's open cases due within the window of now
// make a storm once there are Threshold of them; cases due later, or closed, do not count.
func TestForecastSeesDeadlinesNearNow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := testenv.OwnStore(t)
	require.NoError(t, demo.Load(ctx, s))
	now := time.Now()
	due := func(at time.Time, status onedoor.Status) {
		c := onedoor.Case{ID: uuid.NewString(), Matter: "mediation", Status: onedoor.StatusOpen, Step: "mediate", Level: definitions.LevelVillage,
			OrgUnit: "galutu-v01", ReceivedBy: "galutu-v01", Channel: onedoor.ChannelVisit, Subject: "草场纠纷", ResidentName: "王五",
			ProcedureKey: "mediation", ProcedureVersion: 1, CreatedBy: "test", ReceivedAt: now, UpdatedAt: now}
		c, err := s.RegisterCase(ctx, c, nil, "FC-MED-2026", store.AuditEntry{Seq: 1, At: now, Actor: "test", Action: "register"})
		require.NoError(t, err)
		c.DueAt, c.Status = &at, status
		require.NoError(t, s.SaveCase(ctx, c, nil, nil, store.AuditEntry{Seq: 2, At: now, Actor: "test", Action: "deadline"}))
	}
	storm := func(threshold int) bool {
		return (&service.Forecast{Store: s, Threshold: threshold, Window: time.Minute}).Behind(ctx)
	}

	due(now.Add(30*time.Second), onedoor.StatusOpen)
	due(now.Add(-30*time.Second), onedoor.StatusOpen)
	due(now.Add(2*time.Minute), onedoor.StatusOpen)    // beyond the window
	due(now.Add(-2*time.Minute), onedoor.StatusOpen)   // long past it
	due(now.Add(10*time.Second), onedoor.StatusClosed) // closed: no timer of it fires
	require.True(t, storm(2), "two open cases due within a minute of now")
	require.False(t, storm(3), "only two open cases are due within a minute of now")

	due(now.Add(20*time.Second), onedoor.StatusOpen)
	require.True(t, storm(3))

	// The answer is kept for Every: a case due later does not change it until asked again.
	f := &service.Forecast{Store: s, Threshold: 4, Window: time.Minute, Every: time.Hour}
	require.False(t, f.Behind(ctx))
	due(now.Add(40*time.Second), onedoor.StatusOpen)
	require.False(t, f.Behind(ctx), "the last answer, kept for an hour")
	require.True(t, storm(4))
}
