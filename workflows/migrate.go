package workflows

import (
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// Moving a running case to a new version of its procedure (a migration plan, when a law
// changes). The update and the query are new handlers: histories of cases that never migrate
// are unchanged, so no workflow.GetVersion is needed.
const (
	// UpdateMigrate moves the case to the target version of a migration plan; see Migration.
	UpdateMigrate = "migrate"
	// QueryMigration says where the case would land under a migration plan, changing nothing:
	// the dry run, answered by the same code as the update.
	QueryMigration = "migration"
	// ActMigrate is the audit action of a case moved to a new procedure version.
	ActMigrate = "migrate"
)

// Migration moves a case to the target version of a migration plan: the target procedure by
// value, and the plan's step mapping.
type Migration struct {
	// Plan is the id of the migration plan, recorded in the audit entry.
	Plan int64 `json:"plan"`
	// Actor is the administrator who applies the plan.
	Actor string `json:"actor"`
	// From is the version the case must be on.
	From int `json:"from"`
	// Procedure is the published target version.
	Procedure *definitions.Procedure `json:"procedure"`
	// Steps is the plan's step mapping (definitions.MigrationPlan).
	Steps map[string]string `json:"steps,omitempty"`
	// At is the time the dry run judges overdue against (the query has no workflow clock);
	// the update uses the workflow's.
	At time.Time `json:"at,omitzero"`
}

// MigrationPreview is where a case lands under a plan: its new step and each open task's step
// and due date, with the explanation of the new due date.
type MigrationPreview struct {
	// Already is set when the case is on the target version already: nothing moves.
	Already bool          `json:"already,omitempty"`
	Step    string        `json:"step"`
	Tasks   []TaskLanding `json:"tasks"`
}

// TaskLanding is where one open task lands.
type TaskLanding struct {
	Task        string                   `json:"task" doc:"Task id."`
	From        string                   `json:"from" doc:"Step on the source version."`
	To          string                   `json:"to" doc:"Step on the target version."`
	Name        string                   `json:"name" doc:"Name of the target step."`
	DueAt       *time.Time               `json:"due_at,omitempty" doc:"New due date; absent when the target step has no deadline."`
	Explanation *definitions.Explanation `json:"explanation,omitempty" doc:"How the new due date is counted."`
}

func (w *caseWorkflow) registerMigration(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryMigration, func(m Migration) (MigrationPreview, error) {
		if w.already(m) {
			p := w.preview(w)
			p.Already = true
			return p, nil
		}
		n, err := w.migrated(m, m.At)
		if err != nil {
			return MigrationPreview{}, err
		}
		return n.preview(w), nil
	}); err != nil {
		return err
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, UpdateMigrate,
		func(ctx workflow.Context, m Migration) (CaseState, error) {
			if err := workflow.Await(ctx, func() bool { return w.registered }); err != nil {
				return CaseState{}, err
			}
			if w.already(m) {
				return w.snapshot(), nil // a retry of a plan that moved the case already
			}
			from := w.state.Case.ProcedureVersion
			n, err := w.migrated(m, workflow.Now(ctx))
			if err != nil {
				return CaseState{}, err
			}
			reason := w.migrationReason(m.Plan, from, n)
			w.in, w.proc, w.state = n.in, n.proc, n.state
			w.failures = append(w.failures, n.failures...)
			if err := w.save(ctx, m.Actor, ActMigrate, reason); err != nil {
				return CaseState{}, err
			}
			return w.snapshot(), nil
		},
		workflow.UpdateHandlerOptions{Validator: func(m Migration) error {
			if w.already(m) {
				return nil
			}
			_, err := w.migrated(m, w.state.Case.UpdatedAt)
			return err
		}},
	)
}

// already reports whether the case is on the migration's target version: a move repeated (after
// a crash, or by a second runner) answers the case as it is.
func (w *caseWorkflow) already(m Migration) bool {
	return m.Procedure != nil && w.state.Case.ProcedureKey == m.Procedure.Key && w.state.Case.ProcedureVersion == m.Procedure.Version
}

// preview is where the case stands: its step and its open tasks' steps and due dates, each
// task's step before the move read from orig, the case as it was.
func (w *caseWorkflow) preview(orig *caseWorkflow) MigrationPreview {
	p := MigrationPreview{Step: w.state.Case.Step, Tasks: []TaskLanding{}}
	for i, t := range w.state.Tasks {
		if t.Status == onedoor.TaskOpen {
			p.Tasks = append(p.Tasks, TaskLanding{Task: t.ID, From: orig.state.Tasks[i].Step, To: t.Step, Name: t.Name,
				DueAt: t.DueAt, Explanation: t.Explanation})
		}
	}
	return p
}

