// Package activities holds the side effects of OneDoor's workflows: writing the read model and
// the audit log in PostgreSQL. Every activity is idempotent, keyed by case and event sequence,
// because Temporal retries an activity whose result it did not see.
package activities

import (
	"context"
	"encoding/json"
	"time"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/store"
)

// Names of the activities, as the worker registers them. The case workflow runs them as local
// activities, by name.
const (
	NameRegisterCase = "RegisterCase"
	NameSaveCase     = "SaveCase"
)

// Activities are the case workflow's activities, with the store they write to. The worker
// registers them once; workflows call them by name (NameSaveCase…).
type Activities struct {
	Store *store.Store
}

// Event is one change to a case, numbered by the workflow in the order it happened.
type Event struct {
	Seq    int64
	At     time.Time
	Actor  string
	Action string
	Reason string
}

// audit makes the audit entry of an event. The case snapshots are marshalled here, not in the
// workflow, which must stay deterministic.
func (e Event) audit(before *onedoor.Case, after onedoor.Case) (store.AuditEntry, error) {
	entry := store.AuditEntry{Seq: e.Seq, At: e.At, Actor: e.Actor, Action: e.Action, Reason: e.Reason}
	var err error
	if before != nil {
		if entry.Before, err = json.Marshal(before); err != nil {
			return entry, err
		}
	}
	entry.After, err = json.Marshal(after)
	return entry, err
}

// RegisterCaseInput is a new case to record, with the prefix its number takes.
type RegisterCaseInput struct {
	Case         onedoor.Case
	Tasks        []onedoor.Task
	NumberPrefix string
	Event        Event
}

// RegisterCase records a new case and gives it its number; retried, it returns the same number.
func (a *Activities) RegisterCase(ctx context.Context, in RegisterCaseInput) (onedoor.Case, error) {
	entry, err := in.Event.audit(nil, in.Case)
	if err != nil {
		return in.Case, err
	}
	return a.Store.RegisterCase(ctx, in.Case, in.Tasks, in.NumberPrefix, entry)
}

// SaveCaseInput is a case's state before and after an event, its tasks after it, and the
// notifications the event sends.
type SaveCaseInput struct {
	Before        onedoor.Case
	After         onedoor.Case
	Tasks         []onedoor.Task
	Notifications []onedoor.Notification
	Event         Event
}

// SaveCase mirrors a case's state to the read model and appends the event to the audit log.
func (a *Activities) SaveCase(ctx context.Context, in SaveCaseInput) error {
	entry, err := in.Event.audit(&in.Before, in.After)
	if err != nil {
		return err
	}
	return a.Store.SaveCase(ctx, in.After, in.Tasks, in.Notifications, entry)
}
