package workflows

import (
	"fmt"
	"strings"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// ActionType names what a user does to a case.
type ActionType string

// The actions on a case. Each is one entry of the action table (Actions), which says what it
// does, who may take it and what it needs; handlers.go holds each one's checks and effect.
const (
	ActComplete      ActionType = "complete"
	ActEscalate      ActionType = "escalate"
	ActHandDown      ActionType = "hand_down"
	ActReturn        ActionType = "return"
	ActTransfer      ActionType = "transfer"
	ActDivert        ActionType = "divert"
	ActReport        ActionType = "report"
	ActAck           ActionType = "acknowledge"
	ActSuspend       ActionType = "suspend"
	ActResume        ActionType = "resume"
	ActExtend        ActionType = "extend"
	ActSupervise     ActionType = "supervise"
	ActReply         ActionType = "reply"
	ActNote          ActionType = "note"
	ActClose         ActionType = "close"
	ActEvaluate      ActionType = "evaluate"
	ActRequestReview ActionType = "request_review"
	ActLink          ActionType = "link"
	// The task operations clerks know from Chinese office workflow systems (issue 16).
	ActWithdraw       ActionType = "withdraw"        // 撤回
	ActSendBack       ActionType = "send_back"       // 退回 to a chosen earlier step
	ActDelegate       ActionType = "delegate"        // 委派
	ActDelegateResult ActionType = "delegate_result" // the delegate's result, back to the holder
	ActRecall         ActionType = "recall"          // 收回委派: the holder takes a delegation back
	ActReassign       ActionType = "reassign"        // 转办 within the unit
	ActCopy           ActionType = "copy"            // 抄送 for information
	ActFind           ActionType = "find"            // 督办查究: an accountability finding
	ActVisit          ActionType = "visit"           // 重复访: the resident came again about the open matter
	// 会商研判 (issue 12): sent by the API for the conferences a case is put to.
	ActConference ActionType = "conference"
	// 集体访 (issue 12): sent by the API when a resident joins a group matter.
	ActJoin ActionType = "join"
	// Papers (issue 13): sent by the API once an attachment's bytes are stored.
	ActAttach ActionType = "attach" // 附件 added
	ActDetach ActionType = "detach" // 附件 deleted
)

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
	// Responsible is who a finding (find) holds responsible: an org unit or a department.
	Responsible *Responsible `json:"responsible,omitempty"`
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
	// Step is the earlier step a case is sent back to.
	Step string `json:"step,omitempty"`
	// User is the colleague a task is delegated or reassigned to, as the directory has them.
	User *onedoor.User `json:"user,omitempty"`
	// CopyTo are the users and org units a case is copied to for information (抄送).
	CopyTo *CopyTo `json:"copy_to,omitempty"`
	// Attachment is the paper an attach or detach records: a reference, never its bytes.
	Attachment *AttachmentRef `json:"attachment,omitempty"`
	// Resident is the resident a join adds to a group matter (集体访).
	Resident *onedoor.CoResident `json:"resident,omitempty"`
	// Conference is the case conference a conference action schedules, holds or cancels.
	Conference *ConferenceAct `json:"conference,omitempty"`
}

// The phases of a case conference, each a conference action on every case it discusses.
const (
	ConferenceSchedule = "schedule"
	ConferenceHold     = "hold"
	ConferenceCancel   = "cancel"
)

// ConferenceAct is what a conference action brings a case: the conference as scheduled; or, when
// it is held, its minutes, attendance and the decisions about this case (hand-down in the
// action's Target); or its cancellation.
type ConferenceAct struct {
	Phase      string                 `json:"phase"`
	Conference onedoor.CaseConference `json:"conference"`
	Decisions  []ConferenceDecision   `json:"decisions,omitempty"`
}

// ConferenceDecision is one department's task decided at a conference: what it is to do, by when
// (a period from the conference's holding), and whether it leads (牵头) the others.
type ConferenceDecision struct {
	Department string             `json:"department"`
	Task       string             `json:"task"`
	Due        definitions.Period `json:"due"`
	Lead       bool               `json:"lead,omitempty"`
}

// CopyTo are the recipients of a copy, as the directory has them.
type CopyTo struct {
	Users []onedoor.User        `json:"users,omitempty"`
	Units []definitions.OrgUnit `json:"units,omitempty"`
}

