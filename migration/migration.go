// Package migration moves running cases to a new version of their procedure (when a law
// changes): a plan names the procedure, the source and target versions and a step mapping; its
// dry run asks each running case's workflow where it would land (its step and its new due dates,
// explained); applying it moves the cases a batch at a time through each workflow's migrate
// update, with an audit entry each, and is simply started again after a crash.
package migration

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/service"
	"github.com/onedoor/onedoor/store"
	"github.com/onedoor/onedoor/workflows"
)

// DefaultBatch is how many cases a runner moves per claimed batch.
const DefaultBatch = 20

// Migrator plans and applies migrations.
type Migrator struct {
	Store *store.Store
	Cases *service.Cases
	// Batch is how many cases are claimed at a time; DefaultBatch when 0.
	Batch int
	// Now is the clock of the dry run (time.Now when nil).
	Now func() time.Time
}

// Plan checks the plan against its versions, runs its dry run over the running cases on the
// source version (those held by units, when units is not nil: a county administrator's) and
// stores both. A plan that does not fit its versions is a *definitions.ValidationError with one
// problem per mistake.
func (m *Migrator) Plan(ctx context.Context, plan definitions.MigrationPlan, county string, units []string, by string) (store.MigrationPlan, []store.MigrationItem, error) {
	from, to, err := m.versions(ctx, plan)
	if err != nil {
		return store.MigrationPlan{}, nil, err
	}
	if err := plan.Check(from, to); err != nil {
		return store.MigrationPlan{}, nil, err
	}
	cases, err := m.Store.MigrationCandidates(ctx, plan.Procedure, plan.From, units)
	if err != nil {
		return store.MigrationPlan{}, nil, err
	}
	now := time.Now()
	if m.Now != nil {
		now = m.Now()
	}
	migration := workflows.Migration{From: plan.From, Procedure: to, Steps: plan.Steps, At: now}
	items := make([]store.MigrationItem, 0, len(cases))
	for _, c := range cases {
		it := store.MigrationItem{CaseID: c.ID, Number: c.Number, Status: store.ItemPending, Step: c.Step}
		if c.OverrideVersion != 0 {
			it.Status = store.ItemLeft
			it.Reason = fmt.Sprintf("the case runs on its county's override version %d of the template: a plan moves cases on the template as published only", c.OverrideVersion)
			items = append(items, it)
			continue
		}
		p, err := m.Cases.PreviewMigration(ctx, c, migration)
		switch code := onedoor.ErrorCode(err); {
		case err == nil:
			it.TargetStep, it.DueAt = p.Step, earliest(p.Tasks)
			if it.Tasks, err = json.Marshal(p.Tasks); err != nil {
				return store.MigrationPlan{}, nil, err
			}
		case code == onedoor.EConflict || code == onedoor.EInvalid:
			it.Status, it.Reason = store.ItemLeft, message(err)
		default:
			return store.MigrationPlan{}, nil, fmt.Errorf("dry run of case %s: %w", c.Number, err)
		}
		items = append(items, it)
	}
	stored, err := m.Store.CreateMigrationPlan(ctx, store.MigrationPlan{Plan: plan, County: county, CreatedBy: by}, items)
	return stored, items, err
}

// versions reads the plan's source and target versions; one that does not exist is a problem
// at its field.
func (m *Migrator) versions(ctx context.Context, plan definitions.MigrationPlan) (from, to *definitions.Procedure, err error) {
	var problems []definitions.Problem
	read := func(field string, version int) (*definitions.Procedure, error) {
		if version < 1 || plan.Procedure == "" {
			return nil, nil // Check says what is wrong
		}
		v, err := m.Store.ProcedureVersion(ctx, plan.Procedure, version)
		if onedoor.ErrorCode(err) == onedoor.ENotFound {
			problems = append(problems, definitions.Problem{Path: field,
				Message: fmt.Sprintf("procedure %s has no version %d", plan.Procedure, version)})
			return nil, nil
		}
		return v.Procedure, err
	}
	if from, err = read("from", plan.From); err != nil {
		return nil, nil, err
	}
	if to, err = read("to", plan.To); err != nil {
		return nil, nil, err
	}
	if len(problems) > 0 {
		if cerr := plan.Check(from, to); cerr != nil {
			var ve *definitions.ValidationError
			if errors.As(cerr, &ve) {
				problems = append(problems, ve.Problems...)
			}
		}
		return nil, nil, &definitions.ValidationError{Problems: problems}
	}
	return from, to, nil
}

