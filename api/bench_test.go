package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/api"
	"github.com/onedoor/onedoor/internal/testenv"
)

// The benchmarks below put OneDoor beside bare Temporal on the same server in the same run:
// registering a case (API, validation, update-with-start, the registering activity writing
// PostgreSQL) against starting a trivial workflow and against update-with-start, and a clerk's
// action (API, the update with its validator, the activity mirroring the case) against a trivial
// update and against a trivial update whose state an activity then writes to PostgreSQL before
// the caller goes on (the same guarantee as an action's answer: the read model has it). Compare
// them with benchstat; the ratio is what OneDoor adds.

// unlimited lifts the per-token rate limit: the benchmarks measure the engine, not the limiter.
func unlimited(s *api.Server) { s.RateLimit = -1 }

// trivial is a workflow that does nothing but answer one update until it is told to stop.
func trivial(ctx workflow.Context) error {
	done := false
	if err := workflow.SetUpdateHandler(ctx, "ping", func(ctx workflow.Context, n int) (int, error) {
		if n < 0 {
			done = true
		}
		return n + 1, nil
	}); err != nil {
		return err
	}
	return workflow.Await(ctx, func() bool { return done })
}

func bareTemporal(b *testing.B) (client.Client, string) {
	tc := testenv.Temporal(b)
	queue := "bench-bare-" + uuid.NewString()
	w := sdkworker.New(tc, queue, sdkworker.Options{})
	w.RegisterWorkflow(trivial)
	require.NoError(b, w.Start())
	b.Cleanup(w.Stop)
	return tc, queue
}

// latencies reports the median and 99th percentile of the timed calls.
func latencies(b *testing.B, d []time.Duration) {
	slices.Sort(d)
	if len(d) == 0 {
		return
	}
	b.ReportMetric(float64(d[len(d)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(d[(len(d)*99)/100].Microseconds())/1000, "p99-ms")
}

func BenchmarkCreateCase(b *testing.B) {
	cs := newCaseServer(b, unlimited)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			status, c := cs.do(b, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
			if status != http.StatusCreated {
				b.Fatalf("create: %d %v", status, c)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cases/s")
}

func BenchmarkBareWorkflowStart(b *testing.B) {
	tc, queue := bareTemporal(b)
	ctx := context.Background()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{TaskQueue: queue, WorkflowExecutionTimeout: time.Minute}, trivial); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "starts/s")
}

// BenchmarkBareUpdateWithStart is the honest floor of registering a case: the workflow is
// started and has answered an update (update-with-start, as OneDoor registers), with nothing
// else done. BenchmarkCreateCase against it is what OneDoor adds for the same guarantee.
func BenchmarkBareUpdateWithStart(b *testing.B) {
	tc, queue := bareTemporal(b)
	ctx := context.Background()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			start := tc.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
				ID: "bench-uws-" + uuid.NewString(), TaskQueue: queue, WorkflowExecutionTimeout: time.Minute,
				WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
			}, trivial)
			h, err := tc.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
				StartWorkflowOperation: start,
				UpdateOptions:          client.UpdateWorkflowOptions{UpdateName: "ping", Args: []any{1}, WaitForStage: client.WorkflowUpdateStageCompleted},
			})
			var n int
			if err == nil {
				err = h.Get(ctx, &n)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cases/s")
}

func BenchmarkCaseAction(b *testing.B) {
	for _, n := range []int{1, 4} {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) { caseActions(b, n, 0, false) })
	}
	// A worker keeps the cases it works on in its sticky cache (--sticky-cache); a case it does
	// not hold replays its whole history at its next task. The same cases, registered and
	// accepted (three tasks) and with a history of 50 notes each, acted on while cached and after
	// the server was told to forget the worker holding them (ResetStickyTaskQueue, outside the
	// timing): the next workflow task goes to the shared queue with the whole history, as it does
	// for a case evicted from a full cache.
	for _, uncached := range []bool{false, true} {
		name := "cases=8,notes=50,cached"
		if uncached {
			name = "cases=8,notes=50,uncached"
		}
		b.Run(name, func(b *testing.B) { caseActions(b, 8, 50, uncached) })
	}
}

