package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/migration"
	"github.com/onedoor/onedoor/store"
	"github.com/onedoor/onedoor/workflows"
)

// Migration plans (docs/procedures.md, "Moving running cases to a new version"): an
// administrator plans the move of a procedure's running cases within their scope, reads the dry
// run, and applies it in the background on this node.

// MigrationPlanInput creates a migration plan.
type MigrationPlanInput struct {
	AcceptLanguage string `header:"Accept-Language" doc:"zh-CN for the reasons of the cases left in Chinese."`
	Body           definitions.MigrationPlan
}

// MigrationPlanBody is a plan with its progress and a page of its cases.
type MigrationPlanBody struct {
	ID         int64                   `json:"id" example:"1" doc:"Plan id."`
	Procedure  string                  `json:"procedure" example:"petition"`
	From       int                     `json:"from" example:"1"`
	To         int                     `json:"to" example:"2"`
	Steps      map[string]string       `json:"steps" doc:"The plan's step mapping; unnamed steps map to the same id."`
	County     string                  `json:"county,omitempty" doc:"County whose cases the plan moves; absent for every county's."`
	Status     string                  `json:"status" enum:"planned,applying,done" doc:"planned: dry run only; applying: cases are moving (or the runner stopped: apply again to resume); done: none pending."`
	CreatedBy  string                  `json:"created_by"`
	CreatedAt  time.Time               `json:"created_at"`
	AppliedBy  string                  `json:"applied_by,omitempty"`
	StartedAt  *time.Time              `json:"started_at,omitempty"`
	FinishedAt *time.Time              `json:"finished_at,omitempty"`
	Progress   store.MigrationProgress `json:"progress"`
	Items      []MigrationItemBody     `json:"items" doc:"The plan's cases by number: where each lands or landed, or why it is left."`
	Next       string                  `json:"next,omitempty" doc:"Cursor of the next page of items."`
}

// MigrationItemBody is one case of a plan.
type MigrationItemBody struct {
	CaseID     string                  `json:"case_id"`
	Number     string                  `json:"number" example:"WS-PET-2026-000001"`
	Status     string                  `json:"status" enum:"pending,moved,left,failed" doc:"pending: to move; moved: on the target version; left: stays on its version (reason); failed: the move failed (reason)."`
	Step       string                  `json:"step" doc:"The case's step on the source version."`
	TargetStep string                  `json:"target_step,omitempty" doc:"Its step on the target version."`
	DueAt      *time.Time              `json:"due_at,omitempty" doc:"The earliest new due date of its open tasks."`
	Tasks      []workflows.TaskLanding `json:"tasks" doc:"Where each open task lands, with its new due date and how it is counted."`
	Reason     string                  `json:"reason,omitempty" doc:"Why the case is left, or the error of a failed move."`
	MovedAt    *time.Time              `json:"moved_at,omitempty"`
}

// MigrationPlanOutput answers with a plan.
type MigrationPlanOutput struct {
	Body MigrationPlanBody
}

// MigrationInput names a plan, and a page of its items.
type MigrationInput struct {
	ID     int64  `path:"id" minimum:"1" doc:"Plan id."`
	Status string `query:"status" enum:"pending,moved,left,failed" doc:"Only the items of this status."`
	Cursor string `query:"cursor" maxLength:"200" doc:"The next cursor of the previous page."`
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"100"`

	AcceptLanguage string `header:"Accept-Language" doc:"zh-CN for the reasons of the cases left or failed in Chinese."`
}

// MigrationPlansInput pages through the plans.
type MigrationPlansInput struct {
	Cursor string `query:"cursor" maxLength:"200" doc:"The next cursor of the previous page."`
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"50" doc:"Plans per page."`
}

