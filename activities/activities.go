// Package activities holds the side effects of OneDoor's workflows: writing the read model and
// the audit log in PostgreSQL, and sending the outbound notices of the outbox.
//
// The case workflow never waits for PostgreSQL. Every change it makes is an event in its
// history first; a regular activity then mirrors the committed events to the read model. An
// activity is scheduled by a committed workflow task only, so the read model never shows a
// change the workflow does not have, and it retries for as long as the database is away, so an
// outage of any length only delays the read model. Every write is idempotent, keyed by case and
// event sequence, because Temporal retries an activity whose result it did not see.
package activities

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/store"
)

// Activities are the case workflow's activities, with the store they write to. The worker
// registers them once; workflows call them through method references on a nil pointer.
type Activities struct {
	Store *store.Store
	// MirrorFaults, for fault tests only (ONEDOOR_FAULT_MIRROR), is the share of Mirror attempts
	// that fail on purpose: half of them before writing, half after their transaction committed,
	// as when a worker dies between the write and its report to Temporal. Zero in production.
	MirrorFaults float64
	// Notices, when set, has the mirror write the notices of the events to the outbox and start
	// the workflow that sends each (notice.go); without it nothing is sent (workflow unit tests).
	Notices *Notices
}

// ErrInjected is the error of a Mirror attempt failed on purpose by MirrorFaults.
var ErrInjected = errors.New("fault injected for a test (ONEDOOR_FAULT_MIRROR)")

// Event is one change to a case, numbered by the workflow in the order it happened, with the
// case as it was after it and the notifications it sends. The case before it is the case after
// the event before.
type Event struct {
	Seq           int64
	At            time.Time
	Actor         string
	Post          string `json:",omitempty"` // the post the actor acted in
	Action        string
	Reason        string                 `json:",omitempty"`
	After         onedoor.Case           `json:"after"`
	Notifications []onedoor.Notification `json:",omitempty"`
}

// MirrorInput are committed events of one case, in order and without gaps, and those of the
// case's tasks, as of the last of them, that the read model may not have as they are: every task
// at the first mirror of a workflow run, then the ones that changed and those the events'
// notifications name (a note's event has none). Relay is set by a case workflow that leaves the events' notices to the
// outbox relay (Relay), as every case started on today's code does. Send is set by one that
// sends them itself (MirrorResult), as cases did before the relay; with neither the mirror starts
// a Notice workflow per event, as it did for the workflows that ran before that.
type MirrorInput struct {
	Events []Event
	Tasks  []onedoor.Task
	Send   bool `json:",omitempty"`
	Relay  bool `json:",omitempty"`
}

// MirrorResult are the outbox messages of the mirrored events still to send, for the case
// workflow to send (MirrorInput.Send), and the retry policy they are sent under.
type MirrorResult struct {
	Pending []store.PendingNotices `json:",omitempty"`
	Retry   Retry
}

// Mirror writes committed events to the read model and the audit log. An event already written
// is skipped after checking that it is the same event; the first event (seq 1) creates the
// case's row.
func (a *Activities) Mirror(ctx context.Context, in MirrorInput) (MirrorResult, error) {
	events := make([]store.Event, len(in.Events))
	for i, e := range in.Events {
		events[i] = store.Event{
			Entry: store.AuditEntry{Seq: e.Seq, At: e.At, Actor: e.Actor, Post: e.Post, Action: e.Action, Reason: e.Reason},
			Case:  e.After, Notifications: e.Notifications, Notify: a.Notices != nil, Relay: in.Relay,
		}
	}
	if a.MirrorFaults <= 0 || rand.Float64() >= a.MirrorFaults {
		return a.mirror(ctx, events, in.Tasks, in.Send)
	}
	if rand.IntN(2) == 0 {
		activity.GetLogger(ctx).Warn("mirror fault injected", "when", "before")
		return MirrorResult{}, ErrInjected
	}
	if _, err := a.mirror(ctx, events, in.Tasks, in.Send); err != nil {
		return MirrorResult{}, err
	}
	activity.GetLogger(ctx).Warn("mirror fault injected", "when", "after")
	return MirrorResult{}, ErrInjected
}
