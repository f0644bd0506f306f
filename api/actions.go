package api

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/workflows"
)

// ActionInput is a user's action on a case.
type ActionInput struct {
	ID             string `path:"id" maxLength:"64" doc:"The case's id or number."`
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"200" doc:"A retried action with the same key returns the first answer and is applied once; the same key with a different action is refused (422)."`
	Body           struct {
		Type        actionType          `json:"type" doc:"What to do: see the operation's description, and GET /v1/cases/{id}/actions for what the user may do now."`
		Task        string              `json:"task,omitempty" maxLength:"16" doc:"The task acted on; the case's only open task when empty."`
		Outcome     string              `json:"outcome,omitempty" maxLength:"64" doc:"complete: one of the step's outcomes; close: how the case ends (resolved, withdrawn, …)."`
		Reason      string              `json:"reason,omitempty" maxLength:"2000" doc:"Why: required to escalate, hand down, suspend or extend; the text of a note."`
		Result      string              `json:"result,omitempty" maxLength:"5000" doc:"What was done: the handling, the reply, the finding."`
		Data        map[string]any      `json:"data,omitempty" maxProperties:"200" doc:"Form fields to record with the action; the case's data stay within 64 KiB as JSON."`
		Departments []string            `json:"departments,omitempty" maxItems:"20" doc:"Departments to divert to, when the next step is held by departments."`
		Target      string              `json:"target,omitempty" maxLength:"64" doc:"hand_down, or an outcome that hands down: the org unit one level below."`
		Extension   *definitions.Period `json:"extension,omitempty" doc:"extend: by how much; supervise: the order's deadline."`
		Order       string              `json:"order,omitempty" maxLength:"16" doc:"reply: the supervision order answered."`
		Rating      int                 `json:"rating,omitempty" minimum:"0" maximum:"5" doc:"evaluate: the resident's satisfaction, 1 to 5."`
		Step        string              `json:"step,omitempty" maxLength:"64" doc:"send_back: the earlier step the case goes back to."`
		User        string              `json:"user,omitempty" maxLength:"64" doc:"delegate, reassign: the colleague's user id."`
		CopyTo      *CopyToInput        `json:"copy_to,omitempty" doc:"copy: the users and org units to copy the case to for information (抄送)."`
		Responsible *ResponsibleInput   `json:"responsible,omitempty" doc:"find: the org unit or the department found responsible."`
	}
}

// ResponsibleInput names who an accountability finding (查究) holds responsible: one org unit or
// one department.
type ResponsibleInput struct {
	OrgUnit    string `json:"org_unit,omitempty" maxLength:"64" doc:"An org unit's code."`
	Department string `json:"department,omitempty" maxLength:"64" doc:"A department's code."`
}

// CopyToInput names the recipients of a copy (抄送).
type CopyToInput struct {
	Users []string `json:"users,omitempty" maxItems:"50" doc:"User ids, as the directory has them."`
	Units []string `json:"units,omitempty" maxItems:"50" doc:"Org unit codes: everyone posted at the unit may read the case."`
}

// checkResponsible refuses (422) a unit or department of a finding that does not exist.
func (s *Server) checkResponsible(ctx context.Context, r ResponsibleInput) error {
	if r.OrgUnit != "" {
		if _, err := s.Store.OrgUnit(ctx, r.OrgUnit); onedoor.ErrorCode(err) == onedoor.ENotFound {
			return huma.Error422UnprocessableEntity("unknown org unit",
				&huma.ErrorDetail{Location: "body.responsible.org_unit", Message: "no org unit has this code", Value: r.OrgUnit})
		} else if err != nil {
			return s.problem(ctx, err)
		}
	}
	if r.Department != "" {
		if _, err := s.Store.Department(ctx, r.Department); onedoor.ErrorCode(err) == onedoor.ENotFound {
			return huma.Error422UnprocessableEntity("unknown department",
				&huma.ErrorDetail{Location: "body.responsible.department", Message: "no department has this code", Value: r.Department})
		} else if err != nil {
			return s.problem(ctx, err)
		}
	}
	return nil
}

// ActionOutput is the case after the action.
type ActionOutput struct {
	Body CaseDetail
}

func (s *Server) registerActions(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "act-on-case",
		Method:      http.MethodPost,
		Path:        "/v1/cases/{id}/actions",
		Summary:     "Act on a case",
		Description: "The response is the case after the action. An action that does not fit the case (wrong step, role, org unit or " +
			"state) is refused with 409 and the reason, bad data with 422, and neither leaves a trace in the case's history; " +
			"outside the user's scope the case is 404, and an auditor's action 403. GET /v1/cases/{id}/actions says which " +
			"actions the user may take now. The actions, from the workflow's action table:\n\n" + actionsDescription(),
		Tags:     []string{"Cases"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, s.act)
}

// withdrawable refuses (409, logged) a withdraw once the next holder has claimed a task the
// completion opened. Claims live in the read model, not in the workflow, which refuses the
// withdraw once anyone has acted on the case: between them, the next holder has neither claimed
// nor acted. A claim made while the withdraw is under way is not seen; the withdraw cancels the
// claimed task, and the claim goes with it.
func (s *Server) withdrawable(ctx context.Context, c onedoor.Case, u onedoor.User) error {
	claims, err := s.Store.OpenClaims(ctx, c.ID)
	if err != nil {
		return s.problem(ctx, err)
	}
	for _, cl := range claims {
		if cl.UserID != u.ID {
			s.refused(ctx, fmt.Sprintf("withdraw on case %s: task %s claimed by %s", c.ID, cl.Task, cl.UserID))
			return huma.Error409Conflict(fmt.Sprintf("task %s was claimed by %s, the next holder: the completion can no longer be withdrawn", cl.Task, cl.UserID))
		}
	}
	return nil
}

// fieldRightsAllow refuses (422, at each field's path) data for the fields that are read-only or
// hidden at the step the action is taken at (字段权限): the named task's, else the case's.
func (s *Server) fieldRightsAllow(ctx context.Context, c onedoor.Case, p *definitions.Procedure, task string, data map[string]any) error {
	stepID := c.Step
	if task != "" {
		tasks, err := s.Store.Tasks(ctx, c.ID)
		if err != nil {
			return s.problem(ctx, err)
		}
		for _, t := range tasks {
			if t.ID == task {
				stepID = t.Step
			}
		}
	}
	step, ok := p.Step(stepID)
	if !ok {
		return nil // a closed case, or a task that does not exist: the workflow says why
	}
	names := slices.Sorted(maps.Keys(data))
	var details []error
	for _, name := range names {
		switch step.Right(name) {
		case definitions.RightReadOnly:
			details = append(details, &huma.ErrorDetail{Location: "body.data." + name, Value: data[name],
				Message: fmt.Sprintf("the field is read-only at step %s", step.ID)})
		case definitions.RightHidden:
			details = append(details, &huma.ErrorDetail{Location: "body.data." + name, Value: data[name],
				Message: fmt.Sprintf("the field is hidden at step %s and cannot be changed there", step.ID)})
		}
	}
	if len(details) > 0 {
		s.refused(ctx, fmt.Sprintf("data for fields the step %s does not let its holder change, case %s", step.ID, c.ID))
		return huma.Error422UnprocessableEntity("fields not editable at this step", details...)
	}
	return nil
}

// copyRecipients looks up the users and org units a copy names: an unknown one, or one outside
// the case's county (whose cases another county never sees), is 422 at its place in the request.
func (s *Server) copyRecipients(ctx context.Context, c onedoor.Case, in CopyToInput) (*workflows.CopyTo, error) {
	out := &workflows.CopyTo{}
	county, err := s.countyOf(ctx, c.OrgUnit)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	units, err := s.Store.Subtree(ctx, county.Code)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	for i, id := range in.Users {
		u, err := s.Store.User(ctx, id)
		if onedoor.ErrorCode(err) == onedoor.ENotFound {
			return nil, huma.Error422UnprocessableEntity("unknown user",
				&huma.ErrorDetail{Location: fmt.Sprintf("body.copy_to.users[%d]", i), Message: "no user has this id", Value: id})
		} else if err != nil {
			return nil, s.problem(ctx, err)
		}
		if u.OrgUnit != "" && !contains(units, u.OrgUnit) {
			s.refused(ctx, fmt.Sprintf("copy of case %s to %s, outside its county", c.ID, id))
			return nil, huma.Error422UnprocessableEntity("unknown user",
				&huma.ErrorDetail{Location: fmt.Sprintf("body.copy_to.users[%d]", i), Message: "no user has this id", Value: id})
		}
		out.Users = append(out.Users, u)
	}
	for i, code := range in.Units {
		o, err := s.Store.OrgUnit(ctx, code)
		if onedoor.ErrorCode(err) == onedoor.ENotFound || (err == nil && !contains(units, code)) {
			return nil, huma.Error422UnprocessableEntity("unknown org unit",
				&huma.ErrorDetail{Location: fmt.Sprintf("body.copy_to.units[%d]", i), Message: "no org unit has this code", Value: code})
		} else if err != nil {
			return nil, s.problem(ctx, err)
		}
		out.Units = append(out.Units, o)
	}
	return out, nil
}

// actionsDescription lists the action table's user actions: what each does, who may take it and
// the fields it needs.
func actionsDescription() string {
	var b strings.Builder
	for _, a := range workflows.Actions() {
		if a.Internal {
			continue
		}
		fmt.Fprintf(&b, "- `%s` (%s; needs %s): %s\n", a.Type, a.Who, a.NeedsText(), a.Summary)
	}
	return b.String()
}

func (s *Server) act(ctx context.Context, in *ActionInput) (*ActionOutput, error) {
	c, err := s.caseToAct(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	if err := s.actInPostFor(ctx, c, workflows.ActionType(in.Body.Type), in.Body.Task); err != nil {
		return nil, err
	}
	user := currentUser(ctx) // in the post that sees the case and may act
	a := workflows.Action{
		Type: workflows.ActionType(in.Body.Type), Actor: user, Task: in.Body.Task, Outcome: in.Body.Outcome, Reason: in.Body.Reason,
		Result: in.Body.Result, Data: in.Body.Data, Departments: in.Body.Departments, Extension: in.Body.Extension,
		Order: in.Body.Order, Rating: in.Body.Rating, Step: in.Body.Step,
	}
	if in.Body.User != "" {
		colleague, err := s.Store.User(ctx, in.Body.User)
		if onedoor.ErrorCode(err) == onedoor.ENotFound {
			return nil, huma.Error422UnprocessableEntity("unknown user",
				&huma.ErrorDetail{Location: "body.user", Message: "no user has this id", Value: in.Body.User})
		} else if err != nil {
			return nil, s.problem(ctx, err)
		}
		a.User = &colleague
	}
	if in.Body.CopyTo != nil {
		if a.CopyTo, err = s.copyRecipients(ctx, c, *in.Body.CopyTo); err != nil {
			return nil, err
		}
	}
	if a.Type == workflows.ActWithdraw {
		if err := s.withdrawable(ctx, c, user); err != nil {
			return nil, err
		}
	}
	if in.Body.Target != "" {
		target, err := s.Store.OrgUnit(ctx, in.Body.Target)
		if onedoor.ErrorCode(err) == onedoor.ENotFound {
			return nil, huma.Error422UnprocessableEntity("unknown org unit",
				&huma.ErrorDetail{Location: "body.target", Message: "no org unit has this code", Value: in.Body.Target})
		} else if err != nil {
			return nil, s.problem(ctx, err)
		}
		a.Target = &target
	}
	if r := in.Body.Responsible; r != nil {
		if err := s.checkResponsible(ctx, *r); err != nil {
			return nil, err
		}
		a.Responsible = &workflows.Responsible{OrgUnit: r.OrgUnit, Department: r.Department}
	}
	if len(in.Body.Data) > 0 {
		proc, err := s.caseProcedure(ctx, c)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		if err := s.fieldRightsAllow(ctx, c, proc, in.Body.Task, in.Body.Data); err != nil {
			return nil, err
		}
		merged := maps.Clone(c.Data)
		if merged == nil {
			merged = map[string]any{}
		}
		maps.Copy(merged, in.Body.Data)
		if err := checkDataSize(merged); err != nil {
			return nil, err
		}
		var bad []definitions.Problem
		for _, p := range definitions.ValidateData(proc.Form, merged) {
			// Report the fields this action sent; the intake's were checked when the case was opened.
			if _, sent := in.Body.Data[strings.TrimPrefix(p.Path, "/data/")]; sent {
				bad = append(bad, p)
			}
		}
		if len(bad) > 0 {
			return nil, dataProblems(bad)
		}
	}
	for i, d := range a.Departments {
		_, err := s.Store.Department(ctx, d)
		if onedoor.ErrorCode(err) == onedoor.ENotFound {
			return nil, huma.Error422UnprocessableEntity("unknown department",
				&huma.ErrorDetail{Location: fmt.Sprintf("body.departments[%d]", i), Message: "no department has this code", Value: d})
		} else if err != nil {
			return nil, s.problem(ctx, err) // the database is away: not the client's mistake
		}
	}

	updateID := uuid.NewString()
	if in.IdempotencyKey != "" {
		updateID = uuid.NewSHA1(idempotencyNamespace, []byte(user.ID+"\x00"+c.ID+"\x00"+in.IdempotencyKey)).String()
		if err := s.rememberKey(ctx, user, c.ID, in.IdempotencyKey, in.Body); err != nil {
			return nil, err
		}
	}
	state, err := s.cases.Act(ctx, c, updateID, a)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	if a.Type == workflows.ActReassign {
		// The reassignment is a claim on the clerk's behalf: the workflow has recorded it, and
		// the queues show it from the claims.
		task := a.Task
		for _, t := range state.OpenTasks() {
			if task == "" && t.Assignee == a.User.ID {
				task = t.ID
			}
		}
		if err := s.Store.ClaimFor(ctx, c.ID, task, state.Tasks, a.User.ID, time.Now()); err != nil {
			return nil, s.problem(ctx, err)
		}
	}
	return s.actionAnswer(ctx, state)
}

// actionAnswer is the case as an action left it, as the acting user may read it: personal
// numbers masked and fields hidden as for GET /v1/cases/{id}.
func (s *Server) actionAnswer(ctx context.Context, state workflows.CaseState) (*ActionOutput, error) {
	if err := s.redact(ctx, &state.Case); err != nil {
		return nil, err
	}
	if err := s.hideFields(ctx, &state.Case, state.Tasks); err != nil {
		return nil, err
	}
	return &ActionOutput{Body: CaseDetail{Case: state.Case, Tasks: state.Tasks}}, nil
}