// caseActions times a note on cases cases in turn, each first taken through its first two
// steps and given notes notes when notes > 0; uncached sends every timed note's workflow task
// past the worker's cache (BenchmarkCaseAction).
func caseActions(b *testing.B, cases, notes int, uncached bool) {
	cs := newCaseServer(b, unlimited)
	tc := testenv.Temporal(b)
	ctx := context.Background()
	paths := make([]string, cases)
	ids := make([]string, cases)
	for i := range paths {
		_, c := cs.do(b, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
		paths[i] = "/v1/cases/" + c["number"].(string) + "/actions"
		ids[i] = onedoor.WorkflowID(c["id"].(string))
	}
	steps := []string{"register", "accept"}
	if notes == 0 {
		steps = nil
	}
	for _, outcome := range steps {
		for _, path := range paths {
			if status, out := cs.do(b, http.MethodPost, path, "clerk-galutu", map[string]any{"type": "complete", "outcome": outcome}); status != http.StatusOK {
				b.Fatalf("%s: %d %v", outcome, status, out)
			}
		}
	}
	for n := range notes * cases {
		if status, out := cs.do(b, http.MethodPost, paths[n%cases], "clerk-galutu", map[string]any{"type": "note", "reason": "记录 " + strconv.Itoa(n)}); status != http.StatusOK {
			b.Fatalf("note: %d %v", status, out)
		}
	}
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		if uncached {
			b.StopTimer()
			_, err := tc.WorkflowService().ResetStickyTaskQueue(ctx, &workflowservice.ResetStickyTaskQueueRequest{
				Namespace: "default", Execution: &commonpb.WorkflowExecution{WorkflowId: ids[i%cases]}})
			require.NoError(b, err)
			b.StartTimer()
		}
		start := time.Now()
		status, out := cs.do(b, http.MethodPost, paths[i%cases], "clerk-galutu", map[string]any{"type": "note", "reason": "回访 " + strconv.Itoa(i)})
		times = append(times, time.Since(start))
		if status != http.StatusOK {
			b.Fatalf("note: %d %v", status, out)
		}
	}
	b.StopTimer()
	latencies(b, times)
	// The cases' histories at the end, on average: a note adds 11 events.
	var events, size int64
	for _, id := range ids {
		d, err := tc.DescribeWorkflowExecution(ctx, id, "")
		require.NoError(b, err)
		events += d.GetWorkflowExecutionInfo().GetHistoryLength()
		size += d.GetWorkflowExecutionInfo().GetHistorySizeBytes()
	}
	b.ReportMetric(float64(events)/float64(cases), "events/case")
	b.ReportMetric(float64(size)/float64(cases)/1024, "history-KB/case")
}

func BenchmarkBareUpdate(b *testing.B) {
	tc, queue := bareTemporal(b)
	ctx := context.Background()
	run, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{TaskQueue: queue}, trivial)
	require.NoError(b, err)
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		h, err := tc.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
			WorkflowID: run.GetID(), UpdateName: "ping", Args: []any{i}, WaitForStage: client.WorkflowUpdateStageCompleted,
		})
		var n int
		if err == nil {
			err = h.Get(ctx, &n)
		}
		times = append(times, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	latencies(b, times)
}

// writeFloor is bare Temporal with OneDoor's guarantee: the workflow updateThenWrite on a task
// queue of its own, whose activity writes each update's state to a table of a database of its
// own, and a wait for that row's commit.
type writeFloor struct {
	tc        client.Client
	queue     string
	committed sync.Map // key -> chan struct{}, closed once the row of key is committed
}

func newWriteFloor(b *testing.B) *writeFloor {
	ctx := context.Background()
	db, err := pgxpool.New(ctx, testenv.OwnDatabaseURL(b))
	require.NoError(b, err)
	b.Cleanup(db.Close)
	_, err = db.Exec(ctx, `create table written (key text primary key, state text not null)`)
	require.NoError(b, err)
	f := &writeFloor{tc: testenv.Temporal(b), queue: "bench-write-" + uuid.NewString()}
	write := func(ctx context.Context, key, state string) error {
		if _, err := db.Exec(ctx, `insert into written (key, state) values ($1, $2) on conflict (key) do nothing`, key, state); err != nil {
			return err
		}
		if ch, ok := f.committed.Load(key); ok {
			close(ch.(chan struct{}))
		}
		return nil
	}
	w := sdkworker.New(f.tc, f.queue, sdkworker.Options{})
	w.RegisterWorkflowWithOptions(updateThenWrite, workflow.RegisterOptions{Name: "updateThenWrite"})
	w.RegisterActivityWithOptions(write, activity.RegisterOptions{Name: "write"})
	require.NoError(b, w.Start())
	b.Cleanup(w.Stop)
	return f
}