// Responsible is who an accountability finding holds responsible: an org unit or a department,
// as the directory has them.
type Responsible struct {
	OrgUnit    string `json:"org_unit,omitempty"`
	Department string `json:"department,omitempty"`
}

// Error types of refused actions. The API answers 409 for both ErrConflict and ErrForbidden: the
// user may see the case (the scope was checked before) but it is not theirs to move now.
const (
	ErrConflict  = "conflict"  // the action does not fit the case's state
	ErrForbidden = "forbidden" // the actor may not do this to this case now
	ErrInvalid   = "invalid"   // the action's data are wrong (422)
)

func refuse(kind, format string, args ...any) error {
	return temporal.NewNonRetryableApplicationError(fmt.Sprintf(format, args...), kind, nil)
}

// When says in which state of the case an action is taken.
type When string

// The states an action is taken in.
const (
	WhenOpen   When = "open"   // while the case is open
	WhenClosed When = "closed" // once it is closed, within the window after closing
	WhenAlways When = "always" // either
)

// ActionInfo describes one action: what the API documents and the workbench shows.
type ActionInfo struct {
	Type ActionType `json:"type"`
	// Summary says what the action does.
	Summary string `json:"summary"`
	// Who may take it.
	Who string `json:"who"`
	// Needs are the request fields the action requires.
	Needs []string `json:"needs,omitempty"`
	// When is the state of the case the action is taken in.
	When When `json:"when"`
	// OnTask is set for actions on one task, named by the request's task field.
	OnTask bool `json:"on_task,omitempty"`
	// Internal actions are sent by OneDoor itself, never by a user.
	Internal bool `json:"internal,omitempty"`
}

// NeedsText lists the request fields the action needs, in backquotes, or "nothing more".
func (a ActionInfo) NeedsText() string {
	if len(a.Needs) == 0 {
		return "nothing more"
	}
	return "`" + strings.Join(a.Needs, "`, `") + "`"
}

// action is one entry of the action table: its description and the three parts of its handler.
// may says whether the user may take the action on the case (and task) now, from the state
// alone: it answers "which actions may I take?" as well as refusing. check refuses a request
// whose input is wrong. apply carries the action out and returns the audit entry's reason.
type action struct {
	ActionInfo
	may   func(w *caseWorkflow, u onedoor.User, t *onedoor.Task) error
	check func(w *caseWorkflow, a Action, t *onedoor.Task) error
	apply func(w *caseWorkflow, ctx workflow.Context, a Action, t *onedoor.Task) string
}

