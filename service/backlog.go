package service

import (
	"cmp"
	"context"
	"sync"
	"sync/atomic"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	taskqueuepb "go.temporal.io/api/taskqueue/v1"
	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/onedoor/onedoor/store"
)

// Every deadline of a day ends at 24:00, so its timers fire in the same minute and queue
// thousands of case workflows' tasks at once. Temporal hands a task queue's tasks out in the order
// they came, whatever caused them, and a clerk's action needs a workflow task of its own case: it
// would wait behind the whole storm. So while the case workflows' tasks wait for a worker
// (Cases.Behind), the case of a clerk's action (or a registration) gets Temporal's highest
// priority for the time of the action, and its tasks go ahead of the queue; the case is back at
// the default priority once the action is answered. Each such action adds two
// WorkflowExecutionOptionsUpdated events to the case's history; an action in quiet times adds none.

// RushPriority is the priority key of a clerk's case while the workflow tasks wait: the highest
// of Temporal's five levels (1 the highest, 3 the default).
const RushPriority = 1

// prioritize sets the priority key of the case workflow id (0: back to the default) and
// reschedules its pending workflow task at it. A failure is logged: the action goes on at the
// priority the case has.
func (s *Cases) prioritize(ctx context.Context, id string, key int32) {
	_, err := s.Temporal.WorkflowService().UpdateWorkflowExecutionOptions(ctx, &workflowservice.UpdateWorkflowExecutionOptionsRequest{
		Namespace:                s.namespace(),
		WorkflowExecution:        &commonpb.WorkflowExecution{WorkflowId: id},
		WorkflowExecutionOptions: &workflowpb.WorkflowExecutionOptions{Priority: &commonpb.Priority{PriorityKey: key}},
		UpdateMask:               &fieldmaskpb.FieldMask{Paths: []string{"priority.priority_key"}},
	})
	if err != nil {
		s.Logger.WarnContext(ctx, "case workflow's priority not changed", "workflow", id, "priority", key, "error", err)
	}
}

// LowerWithin bounds the call that puts a case back at the default priority, so that a request
// does not wait on Temporal out of reach. A case left at the highest (the failure is logged) keeps
// it until a clerk's action in a later storm puts it back; its tasks go ahead of others' meanwhile.
const LowerWithin = 5 * time.Second

// rush gives the case workflow id RushPriority for an action when the workflow tasks wait
// (Behind): before the action is sent, or, for a new case (start not nil), by its start's
// priority. (Raising a case while its update waits for a workflow task does not work: the change
// waited, in measured storms, until the update's request gave up.) rush returns what ends it:
// that puts the default priority back when the case was raised, beside what the request still
// does (the wait for the read model), and returns what waits for it, so that no call outlives
// the request.
func (s *Cases) rush(ctx context.Context, id string, start *temporal.Priority) (end func() (wait func())) {
	none := func() func() { return func() {} }
	if s.Behind == nil || !s.Behind(ctx) {
		return none
	}
	if start != nil {
		*start = temporal.Priority{PriorityKey: RushPriority}
	} else {
		s.prioritize(ctx, id, RushPriority)
	}
	return func() func() {
		done := make(chan struct{})
		go func() {
			defer close(done)
			// Even when the request is over or gone, within LowerWithin.
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), LowerWithin)
			defer cancel()
			s.prioritize(ctx, id, 0)
		}()
		return func() { <-done }
	}
}

// Lag tells, from the workflow tasks this process's workers take, whether the case workflows'
// tasks wait for a worker: Behind is true while a task taken in the last Hold waited at least
// Threshold in its queue (sticky queues included). A task of a quiet queue starts within
// milliseconds; the first tasks of a storm show it a Threshold after it began. Its Watch option
// installs it on a Temporal client; the zero value is ready to use.
type Lag struct {
	// Threshold is how long a task may wait before the queue counts as behind; a second when 0.
	Threshold time.Duration
	// Hold is how long the queue counts as behind after such a task; ten seconds when 0.
	Hold time.Duration

	until atomic.Int64 // unix nanoseconds until which the queue counts as behind
}

// Watch is a client option that lets l see the workflow tasks the client's workers poll.
func (l *Lag) Watch(o *client.Options) {
	o.ConnectionOptions.DialOptions = append(o.ConnectionOptions.DialOptions, grpc.WithChainUnaryInterceptor(l.intercept))
}

func (l *Lag) intercept(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	err := invoker(ctx, method, req, reply, cc, opts...)
	if r, ok := reply.(*workflowservice.PollWorkflowTaskQueueResponse); ok && err == nil {
		l.observe(r, time.Now())
	}
	return err
}

