// Package workflows holds OneDoor's durable procedures: one case workflow that carries any matter
// through the procedure version it started on.
package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/activities"
)

// TaskQueue is the task queue of OneDoor's workflows and activities.
const TaskQueue = "onedoor"

// Names of the case workflow's query and updates.
const (
	QueryState = "state" // the case's full state
	UpdateOpen = "open"  // waits until the case is registered and returns it
)

// Search attributes of case workflows. They carry no personal data.
var (
	SAMatter  = temporal.NewSearchAttributeKeyKeyword("OneDoorMatter")
	SALevel   = temporal.NewSearchAttributeKeyKeyword("OneDoorLevel")
	SAOrgUnit = temporal.NewSearchAttributeKeyKeyword("OneDoorOrgUnit")
	SAStatus  = temporal.NewSearchAttributeKeyKeyword("OneDoorStatus")
)

// SearchAttributes lists the custom search attributes the namespace must have.
var SearchAttributes = []temporal.SearchAttributeKey{SAMatter, SALevel, SAOrgUnit, SAStatus}

// CaseInput starts a case workflow.
type CaseInput struct {
	// Case is the case as received, without its number.
	Case onedoor.Case
	// NumberPrefix is the prefix of the case's number, e.g. WS-PET-2026.
	NumberPrefix string
}

// CaseState is the state of a case workflow, as the state query returns it.
type CaseState struct {
	Case onedoor.Case `json:"case"`
	// Seq is the number of the last event applied to the case.
	Seq int64 `json:"seq"`
}

// Case is the case workflow.
func Case(ctx workflow.Context, in CaseInput) (CaseState, error) {
	w := &caseWorkflow{state: CaseState{Case: in.Case}}
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (CaseState, error) { return w.state, nil }); err != nil {
		return w.state, err
	}
	if err := workflow.SetUpdateHandler(ctx, UpdateOpen, func(ctx workflow.Context) (CaseState, error) {
		if err := workflow.Await(ctx, func() bool { return w.registered }); err != nil {
			return CaseState{}, err
		}
		return w.state, nil
	}); err != nil {
		return w.state, err
	}

	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		// The read model must catch up however long the database is away: retry for ever.
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: time.Minute},
	})
	var a *activities.Activities
	w.state.Seq = 1
	var registered onedoor.Case
	if err := workflow.ExecuteActivity(ctx, a.RegisterCase, activities.RegisterCaseInput{
		Case: in.Case, NumberPrefix: in.NumberPrefix,
		Event: activities.Event{Seq: 1, At: workflow.Now(ctx), Actor: in.Case.CreatedBy, Action: "register"},
	}).Get(ctx, &registered); err != nil {
		return w.state, err
	}
	w.state.Case.Number = registered.Number
	w.registered = true
	if err := w.upsertSearchAttributes(ctx); err != nil {
		return w.state, err
	}

	err := workflow.Await(ctx, func() bool { return w.state.Case.Status == onedoor.StatusClosed })
	return w.state, err
}

type caseWorkflow struct {
	state      CaseState
	registered bool
}

func (w *caseWorkflow) upsertSearchAttributes(ctx workflow.Context) error {
	c := w.state.Case
	return workflow.UpsertTypedSearchAttributes(ctx,
		SAMatter.ValueSet(string(c.Matter)),
		SALevel.ValueSet(string(c.Level)),
		SAOrgUnit.ValueSet(c.OrgUnit),
		SAStatus.ValueSet(string(c.Status)),
	)
}
