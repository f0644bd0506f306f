package onedoor

import (
	"time"

	"github.com/onedoor/onedoor/definitions"
)

// TaskStatus is where a task stands.
type TaskStatus string

// The task statuses.
const (
	TaskOpen      TaskStatus = "open"      // waiting for its holder
	TaskDone      TaskStatus = "done"      // completed with an outcome
	TaskCancelled TaskStatus = "cancelled" // the case moved on without it (escalated, closed…)
)

// TaskKind says what a task is for.
type TaskKind string

// The task kinds.
const (
	TaskStep   TaskKind = "step"   // holds a step of the procedure
	TaskReport TaskKind = "report" // a department's report on a step it was diverted to (协同联动)
)

// Task is one open or finished piece of work on a case: a step held by a role at an org unit,
// or by a department after diversion (分流指派), with its deadline.
type Task struct {
	ID         string            `json:"id" doc:"Task id, unique within the case."`
	Kind       TaskKind          `json:"kind" enum:"step,report" doc:"step: holds a step of the procedure; report: a department's report on a step it was diverted to."`
	Step       string            `json:"step" doc:"Procedure step the task belongs to."`
	Name       string            `json:"name" doc:"Name of the step."`
	OrgUnit    string            `json:"org_unit,omitempty" doc:"Org unit holding the task."`
	Level      definitions.Level `json:"level" doc:"Level of the chain holding the task."`
	Role       string            `json:"role,omitempty" doc:"Role that holds the task at the org unit."`
	Department string            `json:"department,omitempty" doc:"Department holding the task, after diversion."`
	Status     TaskStatus        `json:"status"`
	Priority   string            `json:"priority" enum:"normal,high,urgent" doc:"urgent when overdue, high when due soon."`
	OpenedAt   time.Time         `json:"opened_at"`
	// CountFrom is where the deadline counts from: when the task opened, or when the matter was
	// received for periods the law counts from receipt.
	CountFrom time.Time `json:"count_from,omitzero"`
	// Period is the step's deadline at the task's level, extensions included.
	Period      *definitions.Period      `json:"period,omitempty"`
	DueAt       *time.Time               `json:"due_at,omitempty"`
	WarnAt      *time.Time               `json:"warn_at,omitempty" doc:"When the task is flagged as due soon."`
	Explanation *definitions.Explanation `json:"explanation,omitempty" doc:"How the due date was counted."`
	Basis       string                   `json:"basis,omitempty" doc:"The provision that sets the deadline."`
	Warned      bool                     `json:"warned"`
	Overdue     bool                     `json:"overdue"`
	Suspended   bool                     `json:"suspended"`
	// SuspendedAt is when the running suspension began.
	SuspendedAt *time.Time `json:"suspended_at,omitempty"`
	// ResumeAt is when the running suspension reaches the step's cap and the clock starts again.
	ResumeAt    *time.Time               `json:"resume_at,omitempty"`
	Suspensions []definitions.Suspension `json:"suspensions,omitempty"`
	Extensions  int                      `json:"extensions"`
	// AckDueAt is when a summoned (on-call) department must have reported in (吹哨报到).
	AckDueAt     *time.Time `json:"ack_due_at,omitempty"`
	Acknowledged bool       `json:"acknowledged,omitempty"`
	AckOverdue   bool       `json:"ack_overdue,omitempty"`
	Outcome      string     `json:"outcome,omitempty" doc:"Outcome chosen when the task was completed."`
	Result       string     `json:"result,omitempty" doc:"What the holder recorded on completing it."`
	ClosedBy     string     `json:"closed_by,omitempty"`
	ClosedAt     *time.Time `json:"closed_at,omitempty"`
	// Delegate is the colleague the holder handed a piece of the work to (委派), until they
	// return their result; the holder still completes the step.
	Delegate       string `json:"delegate,omitempty" doc:"User the holder delegated the task to (委派), until they return their result."`
	DelegatedBy    string `json:"delegated_by,omitempty" doc:"The holder who delegated the task."`
	DelegateResult string `json:"delegate_result,omitempty" doc:"What the delegate returned, for the holder to complete the step with."`
	// Assignee is the clerk a supervisor gave the task to within its unit (转办).
	Assignee string `json:"assignee,omitempty" doc:"Clerk a supervisor reassigned the task to within its unit (转办)."`
	// WaitsOn is who does the task's work outside the center, from its step: court while the
	// case is at the court's pre-litigation mediation (诉调对接).
	WaitsOn string `json:"waits_on,omitempty" enum:"court" doc:"Who does the task's work outside the center: court while the case is at the court's pre-litigation mediation (诉调对接); its outcomes are the court's results."`
}

