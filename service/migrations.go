package service

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/workflows"
)

// PreviewMigration asks the case's workflow where the case would land under the migration m
// (workflows.QueryMigration), changing nothing. A case the plan cannot move is an EConflict or
// an EInvalid with the workflow's reason, a case whose workflow has completed an EConflict.
func (s *Cases) PreviewMigration(ctx context.Context, c onedoor.Case, m workflows.Migration) (workflows.MigrationPreview, error) {
	var p workflows.MigrationPreview
	v, err := s.Temporal.QueryWorkflow(ctx, c.WorkflowID(), "", workflows.QueryMigration, m)
	if err == nil {
		err = v.Get(&p)
	}
	if err != nil {
		return p, refusal("migration preview", queryRefusal(err))
	}
	return p, nil
}

// queryRefusal is the error a query handler returned as the application error the workflow
// would give an update, so that refusal reads its reason as the workflow wrote it: without the
// SDK's "(type: conflict, retryable: false)", which a plan would otherwise keep in the reason a
// case is left, where no reader could translate it.
func queryRefusal(err error) error {
	var failed *serviceerror.QueryFailed
	if !errors.As(err, &failed) {
		return err
	}
	// The failure's own message is "Encoded failure" under the payload codec; its type is not.
	code := onedoor.EConflict
	if failed.Failure.GetApplicationFailureInfo().GetType() == workflows.ErrInvalid {
		code = onedoor.EInvalid
	}
	return &onedoor.Error{Code: code, Message: sdkSuffix.ReplaceAllString(failed.Message, ""), Err: err}
}

// sdkSuffix is what the SDK adds to an application error's message in a query's failure.
var sdkSuffix = regexp.MustCompile(` \(type: [^,()]*, retryable: (true|false)\)$`)

// Migrate moves the case to the target version of the migration m through its workflow
// (workflows.UpdateMigrate), once: updateID names the move (one per plan and case), so a retry
// after a crash gets the first answer; a case already on the target version answers as it is.
func (s *Cases) Migrate(ctx context.Context, c onedoor.Case, updateID string, m workflows.Migration) (workflows.CaseState, error) {
	var state workflows.CaseState
	handle, err := s.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID:   c.WorkflowID(),
		UpdateID:     updateID,
		UpdateName:   workflows.UpdateMigrate,
		Args:         []any{m},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = handle.Get(ctx, &state)
	}
	if err != nil {
		return state, refusal(fmt.Sprintf("migrate case %s", c.Number), err)
	}
	s.WaitMirrored(ctx, state)
	return state, nil
}
