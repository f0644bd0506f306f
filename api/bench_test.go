package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/onedoor/onedoor/api"
	"github.com/onedoor/onedoor/internal/testenv"
)

// The benchmarks below put OneDoor beside bare Temporal on the same server in the same run:
// registering a case (API, validation, update-with-start, the registering activity writing
// PostgreSQL) against starting a trivial workflow, and a clerk's action (API, the update with
// its validator, the activity mirroring the case) against a trivial update. Compare them with
// benchstat; the ratio is what OneDoor adds.

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
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) { caseActions(b, n) })
	}
}

func caseActions(b *testing.B, cases int) {
	cs := newCaseServer(b, unlimited)
	paths := make([]string, cases)
	for i := range paths {
		_, c := cs.do(b, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
		paths[i] = "/v1/cases/" + c["number"].(string) + "/actions"
	}
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		status, out := cs.do(b, http.MethodPost, paths[i%cases], "clerk-galutu", map[string]any{"type": "note", "reason": "回访 " + strconv.Itoa(i)})
		times = append(times, time.Since(start))
		if status != http.StatusOK {
			b.Fatalf("note: %d %v", status, out)
		}
	}
	b.StopTimer()
	latencies(b, times)
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
