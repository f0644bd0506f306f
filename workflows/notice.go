package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/onedoor/onedoor/activities"
)

// Notice sends the outbox messages of one event (in.IDs; in.ID alone in a workflow started when
// each message had its own), at once: each one's send activity is retried with backoff under the
// retry policy in the input (the worker's configuration, written when the message was), each
// attempt recorded in the outbox; a message whose every attempt failed, or that the receiver
// refused for good, is marked failed. A new workflow of its own, apart from the case workflow,
// whose histories it leaves as they were.
func Notice(ctx workflow.Context, in activities.NoticeInput) error {
	ids := in.IDs
	if in.ID != "" {
		ids = append([]string{in.ID}, ids...)
	}
	return sendNotices(ctx, ids, in.Retry)
}

// sendNotices sends the outbox messages ids at once, each one's send activity retried with
// backoff under retry, and marks failed those it gave up on: the body of the Notice workflow, and
// of the case workflow's sending since it sends its events' notices itself.
func sendNotices(ctx workflow.Context, ids []string, retry activities.Retry) error {
	var a *activities.Activities
	send := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    retry.Initial,
			BackoffCoefficient: retry.Backoff,
			MaximumInterval:    retry.Max,
			MaximumAttempts:    int32(retry.Attempts),
		},
	})
	sends := make([]workflow.Future, len(ids))
	for i, id := range ids {
		sends[i] = workflow.ExecuteActivity(send, a.DeliverNotice, activities.NoticeInput{ID: id, Retry: retry})
	}
	// Recording a failure waits out a database outage, however long.
	record := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{MaximumInterval: time.Minute},
	})
	var errs []error
	for i, f := range sends {
		err := f.Get(ctx, nil)
		if err == nil {
			continue
		}
		reason := err.Error()
		var app *temporal.ApplicationError
		if errors.As(err, &app) {
			reason = app.Error()
		}
		errs = append(errs, workflow.ExecuteActivity(record, a.FailNotice, ids[i], fmt.Sprintf("gave up: %s", reason)).Get(ctx, nil))
	}
	return errors.Join(errs...)
}