// actions is the action table, in the order the API and the docs list them.
var actions = []action{
	{ActionInfo{Type: ActComplete, OnTask: true, When: WhenOpen, Needs: []string{"outcome"},
		Summary: "Finishes the task with one of its step's outcomes (with the step's required fields in `data`; `departments` when the next step is held by departments; `target` for an outcome that hands down): the outcome moves the case to its next step, and up or down the chain, or ends it. A step held by several departments completes when all have reported.",
		Who:     "the task's holder"},
		(*caseWorkflow).mayComplete, (*caseWorkflow).checkComplete, (*caseWorkflow).applyComplete},
	{ActionInfo{Type: ActEscalate, When: WhenOpen, Needs: []string{"reason"},
		Summary: "Moves the case to the parent org unit (上报); the step opens again there with that level's deadline.",
		Who:     "the holder of an open task, or a supervisor of the case's unit or above"},
		(*caseWorkflow).mayEscalate, checkReason("escalating by hand needs a reason"), (*caseWorkflow).applyEscalate},
	{ActionInfo{Type: ActHandDown, When: WhenOpen, Needs: []string{"target", "reason"},
		Summary: "Hands the case down (交办) to `target`, an org unit directly below; the step opens again there.",
		Who:     "the holder of an open task, or a supervisor of the case's unit or above"},
		(*caseWorkflow).mayHandDown, (*caseWorkflow).checkHandDown, (*caseWorkflow).applyHandDown},
	{ActionInfo{Type: ActReturn, When: WhenOpen, Needs: []string{"reason"},
		Summary: "Sends an escalated case back to the unit it came from.",
		Who:     "the holder of an open task, or a supervisor of the case's unit or above"},
		(*caseWorkflow).mayReturn, checkReason("returning a case needs a reason"), (*caseWorkflow).applyReturn},
	{ActionInfo{Type: ActTransfer, When: WhenOpen, Needs: []string{"result", "reason"},
		Summary: "Transfers the matter to the competent organ (`result` names it) and closes the case as `transferred`.",
		Who:     "the holder of an open task, or a supervisor of the case's unit or above"},
		(*caseWorkflow).mayMove, (*caseWorkflow).checkTransfer, (*caseWorkflow).applyTransfer},
	{ActionInfo{Type: ActDivert, When: WhenOpen, Needs: []string{"departments"},
		Summary: "Asks `departments` for their reports on the current step (协同联动); the step cannot be completed until all have reported.",
		Who:     "the holder of an open task, or a supervisor of the case's unit or above"},
		(*caseWorkflow).mayMove, (*caseWorkflow).checkDivert, (*caseWorkflow).applyDivert},
	{ActionInfo{Type: ActReport, OnTask: true, When: WhenOpen, Needs: []string{"result"},
		Summary: "A department's report on a step it was diverted to.",
		Who:     "staff of the department the report task is for"},
		(*caseWorkflow).mayReport, checkResult("a report needs its text (result)"), (*caseWorkflow).applyReport},
	{ActionInfo{Type: ActAck, OnTask: true, When: WhenOpen,
		Summary: "A summoned on-call department reports in (吹哨报到) before its response deadline.",
		Who:     "staff of the summoned department"},
		(*caseWorkflow).mayAcknowledge, nil, (*caseWorkflow).applyAcknowledge},
	{ActionInfo{Type: ActSuspend, OnTask: true, When: WhenOpen, Needs: []string{"reason"},
		Summary: "Stops the clock of a task whose step's deadline is suspendable (while documents are supplied, say). A step with `max_suspension` starts its clock again by itself when a suspension reaches it.",
		Who:     "the task's holder, or a supervisor of the case's unit or above"},
		(*caseWorkflow).maySuspend, checkReason("a suspension needs a reason"), (*caseWorkflow).applySuspend},
	{ActionInfo{Type: ActResume, OnTask: true, When: WhenOpen,
		Summary: "Starts a suspended task's clock again; the due date moves by the suspended time.",
		Who:     "the task's holder, or a supervisor of the case's unit or above"},
		(*caseWorkflow).mayResume, nil, (*caseWorkflow).applyResume},
	{ActionInfo{Type: ActExtend, OnTask: true, When: WhenOpen, Needs: []string{"extension", "reason"},
		Summary: "Extends an extendable deadline by `extension` (in the deadline's unit), at most as often and as far as the procedure allows (信访工作条例 Art.34: once, 30 days); the reason is what the resident is told.",
		Who:     "a supervisor of the case's unit or above"},
		(*caseWorkflow).mayExtend, (*caseWorkflow).checkExtend, (*caseWorkflow).applyExtend},
	{ActionInfo{Type: ActSupervise, When: WhenOpen, Needs: []string{"reason", "extension"},
		Summary: "Issues a supervision order (督办) to the holder, whose reply is due within `extension`.",
		Who:     "a supervisor of the case's unit or above"},
		(*caseWorkflow).maySupervise, (*caseWorkflow).checkSupervise, (*caseWorkflow).applySupervise},
	{ActionInfo{Type: ActReply, When: WhenOpen, Needs: []string{"order", "result"},
		Summary: "Answers the open supervision order `order`.",
		Who:     "the holder of an open task, or a supervisor of the case's unit or above"},
		(*caseWorkflow).mayReply, (*caseWorkflow).checkReply, (*caseWorkflow).applyReply},
	{ActionInfo{Type: ActNote, When: WhenAlways, Needs: []string{"reason"},
		Summary: "Adds a remark, kept in the audit log and shown in the timeline, not in the case's state; also after closing (回访).",
		Who:     "anyone who may see the case"},
		nil, (*caseWorkflow).checkNote, (*caseWorkflow).applyNote},
	{ActionInfo{Type: ActClose, When: WhenOpen, Needs: []string{"outcome", "result"},
		Summary: "Closes the case in one action: on the spot at the window that received it, at its first step, when the level's first-visit rule allows (首访首办), or by a supervisor. `outcome` is a result kind (`resolved`, `withdrawn`, `transferred`, `refused`, `terminated`, `not_accepted`, `mediated_success`, `mediated_failure`) or an outcome id of the procedure; the case records its kind as `outcome_kind` and, when the window closed it, `on_spot`.",
		Who:     "the holder of the first task at the receiving window, or a supervisor of the case's unit or above"},
		(*caseWorkflow).mayClose, (*caseWorkflow).checkClose, (*caseWorkflow).applyClose},
	{ActionInfo{Type: ActEvaluate, When: WhenClosed, Needs: []string{"rating"},
		Summary: "Records the resident's satisfaction with the handling, `rating` 1 to 5 with a comment in `result`, once, after closing.",
		Who:     "a clerk or supervisor who may see the case, or the resident through the case's one-time rating link (actor `resident`)"},
		(*caseWorkflow).mayEvaluate, (*caseWorkflow).checkEvaluate, (*caseWorkflow).applyEvaluate},
	{ActionInfo{Type: ActRequestReview, OnTask: true, When: WhenOpen,
		Summary: "Registers the resident's request for review (复查) or re-review (复核) at a step that offers it: the step's review outcome, which takes the case to the next-higher level.",
		Who:     "the task's holder"},
		(*caseWorkflow).mayRequestReview, (*caseWorkflow).checkRequestReview, (*caseWorkflow).applyRequestReview},
	{ActionInfo{Type: ActWithdraw, When: WhenOpen,
		Summary: "Takes back (撤回) the step the user has just completed, while the next holder has not acted on the task it opened (no action, not claimed): that task is cancelled and the completed one is open again as it was, its due date counting as before. Only a completion that moved the case to a next step at the same unit can be withdrawn.",
		Who:     "the user who completed the step"},
		(*caseWorkflow).mayWithdraw, nil, (*caseWorkflow).applyWithdraw},
	{ActionInfo{Type: ActSendBack, OnTask: true, When: WhenOpen, Needs: []string{"step", "reason"},
		Summary: "Sends the case back (退回) to `step`, an earlier step the case has passed and that the procedure lets the task's step return to (`returnable`); the task is cancelled and the step opens again with a new deadline.",
		Who:     "the task's holder"},
		(*caseWorkflow).maySendBack, (*caseWorkflow).checkSendBack, (*caseWorkflow).applySendBack},
	{ActionInfo{Type: ActDelegate, OnTask: true, When: WhenOpen, Needs: []string{"user", "reason"},
		Summary: "Hands a piece of the task's work (委派, `reason` says what) to `user`, a colleague of the unit or department holding the task, whose queue shows it; their result comes back to the holder, who still completes the step, which waits for it. The due date does not move.",
		Who:     "the task's holder"},
		(*caseWorkflow).mayDelegate, (*caseWorkflow).checkDelegate, (*caseWorkflow).applyDelegate},
	{ActionInfo{Type: ActDelegateResult, OnTask: true, When: WhenOpen, Needs: []string{"result"},
		Summary: "The delegate's result of a delegated task, which goes back to the holder.",
		Who:     "the user the task is delegated to"},
		(*caseWorkflow).mayDelegateResult, checkResult("the delegate's result needs its text (result)"), (*caseWorkflow).applyDelegateResult},
	{ActionInfo{Type: ActRecall, OnTask: true, When: WhenOpen, Needs: []string{"reason"},
		Summary: "Takes a delegation back (收回委派) before the delegate's result came: the task is the holder's alone again, leaves the delegate's queue, and its due date does not move; the delegate is told why (`reason`).",
		Who:     "the task's holder"},
		(*caseWorkflow).mayRecall, checkReason("taking a delegation back needs its reason"), (*caseWorkflow).applyRecall},
	{ActionInfo{Type: ActReassign, OnTask: true, When: WhenOpen, Needs: []string{"user", "reason"},
		Summary: "Gives the task to `user`, another clerk of the unit holding it (转办, a clerk on leave, say): it is claimed on their behalf and shows in their queue. Distinct from `transfer`, which sends the matter to another organ.",
		Who:     "a supervisor of the case's unit or above"},
		(*caseWorkflow).mayReassign, (*caseWorkflow).checkReassign, (*caseWorkflow).applyReassign},
	{ActionInfo{Type: ActCopy, When: WhenOpen, Needs: []string{"copy_to"},
		Summary: "Copies the case for information (抄送) to the users and org units of `copy_to` (a town's party secretary, a police station), with a remark in `reason`: they are notified and may read the case and its timeline, and list it among the cases copied to them (`GET /v1/tasks/copied`), but never act on it or claim its tasks. A recipient the case was copied to before is refused.",
		Who:     "the holder of an open task, or a supervisor of the case's unit or above"},
		(*caseWorkflow).mayCopy, (*caseWorkflow).checkCopy, (*caseWorkflow).applyCopy},
	{ActionInfo{Type: ActFind, When: WhenAlways, Needs: []string{"result", "responsible", "reason"},
		Summary: "Records an accountability finding (督办查究) on a task that went overdue (`task`) or a supervision order that went unanswered past its reply deadline (`order`): the cause in `result`, the org unit or department found `responsible`, and the measure taken in `reason`. Also after closing; the unit's and the department's assessment count it.",
		Who:     "a supervisor of the case's unit or above"},
		(*caseWorkflow).mayFind, (*caseWorkflow).checkFind, (*caseWorkflow).applyFind},
	{ActionInfo{Type: ActVisit, When: WhenOpen, Needs: []string{"reason"},
		Summary: "Records that the resident came again about the matter while it is open (重复访), with what they said in `reason`: the case's `visits`, which the rules see as `visits`, counts one more, and the statistics count the case as visited again. A matter brought again after its case closed is registered as a new case with `repeat_of`.",
		Who:     "a clerk, grid worker or supervisor who may see the case"},
		(*caseWorkflow).mayVisit, checkReason("a visit needs what the resident came about this time (reason)"), (*caseWorkflow).applyVisit},
	{ActionInfo{Type: ActConference, When: WhenOpen, Internal: true,
		Summary: "Records a case conference (会商研判) the case is put to: scheduled (the case shows it waits for it, and the tasks whose deadline may be suspended stop their clock when the conference asks), held (the clocks start again; its minutes, attendance and decisions are recorded, and each decision opens a department's task with its due date, or hands the case down), or cancelled. The invited departments and the convening unit's supervisors are reminded before it. Sent by OneDoor for POST /v1/conferences and its hold and cancel.",
		Who:     "OneDoor, for a supervisor of the convening unit"},
		(*caseWorkflow).mayConference, (*caseWorkflow).checkConference, (*caseWorkflow).applyConference},
	{ActionInfo{Type: ActJoin, When: WhenOpen, Internal: true,
		Summary: "Adds a resident to a group matter (集体访): several residents bring one matter together, each named on the case and found by the resident lookup by their numbers. Sent by OneDoor for POST /v1/cases/{id}/residents.",
		Who:     "OneDoor, for a clerk, grid worker or supervisor who may see the case"},
		(*caseWorkflow).mayVisit, (*caseWorkflow).checkJoin, (*caseWorkflow).applyJoin},
	{ActionInfo{Type: ActLink, When: WhenAlways, Internal: true,
		Summary: "Shows a case opened from this one; sent by OneDoor when the new case is registered.",
		Who:     "OneDoor"},
		nil, (*caseWorkflow).checkLink, (*caseWorkflow).applyLink},
	{ActionInfo{Type: ActAttach, When: WhenAlways, Internal: true,
		Summary: "Records a paper attached to the case (or to one of its actions) with its name, type, size and SHA-256, and the one it replaces; sent by OneDoor once the bytes are stored.",
		Who:     "OneDoor, for a user who may act on the case and see its papers, or for the grid source whose event's photos they are"},
		nil, (*caseWorkflow).checkAttach, (*caseWorkflow).applyAttach},
	{ActionInfo{Type: ActDetach, When: WhenAlways, Internal: true,
		Summary: "Records the deletion of a paper, with its SHA-256; sent by OneDoor.",
		Who:     "OneDoor, for a user who may act on the case and see its papers"},
		nil, (*caseWorkflow).checkAttach, (*caseWorkflow).applyDetach},
}