// observe notes how long the workflow task r waited, seen at now.
func (l *Lag) observe(r *workflowservice.PollWorkflowTaskQueueResponse, now time.Time) {
	// An empty poll and a legacy query carry no task that waited.
	if len(r.GetTaskToken()) == 0 || r.GetQuery() != nil || r.GetScheduledTime() == nil || r.GetStartedTime() == nil {
		return
	}
	if r.GetStartedTime().AsTime().Sub(r.GetScheduledTime().AsTime()) >= cmp.Or(l.Threshold, time.Second) {
		l.until.Store(now.Add(cmp.Or(l.Hold, 10*time.Second)).UnixNano())
	}
}

// Behind reports whether a workflow task recently waited for a worker.
func (l *Lag) Behind(context.Context) bool {
	return time.Now().UnixNano() < l.until.Load()
}

// QueueBacklog tells, for an API node without a worker of its own, whether the case workflows'
// task queue has tasks waiting for a worker: its oldest task has waited Threshold, as Temporal's
// approximate statistics of the queue say (DescribeTaskQueue). Those count the shared queue
// only, not the tasks queued for a worker's cache (its sticky queue). It asks at most once in
// Every, and an error counts as not behind.
type QueueBacklog struct {
	Temporal  client.Client
	Namespace string
	TaskQueue string
	// Threshold is the age of the oldest task that counts as behind; a second when 0.
	Threshold time.Duration
	// Every is how long an answer is kept; a second when 0.
	Every time.Duration

	last lastAnswer
}

// Behind reports whether the queue was behind when last asked, asking again when that answer
// is older than Every (one caller asks; the others take the last answer meanwhile).
func (q *QueueBacklog) Behind(ctx context.Context) bool {
	return q.last.get(cmp.Or(q.Every, time.Second), func() bool {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		r, err := q.Temporal.WorkflowService().DescribeTaskQueue(ctx, &workflowservice.DescribeTaskQueueRequest{
			Namespace:     q.Namespace,
			TaskQueue:     &taskqueuepb.TaskQueue{Name: q.TaskQueue, Kind: enumspb.TASK_QUEUE_KIND_NORMAL},
			TaskQueueType: enumspb.TASK_QUEUE_TYPE_WORKFLOW,
			ReportStats:   true,
		})
		return err == nil && r.GetStats().GetApproximateBacklogAge().AsDuration() >= cmp.Or(q.Threshold, time.Second)
	})
}

// Forecast tells from the read model that a deadline storm is breaking, before any task has
// waited long enough to show it (Lag, QueueBacklog): Threshold or more open cases fall due within
// Window of now. A clerk's note sent in the first seconds of a storm would otherwise queue at
// the default priority behind the storm's tasks. The day's due-soon warnings fire at the same
// 24:00 as its deadlines, so the deadlines near now stand for both. It asks at most once in
// Every, and an error counts as no storm.
type Forecast struct {
	Store *store.Store
	// Threshold is how many cases due near now make a storm; 100 when 0 (on a dev node, about
	// four seconds of the worker's work).
	Threshold int
	// Window is how far before and after now a deadline counts; a minute when 0.
	Window time.Duration
	// Every is how long an answer is kept; five seconds when 0.
	Every time.Duration

	last lastAnswer
}

// Behind reports whether enough cases fall due near now, as the read model said when last
// asked.
func (f *Forecast) Behind(ctx context.Context) bool {
	return f.last.get(cmp.Or(f.Every, 5*time.Second), func() bool {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		window, threshold := cmp.Or(f.Window, time.Minute), cmp.Or(f.Threshold, 100)
		now := time.Now()
		n, err := f.Store.DueBetween(ctx, now.Add(-window), now.Add(window), threshold)
		return err == nil && n >= threshold
	})
}

// AnyBehind is behind when one of signs is.
func AnyBehind(signs ...func(context.Context) bool) func(context.Context) bool {
	return func(ctx context.Context) bool {
		for _, behind := range signs {
			if behind(ctx) {
				return true
			}
		}
		return false
	}
}

// lastAnswer keeps a yes-or-no answer that is costly to get for a while: one caller asks again
// when it is older than that, and the others take the last answer meanwhile.
type lastAnswer struct {
	mu      sync.Mutex
	asked   time.Time
	answer  bool
	pending bool
}

func (l *lastAnswer) get(keep time.Duration, ask func() bool) bool {
	l.mu.Lock()
	if l.pending || time.Since(l.asked) < keep {
		defer l.mu.Unlock()
		return l.answer
	}
	l.pending = true
	l.mu.Unlock()

	answer := ask()

	l.mu.Lock()
	defer l.mu.Unlock()
	l.asked, l.answer, l.pending = time.Now(), answer, false
	return answer
}
