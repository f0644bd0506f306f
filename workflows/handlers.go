package workflows

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// The handlers of the action table, one section per action: who may take it (may…), what its
// request must carry (check…) and what it does (apply…), which returns the audit entry's reason.

// complete

func (w *caseWorkflow) mayComplete(u onedoor.User, t *onedoor.Task) error {
	if !Holds(u, t) {
		return refuse(ErrForbidden, "task %s (%s) is held by %s, not by %s", t.ID, t.Name, holder(t), u.ID)
	}
	if t.Kind == onedoor.TaskReport {
		return refuse(ErrConflict, "task %s is a report: use the report action", t.ID)
	}
	if waiting := w.reportsOpen(t.Step); len(waiting) > 0 {
		return refuse(ErrConflict, "departments have not reported yet: %s", strings.Join(waiting, ", "))
	}
	if t.Delegate != "" {
		return refuse(ErrConflict, "task %s is delegated to %s: their result comes back first", t.ID, t.Delegate)
	}
	return nil
}

func (w *caseWorkflow) checkComplete(a Action, t *onedoor.Task) error {
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
		if !w.canClimb() {
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

func (w *caseWorkflow) applyComplete(ctx workflow.Context, a Action, t *onedoor.Task) string {
	wd := w.withdrawal(a, t)
	before := len(w.state.Tasks)
	w.complete(ctx, a, t)
	w.state.Withdrawable = nil
	if wd != nil && w.state.Case.Status == onedoor.StatusOpen && len(w.state.Tasks) > before {
		for _, next := range w.state.Tasks[before:] {
			wd.Opened = append(wd.Opened, next.ID)
		}
		w.state.Withdrawable = wd
	}
	return strings.TrimSpace(a.Outcome + " " + a.Reason)
}

// withdrawal is what completing t with a's outcome changes, for a withdraw to restore: nil for a
// completion that cannot be taken back, one that moves the case up or down the chain, ends it,
// or leaves other tasks of the step open (a department's among several).
func (w *caseWorkflow) withdrawal(a Action, t *onedoor.Task) *Withdrawal {
	step, _ := w.proc.Procedure.Step(t.Step)
	out, ok := step.Outcome(a.Outcome)
	if !ok || out.Move != "" || out.Next == definitions.EndStep || t.Kind != onedoor.TaskStep || len(w.state.OpenTasks()) != 1 {
		return nil
	}
	c := cloneCase(w.state.Case)
	return &Withdrawal{Task: t.ID, By: a.Actor.ID, OrgUnit: c.OrgUnit, Step: c.Step, Data: c.Data, Clocks: c.Clocks,
		Departments: slices.Clone(w.state.Departments)}
}

// escalate

func (w *caseWorkflow) mayEscalate(u onedoor.User, t *onedoor.Task) error {
	if !w.canClimb() {
		return refuse(ErrConflict, "the case is at the %s level: there is no level above", w.level())
	}
	return w.mayMove(u, t)
}

func (w *caseWorkflow) applyEscalate(ctx workflow.Context, a Action, _ *onedoor.Task) string {
	w.moveUp(ctx)
	return a.Reason
}

// hand_down

func (w *caseWorkflow) mayHandDown(u onedoor.User, t *onedoor.Task) error {
	if w.level().Rank() <= 0 {
		return refuse(ErrConflict, "the case is at the %s level: there is no level below", w.level())
	}
	return w.mayMove(u, t)
}

func (w *caseWorkflow) checkHandDown(a Action, _ *onedoor.Task) error {
	if a.Target == nil || a.Target.Parent != w.state.Case.OrgUnit || a.Target.Level.Rank() != w.level().Rank()-1 {
		return refuse(ErrInvalid, "hand down needs a target org unit directly below %s", w.state.Case.OrgUnit)
	}
	if strings.TrimSpace(a.Reason) == "" {
		return refuse(ErrInvalid, "handing down needs a reason")
	}
	return nil
}

func (w *caseWorkflow) applyHandDown(ctx workflow.Context, a Action, _ *onedoor.Task) string {
	w.handDown(ctx, *a.Target)
	return a.Reason
}

// return

func (w *caseWorkflow) mayReturn(u onedoor.User, t *onedoor.Task) error {
	if w.returnTo() == nil {
		return refuse(ErrConflict, "the case was not escalated to %s: there is no unit to return it to", w.state.Case.OrgUnit)
	}
	return w.mayMove(u, t)
}

func (w *caseWorkflow) applyReturn(ctx workflow.Context, a Action, _ *onedoor.Task) string {
	from := *w.returnTo()
	w.cancelOpen(ctx, "returned")
	w.descend(from)
	w.openStep(ctx, w.state.Case.Step, w.state.Departments)
	return a.Reason
}

// transfer

func (w *caseWorkflow) checkTransfer(a Action, _ *onedoor.Task) error {
	if strings.TrimSpace(a.Reason) == "" || strings.TrimSpace(a.Result) == "" {
		return refuse(ErrInvalid, "a transfer needs the competent organ (result) and the reason")
	}
	return nil
}

func (w *caseWorkflow) applyTransfer(ctx workflow.Context, a Action, _ *onedoor.Task) string {
	w.state.Transfers++
	w.closeCase(ctx, "transferred", a.Actor.ID, a.Result)
	return a.Reason
}

// divert

func (w *caseWorkflow) checkDivert(a Action, _ *onedoor.Task) error {
	if len(a.Departments) == 0 {
		return refuse(ErrInvalid, "name the departments to divert to")
	}
	for _, d := range a.Departments {
		if !slices.ContainsFunc(w.in.Departments, func(x definitions.Department) bool { return x.Code == d }) {
			return refuse(ErrInvalid, "unknown department %q", d)
		}
	}
	return nil
}

func (w *caseWorkflow) applyDivert(ctx workflow.Context, a Action, _ *onedoor.Task) string {
	now := workflow.Now(ctx)
	step, _ := w.proc.Procedure.Step(w.state.Case.Step)
	for _, d := range a.Departments {
		w.addTask(ctx, onedoor.Task{
			Kind: onedoor.TaskReport, Step: step.ID, Name: step.Name + "（部门报告）", Level: w.level(),
			Role: definitions.RoleDepartment, Department: d, Status: onedoor.TaskOpen, Priority: "normal", OpenedAt: now,
		})
	}
	w.state.Departments = mergeCodes(w.state.Departments, a.Departments)
	return strings.Join(a.Departments, ", ") + ": " + a.Reason
}

// report

func (w *caseWorkflow) mayReport(u onedoor.User, t *onedoor.Task) error {
	if t.Kind != onedoor.TaskReport || !Holds(u, t) {
		return refuse(ErrForbidden, "task %s is not a report of %s's department", t.ID, u.ID)
	}
	return nil
}

func (w *caseWorkflow) applyReport(ctx workflow.Context, a Action, t *onedoor.Task) string {
	now := workflow.Now(ctx)
	t.Status, t.Result, t.ClosedBy, t.ClosedAt, t.Acknowledged = onedoor.TaskDone, a.Result, a.Actor.ID, &now, true
	return a.Reason
}

// acknowledge

func (w *caseWorkflow) mayAcknowledge(u onedoor.User, t *onedoor.Task) error {
	if t.Department == "" || !Holds(u, t) {
		return refuse(ErrForbidden, "task %s was not summoned to %s's department", t.ID, u.ID)
	}
	if t.Acknowledged {
		return refuse(ErrConflict, "task %s was already acknowledged", t.ID)
	}
	return nil
}

func (w *caseWorkflow) applyAcknowledge(_ workflow.Context, a Action, t *onedoor.Task) string {
	t.Acknowledged = true
	return a.Reason
}

// suspend and resume

func (w *caseWorkflow) mayHoldOrSupervise(u onedoor.User, t *onedoor.Task, what ActionType) error {
	if !Holds(u, t) && !w.supervises(u) {
		return refuse(ErrForbidden, "only the holder of task %s or a supervisor may %s it", t.ID, what)
	}
	return nil
}

func (w *caseWorkflow) maySuspend(u onedoor.User, t *onedoor.Task) error {
	if err := w.mayHoldOrSupervise(u, t, ActSuspend); err != nil {
		return err
	}
	if dl := w.proc.Procedure.DeadlineAt(t.Step, t.Level); dl == nil || !dl.Suspendable {
		return refuse(ErrConflict, "the deadline of step %s cannot be suspended", t.Step)
	}
	if t.Suspended {
		return refuse(ErrConflict, "task %s is already suspended", t.ID)
	}
	return nil
}

func (w *caseWorkflow) applySuspend(ctx workflow.Context, a Action, t *onedoor.Task) string {
	w.suspend(t, workflow.Now(ctx))
	return a.Reason
}

// suspend stops a task's clock (and the case's statutory clocks) from now, until resumed or
// until the step's longest suspension.
func (w *caseWorkflow) suspend(t *onedoor.Task, now time.Time) {
	t.Suspended, t.SuspendedAt = true, &now
	w.suspendClocks(now)
	if dl := w.proc.Procedure.DeadlineAt(t.Step, t.Level); dl != nil && dl.MaxSuspension != nil {
		at := w.calendar.Due(now, *dl.MaxSuspension).At
		t.ResumeAt = &at
	}
}

func (w *caseWorkflow) mayResume(u onedoor.User, t *onedoor.Task) error {
	if err := w.mayHoldOrSupervise(u, t, ActResume); err != nil {
		return err
	}
	if !t.Suspended {
		return refuse(ErrConflict, "task %s is not suspended", t.ID)
	}
	return nil
}

func (w *caseWorkflow) applyResume(ctx workflow.Context, a Action, t *onedoor.Task) string {
	w.resume(t, workflow.Now(ctx), a.Reason)
	return a.Reason
}

// resume starts a suspended task's clock again: the suspension joins the task's record and the
// due date moves by it.
func (w *caseWorkflow) resume(t *onedoor.Task, now time.Time, reason string) {
	t.Suspensions = append(t.Suspensions, definitions.Suspension{From: *t.SuspendedAt, To: now, Reason: reason})
	t.Suspended, t.SuspendedAt, t.ResumeAt = false, nil, nil
	w.resumeClocks(now, reason)
	w.schedule(t)
	if t.DueAt != nil {
		t.Overdue = t.Overdue && !now.Before(*t.DueAt)
		t.Warned = t.Warned && !now.Before(*t.WarnAt)
	}
}

// extend

func (w *caseWorkflow) mayExtend(u onedoor.User, t *onedoor.Task) error {
	if !w.supervises(u) {
		return refuse(ErrForbidden, "only a supervisor of %s or above may extend a deadline", w.state.Case.OrgUnit)
	}
	dl := w.proc.Procedure.DeadlineAt(t.Step, t.Level)
	if dl == nil || !dl.Extendable || t.Period == nil {
		return refuse(ErrConflict, "the deadline of step %s cannot be extended", t.Step)
	}
	if dl.MaxExtensions > 0 && t.Extensions >= dl.MaxExtensions {
		return refuse(ErrConflict, "the deadline of task %s was already extended %d time(s), the most allowed", t.ID, t.Extensions)
	}
	return nil
}

func (w *caseWorkflow) checkExtend(a Action, t *onedoor.Task) error {
	dl := w.proc.Procedure.DeadlineAt(t.Step, t.Level)
	if a.Extension == nil || a.Extension.Amount <= 0 {
		return refuse(ErrInvalid, "name the extension (amount and unit)")
	}
	if a.Extension.Unit != t.Period.Unit {
		return refuse(ErrInvalid, "the extension must be in %s, the unit of the deadline", t.Period.Unit)
	}
	if dl.Extension != nil && a.Extension.Amount > dl.Extension.Amount {
		return refuse(ErrInvalid, "the extension may be at most %s", dl.Extension)
	}
	if _, err := w.clockExtensions(t, w.extended(t, *a.Extension), *a.Extension); err != nil {
		return err
	}
	if strings.TrimSpace(a.Reason) == "" {
		return refuse(ErrInvalid, "an extension needs a reason, which the resident is told")
	}
	return nil
}

func (w *caseWorkflow) applyExtend(ctx workflow.Context, a Action, t *onedoor.Task) string {
	now := workflow.Now(ctx)
	p := w.extended(t, *a.Extension)
	// A statutory period the extended deadline would pass is extended with it (Art.34: the
	// approved extension of the 60 days).
	clocks, _ := w.clockExtensions(t, p, *a.Extension)
	for _, c := range clocks {
		c.Period.Amount += a.Extension.Amount
		c.Extensions++
		w.scheduleClock(c)
		c.Explanation.Notes = append(c.Explanation.Notes, fmt.Sprintf("extended by %s on %s by %s: %s", a.Extension, now.In(definitions.Shanghai).Format("2006-01-02"), a.Actor.ID, a.Reason))
	}
	if len(clocks) > 0 {
		w.rescheduleOpen(now)
	}
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
	return a.Reason
}

// extended is task t's period extended by ext.
func (w *caseWorkflow) extended(t *onedoor.Task, ext definitions.Period) definitions.Period {
	return definitions.Period{Amount: t.Period.Amount + ext.Amount, Unit: t.Period.Unit}
}

// supervise

func (w *caseWorkflow) maySupervise(u onedoor.User, _ *onedoor.Task) error {
	if !w.supervises(u) {
		return refuse(ErrForbidden, "only a supervisor of %s or above issues supervision orders", w.state.Case.OrgUnit)
	}
	return nil
}

func (w *caseWorkflow) checkSupervise(a Action, _ *onedoor.Task) error {
	if strings.TrimSpace(a.Reason) == "" || a.Extension == nil || a.Extension.Amount <= 0 || !a.Extension.Unit.Valid() {
		return refuse(ErrInvalid, "a supervision order needs a reason and a deadline (extension: amount and unit)")
	}
	return nil
}

func (w *caseWorkflow) applySupervise(ctx workflow.Context, a Action, _ *onedoor.Task) string {
	now := workflow.Now(ctx)
	due := w.calendar.Due(now, *a.Extension)
	w.state.Case.Supervision = append(w.state.Case.Supervision, onedoor.SupervisionOrder{
		ID: fmt.Sprintf("s%d", len(w.state.Case.Supervision)+1), By: a.Actor.ID, OrgUnit: w.state.Case.OrgUnit,
		At: now, Reason: a.Reason, DueAt: due.At,
	})
	w.notifyUnits(ctx, "", "supervision", fmt.Sprintf("%s: supervision order by %s, reply by %s: %s", w.state.Case.Number, a.Actor.ID, due.At.In(definitions.Shanghai).Format("2006-01-02 15:04"), a.Reason))
	return a.Reason
}

// reply

func (w *caseWorkflow) mayReply(u onedoor.User, t *onedoor.Task) error {
	if !slices.ContainsFunc(w.state.Case.Supervision, func(o onedoor.SupervisionOrder) bool { return o.RepliedAt == nil }) {
		return refuse(ErrConflict, "the case has no open supervision order")
	}
	return w.mayMove(u, t)
}

func (w *caseWorkflow) checkReply(a Action, _ *onedoor.Task) error {
	if o := w.order(a.Order); o == nil || o.RepliedAt != nil {
		return refuse(ErrConflict, "supervision order %q is not open", a.Order)
	}
	if strings.TrimSpace(a.Result) == "" {
		return refuse(ErrInvalid, "a reply needs its text (result)")
	}
	return nil
}

func (w *caseWorkflow) applyReply(ctx workflow.Context, a Action, _ *onedoor.Task) string {
	now := workflow.Now(ctx)
	o := w.order(a.Order)
	o.Reply, o.RepliedBy, o.RepliedAt = a.Result, a.Actor.ID, &now
	return a.Reason
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

// note

func (w *caseWorkflow) checkNote(a Action, _ *onedoor.Task) error {
	if strings.TrimSpace(a.Reason+a.Result) == "" {
		return refuse(ErrInvalid, "a note needs a text (reason)")
	}
	return nil
}

func (w *caseWorkflow) applyNote(_ workflow.Context, a Action, _ *onedoor.Task) string {
	// The note lives in the audit log, not in the workflow's state, which must not grow with
	// every remark.
	return strings.TrimSpace(a.Reason + " " + a.Result)
}

// close

// mayClose lets a supervisor close the case, and the window that received it close it on the
// spot (首访首办) at its first step when the level's first-visit rule allows.
func (w *caseWorkflow) mayClose(u onedoor.User, _ *onedoor.Task) error {
	if w.supervises(u) {
		return nil
	}
	t, err := w.task("")
	if err != nil || !Holds(u, t) {
		return refuse(ErrForbidden, "only the holder of the case's task (on the spot) or a supervisor may close it")
	}
	if t.Step != w.proc.Procedure.StartStep() || w.state.Case.Escalations > 0 {
		return refuse(ErrConflict, "only a case at its first step, at the window that received it, may be closed on the spot")
	}
	return w.firstVisit(nil)
}

// firstVisit refuses a close on the spot that the level's first-visit rule does not allow for
// the case's data with data on top.
func (w *caseWorkflow) firstVisit(data map[string]any) error {
	ok, err := w.proc.FirstVisit(w.level(), w.envAt(w.state.Case.UpdatedAt, w.merged(data)))
	if err != nil {
		return refuse(ErrConflict, "the %s level's first-visit rule failed (%v): the case cannot be closed on the spot; tell the administrator", w.level(), err)
	}
	if !ok {
		rule := "no rule: the default is no"
		if r := w.proc.Procedure.Levels[w.level()].FirstVisit; r != "" {
			rule = r
		}
		return refuse(ErrConflict, "the %s level's first-visit rule (%s) does not let this case be handled on the spot", w.level(), rule)
	}
	return nil
}

func (w *caseWorkflow) checkClose(a Action, _ *onedoor.Task) error {
	if strings.TrimSpace(a.Outcome) == "" || !w.closingOutcome(a.Outcome) {
		return refuse(ErrInvalid, "closing needs an outcome: a result (%s) or an outcome of the procedure", strings.Join(resultKinds(), ", "))
	}
	if w.supervises(a.Actor) {
		return nil
	}
	if err := w.firstVisit(a.Data); err != nil {
		return err
	}
	if strings.TrimSpace(a.Result) == "" {
		return refuse(ErrInvalid, "record how the matter was handled (result)")
	}
	return nil
}

func (w *caseWorkflow) applyClose(ctx workflow.Context, a Action, _ *onedoor.Task) string {
	// The audit line says whether the window handled it on the spot (首访首办): the
	// statistics count those.
	reason := strings.TrimSpace(a.Outcome + " " + a.Reason)
	if !w.supervises(a.Actor) {
		reason = strings.TrimSpace("on_spot " + a.Outcome + " " + a.Reason)
	}
	w.state.Case.Data = w.merged(a.Data)
	w.state.Case.OnSpot = w.state.Case.OnSpot || !w.supervises(a.Actor)
	w.closeCase(ctx, a.Outcome, a.Actor.ID, a.Result)
	return reason
}

// evaluate

func (w *caseWorkflow) mayEvaluate(u onedoor.User, _ *onedoor.Task) error {
	if w.state.Case.Evaluation != nil {
		return refuse(ErrConflict, "the case was already evaluated")
	}
	// The resident rates through the case's one-time link (the API checked it), or staff
	// record what the resident said.
	if u.Role != onedoor.RoleClerk && u.Role != onedoor.RoleSupervisor && u.Role != onedoor.RoleResident {
		return refuse(ErrForbidden, "a clerk or supervisor records the resident's evaluation")
	}
	return nil
}

func (w *caseWorkflow) checkEvaluate(a Action, _ *onedoor.Task) error {
	if a.Rating < 1 || a.Rating > 5 {
		return refuse(ErrInvalid, "the rating is 1 (very dissatisfied) to 5 (very satisfied)")
	}
	return nil
}

func (w *caseWorkflow) applyEvaluate(ctx workflow.Context, a Action, _ *onedoor.Task) string {
	w.state.Case.Evaluation = &onedoor.Evaluation{Rating: a.Rating, Comment: a.Result, By: a.Actor.ID, At: workflow.Now(ctx)}
	return a.Reason
}

// request_review

func (w *caseWorkflow) mayRequestReview(u onedoor.User, t *onedoor.Task) error {
	if _, ok := reviewOutcome(w.proc.Procedure, t); !ok {
		return refuse(ErrConflict, "the case is not at a step where a review may be requested")
	}
	if !Holds(u, t) {
		return refuse(ErrForbidden, "the request is registered by the holder of task %s", t.ID)
	}
	return nil
}

func (w *caseWorkflow) checkRequestReview(a Action, t *onedoor.Task) error {
	a.Outcome, _ = reviewOutcome(w.proc.Procedure, t)
	return w.checkComplete(a, t)
}

func (w *caseWorkflow) applyRequestReview(ctx workflow.Context, a Action, t *onedoor.Task) string {
	a.Outcome, _ = reviewOutcome(w.proc.Procedure, t)
	w.complete(ctx, a, t)
	return strings.TrimSpace(a.Outcome + " " + a.Reason)
}

// reviewOutcome is the outcome of the task's step through which a review or re-review is asked
// for (e.g. request_review, request_rereview).
func reviewOutcome(p *definitions.Procedure, t *onedoor.Task) (string, bool) {
	step, ok := p.Step(t.Step)
	if !ok {
		return "", false
	}
	for _, o := range step.Outcomes {
		if definitions.IsReviewRequest(o.ID) {
			return o.ID, true
		}
	}
	return "", false
}

// link

func (w *caseWorkflow) checkLink(a Action, _ *onedoor.Task) error {
	if a.Link == nil || a.Link.CaseID == "" {
		return refuse(ErrInvalid, "a link needs the linked case")
	}
	if slices.ContainsFunc(w.state.Case.Links, func(l onedoor.Link) bool { return l.CaseID == a.Link.CaseID }) {
		return refuse(ErrConflict, "the case is already linked to %s", a.Link.Number)
	}
	return nil
}

func (w *caseWorkflow) applyLink(_ workflow.Context, a Action, _ *onedoor.Task) string {
	w.state.Case.Links = append(w.state.Case.Links, *a.Link)
	return a.Link.Relation + " " + a.Link.Number
}

// join (集体访)

func (w *caseWorkflow) checkJoin(a Action, _ *onedoor.Task) error {
	r := a.Resident
	if r == nil || strings.TrimSpace(r.Name) == "" {
		return refuse(ErrInvalid, "a resident who joins needs their name")
	}
	for _, o := range w.state.Case.Residents {
		if (r.IDNumber != "" && o.IDNumber == r.IDNumber) || (r.Phone != "" && o.Phone == r.Phone) {
			return refuse(ErrConflict, "%s already brings the matter", o.Name)
		}
	}
	return nil
}

func (w *caseWorkflow) applyJoin(ctx workflow.Context, a Action, _ *onedoor.Task) string {
	r := *a.Resident
	r.By, r.At = a.Actor.ID, workflow.Now(ctx)
	w.state.Case.Residents = append(w.state.Case.Residents, r)
	text := fmt.Sprintf("集体访：%s一同反映（共 %d 人）", r.Name, len(w.state.Case.Residents)+1)
	if a.Reason != "" {
		text += "；" + a.Reason
	}
	return text
}

// visit (重复访)

// mayVisit lets the staff who receive residents record a repeated visit: the API has checked
// that they may see the case.
func (w *caseWorkflow) mayVisit(u onedoor.User, _ *onedoor.Task) error {
	switch u.Role {
	case onedoor.RoleClerk, onedoor.RoleGrid, onedoor.RoleSupervisor:
		return nil
	}
	return refuse(ErrForbidden, "only a clerk, grid worker or supervisor records a resident's visit")
}

func (w *caseWorkflow) applyVisit(_ workflow.Context, a Action, _ *onedoor.Task) string {
	w.state.Visits++
	w.state.Case.Visits = w.state.Visits
	return strings.TrimSpace(a.Reason) // the count is in the case after it
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

// withdraw (撤回)

// mayWithdraw lets the user who completed the last step take it back while nobody has acted on
// the case since: the tasks the completion opened are still open and untouched. A claim of one
// of them is in the read model only: the API refuses the withdraw of a claimed task before it
// reaches the workflow.
func (w *caseWorkflow) mayWithdraw(u onedoor.User, _ *onedoor.Task) error {
	wd := w.state.Withdrawable
	if wd == nil {
		return refuse(ErrConflict, "there is no completed step to withdraw")
	}
	if wd.By != u.ID {
		return refuse(ErrForbidden, "only %s, who completed task %s, may withdraw it", wd.By, wd.Task)
	}
	if wd.Acted != "" {
		return refuse(ErrConflict, "the case was acted on since task %s was completed (%s): it can no longer be withdrawn", wd.Task, wd.Acted)
	}
	for _, id := range wd.Opened {
		if t := w.taskByID(id); t == nil || t.Status != onedoor.TaskOpen || w.state.Case.OrgUnit != wd.OrgUnit {
			return refuse(ErrConflict, "the case has moved on since task %s was completed: it can no longer be withdrawn", wd.Task)
		}
	}
	return nil
}

func (w *caseWorkflow) applyWithdraw(ctx workflow.Context, a Action, _ *onedoor.Task) string {
	now := workflow.Now(ctx)
	wd := w.state.Withdrawable
	for _, id := range wd.Opened {
		next := w.taskByID(id)
		next.Status, next.Result, next.ClosedAt = onedoor.TaskCancelled, "withdrawn", &now
		w.notify(ctx, next, "withdrawn", fmt.Sprintf("%s: %s took back the completion of step %s; task %s (%s) is withdrawn", w.state.Case.Number, a.Actor.ID, wd.Step, next.ID, next.Name))
	}
	// The task is open again as it was: its period, suspensions and flags, so its due date
	// counts as before.
	t := w.taskByID(wd.Task)
	outcome := t.Outcome
	t.Status, t.Outcome, t.Result, t.ClosedBy, t.ClosedAt = onedoor.TaskOpen, "", "", "", nil
	c := &w.state.Case
	c.Step, c.Data, c.Clocks = wd.Step, wd.Data, wd.Clocks
	w.state.Departments = wd.Departments
	w.state.Withdrawable = nil
	return strings.TrimSpace(fmt.Sprintf("%s %s withdrawn (%s cancelled) %s", t.ID, outcome, strings.Join(wd.Opened, ", "), a.Reason))
}

// taskByID finds a task of the case, open or not.
func (w *caseWorkflow) taskByID(id string) *onedoor.Task {
	for i := range w.state.Tasks {
		if w.state.Tasks[i].ID == id {
			return &w.state.Tasks[i]
		}
	}
	return nil
}

// send_back (退回)

func (w *caseWorkflow) maySendBack(u onedoor.User, t *onedoor.Task) error {
	if !Holds(u, t) {
		return refuse(ErrForbidden, "task %s (%s) is held by %s, not by %s", t.ID, t.Name, holder(t), u.ID)
	}
	step, _ := w.proc.Procedure.Step(t.Step)
	if t.Kind != onedoor.TaskStep || len(step.Returnable) == 0 {
		return refuse(ErrConflict, "step %s does not let a case be sent back", t.Step)
	}
	if len(w.passed(t)) == 0 {
		return refuse(ErrConflict, "the case has not passed any step that step %s may send it back to (%s)", t.Step, strings.Join(step.Returnable, ", "))
	}
	return nil
}

// passed are the steps task t's step may send the case back to that the case has completed.
func (w *caseWorkflow) passed(t *onedoor.Task) []string {
	step, _ := w.proc.Procedure.Step(t.Step)
	var out []string
	for _, r := range step.Returnable {
		if slices.ContainsFunc(w.state.Tasks, func(x onedoor.Task) bool { return x.Step == r && x.Status == onedoor.TaskDone }) {
			out = append(out, r)
		}
	}
	return out
}

func (w *caseWorkflow) checkSendBack(a Action, t *onedoor.Task) error {
	step, _ := w.proc.Procedure.Step(t.Step)
	if !slices.Contains(step.Returnable, a.Step) {
		return refuse(ErrConflict, "step %s may send a case back to %s only, not to %q", t.Step, strings.Join(step.Returnable, ", "), a.Step)
	}
	if !slices.Contains(w.passed(t), a.Step) {
		return refuse(ErrConflict, "the case has not passed step %s", a.Step)
	}
	if strings.TrimSpace(a.Reason) == "" {
		return refuse(ErrInvalid, "sending a case back needs a reason")
	}
	return nil
}

func (w *caseWorkflow) applySendBack(ctx workflow.Context, a Action, t *onedoor.Task) string {
	from := t.Step
	w.cancelOpen(ctx, "sent back")
	// A step held by departments goes back to those that held it before.
	var departments []string
	for _, x := range w.state.Tasks {
		if x.Step == a.Step && x.Department != "" && !slices.Contains(departments, x.Department) {
			departments = append(departments, x.Department)
		}
	}
	before := len(w.state.Tasks)
	w.openStep(ctx, a.Step, departments)
	for i := before; i < len(w.state.Tasks); i++ {
		next := &w.state.Tasks[i]
		w.notify(ctx, next, "sent_back", fmt.Sprintf("%s: sent back from step %s to %s by %s: %s", w.state.Case.Number, from, a.Step, a.Actor.ID, a.Reason))
	}
	return fmt.Sprintf("%s → %s: %s", from, a.Step, a.Reason)
}

// delegate (委派) and delegate_result

func (w *caseWorkflow) mayDelegate(u onedoor.User, t *onedoor.Task) error {
	if !Holds(u, t) {
		return refuse(ErrForbidden, "task %s (%s) is held by %s, not by %s", t.ID, t.Name, holder(t), u.ID)
	}
	if t.Delegate != "" {
		return refuse(ErrConflict, "task %s is delegated to %s: their result comes back first", t.ID, t.Delegate)
	}
	return nil
}

// colleague refuses a user who is not of the unit or department holding task t, or whose role
// does not work on tasks.
func colleague(u *onedoor.User, t *onedoor.Task, what ActionType) error {
	if u == nil || u.ID == "" {
		return refuse(ErrInvalid, "name the colleague (user)")
	}
	same := u.OrgUnit != "" && u.OrgUnit == t.OrgUnit
	if t.Department != "" {
		same = u.Department == t.Department
	}
	if !same {
		return refuse(ErrConflict, "%s is not of %s, which holds task %s: %s within the unit or department", u.ID, holder(t), t.ID, what)
	}
	if u.Role != onedoor.RoleClerk && u.Role != onedoor.RoleSupervisor && u.Role != onedoor.RoleDepartment {
		return refuse(ErrConflict, "%s is a %s and does not work on tasks", u.ID, u.Role)
	}
	return nil
}

func (w *caseWorkflow) checkDelegate(a Action, t *onedoor.Task) error {
	if err := colleague(a.User, t, ActDelegate); err != nil {
		return err
	}
	if a.User.ID == a.Actor.ID {
		return refuse(ErrInvalid, "delegate to a colleague, not to yourself")
	}
	if strings.TrimSpace(a.Reason) == "" {
		return refuse(ErrInvalid, "a delegation needs the work asked for (reason)")
	}
	return nil
}

func (w *caseWorkflow) applyDelegate(ctx workflow.Context, a Action, t *onedoor.Task) string {
	t.Delegate, t.DelegatedBy, t.DelegateResult = a.User.ID, a.Actor.ID, ""
	w.notifyUser(ctx, *a.User, t.ID, "delegated", fmt.Sprintf("%s: %s delegated task %s (%s) to %s: %s", w.state.Case.Number, a.Actor.ID, t.ID, t.Name, a.User.ID, a.Reason))
	return fmt.Sprintf("%s → %s: %s", t.ID, a.User.ID, a.Reason)
}

func (w *caseWorkflow) mayDelegateResult(u onedoor.User, t *onedoor.Task) error {
	if t.Delegate == "" {
		return refuse(ErrConflict, "task %s is not delegated", t.ID)
	}
	if t.Delegate != u.ID {
		return refuse(ErrForbidden, "task %s is delegated to %s, not to %s", t.ID, t.Delegate, u.ID)
	}
	return nil
}

func (w *caseWorkflow) applyDelegateResult(ctx workflow.Context, a Action, t *onedoor.Task) string {
	t.DelegateResult, t.Delegate = a.Result, ""
	w.notifyUser(ctx, onedoor.User{ID: t.DelegatedBy, Role: onedoor.Role(t.Role), OrgUnit: t.OrgUnit, Department: t.Department}, t.ID, "delegate_result",
		fmt.Sprintf("%s: %s returned the delegated work on task %s (%s) to %s", w.state.Case.Number, a.Actor.ID, t.ID, t.Name, t.DelegatedBy))
	return strings.TrimSpace(t.ID + " " + a.Reason)
}

// recall (收回委派)

func (w *caseWorkflow) mayRecall(u onedoor.User, t *onedoor.Task) error {
	if !Holds(u, t) {
		return refuse(ErrForbidden, "task %s (%s) is held by %s, not by %s", t.ID, t.Name, holder(t), u.ID)
	}
	if t.Delegate == "" {
		return refuse(ErrConflict, "task %s is not delegated", t.ID)
	}
	if t.Delegate == u.ID {
		return refuse(ErrConflict, "task %s is delegated to %s, who returns its result; its holder takes it back", t.ID, u.ID)
	}
	return nil
}

func (w *caseWorkflow) applyRecall(ctx workflow.Context, a Action, t *onedoor.Task) string {
	delegate := t.Delegate
	t.Delegate, t.DelegatedBy = "", ""
	// The delegate is a colleague of the unit or department holding the task.
	w.notifyUser(ctx, onedoor.User{ID: delegate, Role: onedoor.Role(t.Role), OrgUnit: t.OrgUnit, Department: t.Department}, t.ID, "delegation_recalled",
		fmt.Sprintf("%s: %s took back the work on task %s (%s) delegated to %s: %s", w.state.Case.Number, a.Actor.ID, t.ID, t.Name, delegate, a.Reason))
	return fmt.Sprintf("%s ← %s: %s", t.ID, delegate, a.Reason)
}

// reassign (转办)

func (w *caseWorkflow) mayReassign(u onedoor.User, t *onedoor.Task) error {
	if !w.supervises(u) {
		return refuse(ErrForbidden, "only a supervisor of %s or above reassigns a task", w.state.Case.OrgUnit)
	}
	if t.Department != "" || t.OrgUnit == "" {
		return refuse(ErrConflict, "task %s is held by department %s, which assigns its own staff", t.ID, t.Department)
	}
	return nil
}

func (w *caseWorkflow) checkReassign(a Action, t *onedoor.Task) error {
	if err := colleague(a.User, t, ActReassign); err != nil {
		return err
	}
	if string(a.User.Role) != t.Role {
		return refuse(ErrConflict, "%s is a %s, and task %s is held by a %s", a.User.ID, a.User.Role, t.ID, t.Role)
	}
	if a.User.ID == t.Assignee {
		return refuse(ErrConflict, "task %s is already assigned to %s", t.ID, a.User.ID)
	}
	if strings.TrimSpace(a.Reason) == "" {
		return refuse(ErrInvalid, "reassigning a task needs a reason")
	}
	return nil
}

func (w *caseWorkflow) applyReassign(ctx workflow.Context, a Action, t *onedoor.Task) string {
	from := t.Assignee
	t.Assignee = a.User.ID
	w.notifyUser(ctx, *a.User, t.ID, "reassigned", fmt.Sprintf("%s: %s reassigned task %s (%s) to %s: %s", w.state.Case.Number, a.Actor.ID, t.ID, t.Name, a.User.ID, a.Reason))
	if from == "" {
		return fmt.Sprintf("%s → %s: %s", t.ID, a.User.ID, a.Reason)
	}
	return fmt.Sprintf("%s: %s → %s: %s", t.ID, from, a.User.ID, a.Reason)
}

// notifyUser tells a user about a task given to them or a case copied to them: the notification
// names their unit or department, and only they receive it.
func (w *caseWorkflow) notifyUser(ctx workflow.Context, u onedoor.User, taskID, kind, msg string) {
	n := onedoor.Notification{Role: string(u.Role), User: u.ID, Kind: kind, CaseID: w.state.Case.ID, TaskID: taskID, Message: msg, At: workflow.Now(ctx)}
	if u.Department != "" {
		n.Department, n.Role = u.Department, definitions.RoleDepartment
	} else {
		n.OrgUnit = u.OrgUnit
	}
	if n.OrgUnit == "" && n.Department == "" {
		return
	}
	w.pending = append(w.pending, n)
}

// copy (抄送)

// maxCopies bounds the recipients of one case's copies: a copy informs a few people, it is not
// a broadcast.
const maxCopies = 50

func (w *caseWorkflow) mayCopy(u onedoor.User, _ *onedoor.Task) error {
	for _, t := range w.state.OpenTasks() {
		if Holds(u, t) {
			return nil
		}
	}
	if w.supervises(u) {
		return nil
	}
	return refuse(ErrForbidden, "only the holder of the case's task or a supervisor may copy it")
}

func (w *caseWorkflow) checkCopy(a Action, _ *onedoor.Task) error {
	if a.CopyTo == nil || len(a.CopyTo.Users)+len(a.CopyTo.Units) == 0 {
		return refuse(ErrInvalid, "name the users or org units to copy the case to (copy_to)")
	}
	if len(w.state.Case.Copies)+len(a.CopyTo.Users)+len(a.CopyTo.Units) > maxCopies {
		return refuse(ErrConflict, "a case is copied to at most %d recipients; it has %d", maxCopies, len(w.state.Case.Copies))
	}
	seen := map[string]bool{}
	for _, c := range w.state.Case.Copies {
		seen["user "+c.User] = c.User != ""
		seen["unit "+c.OrgUnit] = c.OrgUnit != ""
	}
	for _, u := range a.CopyTo.Users {
		if u.ID == a.Actor.ID {
			return refuse(ErrInvalid, "copy the case to others, not to yourself")
		}
		if seen["user "+u.ID] {
			return refuse(ErrConflict, "the case was already copied to %s", u.ID)
		}
		seen["user "+u.ID] = true
	}
	for _, o := range a.CopyTo.Units {
		if seen["unit "+o.Code] {
			return refuse(ErrConflict, "the case was already copied to %s", o.Code)
		}
		seen["unit "+o.Code] = true
	}
	return nil
}

func (w *caseWorkflow) applyCopy(ctx workflow.Context, a Action, _ *onedoor.Task) string {
	now := workflow.Now(ctx)
	var to []string
	for _, u := range a.CopyTo.Users {
		w.state.Case.Copies = append(w.state.Case.Copies, onedoor.Copy{User: u.ID, By: a.Actor.ID, At: now, Reason: a.Reason})
		w.notifyUser(ctx, u, "", "copied", fmt.Sprintf("%s: %s copied the case to %s for information: %s", w.state.Case.Number, a.Actor.ID, u.ID, a.Reason))
		to = append(to, u.ID)
	}
	for _, o := range a.CopyTo.Units {
		w.state.Case.Copies = append(w.state.Case.Copies, onedoor.Copy{OrgUnit: o.Code, By: a.Actor.ID, At: now, Reason: a.Reason})
		msg := fmt.Sprintf("%s: %s copied the case to %s for information: %s", w.state.Case.Number, a.Actor.ID, o.Name, a.Reason)
		for _, role := range []string{definitions.RoleSupervisor, definitions.RoleClerk} {
			w.pending = append(w.pending, onedoor.Notification{
				OrgUnit: o.Code, Role: role, Kind: "copied", CaseID: w.state.Case.ID, At: now, Message: msg,
			})
		}
		to = append(to, o.Code)
	}
	return strings.TrimSpace(fmt.Sprintf("→ %s: %s", strings.Join(to, ", "), a.Reason))
}

// find (督办查究)

func (w *caseWorkflow) mayFind(u onedoor.User, _ *onedoor.Task) error {
	if !w.supervises(u) {
		return refuse(ErrForbidden, "only a supervisor of %s or above records accountability findings", w.state.Case.OrgUnit)
	}
	for _, t := range w.state.Tasks {
		if t.Overdue {
			return nil
		}
	}
	for _, o := range w.state.Case.Supervision {
		if o.Overdue {
			return nil
		}
	}
	return refuse(ErrConflict, "no task of the case went overdue and no supervision order went unanswered: there is nothing to inquire into")
}

func (w *caseWorkflow) checkFind(a Action, _ *onedoor.Task) error {
	switch {
	case (a.Task == "") == (a.Order == ""):
		return refuse(ErrInvalid, "a finding is on one overdue task (task) or one unanswered supervision order (order)")
	case a.Task != "":
		i := slices.IndexFunc(w.state.Tasks, func(t onedoor.Task) bool { return t.ID == a.Task })
		if i < 0 || !w.state.Tasks[i].Overdue {
			return refuse(ErrConflict, "task %s of the case did not go overdue", a.Task)
		}
	default:
		if o := w.order(a.Order); o == nil || !o.Overdue {
			return refuse(ErrConflict, "supervision order %s of the case did not go unanswered past its deadline", a.Order)
		}
	}
	if strings.TrimSpace(a.Result) == "" || strings.TrimSpace(a.Reason) == "" {
		return refuse(ErrInvalid, "a finding needs its cause (result) and the measure taken (reason)")
	}
	if r := a.Responsible; r == nil || (r.OrgUnit == "") == (r.Department == "") {
		return refuse(ErrInvalid, "a finding names one org unit or one department responsible (responsible)")
	}
	return nil
}

func (w *caseWorkflow) applyFind(ctx workflow.Context, a Action, _ *onedoor.Task) string {
	f := onedoor.Finding{
		ID: fmt.Sprintf("f%d", len(w.state.Case.Findings)+1), Task: a.Task, Order: a.Order, Cause: a.Result,
		OrgUnit: a.Responsible.OrgUnit, Department: a.Responsible.Department, Measure: a.Reason,
		By: a.Actor.ID, At: workflow.Now(ctx),
	}
	w.state.Case.Findings = append(w.state.Case.Findings, f)
	return fmt.Sprintf("%s %s（%s）：%s；%s", f.ID, cmp.Or(f.Task, f.Order), cmp.Or(f.OrgUnit, f.Department), f.Cause, f.Measure)
}