// MigrationPlanItem is a plan in the list of plans, with its progress.
type MigrationPlanItem struct {
	ID         int64                   `json:"id" example:"1" doc:"Plan id."`
	Procedure  string                  `json:"procedure" example:"petition"`
	Name       string                  `json:"name" doc:"Name of the procedure, as its target version has it."`
	From       int                     `json:"from" example:"1"`
	To         int                     `json:"to" example:"2"`
	Steps      map[string]string       `json:"steps" doc:"The plan's step mapping; unnamed steps map to the same id."`
	County     string                  `json:"county,omitempty" doc:"County whose cases the plan moves; absent for every county's."`
	Status     string                  `json:"status" enum:"planned,applying,done"`
	CreatedBy  string                  `json:"created_by"`
	CreatedAt  time.Time               `json:"created_at"`
	AppliedBy  string                  `json:"applied_by,omitempty"`
	StartedAt  *time.Time              `json:"started_at,omitempty"`
	FinishedAt *time.Time              `json:"finished_at,omitempty"`
	Progress   store.MigrationProgress `json:"progress"`
}

// MigrationPlansOutput is a page of plans, newest first.
type MigrationPlansOutput struct {
	Body struct {
		Items []MigrationPlanItem `json:"items"`
		Next  string              `json:"next,omitempty" doc:"Cursor of the next page; absent on the last page."`
	}
}

// ApplyMigrationInput names the plan to apply.
type ApplyMigrationInput struct {
	ID             int64  `path:"id" minimum:"1" doc:"Plan id."`
	AcceptLanguage string `header:"Accept-Language" doc:"zh-CN for the reasons of the cases left or failed in Chinese."`
}

func (s *Server) registerMigrations(api huma.API) {
	tags := []string{"Procedures"}
	errs := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound}
	huma.Register(api, huma.Operation{
		OperationID:   "create-migration-plan",
		Method:        http.MethodPost,
		Path:          "/v1/admin/migrations",
		Summary:       "Plan moving running cases to a new procedure version",
		Description:   "Administrators only. Checks the plan against its versions (each mistake at its field, 422) and runs its dry run over the open cases on the source version within the administrator's scope (their county's, or every county's above them): each case's target step and new due dates with how they are counted, or why it is left (a step the plan does not map, a county override). Nothing moves until the plan is applied.",
		Tags:          tags,
		Security:      secured,
		DefaultStatus: http.StatusCreated,
		Errors:        append(errs, http.StatusUnprocessableEntity),
	}, s.createMigrationPlan)
	huma.Register(api, huma.Operation{
		OperationID: "list-migration-plans",
		Method:      http.MethodGet,
		Path:        "/v1/admin/migrations",
		Summary:     "Migration plans",
		Description: "Administrators only. The plans within their scope (their county's; a city's administrator also the plans of its counties; every plan at the root), newest first, each with its progress; paged by cursor.",
		Tags:        tags,
		Security:    secured,
		Errors:      []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusUnprocessableEntity},
	}, s.listMigrationPlans)
	huma.Register(api, huma.Operation{
		OperationID: "get-migration-plan",
		Method:      http.MethodGet,
		Path:        "/v1/admin/migrations/{id}",
		Summary:     "A migration plan, its progress and its cases",
		Description: "Administrators only, of the plans within their scope (their county's; a city's administrator also the plans of its counties).",
		Tags:        tags,
		Security:    secured,
		Errors:      append(errs, http.StatusUnprocessableEntity),
	}, s.getMigrationPlan)
	huma.Register(api, huma.Operation{
		OperationID:   "apply-migration-plan",
		Method:        http.MethodPost,
		Path:          "/v1/admin/migrations/{id}/apply",
		Summary:       "Apply a migration plan",
		Description:   "Administrators only. Starts moving the plan's pending cases in the background on this node, a batch at a time, each through its case workflow with an audit entry; answers 202 with the progress at once. Applying a plan again (after a crash, or on another node) resumes it: no case moves twice. Follow it with GET /v1/admin/migrations/{id}.",
		Tags:          tags,
		Security:      secured,
		DefaultStatus: http.StatusAccepted,
		Errors:        errs,
	}, s.applyMigrationPlan)
}

