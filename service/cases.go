// Package service is the case service between the API and Temporal: it starts case workflows
// and applies actions, answering with onedoor.Errors. Temporal's options, ids and error types
// stay here; callers speak in workflows.CaseInput, workflows.Action and workflows.CaseState.
package service

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/store"
	"github.com/onedoor/onedoor/workflows"
)

// Cases starts case workflows and applies actions to them.
type Cases struct {
	Temporal client.Client
	// TaskQueue is where case workflows run; workflows.TaskQueue when empty.
	TaskQueue string
	// Namespace is the Temporal namespace of the client's workflows; "default" when empty.
	Namespace string
	// Behind, when set, reports whether the case workflows' tasks are waiting for a worker (a
	// timer storm): a registration or a clerk's action then goes ahead of them (backlog.go).
	Behind func(context.Context) bool
	Store  *store.Store
	Logger *slog.Logger
}

// Queue is the task queue case workflows are started on.
func (s *Cases) Queue() string {
	return cmp.Or(s.TaskQueue, workflows.TaskQueue)
}

func (s *Cases) namespace() string {
	return cmp.Or(s.Namespace, "default")
}

// Closed is the message of an action on a case whose workflow has completed.
const Closed = "the case is closed and its 30 days for the resident's evaluation and return visits have passed"

// Open starts the workflow of the case in and waits until the case is registered, returning its
// state once the read model holds it (WaitMirrored). A retried request (the same case id) joins
// the running workflow and gets the same answer; when that workflow has completed, existing is
// true and the state is the read model's.
func (s *Cases) Open(ctx context.Context, in workflows.CaseInput) (state workflows.CaseState, existing bool, err error) {
	opts := client.StartWorkflowOptions{
		ID:        in.Case.WorkflowID(),
		TaskQueue: s.Queue(),
		// A retried request finds the case's workflow running and joins it.
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}
	// A new case starts at RushPriority while the workflow tasks wait (backlog.go).
	end := s.rush(ctx, in.Case.WorkflowID(), &opts.Priority)
	start := s.Temporal.NewWithStartWorkflowOperation(opts, workflows.CaseWorkflow, in)
	handle, err := s.Temporal.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: start,
		UpdateOptions: client.UpdateWorkflowOptions{
			// One update id per case: a retry gets the first answer again, adding nothing.
			UpdateID:     workflows.UpdateOpen,
			UpdateName:   workflows.UpdateOpen,
			WaitForStage: client.WorkflowUpdateStageCompleted,
		},
	})
	if err == nil {
		err = handle.Get(ctx, &state)
	}
	defer end()()
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		// The retried case has finished its workflow: it is in the read model.
		c, err := s.Store.Case(ctx, in.Case.ID)
		if err != nil {
			return state, true, err
		}
		tasks, err := s.Store.Tasks(ctx, in.Case.ID)
		if err != nil {
			return state, true, err
		}
		return workflows.CaseState{Case: c, Tasks: tasks}, true, nil
	}
	if err != nil {
		return state, false, refusal("start case workflow", err)
	}
	s.WaitMirrored(ctx, state)
	return state, false, nil
}

// Act applies the action a to the case c and returns the case after it, once the read model
// holds it (WaitMirrored). updateID names the action: the same id again gets the first answer and
// applies nothing more. A refused action is an EConflict (it does not fit the case's step, state,
// role or org unit) or an EInvalid (its data are wrong), with the workflow's reason; an action on
// a case whose workflow has completed is an EConflict too.
func (s *Cases) Act(ctx context.Context, c onedoor.Case, updateID string, a workflows.Action) (workflows.CaseState, error) {
	var state workflows.CaseState
	end := s.rush(ctx, c.WorkflowID(), nil)
	handle, err := s.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID:   c.WorkflowID(),
		UpdateID:     updateID,
		UpdateName:   workflows.UpdateAction,
		Args:         []any{a},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = handle.Get(ctx, &state)
	}
	defer end()()
	if err != nil {
		return state, refusal("case action", err)
	}
	s.WaitMirrored(ctx, state)
	return state, nil
}

