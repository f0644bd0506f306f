package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/onedoor/onedoor/activities"
)

// Notice sends one outbox message: its send activity is retried with backoff under the retry
// policy in the input (the worker's configuration, written when the message was), each attempt
// recorded in the outbox; when every attempt has failed, or the receiver refused the message for
// good, the message is marked failed. A new workflow of its own, apart from the case workflow,
// whose histories it leaves as they were.
func Notice(ctx workflow.Context, in activities.NoticeInput) error {
	var a *activities.Activities
	send := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    in.Retry.Initial,
			BackoffCoefficient: in.Retry.Backoff,
			MaximumInterval:    in.Retry.Max,
			MaximumAttempts:    int32(in.Retry.Attempts),
		},
	})
	err := workflow.ExecuteActivity(send, a.DeliverNotice, in).Get(ctx, nil)
	if err == nil {
		return nil
	}
	reason := err.Error()
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		reason = app.Error()
	}
	// Recording the failure waits out a database outage, however long.
	record := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{MaximumInterval: time.Minute},
	})
	return workflow.ExecuteActivity(record, a.FailNotice, in.ID, fmt.Sprintf("gave up: %s", reason)).Get(ctx, nil)
}
