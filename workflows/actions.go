package workflows

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// ActionType names what a user does to a case.
type ActionType string

// The actions on a case.
const (
	ActComplete      ActionType = "complete"  // finish the task with one of its step's outcomes
	ActEscalate      ActionType = "escalate"  // move the case up the chain by hand, with a reason
	ActHandDown      ActionType = "hand_down" // hand the case down to a unit one level below (交办)
	ActSuspend       ActionType = "suspend"   // stop the clock of a task (suspendable steps only)
	ActResume        ActionType = "resume"    // start the clock again
	ActExtend        ActionType = "extend"    // extend a task's deadline (supervisors, extendable steps)
	ActNote          ActionType = "note"      // add a remark
	ActClose         ActionType = "close"     // close the case: on the spot (首访首办) or by a supervisor
	ActReturn        ActionType = "return"    // send the case back down to the unit it was escalated from
	ActTransfer      ActionType = "transfer"  // transfer the matter to the competent organ; closes the case
	ActDivert        ActionType = "divert"    // ask departments to report on the current step (协同联动)
	ActReport        ActionType = "report"    // a department's report on a step it was diverted to
	ActAck           ActionType = "acknowledge"
	ActSupervise     ActionType = "supervise"      // a supervision order (督办) with a deadline
	ActReply         ActionType = "reply"          // the holder's reply to a supervision order
	ActEvaluate      ActionType = "evaluate"       // the resident's satisfaction, after closing
	ActRequestReview ActionType = "request_review" // the resident asks for review (复查) or re-review (复核)
	ActLink          ActionType = "link"           // a case was opened from this one (the API sends it)
)

// ActionTypes lists the actions the workflow knows.
var ActionTypes = []ActionType{ActComplete, ActEscalate, ActHandDown, ActSuspend, ActResume, ActExtend, ActNote, ActClose,
	ActReturn, ActTransfer, ActDivert, ActReport, ActAck, ActSupervise, ActReply, ActEvaluate, ActRequestReview, ActLink}

// Action is one user's action on a case, sent as the action update. The API fills in Actor from
// the bearer token; the workflow checks that the actor may do it now.
type Action struct {
	Type  ActionType   `json:"type"`
	Actor onedoor.User `json:"actor"`
	// Task is the task acted on; the case's only open task when empty.
	Task    string `json:"task,omitempty"`
	Outcome string `json:"outcome,omitempty"`
	Reason  string `json:"reason,omitempty"`
	// Result is what the holder records: the handling, the reply, the finding.
	Result string `json:"result,omitempty"`
	// Data are form fields to record with the action.
	Data map[string]any `json:"data,omitempty"`
	// Departments are the departments to divert to, when the next step is held by them.
	Departments []string `json:"departments,omitempty"`
	// Target is the org unit a case is handed down to.
	Target *definitions.OrgUnit `json:"target,omitempty"`
	// Extension is how much to extend a deadline by; for supervise, the order's deadline.
	Extension *definitions.Period `json:"extension,omitempty"`
	// Order is the supervision order a reply answers.
	Order string `json:"order,omitempty"`
	// Rating is the resident's satisfaction, 1 to 5.
	Rating int `json:"rating,omitempty"`
	// Link is the case opened from this one.
	Link *onedoor.Link `json:"link,omitempty"`
}

// Error types of refused actions; the API maps them to HTTP statuses.
const (
	ErrConflict  = "conflict"  // the action does not fit the case's state (409)
	ErrForbidden = "forbidden" // the actor may not do this now (the API answers 409: the case is not theirs to move)
	ErrInvalid   = "invalid"   // the action's data are wrong (422)
)

func refuse(kind, format string, args ...any) error {
	return temporal.NewNonRetryableApplicationError(fmt.Sprintf(format, args...), kind, nil)
}