// Link shows the case opened on the case from, which it links to, acting as user: relation is
// what the opened case is to from (opened, repeated_by). The update's id is derived from the
// opened case, so a retried request links once; a case already linked, or whose workflow has
// completed (the link then shows on the opened case only), is no error.
func (s *Cases) Link(ctx context.Context, user onedoor.User, from, opened onedoor.Case, relation string) error {
	_, err := s.Act(ctx, from, "link-"+opened.ID, workflows.Action{Type: workflows.ActLink, Actor: user,
		Link: &onedoor.Link{CaseID: opened.ID, Number: opened.Number, Matter: opened.Matter, Relation: relation}})
	var gone *serviceerror.NotFound
	var app *temporal.ApplicationError
	switch {
	case err == nil, errors.As(err, &app) && app.Type() == workflows.ErrConflict:
		return nil // linked now, or by an earlier try
	case errors.As(err, &gone):
		s.Logger.WarnContext(ctx, "link to a finished case", "from", from.Number, "opened", opened.Number)
		return nil
	}
	return fmt.Errorf("link %s to %s: %w", opened.Number, from.Number, err)
}

// MirrorWait bounds how long WaitMirrored waits for the read model.
const MirrorWait = 5 * time.Second

// WaitMirrored waits, for up to MirrorWait, until the read model holds the state a workflow
// answered with, so that the client's next read (its queue, a search) shows its own write. The
// change is committed either way: when the database is slow or away, the answer goes out and the
// read model catches up later.
func (s *Cases) WaitMirrored(ctx context.Context, state workflows.CaseState) {
	ctx, cancel := context.WithTimeout(ctx, MirrorWait)
	defer cancel()
	if err := s.Store.WaitMirrored(ctx, state.Case.ID, state.Seq); err != nil {
		s.Logger.WarnContext(ctx, "read model behind the workflow", "case", state.Case.Number, "seq", state.Seq, "error", err)
	}
}

// refusal is err of a call to Temporal as an *onedoor.Error whose cause is err: a workflow's
// refusal with its reason, a completed workflow, or Temporal out of reach or out of time. Other
// errors are returned wrapped as they are: internal.
func refusal(what string, err error) error {
	var app *temporal.ApplicationError
	var gone *serviceerror.NotFound
	var unavailable *serviceerror.Unavailable
	var e *onedoor.Error
	switch {
	case errors.As(err, &app) && (app.Type() == workflows.ErrConflict || app.Type() == workflows.ErrForbidden):
		// A wrong step, state, role or org unit alike: the user may see the case (the caller
		// checked its scope) but the case is not theirs to move now.
		e = &onedoor.Error{Code: onedoor.EConflict, Message: app.Message(), Err: err}
	case errors.As(err, &app) && app.Type() == workflows.ErrInvalid:
		e = &onedoor.Error{Code: onedoor.EInvalid, Message: app.Message(), Err: err}
	case errors.As(err, &gone):
		e = &onedoor.Error{Code: onedoor.EConflict, Message: Closed, Err: err}
	case timedOut(err):
		// The outcome is unknown: the workflow may take the update once a worker is back. The
		// chain carries context.DeadlineExceeded, as the caller's own deadline would.
		e = &onedoor.Error{Code: onedoor.EUnavailable, Message: "Temporal did not answer in time: the outcome is unknown",
			Err: fmt.Errorf("%w: %w", context.DeadlineExceeded, err)}
	case errors.As(err, &unavailable):
		e = &onedoor.Error{Code: onedoor.EUnavailable, Message: "Temporal is unavailable: try again shortly", Err: err}
	default:
		return fmt.Errorf("%s: %w", what, err)
	}
	return fmt.Errorf("%s: %w", what, e)
}

// timedOut reports whether err says a call to Temporal ran out of time.
func timedOut(err error) bool {
	var grpc *serviceerror.DeadlineExceeded
	// The SDK gives up waiting for an update's outcome with its own error, whatever ended the
	// wait: the update may still be applied, exactly as when the request's deadline passes.
	var update *client.WorkflowUpdateServiceTimeoutOrCanceledError
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &grpc) || errors.As(err, &update)
}

// Allowed are the actions u may take on the case c now, as the case workflow's own checks answer
// them (workflows.QueryAllowed); none once its workflow has completed.
func (s *Cases) Allowed(ctx context.Context, c onedoor.Case, u onedoor.User) ([]workflows.Offer, error) {
	v, err := s.Temporal.QueryWorkflow(ctx, c.WorkflowID(), "", workflows.QueryAllowed, u)
	var gone *serviceerror.NotFound
	if errors.As(err, &gone) {
		return []workflows.Offer{}, nil
	}
	if err != nil {
		return nil, refusal("allowed actions", err)
	}
	var offers []workflows.Offer
	if err := v.Get(&offers); err != nil {
		return nil, fmt.Errorf("allowed actions: %w", err)
	}
	return offers, nil
}