// migrationScope is the administrator's scope of cases: their county (its code and units), or
// every county (empty, nil).
func (s *Server) migrationScope(ctx context.Context) (onedoor.User, string, []string, error) {
	u := currentUser(ctx)
	if u.Role != onedoor.RoleAdmin {
		s.refused(ctx, fmt.Sprintf("role %s may not migrate cases", u.Role))
		return u, "", nil, onedoor.Errorf(onedoor.EForbidden, "only an administrator may move running cases to another procedure version; %s is a %s", u.ID, u.Role)
	}
	sc, err := s.scopeOf(ctx, u)
	if err != nil || sc.All {
		return u, "", nil, err
	}
	county, err := s.countyOf(ctx, u.OrgUnit)
	return u, county.Code, sc.Units, err
}

func (s *Server) createMigrationPlan(ctx context.Context, in *MigrationPlanInput) (*MigrationPlanOutput, error) {
	u, county, units, err := s.migrationScope(ctx)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	if in.Body.Procedure != "" {
		r, err := s.procedureRights(ctx)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		owner, err := s.Store.ProcedureOwner(ctx, in.Body.Procedure)
		if onedoor.ErrorCode(err) == onedoor.ENotFound || (err == nil && !r.sees(owner)) {
			return nil, huma.Error422UnprocessableEntity("unknown procedure",
				&huma.ErrorDetail{Location: "body.procedure", Message: "no procedure has this key", Value: in.Body.Procedure})
		} else if err != nil {
			return nil, s.problem(ctx, err)
		}
	}
	plan, _, err := s.migrator().Plan(ctx, in.Body, county, units, u.ID)
	if err != nil {
		return nil, s.planProblem(ctx, err)
	}
	return s.migrationPlan(ctx, plan, &MigrationInput{Limit: store.MaxLimit, AcceptLanguage: in.AcceptLanguage})
}

// planProblem is a plan's validation error as a 422 with each problem at its body field.
func (s *Server) planProblem(ctx context.Context, err error) error {
	var ve *definitions.ValidationError
	if !errors.As(err, &ve) {
		return s.problem(ctx, err)
	}
	details := make([]error, 0, len(ve.Problems))
	for _, p := range ve.Problems {
		details = append(details, &huma.ErrorDetail{Location: "body." + p.Path, Message: p.Message})
	}
	title := "the migration plan has a problem"
	if len(details) != 1 {
		title = fmt.Sprintf("the migration plan has %d problems", len(details))
	}
	return huma.Error422UnprocessableEntity(title, details...)
}

func (s *Server) listMigrationPlans(ctx context.Context, in *MigrationPlansInput) (*MigrationPlansOutput, error) {
	_, _, units, err := s.migrationScope(ctx)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	page, err := s.Store.MigrationPlans(ctx, units, in.Cursor, in.Limit)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &MigrationPlansOutput{}
	out.Body.Items = make([]MigrationPlanItem, 0, len(page.Items))
	out.Body.Next = page.Next
	for _, p := range page.Items {
		steps := p.Plan.Steps
		if steps == nil {
			steps = map[string]string{}
		}
		out.Body.Items = append(out.Body.Items, MigrationPlanItem{
			ID: p.ID, Procedure: p.Plan.Procedure, Name: p.Name, From: p.Plan.From, To: p.Plan.To, Steps: steps,
			County: p.County, Status: p.Status, CreatedBy: p.CreatedBy, CreatedAt: p.CreatedAt,
			AppliedBy: p.AppliedBy, StartedAt: p.StartedAt, FinishedAt: p.FinishedAt, Progress: p.Progress,
		})
	}
	return out, nil
}