// migrated is the case moved to the plan's target version as of now, apart from the workflow's
// own state (a copy the caller adopts, or shows): the procedure swapped, every open task on its
// mapped step with its due date counted again on the new version's deadline from when the task
// started (extensions granted kept), and the running statutory clocks on the new version's
// periods. No rule of the new version runs; the next deadline or action applies them.
func (w *caseWorkflow) migrated(m Migration, now time.Time) (*caseWorkflow, error) {
	c := w.state.Case
	switch {
	case m.Procedure == nil:
		return nil, refuse(ErrInvalid, "a migration needs the target procedure version")
	case m.Procedure.Key != c.ProcedureKey:
		return nil, refuse(ErrInvalid, "the case follows procedure %s, not %s", c.ProcedureKey, m.Procedure.Key)
	case !w.registered:
		return nil, refuse(ErrConflict, "the case is not registered yet")
	case c.Status == onedoor.StatusClosed:
		return nil, refuse(ErrConflict, "the case is closed: it stays on version %d", c.ProcedureVersion)
	case c.ProcedureVersion != m.From:
		return nil, refuse(ErrConflict, "the case runs on version %d, not on version %d the plan moves from", c.ProcedureVersion, m.From)
	case c.OverrideVersion != 0:
		return nil, refuse(ErrConflict, "the case runs on its county's override version %d of the template: a plan moves cases on the template as published only", c.OverrideVersion)
	}
	plan := definitions.MigrationPlan{Procedure: c.ProcedureKey, From: m.From, To: m.Procedure.Version, Steps: m.Steps}
	steps := []string{c.Step}
	for _, t := range w.state.OpenTasks() {
		steps = append(steps, t.Step)
	}
	if _, unmapped := plan.Land(steps, m.Procedure); len(unmapped) > 0 {
		return nil, refuse(ErrConflict, "%s", plan.Unmapped(unmapped))
	}
	compiled, err := m.Procedure.Compile()
	if err != nil {
		return nil, refuse(ErrInvalid, "version %d of %s does not compile: %v", m.Procedure.Version, m.Procedure.Key, err)
	}
	n := &caseWorkflow{in: w.in, proc: compiled, calendar: w.calendar, state: w.snapshot(), registered: true}
	n.in.Procedure = m.Procedure
	n.state.Case.ProcedureVersion = m.Procedure.Version
	n.state.Case.Step, _ = plan.Target(c.Step, m.Procedure)
	// A completion made on the old version cannot be taken back onto the new one.
	n.state.Withdrawable = nil
	for i := range n.state.Case.Clocks {
		k := &n.state.Case.Clocks[i]
		def := n.clockDef(k.ID)
		if !k.Running() || def == nil {
			continue // a clock the new version lacks keeps the period it started with
		}
		period := def.Period
		if old := w.clockDef(k.ID); old != nil && old.Period.Unit == k.Period.Unit && period.Unit == k.Period.Unit {
			period.Amount += k.Period.Amount - old.Period.Amount // its extensions carry over
		}
		k.Name, k.Basis, k.Period = def.Name, def.Basis, period
		n.scheduleClock(k)
		k.Overdue = k.Overdue && !now.Before(k.DueAt)
	}
	oldEnv, env := w.envAt(now, nil), n.envAt(now, nil)
	for _, t := range n.state.OpenTasks() {
		from := t.Step
		t.Step, _ = plan.Target(from, m.Procedure)
		step, _ := m.Procedure.Step(t.Step)
		t.Name = step.Name
		dl, period, ok, err := compiled.Deadline(t.Step, t.Level, env)
		if err != nil {
			period, ok = SafeDeadline, true
			dl.Basis = "safe default after a failed deadline rule"
			n.failures = append(n.failures, fmt.Sprintf("the deadline rule of step %s at the %s level failed (%v): task %s is due in %s", t.Step, t.Level, err, t.ID, SafeDeadline))
		}
		if !ok {
			t.Period, t.DueAt, t.WarnAt, t.Explanation, t.Basis = nil, nil, nil, nil, ""
			t.Overdue, t.Warned = false, false
			continue
		}
		if _, old, had, err := w.proc.Deadline(from, t.Level, oldEnv); err == nil && had && t.Period != nil &&
			old.Unit == t.Period.Unit && period.Unit == old.Unit {
			period.Amount += t.Period.Amount - old.Amount // extensions granted on the old version
		}
		t.Period, t.Basis, t.CountFrom = &period, dl.Basis, t.OpenedAt
		if dl.From == definitions.FromReceived {
			t.CountFrom = c.ReceivedAt
		}
		if t.Suspended {
			continue // counted again when it resumes, on the new period
		}
		n.schedule(t)
		t.Overdue = t.Overdue && !now.Before(*t.DueAt)
		t.Warned = t.Warned && !now.Before(*t.WarnAt)
	}
	for _, t := range n.state.OpenTasks() {
		switch {
		case t.Overdue || t.AckOverdue:
			t.Priority = "urgent"
		case t.Warned:
			t.Priority = "high"
		default:
			t.Priority = "normal"
		}
	}
	n.refresh()
	return n, nil
}

// migrationReason is the audit entry's reason: the versions, the plan and each open task's move
// with its new due date.
func (w *caseWorkflow) migrationReason(plan int64, from int, n *caseWorkflow) string {
	var moves []string
	for i, t := range n.state.Tasks {
		if t.Status != onedoor.TaskOpen {
			continue
		}
		due := "no deadline"
		if t.DueAt != nil {
			due = "due " + shanghai(*t.DueAt)
		}
		moves = append(moves, fmt.Sprintf("%s %s → %s (%s)", t.ID, w.state.Tasks[i].Step, t.Step, due))
	}
	return fmt.Sprintf("migrated from version %d to %d (plan %d): %s", from, n.state.Case.ProcedureVersion, plan, strings.Join(moves, "; "))
}