// Actions describes the actions of the table, internal ones included, in the table's order.
func Actions() []ActionInfo {
	out := make([]ActionInfo, len(actions))
	for i, a := range actions {
		out[i] = a.ActionInfo
	}
	return out
}

// UserActions are the types of the actions users send.
func UserActions() []ActionType {
	var out []ActionType
	for _, a := range actions {
		if !a.Internal {
			out = append(out, a.Type)
		}
	}
	return out
}

func lookup(t ActionType) (*action, bool) {
	for i := range actions {
		if actions[i].Type == t {
			return &actions[i], true
		}
	}
	return nil, false
}

// validate refuses an action that does not fit the case now. It changes nothing: a refused
// update leaves no trace in the case's history.
func (w *caseWorkflow) validate(a Action) error {
	act, ok := lookup(a.Type)
	if !ok {
		return refuse(ErrInvalid, "unknown action %q", a.Type)
	}
	t, err := w.target(act, a.Actor, a.Task)
	if err != nil {
		return err
	}
	if act.may != nil {
		if err := act.may(w, a.Actor, t); err != nil {
			return err
		}
	}
	if act.check != nil {
		return act.check(w, a, t)
	}
	return nil
}

// target checks that the case is in a state the action is taken in, and finds the task it is
// on, for the actions on a task.
func (w *caseWorkflow) target(act *action, u onedoor.User, task string) (*onedoor.Task, error) {
	closed := w.state.Case.Status == onedoor.StatusClosed
	switch {
	case closed && act.When == WhenOpen:
		return nil, refuse(ErrConflict, "the case is closed")
	case !closed && act.When == WhenClosed:
		return nil, refuse(ErrConflict, "the case is open: %s once it is closed", act.Type)
	case !act.OnTask:
		return nil, nil
	}
	return w.task(task)
}

