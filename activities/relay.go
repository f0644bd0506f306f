package activities

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"sync"
	"time"

	"go.temporal.io/sdk/log"
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

// round claims a batch and makes an attempt at each of its messages, all at once, and returns
// when they have ended; it reports whether the batch was full. An attempt runs to its end even
// when ctx ends meanwhile (a stopping worker waits for it), so that it is recorded.
func (r *Relay) round(ctx context.Context) bool {
	claimed, err := r.Activities.Store.ClaimNotices(ctx, relayBatch, relayLease)
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
	var round sync.WaitGroup
	for _, c := range claimed {
		round.Add(1)
		go func() {
			defer round.Done()
			r.attempt(context.WithoutCancel(ctx), c.ID, c.Attempt)
		}()
	}
	round.Wait()
	return len(claimed) == relayBatch
}

// attempt makes one attempt at a claimed message and schedules the next one when it failed and
// may be tried again.
func (r *Relay) attempt(ctx context.Context, id string, attempt int) {
	ctx, cancel := context.WithTimeout(ctx, attemptTimeout)
	defer cancel()
	retry := r.Activities.Notices.Retry
	err := r.Activities.deliver(ctx, id, attempt, retry.Attempts, log.NewStructuredLogger(r.Logger))
	var refused *refusedError
	if err == nil || errors.As(err, &refused) {
		return
	}
	if err := r.Activities.Store.RetryNoticeAt(ctx, id, time.Now().Add(retry.after(attempt))); err != nil {
		// The claim's lease runs out instead: the message is tried again then.
		r.Logger.Warn("outbox relay: cannot schedule the next attempt", "id", id, "error", err)
	}
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