// expect returns what is closed once the row of key is committed.
func (f *writeFloor) expect(key string) chan struct{} {
	done := make(chan struct{})
	f.committed.Store(key, done)
	return done
}

// wait waits for the update h, then for the row of key (done).
func (f *writeFloor) wait(b *testing.B, h client.WorkflowUpdateHandle, err error, key string, done chan struct{}) {
	var answer string
	if err == nil {
		err = h.Get(context.Background(), &answer)
	}
	if err != nil {
		b.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		b.Fatalf("write %s not committed", key)
	}
	f.committed.Delete(key)
}

// noteState is a state of a note's answer's size (5 KB).
var noteState = strings.Repeat("状", 5*1024/3)

// BenchmarkBareUpdateThenWrite is the floor of a clerk's action with its guarantee, beside
// BenchmarkBareUpdate: a trivial update that returns a state of a note's size and, once its
// workflow task is committed, has an activity write that state to PostgreSQL (one row, one
// transaction), the caller waiting until the row is committed, as an action's answer waits for
// the read model. What BenchmarkCaseAction adds beyond it is OneDoor's own work: the API, the
// case's rules and state, the mirror's rows and audit lines.
func BenchmarkBareUpdateThenWrite(b *testing.B) {
	ctx := context.Background()
	f := newWriteFloor(b)
	// Four workflows in turn, as BenchmarkCaseAction/cases=4: an update sent to a workflow while
	// the workflow task after its last write is still running waits for that task.
	runs := make([]client.WorkflowRun, 4)
	for i := range runs {
		var err error
		runs[i], err = f.tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{TaskQueue: f.queue}, "updateThenWrite")
		require.NoError(b, err)
	}
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		key := strconv.Itoa(i)
		done := f.expect(key)
		start := time.Now()
		h, err := f.tc.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
			WorkflowID: runs[i%len(runs)].GetID(), UpdateName: "write", Args: []any{key, noteState}, WaitForStage: client.WorkflowUpdateStageCompleted,
		})
		f.wait(b, h, err, key, done)
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	latencies(b, times)
}

// BenchmarkBareUpdateWithStartThenWrite is the floor of a registration with its guarantee, beside
// BenchmarkBareUpdateWithStart: the workflow started by update-with-start, its update answered,
// and its state written to PostgreSQL by an activity before the caller goes on, as a
// registration's answer waits for the read model.
func BenchmarkBareUpdateWithStartThenWrite(b *testing.B) {
	ctx := context.Background()
	f := newWriteFloor(b)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			key := uuid.NewString()
			done := f.expect(key)
			start := f.tc.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
				ID: "bench-uws-write-" + key, TaskQueue: f.queue, WorkflowExecutionTimeout: time.Minute,
				WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
			}, "updateThenWrite")
			h, err := f.tc.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
				StartWorkflowOperation: start,
				UpdateOptions:          client.UpdateWorkflowOptions{UpdateName: "write", Args: []any{key, noteState}, WaitForStage: client.WorkflowUpdateStageCompleted},
			})
			f.wait(b, h, err, key, done)
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cases/s")
}

// updateThenWrite answers each update with the state it was given, then writes the states to
// PostgreSQL in order by an activity, as the case workflow's mirror does.
func updateThenWrite(ctx workflow.Context) error {
	type change struct{ key, state string }
	var outbox []change
	if err := workflow.SetUpdateHandler(ctx, "write", func(ctx workflow.Context, key, state string) (string, error) {
		outbox = append(outbox, change{key, state})
		return state, nil
	}); err != nil {
		return err
	}
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 30 * time.Second})
	for {
		if err := workflow.Await(ctx, func() bool { return len(outbox) > 0 }); err != nil {
			return err
		}
		c := outbox[0]
		if err := workflow.ExecuteActivity(ctx, "write", c.key, c.state).Get(ctx, nil); err != nil {
			return err
		}
		outbox = outbox[1:]
	}
}

