package activities

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
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
// records it, for the send activity of the cases that send their notices themselves. A failure
// after which the message is failed for good is a *refusedError.
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
	out := a.attempt(ctx, []store.ClaimedNotice{{OutboxMessage: n, Attempt: attempt}}, attempts, logger)[0]
	if err := a.Store.FinishNoticeAttempts(ctx, []store.AttemptEnd{out.end}); err != nil {
		return errors.Join(out.err, err)
	}
	if out.end.Final {
		return &refusedError{out.err}
	}
	return out.err
}

// outcome is how an attempt at a message ended, and the error that failed it (nil: delivered).
type outcome struct {
	end store.AttemptEnd
	err error
}

// attempt makes the begun attempts at the messages, all at once, and returns how each ended, in
// their order, for the caller to record: a message is rendered from its template at its first
// attempt and the text kept before it is sent (every retry sends that text), then sent through
// the adapter of its channel, each send bounded by attemptTimeout. A template that does not
// render, a channel without adapter, a receiver's refusal and the last attempt's failure fail the
// message for good.
func (a *Activities) attempt(ctx context.Context, msgs []store.ClaimedNotice, attempts int, logger log.Logger) []outcome {
	out := make([]outcome, len(msgs))
	end := func(i int, err error, final bool) {
		out[i] = outcome{end: store.AttemptEnd{ID: msgs[i].ID, Attempt: msgs[i].Attempt, At: time.Now(), Final: final && err != nil}, err: err}
		if err != nil {
			out[i].end.Error = err.Error()
		}
	}
	ready := make([]bool, len(msgs))
	render := map[string]string{}
	var templates []store.NoticeTemplate
	var terr error
	for i, m := range msgs {
		if m.Body != "" {
			ready[i] = true
			continue
		}
		if templates == nil && terr == nil {
			templates, terr = a.Store.NoticeTemplates(ctx)
		}
		if terr != nil {
			end(i, terr, false)
			continue
		}
		k := slices.IndexFunc(templates, func(t store.NoticeTemplate) bool { return t.Key == m.Template })
		if k < 0 {
			end(i, onedoor.Errorf(onedoor.ENotFound, "no notice template %s", m.Template), false)
			continue
		}
		text, err := notice.Render(m.Template, templates[k].Body, m.Vars)
		if err != nil {
			end(i, fmt.Errorf("template %s: %w", m.Template, err), true)
			continue
		}
		render[m.ID] = text
	}
	if len(render) > 0 {
		kept, err := a.Store.KeepNoticeBodies(ctx, render)
		for i, m := range msgs {
			if _, rendered := render[m.ID]; !rendered {
				continue
			}
			if err != nil {
				end(i, err, false)
				continue
			}
			msgs[i].Body, ready[i] = kept[m.ID], true
		}
	}
	var sends sync.WaitGroup
	for i, m := range msgs {
		if !ready[i] {
			continue
		}
		sender := a.Notices.Senders[m.Channel]
		if sender == nil {
			end(i, fmt.Errorf("no adapter sends by %s", m.Channel), true)
			continue
		}
		sends.Go(func() {
			ctx, cancel := context.WithTimeout(ctx, attemptTimeout)
			defer cancel()
			err := sender.Send(ctx, notice.Message{ID: m.ID, Channel: m.Channel, Template: m.Template, Recipient: m.Recipient, Text: m.Body, Case: m.CaseNumber})
			if err != nil {
				logger.Warn("notice attempt failed", "id", m.ID, "attempt", m.Attempt, "to", notice.Mask(m.Recipient), "error", err)
			}
			end(i, err, err != nil && (notice.Permanent(err) || m.Attempt >= attempts))
		})
	}
	sends.Wait()
	return out
}

// FailNotice marks a message failed once its workflow has given up sending it.
func (a *Activities) FailNotice(ctx context.Context, id, reason string) error {
	return a.Store.FailNotice(ctx, id, reason)
}