// earliest is the earliest due date of the tasks, nil when none has one.
func earliest(tasks []workflows.TaskLanding) *time.Time {
	var first *time.Time
	for _, t := range tasks {
		if t.DueAt != nil && (first == nil || t.DueAt.Before(*first)) {
			first = t.DueAt
		}
	}
	return first
}

// UpdateID names the move of one case by one plan: a retry after a crash sends the same id, and
// Temporal answers it with the first outcome instead of applying it again.
func UpdateID(plan int64, caseID string) string { return fmt.Sprintf("migrate-%d-%s", plan, caseID) }

// Apply moves the plan's pending cases, a batch at a time, until none is pending, and marks the
// plan done; progress is called after each batch. A plan stopped half-way (a crash, a SIGKILL) is
// applied again by calling Apply again: moved cases are not claimed, and a case the workflow had
// moved before the crash answers as it is. A case the workflow refuses now (closed since the dry
// run, or at a step the plan does not map) is left with the reason; Temporal out of reach stops
// the run with the batch still pending.
func (m *Migrator) Apply(ctx context.Context, id int64, by string, progress func(store.MigrationProgress)) (store.MigrationProgress, error) {
	plan, err := m.Store.StartMigration(ctx, id, by)
	if err != nil {
		return store.MigrationProgress{}, err
	}
	to, err := m.Store.ProcedureVersion(ctx, plan.Plan.Procedure, plan.Plan.To)
	if err != nil {
		return store.MigrationProgress{}, err
	}
	migration := workflows.Migration{Plan: id, Actor: plan.AppliedBy, From: plan.Plan.From, Procedure: to.Procedure, Steps: plan.Plan.Steps}
	batch := m.Batch
	if batch <= 0 {
		batch = DefaultBatch
	}
	for {
		n, err := m.Store.MigrateBatch(ctx, id, batch, func(items []store.MigrationItem) ([]store.MigrationResult, error) {
			return m.move(ctx, migration, items)
		})
		if err != nil {
			return store.MigrationProgress{}, err
		}
		p, err := m.Store.MigrationProgress(ctx, id)
		if err != nil {
			return p, err
		}
		if n == 0 {
			if _, err := m.Store.FinishMigration(ctx, id); err != nil {
				return p, err
			}
			return p, nil
		}
		if progress != nil {
			progress(p)
		}
	}
}

// move moves each claimed case through its workflow and says what became of it.
func (m *Migrator) move(ctx context.Context, migration workflows.Migration, items []store.MigrationItem) ([]store.MigrationResult, error) {
	results := make([]store.MigrationResult, 0, len(items))
	for _, it := range items {
		c := onedoor.Case{ID: it.CaseID, Number: it.Number}
		st, err := m.Cases.Migrate(ctx, c, UpdateID(migration.Plan, it.CaseID), migration)
		r := store.MigrationResult{CaseID: it.CaseID}
		switch code := onedoor.ErrorCode(err); {
		case err == nil:
			r.Status, r.TargetStep, r.DueAt = store.ItemMoved, st.Case.Step, st.Case.DueAt
			if r.Tasks, err = json.Marshal(landings(st, it)); err != nil {
				return nil, err
			}
		case code == onedoor.EConflict || code == onedoor.EInvalid:
			r.Status, r.Reason = store.ItemLeft, message(err)
		case code == onedoor.EUnavailable || ctx.Err() != nil:
			return nil, err
		default:
			r.Status, r.Reason = store.ItemFailed, err.Error()
		}
		results = append(results, r)
	}
	return results, nil
}

// landings are where the moved case's open tasks are now, each with the step the dry run saw
// it on.
func landings(st workflows.CaseState, it store.MigrationItem) []workflows.TaskLanding {
	var planned []workflows.TaskLanding
	_ = json.Unmarshal(it.Tasks, &planned)
	out := []workflows.TaskLanding{}
	for _, t := range st.OpenTasks() {
		l := workflows.TaskLanding{Task: t.ID, From: t.Step, To: t.Step, Name: t.Name, DueAt: t.DueAt, Explanation: t.Explanation}
		if i := slices.IndexFunc(planned, func(p workflows.TaskLanding) bool { return p.Task == t.ID }); i >= 0 {
			l.From = planned[i].From
		}
		out = append(out, l)
	}
	return out
}

// message is the reason an onedoor.Error gives, without the calls it passed through.
func message(err error) string {
	var e *onedoor.Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return err.Error()
}
