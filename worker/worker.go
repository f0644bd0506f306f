// Package worker runs OneDoor's workflows and activities on the onedoor task queue.
package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/onedoor/onedoor/activities"
	"github.com/onedoor/onedoor/store"
	"github.com/onedoor/onedoor/workflows"
)

// New makes a worker on the task queue (workflows.TaskQueue in production; tests use their own)
// with every workflow and activity registered. Start it with Start or Run.
func New(c client.Client, s *store.Store, taskQueue string, opts ...Option) sdkworker.Worker {
	cfg := config{activities: &activities.Activities{Store: s, Notices: activities.DevNotices(slog.New(slog.DiscardHandler))}}
	for _, o := range opts {
		o(&cfg)
	}
	w := sdkworker.New(c, taskQueue, cfg.worker)
	w.RegisterWorkflowWithOptions(workflows.Case, workflow.RegisterOptions{Name: workflows.CaseWorkflow})
	w.RegisterWorkflowWithOptions(workflows.Notice, workflow.RegisterOptions{Name: activities.NoticeWorkflow})
	w.RegisterActivity(cfg.activities)
	return w
}

// Option changes how a worker or its activities behave.
type Option func(*config)

type config struct {
	activities *activities.Activities
	worker     sdkworker.Options
}

// MirrorFaults makes that share (0 to 1) of the mirror activity's attempts fail on purpose, half
// before and half after writing: a test-only switch for fault campaigns (ONEDOOR_FAULT_MIRROR),
// which shows that the read model catches up and that a repeated write changes nothing.
func MirrorFaults(rate float64) Option {
	return func(c *config) { c.activities.MirrorFaults = rate }
}

// Notices sets how the outbox sends its messages: the adapter of each channel and the retry
// policy. Without it every channel writes to the log (activities.DevNotices).
func Notices(n *activities.Notices) Option {
	return func(c *config) { c.activities.Notices = n }
}

// Interceptors add worker interceptors (request ids in the logs) to the client's own.
func Interceptors(is ...interceptor.WorkerInterceptor) Option {
	return func(c *config) { c.worker.Interceptors = append(c.worker.Interceptors, is...) }
}

// StopTimeout lets the activities running when the worker stops finish for up to d before they
// are cancelled. Without it a stopped worker abandons them, and Temporal retries each only once
// its start-to-close timeout (30 s) has passed: a rolling restart would leave the read model of
// the cases they mirrored that far behind.
func StopTimeout(d time.Duration) Option {
	return func(c *config) { c.worker.WorkerStopTimeout = d }
}

// SearchAttributeTypes are the case workflows' search attributes by name, with their types: an
// embedded server registers them when it creates its namespace, so they work from the first case.
func SearchAttributeTypes() map[string]enumspb.IndexedValueType {
	types := make(map[string]enumspb.IndexedValueType, len(workflows.SearchAttributes))
	for _, key := range workflows.SearchAttributes {
		types[key.GetName()] = key.GetValueType()
	}
	return types
}

// EnsureSearchAttributes registers the case workflows' search attributes in the namespace, once
// (`onedoor migrate` in production). A server takes a few seconds to see attributes added to a
// running namespace; workflow tasks that upsert them before that fail and are retried.
func EnsureSearchAttributes(ctx context.Context, c client.Client, namespace string) error {
	existing, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
	if err != nil {
		return fmt.Errorf("worker: list search attributes: %w", err)
	}
	missing := map[string]enumspb.IndexedValueType{}
	for _, key := range workflows.SearchAttributes {
		if _, ok := existing.GetCustomAttributes()[key.GetName()]; !ok {
			missing[key.GetName()] = key.GetValueType()
		}
	}
	if len(missing) == 0 {
		return nil
	}
	_, err = c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
		Namespace: namespace, SearchAttributes: missing,
	})
	var exists *serviceerror.AlreadyExists
	if err != nil && !errors.As(err, &exists) {
		return fmt.Errorf("worker: add search attributes: %w", err)
	}
	return nil
}
