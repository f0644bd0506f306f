// Package worker runs OneDoor's workflows and activities on the onedoor task queue.
package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
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

// Worker is a Temporal worker with every workflow and activity of OneDoor registered, and the
// outbox relay that sends the notices of the cases it runs (activities.Relay), started and
// stopped with it.
type Worker struct {
	sdkworker.Worker
	relay *activities.Relay

	mu   sync.Mutex
	stop context.CancelFunc // of the running relay
	done chan struct{}      // closed when the running relay has returned
}

// Start starts the Temporal worker, and then the relay.
func (w *Worker) Start() error {
	if err := w.Worker.Start(); err != nil {
		return err
	}
	w.startRelay()
	return nil
}

// Run runs the worker, and the relay, until interruptCh receives or the worker fails.
func (w *Worker) Run(interruptCh <-chan any) error {
	w.startRelay()
	defer w.stopRelay()
	return w.Worker.Run(interruptCh)
}

// Stop stops the relay, once its attempts under way have ended, and then the Temporal worker.
func (w *Worker) Stop() {
	w.stopRelay()
	w.Worker.Stop()
}

func (w *Worker) startRelay() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stop != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	w.stop, w.done = cancel, make(chan struct{})
	go func(done chan struct{}) {
		defer close(done)
		w.relay.Run(ctx)
	}(w.done)
}

func (w *Worker) stopRelay() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stop == nil {
		return
	}
	w.stop()
	<-w.done
	w.stop, w.done = nil, nil
}

// New makes a worker on the task queue (workflows.TaskQueue in production; tests use their own)
// with every workflow and activity registered. Start it with Start or Run.
func New(c client.Client, s *store.Store, taskQueue string, opts ...Option) *Worker {
	cfg := config{activities: &activities.Activities{Store: s, Notices: activities.DevNotices(slog.New(slog.DiscardHandler))},
		logger: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(&cfg)
	}
	t := cfg.tuning.withDefaults()
	cfg.worker.MaxConcurrentWorkflowTaskPollers, cfg.worker.MaxConcurrentActivityTaskPollers = t.WorkflowPollers, t.ActivityPollers
	cfg.worker.MaxConcurrentWorkflowTaskExecutionSize = t.WorkflowSlots
	cfg.worker.MaxConcurrentActivityExecutionSize, cfg.worker.MaxConcurrentLocalActivityExecutionSize = t.ActivitySlots, t.ActivitySlots
	if cfg.tuning.StickyCache > 0 { // else the SDK's, which is DefaultTuning's
		sdkworker.SetStickyWorkflowCacheSize(t.StickyCache)
	}
	w := sdkworker.New(c, taskQueue, cfg.worker)
	w.RegisterWorkflowWithOptions(workflows.Case, workflow.RegisterOptions{Name: workflows.CaseWorkflow})
	w.RegisterWorkflowWithOptions(workflows.Notice, workflow.RegisterOptions{Name: activities.NoticeWorkflow})
	w.RegisterActivity(cfg.activities)
	return &Worker{Worker: w, relay: &activities.Relay{Activities: cfg.activities, Logger: cfg.logger, Poll: cfg.relayPoll}}
}

// Option changes how a worker or its activities behave.
type Option func(*config)

type config struct {
	activities *activities.Activities
	worker     sdkworker.Options
	tuning     Tuning
	logger     *slog.Logger
	relayPoll  time.Duration
}

// Logger is where the outbox relay logs the attempts that fail (the activities log through the
// Temporal client's logger). Without it the relay logs nothing.
func Logger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// RelayPoll sets how often the outbox relay looks for messages due (activities.DefaultRelayPoll).
func RelayPoll(d time.Duration) Option {
	return func(c *config) { c.relayPoll = d }
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

// Tuning is how much one worker process takes on at once. A zero field keeps its default
// (DefaultTuning, measured with `make storm`: docs/operations.md, "Worker tuning").
type Tuning struct {
	// WorkflowPollers and ActivityPollers are the long polls the worker keeps open on the task
	// queue for each kind of task.
	WorkflowPollers int
	ActivityPollers int
	// WorkflowSlots and ActivitySlots are how many workflow tasks and activities (local ones
	// included) the worker runs at once.
	WorkflowSlots int
	ActivitySlots int
	// StickyCache is how many workflows the process keeps in memory between their tasks. A
	// workflow that is not cached replays its whole history on its next task: at a midnight when
	// every open case's deadline falls due, a cache smaller than the open cases replays most of
	// them. It is the process's, shared by its workers.
	StickyCache int
}

// DefaultTuning is what a worker takes on when its flags do not say.
var DefaultTuning = Tuning{WorkflowPollers: 2, ActivityPollers: 2, WorkflowSlots: 1000, ActivitySlots: 1000, StickyCache: 10_000}

// withDefaults fills the zero fields from DefaultTuning.
func (t Tuning) withDefaults() Tuning {
	for _, f := range []struct {
		v *int
		d int
	}{
		{&t.WorkflowPollers, DefaultTuning.WorkflowPollers}, {&t.ActivityPollers, DefaultTuning.ActivityPollers},
		{&t.WorkflowSlots, DefaultTuning.WorkflowSlots}, {&t.ActivitySlots, DefaultTuning.ActivitySlots},
		{&t.StickyCache, DefaultTuning.StickyCache},
	} {
		if *f.v <= 0 {
			*f.v = f.d
		}
	}
	return t
}

// Tune sets how much the worker takes on at once (see Tuning). The sticky cache is the
// process's: the last worker made sets it.
func Tune(t Tuning) Option {
	return func(c *config) { c.tuning = t }
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