// BenchmarkPhases says where the time of a registration and of a clerk's note goes, one request
// at a time, from the case's history (the benchmark and the test server share one clock):
//
//   - to-start: the request until Temporal has started the workflow (the API's reads and the
//     case's number, then the start), for a registration;
//   - dispatch: until the worker has the workflow task (Temporal's matching); for a note, from
//     the request (the API's reads and the update's request with it);
//   - workflow-task: the task in the worker, and its completion reaching the server;
//   - after-task: until the client has the answer: Temporal persisting the completion and
//     handing the mirror activity back to the worker with it, the mirror's transaction in
//     PostgreSQL, the API seeing the read model, the response.
func BenchmarkPhases(b *testing.B) {
	b.Run("registration", func(b *testing.B) {
		cs := newCaseServer(b, unlimited)
		tc := testenv.Temporal(b)
		var ph phases
		for b.Loop() {
			start := time.Now()
			status, c := cs.do(b, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
			end := time.Now()
			if status != http.StatusCreated {
				b.Fatalf("create: %d %v", status, c)
			}
			b.StopTimer()
			ph.add(b, tc, onedoor.WorkflowID(c["id"].(string)), 0, start, end)
			b.StartTimer()
		}
		ph.report(b)
	})
	b.Run("note", func(b *testing.B) {
		cs := newCaseServer(b, unlimited)
		tc := testenv.Temporal(b)
		ctx := context.Background()
		_, c := cs.do(b, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
		path, id := "/v1/cases/"+c["number"].(string)+"/actions", onedoor.WorkflowID(c["id"].(string))
		var ph phases
		for b.Loop() {
			b.StopTimer()
			// The workflow task after the last note's mirror may still be running: the next note
			// starts once the case is idle, so that it does not wait behind that task.
			var from int64
			require.Eventually(b, func() bool {
				d, err := tc.DescribeWorkflowExecution(ctx, id, "")
				require.NoError(b, err)
				from = d.GetWorkflowExecutionInfo().GetHistoryLength()
				return d.GetPendingWorkflowTask() == nil && len(d.GetPendingActivities()) == 0
			}, 10*time.Second, time.Millisecond)
			b.StartTimer()
			start := time.Now()
			status, out := cs.do(b, http.MethodPost, path, "clerk-galutu", map[string]any{"type": "note", "reason": "回访"})
			end := time.Now()
			if status != http.StatusOK {
				b.Fatalf("note: %d %v", status, out)
			}
			b.StopTimer()
			ph.add(b, tc, id, from, start, end)
			b.StartTimer()
		}
		ph.report(b)
	})
}

// phases are the durations of each phase of the requests measured (BenchmarkPhases).
type phases struct {
	toStart, dispatch, task, afterTask []time.Duration
}

// add reads the history of the workflow id after event from (0 for a registration), for the
// request sent at start and answered at end: its start and the first workflow task after from.
func (p *phases) add(b *testing.B, tc client.Client, id string, from int64, start, end time.Time) {
	var started, taskStarted, taskDone time.Time
	it := tc.GetWorkflowHistory(context.Background(), id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() && taskDone.IsZero() {
		e, err := it.Next()
		require.NoError(b, err)
		if e.GetEventId() <= from {
			continue
		}
		at := e.GetEventTime().AsTime()
		switch e.GetEventType() {
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
			started = at
		case enumspb.EVENT_TYPE_WORKFLOW_TASK_STARTED:
			taskStarted = at
		case enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
			taskDone = at
		}
	}
	require.False(b, taskDone.IsZero(), "history of %s after event %d: no workflow task", id, from)
	if started.IsZero() {
		started = start // a note: its dispatch counts from the request
	} else {
		p.toStart = append(p.toStart, started.Sub(start))
	}
	p.dispatch = append(p.dispatch, taskStarted.Sub(started))
	p.task = append(p.task, taskDone.Sub(taskStarted))
	p.afterTask = append(p.afterTask, end.Sub(taskDone))
}

// report gives the median of each phase, in milliseconds.
func (p *phases) report(b *testing.B) {
	for name, d := range map[string][]time.Duration{
		"to-start": p.toStart, "dispatch": p.dispatch, "workflow-task": p.task, "after-task": p.afterTask,
	} {
		if len(d) > 0 {
			slices.Sort(d)
			b.ReportMetric(float64(d[len(d)/2].Microseconds())/1000, name+"-ms")
		}
	}
}
