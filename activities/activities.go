// Package activities holds the side effects of OneDoor's workflows: writing the read model and
// the audit log in PostgreSQL. Every activity is idempotent, keyed by case and event sequence,
// because Temporal retries an activity whose result it did not see.
package activities

import (
	"context"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/store"
)

// Activities are the case workflow's activities, with the store they write to. Workflows call
// them through a nil pointer: `var a *activities.Activities; workflow.ExecuteActivity(ctx, a.SaveCase, …)`.
type Activities struct {
	Store *store.Store
}

// RegisterCaseInput is a new case to record, with the prefix its number takes.
type RegisterCaseInput struct {
	Case         onedoor.Case
	NumberPrefix string
	Entry        store.AuditEntry
}

// RegisterCase records a new case and gives it its number; retried, it returns the same number.
func (a *Activities) RegisterCase(ctx context.Context, in RegisterCaseInput) (onedoor.Case, error) {
	return a.Store.RegisterCase(ctx, in.Case, in.NumberPrefix, in.Entry)
}

// SaveCaseInput is a case's state after an event, and the audit entry of that event.
type SaveCaseInput struct {
	Case  onedoor.Case
	Entry store.AuditEntry
}

// SaveCase mirrors a case's state to the read model and appends the event to the audit log.
func (a *Activities) SaveCase(ctx context.Context, in SaveCaseInput) error {
	return a.Store.SaveCase(ctx, in.Case, in.Entry)
}