// apply carries out a validated action, saves the case and applies the escalation rule.
func (w *caseWorkflow) apply(ctx workflow.Context, a Action) error {
	act, _ := lookup(a.Type)
	var t *onedoor.Task
	if act.OnTask {
		t, _ = w.task(a.Task)
	}
	reason := act.apply(w, ctx, a, t)
	if wd := w.state.Withdrawable; wd != nil && wd.Acted == "" && a.Type != ActComplete && a.Type != ActNote && a.Type != ActCopy &&
		a.Type != ActFind && a.Type != ActAttach && a.Type != ActDetach && a.Type != ActJoin {
		// Any other action after a completion, by anyone, is the next holder's or changes the
		// case under them: the completion can no longer be taken back. A note, a copy, a finding,
		// a paper or a resident joining does not change the case's handling.
		wd.Acted = fmt.Sprintf("%s by %s", a.Type, a.Actor.ID)
	}
	w.post = a.Actor.Post().Key()
	if err := w.save(ctx, a.Actor.ID, string(a.Type), reason); err != nil {
		return err
	}
	return w.afterChange(ctx, "system", string(a.Type))
}

// Offer is an action a user may take on the case now: the answer of the allowed-actions query,
// from which the workbench draws its buttons.
type Offer struct {
	Type ActionType `json:"type"`
	// Task is the task the action is on, for actions on a task.
	Task string `json:"task,omitempty"`
	// Needs are the request fields the action requires.
	Needs []string `json:"needs"`
	// Outcomes are the outcomes a complete may choose, each with why it is refused now, if it is.
	Outcomes []OutcomeOffer `json:"outcomes,omitempty"`
	// Orders are the open supervision orders a reply may answer.
	Orders []string `json:"orders,omitempty"`
	// Steps are the earlier steps a send_back may return the case to.
	Steps []string `json:"steps,omitempty"`
	// Fields are the rights on form fields at the step the action is taken at (字段权限), the
	// fields not named being editable: data sent for a read-only or hidden one is refused.
	Fields map[string]definitions.FieldRight `json:"fields,omitempty"`
}

