package api

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/store"
	"github.com/onedoor/onedoor/workflows"
)

// idempotencyNamespace scopes the case ids derived from Idempotency-Key headers.
var idempotencyNamespace = uuid.MustParse("6b1f1f0e-3c55-4a53-9a3e-7f0d2f3c9a10")

// CreateCaseInput is the request to register a matter.
type CreateCaseInput struct {
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"200" doc:"A key of the client's choosing: a retried request with the same key returns the same case instead of registering a second one; the same key with a different request is refused (422)."`
	Body           struct {
		Matter       definitions.Matter `json:"matter" enum:"petition,mediation,legal_aid,notarization,consultation" doc:"Kind of matter."`
		Procedure    string             `json:"procedure,omitempty" maxLength:"64" doc:"Key of the procedure to follow, when an administrator published one of their own for this matter; the matter's built-in procedure when empty."`
		Channel      onedoor.Channel    `json:"channel" enum:"visit,letter,phone,online,grid" doc:"How the matter reached the center."`
		ReceivedBy   string             `json:"received_by,omitempty" maxLength:"64" doc:"Org unit whose window received the matter; the clerk's own when empty."`
		Subject      string             `json:"subject" minLength:"1" maxLength:"200" doc:"One-line subject of the matter."`
		ResidentName string             `json:"resident_name" minLength:"1" maxLength:"100" doc:"Name of the resident who brought the matter."`
		Data         map[string]any     `json:"data,omitempty" maxProperties:"200" doc:"Intake data, per the procedure's form; at most 64 KiB as JSON."`
		LinkedTo     string             `json:"linked_to,omitempty" maxLength:"64" doc:"Id or number of the case this one is opened from (a petition that becomes a mediation); the link shows on both."`
	}
}

// CaseDetail is a case with its tasks: the open ones with their due dates and how they were
// counted, and the finished ones with their outcomes.
type CaseDetail struct {
	onedoor.Case
	Tasks []onedoor.Task `json:"tasks" doc:"The case's tasks in the order they were opened."`
}

// CaseOutput is a case in a response.
type CaseOutput struct {
	Body CaseDetail
}

// GetCaseInput names a case.
type GetCaseInput struct {
	ID string `path:"id" maxLength:"64" doc:"The case's id or number."`
}

func (s *Server) registerCases(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID:   "create-case",
		Method:        http.MethodPost,
		Path:          "/v1/cases",
		Summary:       "Register a matter",
		Description:   "Registers a matter received at a window and starts its case workflow. The response is the registered case with its number.",
		Tags:          []string{"Cases"},
		DefaultStatus: http.StatusCreated,
		Security:      secured,
		Errors:        []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusUnprocessableEntity},
	}, s.createCase)

	huma.Register(api, huma.Operation{
		OperationID: "get-case",
		Method:      http.MethodGet,
		Path:        "/v1/cases/{id}",
		Summary:     "Get a case",
		Tags:        []string{"Cases"},
		Security:    secured,
		Errors:      []int{http.StatusUnauthorized, http.StatusNotFound},
	}, func(ctx context.Context, in *GetCaseInput) (*CaseOutput, error) {
		c, err := s.caseToSee(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		tasks, err := s.Store.Tasks(ctx, c.ID)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		return &CaseOutput{Body: CaseDetail{Case: c, Tasks: tasks}}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "get-case-timeline",
		Method:      http.MethodGet,
		Path:        "/v1/cases/{id}/timeline",
		Summary:     "A case's timeline",
		Description: "Everything that happened to the case, oldest first, from the append-only audit log: who did what, " +
			"why, and the case before and after.",
		Tags:     []string{"Cases"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusNotFound},
	}, s.timeline)

	s.registerActions(api)
}

// caseToSee loads the case named ref for the current user: 404 outside their scope, numbers
// masked for the roles that do not need them.
func (s *Server) caseToSee(ctx context.Context, ref string) (onedoor.Case, error) {
	c, err := s.Store.Case(ctx, ref)
	if err != nil {
		return c, s.problem(ctx, err)
	}
	return c, s.canSee(ctx, ref, &c)
}

// TimelineOutput is a case's audit log.
type TimelineOutput struct {
	Body struct {
		Case    string             `json:"case" doc:"The case's number."`
		Entries []store.AuditEntry `json:"entries"`
	}
}

func (s *Server) timeline(ctx context.Context, in *GetCaseInput) (*TimelineOutput, error) {
	c, err := s.caseToSee(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	entries, err := s.Store.Audit(ctx, c.ID)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	if err := s.redactAudit(ctx, c, entries); err != nil {
		return nil, err
	}
	out := &TimelineOutput{}
	out.Body.Case, out.Body.Entries = c.Number, entries
	return out, nil
}

// registrars are the roles that register matters at a window.
var registrars = map[onedoor.Role]bool{
	onedoor.RoleClerk: true, onedoor.RoleGrid: true, onedoor.RoleSupervisor: true, onedoor.RoleAdmin: true,
}

func (s *Server) createCase(ctx context.Context, in *CreateCaseInput) (*CaseOutput, error) {
	user := currentUser(ctx)
	if !registrars[user.Role] {
		return nil, huma.Error403Forbidden(fmt.Sprintf("a %s does not register matters", user.Role))
	}
	receivedBy := in.Body.ReceivedBy
	if receivedBy == "" {
		receivedBy = user.OrgUnit
	}
	if receivedBy == "" {
		return nil, huma.Error422UnprocessableEntity("the receiving org unit is missing",
			&huma.ErrorDetail{Location: "body.received_by", Message: "required: you belong to no org unit, so name the one that received the matter"})
	}
	// A clerk registers at a window of her own subtree, like every other act of hers.
	sc, err := s.scopeOf(ctx, user)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	if _, err := s.unitScope(ctx, sc, receivedBy, "body.received_by"); err != nil {
		return nil, err
	}
	chain, err := s.Store.Chain(ctx, receivedBy)
	if onedoor.ErrorCode(err) == onedoor.ENotFound {
		return nil, huma.Error422UnprocessableEntity("unknown org unit",
			&huma.ErrorDetail{Location: "body.received_by", Message: "no org unit has this code", Value: receivedBy})
	} else if err != nil {
		return nil, s.problem(ctx, err)
	}
	unit := chain[0]
	// A case number carries the year the matter was received in the centers' time zone.
	now := time.Now().In(definitions.Shanghai)
	key, where := string(in.Body.Matter), "body.matter"
	if in.Body.Procedure != "" {
		key, where = in.Body.Procedure, "body.procedure"
	}
	proc, err := s.Store.CurrentProcedure(ctx, key, now)
	if onedoor.ErrorCode(err) == onedoor.ENotFound {
		return nil, huma.Error422UnprocessableEntity("no procedure",
			&huma.ErrorDetail{Location: where, Message: "no published procedure with this key is valid today", Value: key})
	} else if err != nil {
		return nil, s.problem(ctx, err)
	}
	if proc.Matter != "" && proc.Matter != in.Body.Matter {
		return nil, huma.Error422UnprocessableEntity("procedure of another matter",
			&huma.ErrorDetail{Location: where, Message: fmt.Sprintf("procedure %s is for %s matters, not %s", key, proc.Matter, in.Body.Matter), Value: key})
	}
	if err := checkDataSize(in.Body.Data); err != nil {
		return nil, err
	}
	if problems := definitions.ValidateData(proc.Form, in.Body.Data); len(problems) > 0 {
		return nil, dataProblems(problems)
	}
	departments, err := s.Store.Departments(ctx)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	holidays, err := s.Store.Holidays(ctx)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	var from *onedoor.Case
	if in.Body.LinkedTo != "" {
		unknown := huma.Error422UnprocessableEntity("unknown case",
			&huma.ErrorDetail{Location: "body.linked_to", Message: "no case with this id or number", Value: in.Body.LinkedTo})
		orig, err := s.Store.Case(ctx, in.Body.LinkedTo)
		if onedoor.ErrorCode(err) == onedoor.ENotFound {
			return nil, unknown
		} else if err != nil {
			return nil, s.problem(ctx, err)
		}
		if err := s.canSee(ctx, in.Body.LinkedTo, &orig); err != nil {
			var status huma.StatusError
			if errors.As(err, &status) && status.GetStatus() == http.StatusNotFound {
				return nil, unknown // a case outside the clerk's scope is as unknown as a missing one
			}
			return nil, err
		}
		from = &orig
	}

	id := uuid.New()
	if in.IdempotencyKey != "" {
		id = uuid.NewSHA1(idempotencyNamespace, []byte(user.ID+"\x00"+in.IdempotencyKey))
		if err := s.rememberKey(ctx, user, "create", in.IdempotencyKey, in.Body); err != nil {
			return nil, err
		}
	}
	c := onedoor.Case{
		ID:               id.String(),
		Matter:           in.Body.Matter,
		Status:           onedoor.StatusOpen,
		Step:             proc.StartStep(),
		Level:            unit.Level,
		OrgUnit:          unit.Code,
		ReceivedBy:       unit.Code,
		Channel:          in.Body.Channel,
		Subject:          in.Body.Subject,
		ResidentName:     in.Body.ResidentName,
		Data:             in.Body.Data,
		ProcedureKey:     proc.Key,
		ProcedureVersion: proc.Version,
		CreatedBy:        user.ID,
		ReceivedAt:       now,
		UpdatedAt:        now,
	}
	if from != nil {
		c.Links = []onedoor.Link{{CaseID: from.ID, Number: from.Number, Matter: from.Matter, Relation: "opened_from"}}
	}
	// The number is reserved for the case id before its workflow starts: a retry with the same
	// Idempotency-Key gets the same number, and nothing starts while the database is away.
	if c.Number, err = s.Store.ReserveNumber(ctx, c.ID, onedoor.NumberPrefix(s.NumberOrg, c.Matter, now.Year())); err != nil {
		return nil, s.problem(ctx, err)
	}
	start := s.Temporal.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
		ID:        c.WorkflowID(),
		TaskQueue: cmp.Or(s.TaskQueue, workflows.TaskQueue),
		// A retried request finds the case's workflow running and joins it.
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}, "Case", workflows.CaseInput{
		Case: c, Procedure: proc, Chain: chain,
		Departments: departments, Holidays: holidays,
	})
	handle, err := s.Temporal.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: start,
		UpdateOptions: client.UpdateWorkflowOptions{
			// One update id per case: a retry gets the first answer again, adding nothing.
			UpdateID:     workflows.UpdateOpen,
			UpdateName:   workflows.UpdateOpen,
			WaitForStage: client.WorkflowUpdateStageCompleted,
		},
	})
	var state workflows.CaseState
	if err == nil {
		err = handle.Get(ctx, &state)
	}
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		// The retried case has finished its workflow: it is in the read model.
		existing, gerr := s.Store.Case(ctx, c.ID)
		if gerr != nil {
			return nil, s.problem(ctx, gerr)
		}
		tasks, gerr := s.Store.Tasks(ctx, c.ID)
		if gerr != nil {
			return nil, s.problem(ctx, gerr)
		}
		return &CaseOutput{Body: CaseDetail{Case: existing, Tasks: tasks}}, nil
	}
	if err != nil {
		return nil, s.problem(ctx, fmt.Errorf("start case workflow: %w", err))
	}
	s.waitMirrored(ctx, state)
	if from != nil {
		if err := s.linkBack(ctx, user, *from, state.Case); err != nil {
			return nil, err
		}
	}
	if err := s.redact(ctx, &state.Case); err != nil {
		return nil, err
	}
	return &CaseOutput{Body: CaseDetail{Case: state.Case, Tasks: state.Tasks}}, nil
}

// mirrorWait bounds how long an answer waits for the read model to show the change it reports.
const mirrorWait = 5 * time.Second

// waitMirrored waits, for a while, until the read model holds the state a workflow answered
// with, so that the client's next read (its queue, a search) shows its own write. The change is
// committed either way: when the database is slow or away, the answer goes out and the read
// model catches up later.
func (s *Server) waitMirrored(ctx context.Context, state workflows.CaseState) {
	ctx, cancel := context.WithTimeout(ctx, mirrorWait)
	defer cancel()
	if err := s.Store.WaitMirrored(ctx, state.Case.ID, state.Seq); err != nil {
		s.Logger.WarnContext(ctx, "read model behind the workflow", "case", state.Case.Number, "seq", state.Seq, "error", err)
	}
}

// linkBack shows a new case on the case it was opened from. The update's id is derived from the
// new case, so a retried request links once.
func (s *Server) linkBack(ctx context.Context, user onedoor.User, from, opened onedoor.Case) error {
	handle, err := s.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID:   from.WorkflowID(),
		UpdateID:     "link-" + opened.ID,
		UpdateName:   workflows.UpdateAction,
		WaitForStage: client.WorkflowUpdateStageCompleted,
		Args: []any{workflows.Action{Type: workflows.ActLink, Actor: user,
			Link: &onedoor.Link{CaseID: opened.ID, Number: opened.Number, Matter: opened.Matter, Relation: "opened"}}},
	})
	var state workflows.CaseState
	if err == nil {
		if err = handle.Get(ctx, &state); err == nil {
			s.waitMirrored(ctx, state)
		}
	}
	var app *temporal.ApplicationError
	var gone *serviceerror.NotFound
	switch {
	case err == nil, errors.As(err, &app) && app.Type() == workflows.ErrConflict:
		return nil // linked now, or by an earlier try
	case errors.As(err, &gone):
		// The original case's workflow has completed; the link shows on the new case only.
		s.Logger.WarnContext(ctx, "link to a finished case", "from", from.Number, "opened", opened.Number)
		return nil
	}
	return s.problem(ctx, fmt.Errorf("link %s to %s: %w", opened.Number, from.Number, err))
}

// rememberKey records the request an Idempotency-Key is first used for, and refuses (422) the key
// when it comes back with a different request: a retry must repeat its request, and a new request
// needs a new key, or it would be answered with the first one's result and silently dropped.
func (s *Server) rememberKey(ctx context.Context, user onedoor.User, scope, key string, body any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return s.problem(ctx, err)
	}
	sum := sha256.Sum256(b)
	if err := s.Store.RememberIdempotencyKey(ctx, user.ID, scope, key, sum[:]); err != nil {
		return s.problem(ctx, err)
	}
	return nil
}

// MaxDataBytes bounds the form data of a case, as JSON: the data travel in the case workflow's
// state and in every audit entry, which must stay far below Temporal's payload limits.
const MaxDataBytes = 64 << 10

// checkDataSize refuses form data larger than MaxDataBytes.
func checkDataSize(data map[string]any) error {
	b, err := json.Marshal(data)
	if err != nil || len(b) <= MaxDataBytes {
		return nil
	}
	return huma.Error422UnprocessableEntity("the data are too large",
		&huma.ErrorDetail{Location: "body.data", Message: fmt.Sprintf("%d bytes as JSON; at most %d", len(b), MaxDataBytes)})
}

// dataProblems is the 422 of intake or action data that do not fit the procedure's form.
func dataProblems(problems []definitions.Problem) error {
	details := make([]error, len(problems))
	for i, p := range problems {
		details[i] = &huma.ErrorDetail{Location: "body" + strings.ReplaceAll(p.Path, "/", "."), Message: p.Message}
	}
	return huma.Error422UnprocessableEntity("the data do not fit the procedure's form", details...)
}
