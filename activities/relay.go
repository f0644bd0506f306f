package activities

import (
	"context"
	"log/slog"
	"math"
	"time"

	"go.temporal.io/sdk/log"

	"github.com/onedoor/onedoor/store"
)

// Relay sends the outbox messages of the cases started on today's code (MirrorInput.Relay): every
// worker process runs one beside its Temporal worker. The mirror writes a message in the same
// transaction as the event that causes it; the relay claims the messages that are due
// (store.ClaimNotices, a lease that another process's relay respects), makes an attempt at each
// (recorded in the outbox as the send activity's are), and schedules the next attempt after the
// Retry policy's backoff, or marks the message failed after the last one or a refusal for good.
// A notice thus costs Temporal nothing: before, each event that sent any made the case workflow
// run an activity per message and a workflow task after them.
type Relay struct {
	Activities *Activities
	Logger     *slog.Logger
	// Poll is how often the relay looks for messages it was not woken for: written by another
	// process, or due again after a failed attempt. DefaultRelayPoll when zero.
	Poll time.Duration

	// failing is set while claims fail (the database is away): the relay says so once, and once
	// more when it claims again, not at every poll.
	failing bool
}

// A message written by another process waits at most a second for its first attempt; a claim
// takes up to relayBatch messages, sent at once, and holds them for twice the longest attempt.
const (
	DefaultRelayPoll = time.Second
	relayBatch       = 16
	// attemptTimeout bounds one attempt, as the send activity's start-to-close timeout did.
	attemptTimeout = time.Minute
	relayLease     = 2 * attemptTimeout
)

// Run sends due messages until ctx ends, and returns once the attempts under way have ended. A
// database that is away only delays the messages: the relay tries again at its next poll.
func (r *Relay) Run(ctx context.Context) {
	poll := r.Poll
	if poll <= 0 {
		poll = DefaultRelayPoll
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.Activities.Store.OutboxWritten():
		case <-timer.C:
		}
		// A full batch says more are due: claim again at once.
		if r.round(ctx) {
			timer.Reset(0)
		} else {
			timer.Reset(poll)
		}
	}
}

// round claims a batch and makes an attempt at each of its messages, all at once, and records
// how they ended when they all have, with the next attempt of those that may be tried again; it
// reports whether the batch was full. The round runs to its end even when ctx ends meanwhile (a
// stopping worker waits for it), so that its attempts are recorded. A claim, the texts kept and
// the ends recorded are three statements for the whole batch.
func (r *Relay) round(ctx context.Context) bool {
	claimed, err := r.Activities.Store.ClaimNotices(ctx, relayBatch, relayLease, time.Now())
	if err != nil {
		if ctx.Err() == nil && !r.failing {
			r.Logger.Warn("outbox relay: cannot claim messages; trying again at every poll", "error", err)
		}
		r.failing = ctx.Err() == nil
		return false
	}
	if r.failing {
		r.Logger.Info("outbox relay: claiming messages again")
		r.failing = false
	}
	if len(claimed) == 0 {
		return false
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), relayLease)
	defer cancel()
	retry := r.Activities.Notices.Retry
	outcomes := r.Activities.attempt(ctx, claimed, retry.Attempts, log.NewStructuredLogger(r.Logger))
	ends := make([]store.AttemptEnd, len(outcomes))
	for i, o := range outcomes {
		ends[i] = o.end
		if o.err != nil && !o.end.Final {
			ends[i].RetryAt = time.Now().Add(retry.after(o.end.Attempt))
		}
	}
	if err := r.Activities.Store.FinishNoticeAttempts(ctx, ends); err != nil {
		// The claims' lease runs out instead: the messages are tried again then.
		r.Logger.Warn("outbox relay: cannot record the attempts", "messages", len(ends), "error", err)
	}
	return len(claimed) == relayBatch
}

// after is the wait after failed attempt number attempt before the next one: Initial, growing
// by Backoff each time, up to Max.
func (r Retry) after(attempt int) time.Duration {
	d := float64(r.Initial) * math.Pow(max(r.Backoff, 1), float64(attempt-1))
	if r.Max > 0 && d > float64(r.Max) {
		return r.Max
	}
	return time.Duration(d)
}