// OutcomeOffer is one outcome of a step, as a complete offers it.
type OutcomeOffer struct {
	ID       string           `json:"id"`
	Name     string           `json:"name"`
	Next     string           `json:"next"`
	Move     definitions.Move `json:"move,omitempty"`
	Refusals []string         `json:"refusals,omitempty" doc:"Why the outcome cannot be chosen with the case's data as they are, by the step's guards and the outcome's condition; empty when it can."`
	// Missing are the form fields the step requires that the case's data leave empty: the
	// outcome may be chosen with them filled in, in the action's data.
	Missing []string `json:"missing,omitempty" doc:"Form fields (by name) the step requires and the case's data leave empty: send them in the action's data."`
	// Departments is set when the next step goes to departments, which the request names.
	Departments bool `json:"departments,omitempty"`
	// Batchable is set when the outcome may be taken on several tasks at once (批量办理).
	Batchable bool `json:"batchable,omitempty"`
}

// offers are the actions u may take on the case now, each on each task it may be taken on. The
// input of a request is not known yet: an offered action may still be refused for its data.
func (w *caseWorkflow) offers(u onedoor.User) []Offer {
	out := []Offer{}
	for i := range actions {
		act := &actions[i]
		if act.Internal {
			continue
		}
		tasks := []string{""}
		if act.OnTask {
			tasks = nil
			for _, t := range w.state.OpenTasks() {
				tasks = append(tasks, t.ID)
			}
		}
		for _, id := range tasks {
			t, err := w.target(act, u, id)
			if err != nil {
				continue
			}
			if act.may != nil && act.may(w, u, t) != nil {
				continue
			}
			o := Offer{Type: act.Type, Needs: act.Needs}
			if o.Needs == nil {
				o.Needs = []string{}
			}
			step := w.state.Case.Step
			if t != nil {
				o.Task, step = t.ID, t.Step
			}
			if st, ok := w.proc.Procedure.Step(step); ok {
				if rights := st.Rights(w.proc.Procedure.Form); len(rights) > 0 {
					o.Fields = rights
				}
			}
			switch act.Type {
			case ActComplete:
				o.Outcomes = w.outcomeOffers(t)
			case ActReply:
				for _, s := range w.state.Case.Supervision {
					if s.RepliedAt == nil {
						o.Orders = append(o.Orders, s.ID)
					}
				}
			case ActSendBack:
				o.Steps = w.passed(t)
			}
			out = append(out, o)
		}
	}
	return out
}