// Notification tells the supervisors of an org unit, or the staff of a department, that a case
// needs them.
type Notification struct {
	OrgUnit    string    `json:"org_unit,omitempty" doc:"The org unit addressed; empty for a department's notice."`
	Department string    `json:"department,omitempty" doc:"The department addressed; empty for an org unit's notice."`
	Role       string    `json:"role"`
	User       string    `json:"user,omitempty" doc:"The one user addressed (a delegation, a reassignment, a copy): when set, only they receive it, whatever their unit or department."`
	Kind       string    `json:"kind" enum:"warning,overdue,escalated,supervision,rule_failed,not_accepted,withdrawn,sent_back,delegated,delegate_result,delegation_recalled,reassigned,copied,conference"`
	CaseID     string    `json:"case_id"`
	TaskID     string    `json:"task_id,omitempty"`
	Message    string    `json:"message"`
	At         time.Time `json:"at"`
}

// SupervisionOrder is a supervisor's order (督办) that the holder of a case act by a deadline and
// reply.
type SupervisionOrder struct {
	ID        string     `json:"id"`
	By        string     `json:"by"`
	OrgUnit   string     `json:"org_unit" doc:"Org unit the order is addressed to: the one holding the case."`
	At        time.Time  `json:"at"`
	Reason    string     `json:"reason"`
	DueAt     time.Time  `json:"due_at"`
	Overdue   bool       `json:"overdue"`
	Reply     string     `json:"reply,omitempty"`
	RepliedBy string     `json:"replied_by,omitempty"`
	RepliedAt *time.Time `json:"replied_at,omitempty"`
}

// Finding is the outcome of an accountability inquiry (督办查究) into a task that went overdue or
// a supervision order that went unanswered: why, who was responsible, what was done about it.
type Finding struct {
	ID         string    `json:"id"`
	Task       string    `json:"task,omitempty" doc:"The overdue task inquired into."`
	Order      string    `json:"order,omitempty" doc:"The unanswered supervision order inquired into."`
	Cause      string    `json:"cause" doc:"Why the deadline was missed, as the supervisor found."`
	OrgUnit    string    `json:"org_unit,omitempty" doc:"The org unit found responsible."`
	Department string    `json:"department,omitempty" doc:"The department found responsible."`
	Measure    string    `json:"measure" doc:"The measure taken (约谈, 通报批评, 责令整改…)."`
	By         string    `json:"by"`
	At         time.Time `json:"at"`
}

// CoResident is one more resident who brings a group matter (集体访) with the case's first
// resident: found by the resident lookup by their numbers like the first.
type CoResident struct {
	Name     string    `json:"name"`
	Phone    string    `json:"phone,omitempty"`
	IDNumber string    `json:"id_number,omitempty"`
	By       string    `json:"by" doc:"Who added them."`
	At       time.Time `json:"at"`
}

// CaseConference is a case conference (会商研判) as a case it discusses records it: when and where,
// the departments invited, whether the case's clocks stop until it is held, and, once held, its
// minutes, attendance and decisions (which became the case's tasks).
type CaseConference struct {
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	OrgUnit     string     `json:"org_unit" doc:"The unit that convenes it."`
	At          time.Time  `json:"at" doc:"When it is held."`
	Place       string     `json:"place"`
	Departments []string   `json:"departments" doc:"The departments invited."`
	Status      string     `json:"status" enum:"scheduled,held,cancelled"`
	RemindAt    *time.Time `json:"remind_at,omitempty" doc:"When the invited and the convening unit's supervisors are reminded."`
	Reminded    bool       `json:"reminded,omitempty"`
	StopClock   bool       `json:"stop_clock,omitempty" doc:"The case's clocks stop while it waits for the conference, on the tasks whose deadline the procedure lets suspend."`
	Suspended   []string   `json:"suspended,omitempty" doc:"The tasks suspended while waiting for it."`
	HeldAt      *time.Time `json:"held_at,omitempty"`
	Minutes     string     `json:"minutes,omitempty" doc:"The minutes (会议纪要), once held."`
	Attendance  string     `json:"attendance,omitempty" doc:"Who attended and who did not, once held."`
	Decisions   []string   `json:"decisions,omitempty" doc:"The decisions about this case, as the timeline states them: the tasks they opened."`
}

// Evaluation is the resident's satisfaction with how a case was handled.
type Evaluation struct {
	Rating  int       `json:"rating" minimum:"1" maximum:"5" doc:"1 (very dissatisfied) to 5 (very satisfied)."`
	Comment string    `json:"comment,omitempty"`
	By      string    `json:"by" doc:"The user who recorded it for the resident, or resident when the resident rated through the case's one-time rating link."`
	At      time.Time `json:"at"`
}
