package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// The case's statutory clocks (definitions.Clock): started once, at receipt or when the case
// first enters a step, and stopped when it first enters a stop step or ends. A task's deadline is
// an internal target under them: schedule caps it at the end of the earliest running clock.

// enterClocks stops the running clocks that entering step stops, and starts those that it
// starts, unless they ran before. StartReceived starts the clocks counted from receipt.
func (w *caseWorkflow) enterClocks(ctx workflow.Context, step string) {
	now := workflow.Now(ctx)
	for i := range w.state.Case.Clocks {
		c := &w.state.Case.Clocks[i]
		if def := w.clockDef(c.ID); c.Running() && def != nil && def.Stops(step) {
			w.stopClock(c, now)
		}
	}
	for _, def := range w.proc.Procedure.Clocks {
		if def.Start != step || w.clock(def.ID) != nil {
			continue
		}
		c := onedoor.CaseClock{ID: def.ID, Name: def.Name, Basis: def.Basis, Period: def.Period, StartedAt: now}
		if step == definitions.StartReceived {
			c.StartedAt = w.state.Case.ReceivedAt
		}
		if def.Suspendable && w.anySuspended() {
			c.Suspended, c.SuspendedAt = true, &now
		}
		w.scheduleClock(&c)
		w.state.Case.Clocks = append(w.state.Case.Clocks, c)
	}
}

// stopClocks stops every running clock: the case has ended.
func (w *caseWorkflow) stopClocks(now time.Time) {
	for i := range w.state.Case.Clocks {
		if c := &w.state.Case.Clocks[i]; c.Running() {
			w.stopClock(c, now)
		}
	}
}

func (w *caseWorkflow) stopClock(c *onedoor.CaseClock, now time.Time) {
	if c.Suspended {
		c.Suspensions = append(c.Suspensions, definitions.Suspension{From: *c.SuspendedAt, To: now, Reason: "stopped"})
		c.Suspended, c.SuspendedAt = false, nil
	}
	c.StoppedAt = &now
}

func (w *caseWorkflow) clock(id string) *onedoor.CaseClock {
	for i := range w.state.Case.Clocks {
		if w.state.Case.Clocks[i].ID == id {
			return &w.state.Case.Clocks[i]
		}
	}
	return nil
}

func (w *caseWorkflow) clockDef(id string) *definitions.Clock {
	for i := range w.proc.Procedure.Clocks {
		if w.proc.Procedure.Clocks[i].ID == id {
			return &w.proc.Procedure.Clocks[i]
		}
	}
	return nil
}

// scheduleClock counts the end of a clock's period from its start, its suspensions left out.
func (w *caseWorkflow) scheduleClock(c *onedoor.CaseClock) {
	due := w.calendar.Due(c.StartedAt, c.Period, c.Suspensions...)
	c.DueAt, c.Explanation = due.At, &due.Explanation
}

// bindingClock is the running clock that ends first before at, if one does: a task due at at
// is due then instead.
func (w *caseWorkflow) bindingClock(at time.Time) *onedoor.CaseClock {
	var first *onedoor.CaseClock
	for i := range w.state.Case.Clocks {
		c := &w.state.Case.Clocks[i]
		if c.Running() && c.DueAt.Before(at) && (first == nil || c.DueAt.Before(first.DueAt)) {
			first = c
		}
	}
	return first
}

func (w *caseWorkflow) anySuspended() bool {
	for _, t := range w.state.OpenTasks() {
		if t.Suspended {
			return true
		}
	}
	return false
}

// suspendClocks stops the suspendable clocks while a task is suspended.
func (w *caseWorkflow) suspendClocks(now time.Time) {
	for i := range w.state.Case.Clocks {
		c := &w.state.Case.Clocks[i]
		if def := w.clockDef(c.ID); c.Running() && !c.Suspended && def != nil && def.Suspendable {
			c.Suspended, c.SuspendedAt = true, &now
		}
	}
}

// resumeClocks starts the suspended clocks again once no task is suspended, moving their ends
// by the suspension, and reschedules the tasks they bound.
func (w *caseWorkflow) resumeClocks(now time.Time, reason string) {
	if w.anySuspended() {
		return
	}
	moved := false
	for i := range w.state.Case.Clocks {
		c := &w.state.Case.Clocks[i]
		if c.Suspended {
			c.Suspensions = append(c.Suspensions, definitions.Suspension{From: *c.SuspendedAt, To: now, Reason: reason})
			c.Suspended, c.SuspendedAt = false, nil
			w.scheduleClock(c)
			moved = true
		}
	}
	if moved {
		w.rescheduleOpen(now)
	}
}

// rescheduleOpen counts the due dates of the open tasks again after a clock moved.
func (w *caseWorkflow) rescheduleOpen(now time.Time) {
	for _, t := range w.state.OpenTasks() {
		if t.Period == nil || t.Suspended {
			continue
		}
		w.schedule(t)
		t.Overdue = t.Overdue && !now.Before(*t.DueAt)
		t.Warned = t.Warned && !now.Before(*t.WarnAt)
	}
}

// clockOverdue flags the running clocks whose period has ended: the statutory deadline is
// missed, whatever the level targets say.
func (w *caseWorkflow) clocksOverdue(ctx workflow.Context, now time.Time) []string {
	var missed []string
	for i := range w.state.Case.Clocks {
		c := &w.state.Case.Clocks[i]
		if c.Running() && !c.Suspended && !c.Overdue && !now.Before(c.DueAt) {
			c.Overdue = true
			missed = append(missed, "法定期限「"+c.Name+"」")
			w.notifyUnits(ctx, "", "overdue", fmt.Sprintf("%s：法定期限「%s」（%s）已于 %s 届满", w.state.Case.Number, c.Name, c.Basis, shanghai(c.DueAt)))
		}
	}
	return missed
}

// clockExtensions are the clocks that extending task t to period p would pass, each checked
// against what its procedure allows.
func (w *caseWorkflow) clockExtensions(t *onedoor.Task, p, ext definitions.Period) ([]*onedoor.CaseClock, error) {
	at := w.calendar.Due(t.CountFrom, p, t.Suspensions...).At
	var out []*onedoor.CaseClock
	for i := range w.state.Case.Clocks {
		c := &w.state.Case.Clocks[i]
		if !c.Running() || !c.DueAt.Before(at) {
			continue
		}
		def := w.clockDef(c.ID)
		due := c.DueAt.In(definitions.Shanghai).Format("2006-01-02 15:04")
		switch {
		case def == nil || def.Extension == nil:
			return nil, refuse(ErrConflict, "the statutory period %s (%s) ends %s and cannot be extended", c.Name, c.Basis, due)
		case c.Extensions >= def.MaxExtensions:
			return nil, refuse(ErrConflict, "the statutory period %s (%s) ends %s and was already extended %d time(s), the most allowed", c.Name, c.Basis, due, c.Extensions)
		case ext.Unit != c.Period.Unit:
			return nil, refuse(ErrInvalid, "the extension must be in %s, the unit of the statutory period %s", c.Period.Unit, c.Name)
		case c.Period.Amount-def.Period.Amount+ext.Amount > def.Extension.Amount:
			return nil, refuse(ErrInvalid, "the statutory period %s (%s) may be extended by at most %s in all", c.Name, c.Basis, def.Extension)
		}
		out = append(out, c)
	}
	return out, nil
}