// task finds the task an action is about: the named one, or the only open one (the only open
// step task when departments are still reporting).
func (w *caseWorkflow) task(id string) (*onedoor.Task, error) {
	open := w.state.OpenTasks()
	if id == "" && len(open) > 1 {
		var steps []*onedoor.Task
		for _, t := range open {
			if t.Kind != onedoor.TaskReport {
				steps = append(steps, t)
			}
		}
		if len(steps) == 1 {
			return steps[0], nil
		}
	}
	if id == "" {
		if len(open) == 1 {
			return open[0], nil
		}
		if len(open) == 0 {
			return nil, refuse(ErrConflict, "the case has no open task")
		}
		ids := make([]string, len(open))
		for i, t := range open {
			ids[i] = t.ID
		}
		return nil, refuse(ErrConflict, "the case has %d open tasks (%s): name the task", len(open), strings.Join(ids, ", "))
	}
	for _, t := range open {
		if t.ID == id {
			return t, nil
		}
	}
	return nil, refuse(ErrConflict, "task %s is not open", id)
}

// holds reports whether the actor holds the task: the task's role at its org unit, or staff of
// its department.
func holds(a Action, t *onedoor.Task) bool {
	if t.Department != "" {
		return a.Actor.Role == onedoor.RoleDepartment && a.Actor.Department == t.Department
	}
	return string(a.Actor.Role) == t.Role && a.Actor.OrgUnit == t.OrgUnit
}

// supervises reports whether the actor supervises the case's org unit: a supervisor of it or of
// one of its ancestors.
func (w *caseWorkflow) supervises(a Action) bool {
	if a.Actor.Role != onedoor.RoleSupervisor {
		return false
	}
	for _, u := range w.state.Chain {
		if u.Code == a.Actor.OrgUnit {
			return true
		}
	}
	return false
}

