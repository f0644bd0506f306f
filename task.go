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

// Task is one open or finished piece of work on a case: a step held by a role at an org unit,
// or by a department after diversion (分流指派), with its deadline.
type Task struct {
	ID         string            `json:"id" doc:"Task id, unique within the case."`
	Step       string            `json:"step" doc:"Procedure step the task belongs to."`
	Name       string            `json:"name" doc:"Name of the step."`
	OrgUnit    string            `json:"org_unit,omitempty" doc:"Org unit holding the task."`
	Level      definitions.Level `json:"level" doc:"Level of the chain holding the task."`
	Role       string            `json:"role,omitempty" doc:"Role that holds the task at the org unit."`
	Department string            `json:"department,omitempty" doc:"Department holding the task, after diversion."`
	Status     TaskStatus        `json:"status"`
	Priority   string            `json:"priority" enum:"normal,high,urgent" doc:"urgent when overdue, high when due soon."`
	OpenedAt   time.Time         `json:"opened_at"`
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
	SuspendedAt *time.Time               `json:"suspended_at,omitempty"`
	Suspensions []definitions.Suspension `json:"suspensions,omitempty"`
	Extensions  int                      `json:"extensions"`
	Outcome     string                   `json:"outcome,omitempty" doc:"Outcome chosen when the task was completed."`
	Result      string                   `json:"result,omitempty" doc:"What the holder recorded on completing it."`
	ClosedBy    string                   `json:"closed_by,omitempty"`
	ClosedAt    *time.Time               `json:"closed_at,omitempty"`
}

// Notification tells the supervisors of an org unit that a deadline needs them.
type Notification struct {
	OrgUnit string    `json:"org_unit"`
	Role    string    `json:"role"`
	Kind    string    `json:"kind" enum:"warning,overdue,escalated,supervision"`
	CaseID  string    `json:"case_id"`
	TaskID  string    `json:"task_id,omitempty"`
	Message string    `json:"message"`
	At      time.Time `json:"at"`
}