func (s *Server) getMigrationPlan(ctx context.Context, in *MigrationInput) (*MigrationPlanOutput, error) {
	plan, err := s.scopedPlan(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return s.migrationPlan(ctx, plan, in)
}

// scopedPlan reads a plan the administrator may see: one of their county's, or of the counties
// below them (a city's), or any at the root. Another county's is not found.
func (s *Server) scopedPlan(ctx context.Context, id int64) (store.MigrationPlan, error) {
	_, _, units, err := s.migrationScope(ctx)
	if err != nil {
		return store.MigrationPlan{}, s.problem(ctx, err)
	}
	plan, err := s.Store.MigrationPlan(ctx, id)
	if err == nil && units != nil && !slices.Contains(units, plan.County) {
		s.refused(ctx, fmt.Sprintf("migration plan %d of another county", id))
		err = onedoor.Errorf(onedoor.ENotFound, "migration plan %d not found", id)
	}
	if err != nil {
		return plan, s.problem(ctx, err)
	}
	return plan, nil
}

func (s *Server) migrationPlan(ctx context.Context, plan store.MigrationPlan, in *MigrationInput) (*MigrationPlanOutput, error) {
	progress, err := s.Store.MigrationProgress(ctx, plan.ID)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	page, err := s.Store.MigrationItems(ctx, plan.ID, in.Status, in.Cursor, in.Limit)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &MigrationPlanOutput{Body: MigrationPlanBody{
		ID: plan.ID, Procedure: plan.Plan.Procedure, From: plan.Plan.From, To: plan.Plan.To, Steps: plan.Plan.Steps,
		County: plan.County, Status: plan.Status, CreatedBy: plan.CreatedBy, CreatedAt: plan.CreatedAt,
		AppliedBy: plan.AppliedBy, StartedAt: plan.StartedAt, FinishedAt: plan.FinishedAt, Progress: progress,
		Items: make([]MigrationItemBody, 0, len(page.Items)), Next: page.Next,
	}}
	if out.Body.Steps == nil {
		out.Body.Steps = map[string]string{}
	}
	zh := chinese(in.AcceptLanguage)
	for _, it := range page.Items {
		item := MigrationItemBody{CaseID: it.CaseID, Number: it.Number, Status: it.Status, Step: it.Step, TargetStep: it.TargetStep,
			DueAt: it.DueAt, MovedAt: it.MovedAt, Tasks: []workflows.TaskLanding{}}
		// The reason is kept as the code wrote it; the reader gets it in their language.
		_, item.Reason = translate(it.Reason, zh)
		if len(it.Tasks) > 0 {
			if err := json.Unmarshal(it.Tasks, &item.Tasks); err != nil {
				return nil, s.problem(ctx, err)
			}
		}
		out.Body.Items = append(out.Body.Items, item)
	}
	return out, nil
}

func (s *Server) applyMigrationPlan(ctx context.Context, in *ApplyMigrationInput) (*MigrationPlanOutput, error) {
	plan, err := s.scopedPlan(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	u := currentUser(ctx)
	if plan, err = s.Store.StartMigration(ctx, plan.ID, u.ID); err != nil {
		return nil, s.problem(ctx, err)
	}
	s.runMigration(plan.ID, u.ID)
	return s.migrationPlan(ctx, plan, &MigrationInput{Limit: 1, AcceptLanguage: in.AcceptLanguage})
}

// runMigration applies the plan in the background unless this node applies it already. It
// outlives the request; another node applying the same plan takes other cases.
func (s *Server) runMigration(id int64, by string) {
	if _, running := s.migrating.LoadOrStore(id, true); running {
		return
	}
	go func() {
		defer s.migrating.Delete(id)
		ctx := context.Background()
		p, err := s.migrator().Apply(ctx, id, by, func(p store.MigrationProgress) {
			s.Logger.InfoContext(ctx, "migration progress", "plan", id, "moved", p.Moved, "left", p.Left, "failed", p.Failed, "pending", p.Pending)
		})
		if err != nil {
			s.Logger.ErrorContext(ctx, "migration stopped: apply it again to resume", "plan", id, "error", err)
			return
		}
		s.Logger.InfoContext(ctx, "migration done", "plan", id, "moved", p.Moved, "left", p.Left, "failed", p.Failed)
	}()
}

// ResumeMigrations applies again, in the background, the plans left applying when a node
// stopped; Serve calls it once the API is up.
func (s *Server) ResumeMigrations(ctx context.Context) error {
	plans, err := s.Store.ApplyingMigrations(ctx)
	if err != nil {
		return err
	}
	for _, p := range plans {
		s.runMigration(p.ID, p.AppliedBy)
	}
	return nil
}

func (s *Server) migrator() *migration.Migrator {
	return &migration.Migrator{Store: s.Store, Cases: s.cases}
}