// validate refuses an action that does not fit the case now. It changes nothing: a refused
// update leaves no trace in the case's history.
func (w *caseWorkflow) validate(a Action) error {
	if !slices.Contains(ActionTypes, a.Type) {
		return refuse(ErrInvalid, "unknown action %q", a.Type)
	}
	if w.state.Case.Status == onedoor.StatusClosed {
		if a.Type == ActEvaluate {
			return w.validateEvaluate(a)
		}
		if a.Type != ActNote && a.Type != ActLink {
			return refuse(ErrConflict, "the case is closed")
		}
	} else if a.Type == ActEvaluate {
		return refuse(ErrConflict, "the resident evaluates the handling once the case is closed")
	}
	switch a.Type {
	case ActLink:
		if a.Link == nil || a.Link.CaseID == "" {
			return refuse(ErrInvalid, "a link needs the linked case")
		}
		if slices.ContainsFunc(w.state.Case.Links, func(l onedoor.Link) bool { return l.CaseID == a.Link.CaseID }) {
			return refuse(ErrConflict, "the case is already linked to %s", a.Link.Number)
		}
		return nil
	case ActNote:
		if strings.TrimSpace(a.Reason+a.Result) == "" {
			return refuse(ErrInvalid, "a note needs a text (reason)")
		}
		return nil
	case ActEscalate:
		if len(w.state.Chain) < 2 {
			return refuse(ErrConflict, "the case is at the %s level: there is no level above", w.level())
		}
		if strings.TrimSpace(a.Reason) == "" {
			return refuse(ErrInvalid, "escalating by hand needs a reason")
		}
		return w.mayMove(a)
	case ActHandDown:
		if a.Target == nil || a.Target.Parent != w.state.Case.OrgUnit || a.Target.Level.Rank() != w.level().Rank()-1 {
			return refuse(ErrInvalid, "hand down needs a target org unit directly below %s", w.state.Case.OrgUnit)
		}
		if strings.TrimSpace(a.Reason) == "" {
			return refuse(ErrInvalid, "handing down needs a reason")
		}
		return w.mayMove(a)
	case ActClose:
		return w.validateClose(a)
	case ActReturn:
		if w.returnTo() == nil {
			return refuse(ErrConflict, "the case was not escalated to %s: there is no unit to return it to", w.state.Case.OrgUnit)
		}
		if strings.TrimSpace(a.Reason) == "" {
			return refuse(ErrInvalid, "returning a case needs a reason")
		}
		return w.mayMove(a)
	case ActTransfer:
		if strings.TrimSpace(a.Reason) == "" || strings.TrimSpace(a.Result) == "" {
			return refuse(ErrInvalid, "a transfer needs the competent organ (result) and the reason")
		}
		return w.mayMove(a)
	case ActDivert:
		if len(a.Departments) == 0 {
			return refuse(ErrInvalid, "name the departments to divert to")
		}
		for _, d := range a.Departments {
			if !slices.ContainsFunc(w.in.Departments, func(x definitions.Department) bool { return x.Code == d }) {
				return refuse(ErrInvalid, "unknown department %q", d)
			}
		}
		return w.mayMove(a)
	case ActSupervise:
		if !w.supervises(a) {
			return refuse(ErrForbidden, "only a supervisor of %s or above issues supervision orders", w.state.Case.OrgUnit)
		}
		if strings.TrimSpace(a.Reason) == "" || a.Extension == nil || a.Extension.Amount <= 0 || !a.Extension.Unit.Valid() {
			return refuse(ErrInvalid, "a supervision order needs a reason and a deadline (extension: amount and unit)")
		}
		return nil
	case ActReply:
		o := w.order(a.Order)
		if o == nil || o.RepliedAt != nil {
			return refuse(ErrConflict, "supervision order %q is not open", a.Order)
		}
		if strings.TrimSpace(a.Result) == "" {
			return refuse(ErrInvalid, "a reply needs its text (result)")
		}
		return w.mayMove(a)
	case ActRequestReview:
		t, err := w.task(a.Task)
		if err != nil {
			return err
		}
		if _, ok := reviewOutcome(w.proc.Procedure, t); !ok {
			return refuse(ErrConflict, "the case is not at a step where a review may be requested")
		}
		if !holds(a, t) {
			return refuse(ErrForbidden, "the request is registered by the holder of task %s", t.ID)
		}
		a.Outcome, _ = reviewOutcome(w.proc.Procedure, t)
		return w.validateComplete(a, t)
	}

	t, err := w.task(a.Task)
	if err != nil {
		return err
	}
	switch a.Type {
	case ActComplete:
		if !holds(a, t) {
			return refuse(ErrForbidden, "task %s (%s) is held by %s, not by %s", t.ID, t.Name, holder(t), a.Actor.ID)
		}
		if t.Kind == onedoor.TaskReport {
			return refuse(ErrConflict, "task %s is a report: use the report action", t.ID)
		}
		if waiting := w.reportsOpen(t.Step); len(waiting) > 0 {
			return refuse(ErrConflict, "departments have not reported yet: %s", strings.Join(waiting, ", "))
		}
		return w.validateComplete(a, t)
	case ActReport:
		if t.Kind != onedoor.TaskReport || !holds(a, t) {
			return refuse(ErrForbidden, "task %s is not a report of %s's department", t.ID, a.Actor.ID)
		}
		if strings.TrimSpace(a.Result) == "" {
			return refuse(ErrInvalid, "a report needs its text (result)")
		}
	case ActAck:
		if t.Department == "" || !holds(a, t) {
			return refuse(ErrForbidden, "task %s was not summoned to %s's department", t.ID, a.Actor.ID)
		}
		if t.Acknowledged {
			return refuse(ErrConflict, "task %s was already acknowledged", t.ID)
		}
	case ActSuspend, ActResume:
		if !holds(a, t) && !w.supervises(a) {
			return refuse(ErrForbidden, "only the holder of task %s or a supervisor may %s it", t.ID, a.Type)
		}
		dl := w.proc.Procedure.DeadlineAt(t.Step, t.Level)
		switch {
		case a.Type == ActSuspend && (dl == nil || !dl.Suspendable):
			return refuse(ErrConflict, "the deadline of step %s cannot be suspended", t.Step)
		case a.Type == ActSuspend && t.Suspended:
			return refuse(ErrConflict, "task %s is already suspended", t.ID)
		case a.Type == ActResume && !t.Suspended:
			return refuse(ErrConflict, "task %s is not suspended", t.ID)
		case a.Type == ActSuspend && strings.TrimSpace(a.Reason) == "":
			return refuse(ErrInvalid, "a suspension needs a reason")
		}
	case ActExtend:
		if !w.supervises(a) {
			return refuse(ErrForbidden, "only a supervisor of %s or above may extend a deadline", w.state.Case.OrgUnit)
		}
		return w.validateExtend(a, t)
	}
	return nil
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

// order finds a supervision order by id.
func (w *caseWorkflow) order(id string) *onedoor.SupervisionOrder {
	for i := range w.state.Case.Supervision {
		if w.state.Case.Supervision[i].ID == id {
			return &w.state.Case.Supervision[i]
		}
	}
	return nil
}

// reviewOutcome is the outcome of the task's step through which a review or re-review is asked
// for (e.g. request_review, request_rereview).
func reviewOutcome(p *definitions.Procedure, t *onedoor.Task) (string, bool) {
	step, ok := p.Step(t.Step)
	if !ok {
		return "", false
	}
	for _, o := range step.Outcomes {
		if strings.HasPrefix(o.ID, "request_") && strings.Contains(o.ID, "review") {
			return o.ID, true
		}
	}
	return "", false
}

func (w *caseWorkflow) validateEvaluate(a Action) error {
	if w.state.Case.Evaluation != nil {
		return refuse(ErrConflict, "the case was already evaluated")
	}
	if a.Rating < 1 || a.Rating > 5 {
		return refuse(ErrInvalid, "the rating is 1 (very dissatisfied) to 5 (very satisfied)")
	}
	if a.Actor.Role != onedoor.RoleClerk && a.Actor.Role != onedoor.RoleSupervisor {
		return refuse(ErrForbidden, "a clerk or supervisor records the resident's evaluation")
	}
	return nil
}

func holder(t *onedoor.Task) string {
	if t.Department != "" {
		return "department " + t.Department
	}
	return t.Role + " of " + t.OrgUnit
}

func (w *caseWorkflow) mayMove(a Action) error {
	for _, t := range w.state.OpenTasks() {
		if holds(a, t) {
			return nil
		}
	}
	if w.supervises(a) {
		return nil
	}
	return refuse(ErrForbidden, "only the holder of the case's task or a supervisor may move it")
}

func (w *caseWorkflow) validateComplete(a Action, t *onedoor.Task) error {
	step, _ := w.proc.Procedure.Step(t.Step)
	out, ok := step.Outcome(a.Outcome)
	if !ok {
		ids := make([]string, len(step.Outcomes))
		for i, o := range step.Outcomes {
			ids[i] = o.ID
		}
		return refuse(ErrInvalid, "step %s has no outcome %q; its outcomes are %s", t.Step, a.Outcome, strings.Join(ids, ", "))
	}
	env := w.envAt(w.state.Case.UpdatedAt, w.merged(a.Data))
	refusals, err := w.proc.Complete(t.Step, a.Outcome, env)
	if err != nil {
		return refuse(ErrConflict, "a rule of step %s failed: %v", t.Step, err)
	}
	if len(refusals) > 0 {
		return refuse(ErrConflict, "%s", strings.Join(refusals, "; "))
	}
	switch out.Move {
	case definitions.MoveUp:
		if len(w.state.Chain) < 2 {
			return refuse(ErrConflict, "the case is at the top of the chain")
		}
	case definitions.MoveDown:
		if a.Target == nil || a.Target.Parent != w.state.Case.OrgUnit {
			return refuse(ErrInvalid, "outcome %s hands the case down: name the target org unit below %s", out.ID, w.state.Case.OrgUnit)
		}
	}
	if out.Next != definitions.EndStep && t.Department == "" {
		next, _ := w.proc.Procedure.Step(out.Next)
		if next.Assignee.Diverted && len(a.Departments) == 0 {
			codes, err := w.proc.Divert(w.moveLevel(out.Move, a), env)
			if err != nil || len(codes) == 0 {
				return refuse(ErrInvalid, "step %s goes to departments: name them (departments)", next.ID)
			}
		}
	}
	return nil
}

// moveLevel is the level the case will be at after an outcome's move.
func (w *caseWorkflow) moveLevel(m definitions.Move, a Action) definitions.Level {
	switch {
	case m == definitions.MoveUp && len(w.state.Chain) > 1:
		return w.state.Chain[1].Level
	case m == definitions.MoveDown && a.Target != nil:
		return a.Target.Level
	}
	return w.level()
}

func (w *caseWorkflow) validateClose(a Action) error {
	if strings.TrimSpace(a.Outcome) == "" {
		return refuse(ErrInvalid, "closing needs an outcome (resolved, withdrawn, declined, …)")
	}
	if w.supervises(a) {
		return nil
	}
	// 首访首办: the window that received the matter handles it on the spot when the rule allows.
	t, err := w.task("")
	if err != nil || !holds(a, t) {
		return refuse(ErrForbidden, "only the holder of the case's task (on the spot) or a supervisor may close it")
	}
	if t.Step != w.proc.Procedure.StartStep() || w.state.Case.Escalations > 0 {
		return refuse(ErrConflict, "only a case at its first step, at the window that received it, may be closed on the spot")
	}
	ok, err := w.proc.FirstVisit(w.level(), w.envAt(w.state.Case.UpdatedAt, w.merged(a.Data)))
	if err != nil {
		return refuse(ErrConflict, "the %s level's first-visit rule failed (%v): the case cannot be closed on the spot; tell the administrator", w.level(), err)
	}
	if !ok {
		return refuse(ErrConflict, "the %s level's first-visit rule does not let this case be handled on the spot", w.level())
	}
	if strings.TrimSpace(a.Result) == "" {
		return refuse(ErrInvalid, "record how the matter was handled (result)")
	}
	return nil
}

func (w *caseWorkflow) validateExtend(a Action, t *onedoor.Task) error {
	dl := w.proc.Procedure.DeadlineAt(t.Step, t.Level)
	if dl == nil || !dl.Extendable || t.Period == nil {
		return refuse(ErrConflict, "the deadline of step %s cannot be extended", t.Step)
	}
	if dl.MaxExtensions > 0 && t.Extensions >= dl.MaxExtensions {
		return refuse(ErrConflict, "the deadline of task %s was already extended %d time(s), the most allowed", t.ID, t.Extensions)
	}
	if a.Extension == nil || a.Extension.Amount <= 0 {
		return refuse(ErrInvalid, "name the extension (amount and unit)")
	}
	if a.Extension.Unit != t.Period.Unit {
		return refuse(ErrInvalid, "the extension must be in %s, the unit of the deadline", t.Period.Unit)
	}
	if dl.Extension != nil && a.Extension.Amount > dl.Extension.Amount {
		return refuse(ErrInvalid, "the extension may be at most %s", dl.Extension)
	}
	if strings.TrimSpace(a.Reason) == "" {
		return refuse(ErrInvalid, "an extension needs a reason, which the resident is told")
	}
	return nil
}

// merged is the case's data with an action's fields on top.
func (w *caseWorkflow) merged(data map[string]any) map[string]any {
	out := maps.Clone(w.state.Case.Data)
	if out == nil {
		out = map[string]any{}
	}
	maps.Copy(out, data)
	return out
}

// apply carries out a validated action, saves the case and applies the escalation rule.
func (w *caseWorkflow) apply(ctx workflow.Context, a Action) error {
	now := workflow.Now(ctx)
	reason := a.Reason
	switch a.Type {
	case ActNote:
		// The note lives in the audit log, not in the workflow's state, which must not grow
		// with every remark.
		reason = strings.TrimSpace(a.Reason + " " + a.Result)
	case ActEscalate:
		w.moveUp(ctx)
	case ActHandDown:
		w.handDown(ctx, *a.Target)
	case ActClose:
		// The audit line says whether the window handled it on the spot (首访首办): the
		// statistics count those.
		reason = strings.TrimSpace(a.Outcome + " " + a.Reason)
		if !w.supervises(a) {
			reason = strings.TrimSpace("on_spot " + a.Outcome + " " + a.Reason)
		}
		w.state.Case.Data = w.merged(a.Data)
		w.closeCase(ctx, a.Outcome, a.Actor.ID, a.Result)
	case ActComplete:
		t, _ := w.task(a.Task)
		w.complete(ctx, a, t)
		reason = strings.TrimSpace(a.Outcome + " " + a.Reason)
	case ActSuspend:
		t, _ := w.task(a.Task)
		t.Suspended, t.SuspendedAt = true, &now
		if dl := w.proc.Procedure.DeadlineAt(t.Step, t.Level); dl != nil && dl.MaxSuspension != nil {
			at := w.calendar.Due(now, *dl.MaxSuspension).At
			t.ResumeAt = &at
		}
	case ActResume:
		t, _ := w.task(a.Task)
		w.resume(t, now, a.Reason)
	case ActReturn:
		from := *w.returnTo()
		w.cancelOpen(ctx, "returned")
		w.descend(from)
		w.openStep(ctx, w.state.Case.Step, w.state.Departments)
	case ActTransfer:
		w.state.Transfers++
		w.closeCase(ctx, "transferred", a.Actor.ID, a.Result)
	case ActDivert:
		step, _ := w.proc.Procedure.Step(w.state.Case.Step)
		for _, d := range a.Departments {
			w.addTask(ctx, onedoor.Task{
				Kind: onedoor.TaskReport, Step: step.ID, Name: step.Name + "（部门报告）", Level: w.level(),
				Role: definitions.RoleDepartment, Department: d, Status: onedoor.TaskOpen, Priority: "normal", OpenedAt: now,
			})
		}
		w.state.Departments = mergeCodes(w.state.Departments, a.Departments)
		reason = strings.Join(a.Departments, ", ") + ": " + a.Reason
	case ActReport:
		t, _ := w.task(a.Task)
		t.Status, t.Result, t.ClosedBy, t.ClosedAt, t.Acknowledged = onedoor.TaskDone, a.Result, a.Actor.ID, &now, true
	case ActAck:
		t, _ := w.task(a.Task)
		t.Acknowledged = true
	case ActSupervise:
		due := w.calendar.Due(now, *a.Extension)
		w.state.Case.Supervision = append(w.state.Case.Supervision, onedoor.SupervisionOrder{
			ID: fmt.Sprintf("s%d", len(w.state.Case.Supervision)+1), By: a.Actor.ID, OrgUnit: w.state.Case.OrgUnit,
			At: now, Reason: a.Reason, DueAt: due.At,
		})
		w.notifyUnits(ctx, "", "supervision", fmt.Sprintf("%s: supervision order by %s, reply by %s: %s", w.state.Case.Number, a.Actor.ID, due.At.In(definitions.Shanghai).Format("2006-01-02 15:04"), a.Reason))
	case ActReply:
		o := w.order(a.Order)
		o.Reply, o.RepliedBy, o.RepliedAt = a.Result, a.Actor.ID, &now
	case ActLink:
		w.state.Case.Links = append(w.state.Case.Links, *a.Link)
		reason = a.Link.Relation + " " + a.Link.Number
	case ActEvaluate:
		w.state.Case.Evaluation = &onedoor.Evaluation{Rating: a.Rating, Comment: a.Result, By: a.Actor.ID, At: now}
	case ActRequestReview:
		t, _ := w.task(a.Task)
		a.Outcome, _ = reviewOutcome(w.proc.Procedure, t)
		w.complete(ctx, a, t)
		reason = strings.TrimSpace(a.Outcome + " " + a.Reason)
	case ActExtend:
		t, _ := w.task(a.Task)
		p := definitions.Period{Amount: t.Period.Amount + a.Extension.Amount, Unit: t.Period.Unit}
		t.Period = &p
		t.Extensions++
		w.state.Extensions++
		w.schedule(t)
		t.Explanation.Notes = append(t.Explanation.Notes, fmt.Sprintf("extended by %s on %s by %s: %s", a.Extension, now.In(definitions.Shanghai).Format("2006-01-02"), a.Actor.ID, a.Reason))
		t.Overdue = t.Overdue && !now.Before(*t.DueAt)
		t.Warned = t.Warned && !now.Before(*t.WarnAt)
		if !t.Overdue {
			t.Priority = "normal"
		}
	}
	if err := w.save(ctx, a.Actor.ID, string(a.Type), reason); err != nil {
		return err
	}
	return w.afterChange(ctx, "system", string(a.Type))
}

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

// resume starts a suspended task's clock again: the suspension joins the task's record and the
// due date moves by it.
func (w *caseWorkflow) resume(t *onedoor.Task, now time.Time, reason string) {
	t.Suspensions = append(t.Suspensions, definitions.Suspension{From: *t.SuspendedAt, To: now, Reason: reason})
	t.Suspended, t.SuspendedAt, t.ResumeAt = false, nil, nil
	w.schedule(t)
	if t.DueAt != nil {
		t.Overdue = t.Overdue && !now.Before(*t.DueAt)
		t.Warned = t.Warned && !now.Before(*t.WarnAt)
	}
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
	for _, t := range w.state.OpenTasks() {
		t.Status, t.Outcome, t.Result, t.ClosedBy, t.ClosedAt = onedoor.TaskDone, outcome, result, actor, &now
	}
	c := &w.state.Case
	c.Status, c.Outcome, c.Step = onedoor.StatusClosed, outcome, ""
}
