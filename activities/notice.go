package activities

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/notice"
	"github.com/onedoor/onedoor/store"
)

// NoticeWorkflow is the registered name of the workflow that sends the outbox messages of an event
// (workflows.Notice).
const NoticeWorkflow = "Notice"

// Notices is how the outbox sends: an adapter per channel, and the retry policy of the send.
type Notices struct {
	Senders map[string]notice.Sender // by channel: notice.ChannelSMS, notice.ChannelWebhook
	Retry   Retry
}

// Retry is the retry policy of sending a message: the wait before the second attempt, growing by
// Backoff each time up to Max, and at most Attempts attempts in all.
type Retry struct {
	Initial  time.Duration
	Backoff  float64
	Max      time.Duration
	Attempts int
}

// DefaultRetry tries a message 12 times over about three hours: 30 s, 1 min, 2 min … then every
// 30 min.
var DefaultRetry = Retry{Initial: 30 * time.Second, Backoff: 2, Max: 30 * time.Minute, Attempts: 12}

// DevNotices are the notices of `onedoor dev` and of a deployment without SMS gateway or webhook:
// every channel writes to the log (notice.Log), and the outbox page shows what would be sent.
func DevNotices(logger *slog.Logger) *Notices {
	l := notice.Log{Logger: logger}
	return &Notices{Senders: map[string]notice.Sender{notice.ChannelSMS: l, notice.ChannelWebhook: l}, Retry: DefaultRetry}
}

// NoticeInput is the input of the workflow that sends the outbox messages of an event (IDs), and
// of its activity, which sends one (ID). A workflow started before messages were sent by event
// has the one ID.
type NoticeInput struct {
	ID    string
	IDs   []string `json:",omitempty"`
	Retry Retry
}

// NoticesWorkflowID is the workflow id of the sending of an event's outbox messages: one
// workflow per event, however often the mirror that wrote them runs. (Messages written before
// they were sent by event had a workflow each, notice-<message id>.)
func NoticesWorkflowID(caseID string, seq int64) string {
	return fmt.Sprintf("notices-%s-%d", caseID, seq)
}

// mirror writes the events and returns their outbox messages still pending, by event: a message
// written by an attempt that died before it was sent is pending still, and the retry returns it.
// A case workflow that sends them itself (send) schedules an activity per message, with no
// workflow of its own: starting a workflow per event made the notices about as costly to
// Temporal as the case's registration itself (BenchmarkCreateCase, 12 against 20 cases/s without
// notices). For the workflows that ran before, it starts one Notice workflow per event, as then;
// a workflow already started is not started again, even for the subset of its messages still
// pending.
func (a *Activities) mirror(ctx context.Context, events []store.Event, tasks []onedoor.Task, send bool) (MirrorResult, error) {
	pending, err := a.Store.MirrorNotify(ctx, events, tasks)
	if err != nil || len(pending) == 0 || a.Notices == nil {
		return MirrorResult{}, err
	}
	if send {
		return MirrorResult{Pending: pending, Retry: a.Notices.Retry}, nil
	}
	c := activity.GetClient(ctx)
	queue := activity.GetInfo(ctx).TaskQueue
	for _, p := range pending {
		_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
			ID: NoticesWorkflowID(p.CaseID, p.Seq), TaskQueue: queue,
			WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		}, NoticeWorkflow, NoticeInput{IDs: p.IDs, Retry: a.Notices.Retry})
		var started *serviceerror.WorkflowExecutionAlreadyStarted
		if err != nil && !errors.As(err, &started) {
			return MirrorResult{}, fmt.Errorf("start sending the notices of event %d: %w", p.Seq, err)
		}
	}
	return MirrorResult{}, nil
}

// DeliverNotice makes one attempt to send an outbox message and records it: rendered from its
// template at the first attempt (every retry sends that text), sent through the adapter of its
// channel. A message already sent or failed is not sent again. A refusal for good (a gateway's
// 4xx) is not retried.
func (a *Activities) DeliverNotice(ctx context.Context, in NoticeInput) error {
	err := a.deliver(ctx, in.ID, int(activity.GetInfo(ctx).Attempt), in.Retry.Attempts, activity.GetLogger(ctx))
	var refused *refusedError
	if errors.As(err, &refused) {
		return temporal.NewNonRetryableApplicationError(err.Error(), "notice_refused", refused.err)
	}
	return err
}

// refusedError is an attempt's failure after which the message is failed for good: the receiver
// refused it, or it was the last attempt.
type refusedError struct{ err error }

func (e *refusedError) Error() string { return e.err.Error() }
func (e *refusedError) Unwrap() error { return e.err }

// deliver makes attempt number attempt (of at most attempts) to send the outbox message id and
// records it, for the send activity and the relay alike. A failure after which the message is
// failed for good is a *refusedError.
func (a *Activities) deliver(ctx context.Context, id string, attempt, attempts int, logger log.Logger) error {
	n, err := a.Store.NoticeToSend(ctx, id)
	if err != nil {
		return err
	}
	if n.Status != store.NoticePending {
		return nil
	}
	if err := a.Store.StartNoticeAttempt(ctx, n.ID, attempt, time.Now()); err != nil {
		return err
	}
	fail := func(err error, final bool) error {
		if ferr := a.Store.FinishNoticeAttempt(ctx, n.ID, attempt, time.Now(), err.Error(), final); ferr != nil {
			return errors.Join(err, ferr)
		}
		if final {
			return &refusedError{err}
		}
		return err
	}
	body := n.Body
	if body == "" {
		t, err := a.Store.NoticeTemplateOf(ctx, n.Template)
		if err != nil {
			return fail(err, false)
		}
		text, err := notice.Render(n.Template, t.Body, n.Vars)
		if err != nil {
			return fail(fmt.Errorf("template %s: %w", n.Template, err), true)
		}
		if body, err = a.Store.SetNoticeBody(ctx, n.ID, text); err != nil {
			return fail(err, false)
		}
	}
	sender := a.Notices.Senders[n.Channel]
	if sender == nil {
		return fail(fmt.Errorf("no adapter sends by %s", n.Channel), true)
	}
	err = sender.Send(ctx, notice.Message{ID: n.ID, Channel: n.Channel, Template: n.Template, Recipient: n.Recipient, Text: body, Case: n.CaseNumber})
	if err != nil {
		logger.Warn("notice attempt failed", "id", n.ID, "attempt", attempt, "to", notice.Mask(n.Recipient), "error", err)
		return fail(err, notice.Permanent(err) || attempt >= attempts)
	}
	return a.Store.FinishNoticeAttempt(ctx, n.ID, attempt, time.Now(), "", false)
}

// FailNotice marks a message failed once its workflow has given up sending it.
func (a *Activities) FailNotice(ctx context.Context, id, reason string) error {
	return a.Store.FailNotice(ctx, id, reason)
}