// outcomeOffers are the outcomes of a task's step, with the rules' refusals on the case's data.
func (w *caseWorkflow) outcomeOffers(t *onedoor.Task) []OutcomeOffer {
	step, ok := w.proc.Procedure.Step(t.Step)
	if !ok {
		return nil
	}
	env := w.envAt(w.state.Case.UpdatedAt, nil)
	var out []OutcomeOffer
	for _, o := range step.Outcomes {
		offer := OutcomeOffer{ID: o.ID, Name: o.Name, Next: o.Next, Move: o.Move, Batchable: o.Batchable}
		refusals, err := w.proc.Rules(t.Step, o.ID, env)
		if err != nil {
			refusals = append(refusals, fmt.Sprintf("a rule of step %s failed: %v", t.Step, err))
		}
		offer.Refusals, offer.Missing = refusals, w.proc.Missing(t.Step, env)
		if o.Next != definitions.EndStep {
			next, _ := w.proc.Procedure.Step(o.Next)
			offer.Departments = next.Assignee.Diverted && t.Department == ""
		}
		out = append(out, offer)
	}
	return out
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

// Holds reports whether u holds the task: the task's role at its org unit, or staff of its
// department.
func Holds(u onedoor.User, t *onedoor.Task) bool {
	if t.Department != "" {
		return u.Role == onedoor.RoleDepartment && u.Department == t.Department
	}
	return string(u.Role) == t.Role && u.OrgUnit == t.OrgUnit
}

// supervises reports whether u supervises the case's org unit: a supervisor of it or of one of
// its ancestors.
func (w *caseWorkflow) supervises(u onedoor.User) bool {
	if u.Role != onedoor.RoleSupervisor {
		return false
	}
	for _, unit := range w.state.Chain {
		if unit.Code == u.OrgUnit {
			return true
		}
	}
	return false
}

// mayMove lets the holder of an open task or a supervisor move the case.
func (w *caseWorkflow) mayMove(u onedoor.User, _ *onedoor.Task) error {
	for _, t := range w.state.OpenTasks() {
		if Holds(u, t) {
			return nil
		}
	}
	if w.supervises(u) {
		return nil
	}
	return refuse(ErrForbidden, "only the holder of the case's task or a supervisor may move it")
}

func holder(t *onedoor.Task) string {
	if t.Department != "" {
		return "department " + t.Department
	}
	return t.Role + " of " + t.OrgUnit
}

// checkReason refuses a request without a reason.
func checkReason(msg string) func(*caseWorkflow, Action, *onedoor.Task) error {
	return func(_ *caseWorkflow, a Action, _ *onedoor.Task) error {
		if strings.TrimSpace(a.Reason) == "" {
			return refuse(ErrInvalid, "%s", msg)
		}
		return nil
	}
}

// checkResult refuses a request without a result.
func checkResult(msg string) func(*caseWorkflow, Action, *onedoor.Task) error {
	return func(_ *caseWorkflow, a Action, _ *onedoor.Task) error {
		if strings.TrimSpace(a.Result) == "" {
			return refuse(ErrInvalid, "%s", msg)
		}
		return nil
	}
}
