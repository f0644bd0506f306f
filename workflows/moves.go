package workflows

import (
	"slices"

	"go.temporal.io/sdk/workflow"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// complete finishes a task with an outcome. A step held by several departments completes when
// all have reported; the outcome that counts is the one listed last in the step among those
// reported, so an objection (listed after acceptance) prevails.
func (w *caseWorkflow) complete(ctx workflow.Context, a Action, t *onedoor.Task) {
	now := workflow.Now(ctx)
	w.state.Case.Data = w.merged(a.Data)
	t.Status, t.Outcome, t.Result, t.ClosedBy, t.ClosedAt = onedoor.TaskDone, a.Outcome, a.Result, a.Actor.ID, &now
	if len(w.state.OpenTasks()) > 0 {
		return
	}
	step, _ := w.proc.Procedure.Step(t.Step)
	outcome := w.stepOutcome(step, t)
	if outcome.Move == definitions.MoveUp {
		w.cancelOpen(ctx, "escalated")
		w.taken = true
		from := w.state.Chain[0]
		w.state.Chain = w.state.Chain[1:]
		w.state.Case.Escalations++
		w.enterLevel()
		w.notifyEscalated(ctx, from)
	}
	if outcome.Move == definitions.MoveDown {
		w.descend(*a.Target)
	}
	if outcome.Next == definitions.EndStep {
		w.closeCase(ctx, outcome.ID, a.Actor.ID, a.Result)
		return
	}
	next, _ := w.proc.Procedure.Step(outcome.Next)
	var departments []string
	if next.Assignee.Diverted {
		departments = a.Departments
		if len(departments) == 0 {
			departments, _ = w.proc.Divert(w.level(), w.env(ctx, nil))
		}
		w.state.Departments = mergeCodes(w.state.Departments, departments)
	}
	w.openStep(ctx, outcome.Next, departments)
}

func (w *caseWorkflow) stepOutcome(step *definitions.Step, last *onedoor.Task) *definitions.Outcome {
	reported := map[string]bool{}
	for _, t := range w.state.Tasks {
		if t.Step == last.Step && t.Status == onedoor.TaskDone && t.OpenedAt.Equal(last.OpenedAt) {
			reported[t.Outcome] = true
		}
	}
	chosen, _ := step.Outcome(last.Outcome)
	for i := range step.Outcomes {
		if reported[step.Outcomes[i].ID] {
			chosen = &step.Outcomes[i]
		}
	}
	return chosen
}

func mergeCodes(have, add []string) []string {
	for _, c := range add {
		if !slices.Contains(have, c) {
			have = append(have, c)
		}
	}
	return have
}

// handDown hands the case to a unit one level below: the current step opens again there.
func (w *caseWorkflow) handDown(ctx workflow.Context, target definitions.OrgUnit) {
	w.cancelOpen(ctx, "handed down")
	w.descend(target)
	w.openStep(ctx, w.state.Case.Step, w.state.Departments)
}

func (w *caseWorkflow) descend(target definitions.OrgUnit) {
	w.state.Chain = append([]definitions.OrgUnit{target}, w.state.Chain...)
	w.state.Returns++
	w.enterLevel()
}

func (w *caseWorkflow) closeCase(ctx workflow.Context, outcome, actor, result string) {
	now := workflow.Now(ctx)
	// The kind is what the statistics count: the outcome's id may change between versions.
	var taken []definitions.Taken
	for _, t := range w.state.Tasks {
		if t.Status == onedoor.TaskDone && t.Outcome != "" {
			taken = append(taken, definitions.Taken{Step: t.Step, Outcome: t.Outcome})
		}
	}
	kind, onSpot := w.proc.Procedure.Result(w.state.Case.Step, outcome, taken)
	w.state.Case.OutcomeKind, w.state.Case.OnSpot = string(kind), w.state.Case.OnSpot || onSpot
	for _, t := range w.state.OpenTasks() {
		t.Status, t.Outcome, t.Result, t.ClosedBy, t.ClosedAt = onedoor.TaskDone, outcome, result, actor, &now
	}
	w.stopClocks(now)
	c := &w.state.Case
	c.Status, c.Outcome, c.Step = onedoor.StatusClosed, outcome, ""
}

// returnTo is the unit the case was escalated from: the one below the current unit on the chain
// of the unit that received it; nil when the case is where it was received.
func (w *caseWorkflow) returnTo() *definitions.OrgUnit {
	for i, u := range w.in.Chain {
		if u.Code == w.state.Case.OrgUnit && i > 0 {
			return &w.in.Chain[i-1]
		}
	}
	return nil
}

// reportsOpen are the departments whose reports on the step are still open.
func (w *caseWorkflow) reportsOpen(step string) []string {
	var open []string
	for _, t := range w.state.OpenTasks() {
		if t.Kind == onedoor.TaskReport && t.Step == step {
			open = append(open, t.Department)
		}
	}
	return open
}

// moveLevel is the level the case will be at after an outcome's move.
func (w *caseWorkflow) moveLevel(m definitions.Move, a Action) definitions.Level {
	switch {
	case m == definitions.MoveUp && w.canClimb():
		return w.state.Chain[1].Level
	case m == definitions.MoveDown && a.Target != nil:
		return a.Target.Level
	}
	return w.level()
}
