package workflows

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// 会商研判: a case conference discusses one or several cases. The API keeps the conference and
// sends each case a conference action per phase; the case records the conference, waits for it
// (with its clocks stopped where the procedure lets them), reminds the invited before it, and
// turns the decisions about it into its next tasks.

// conference is the case's record of conference id, nil when the case was not put to it.
func (w *caseWorkflow) conference(id string) *onedoor.CaseConference {
	for i := range w.state.Case.Conferences {
		if w.state.Case.Conferences[i].ID == id {
			return &w.state.Case.Conferences[i]
		}
	}
	return nil
}

// mayConference lets a supervisor of the case's unit or above put it to a conference.
func (w *caseWorkflow) mayConference(u onedoor.User, _ *onedoor.Task) error {
	if !w.supervises(u) {
		return refuse(ErrForbidden, "only a supervisor of %s or above puts the case to a conference", w.state.Case.OrgUnit)
	}
	return nil
}

func (w *caseWorkflow) checkConference(a Action, _ *onedoor.Task) error {
	c := a.Conference
	if c == nil || c.Conference.ID == "" {
		return refuse(ErrInvalid, "a conference action needs its conference")
	}
	have := w.conference(c.Conference.ID)
	switch c.Phase {
	case ConferenceSchedule:
		if have != nil {
			return refuse(ErrConflict, "the case is already put to conference %s", c.Conference.ID)
		}
		if c.Conference.At.IsZero() || strings.TrimSpace(c.Conference.Title) == "" {
			return refuse(ErrInvalid, "a conference needs its title and time")
		}
	case ConferenceHold, ConferenceCancel:
		if have == nil {
			return refuse(ErrConflict, "the case was not put to conference %s", c.Conference.ID)
		}
		switch have.Status {
		case "held":
			return refuse(ErrConflict, "conference %s was already held", c.Conference.ID)
		case "cancelled":
			return refuse(ErrConflict, "conference %s was cancelled", c.Conference.ID)
		}
	default:
		return refuse(ErrInvalid, "unknown conference phase %q", c.Phase)
	}
	for _, d := range c.Decisions {
		if !slices.ContainsFunc(w.in.Departments, func(x definitions.Department) bool { return x.Code == d.Department }) {
			return refuse(ErrInvalid, "unknown department %q", d.Department)
		}
		if d.Due.Amount <= 0 || d.Due.Amount > definitions.MaxPeriodAmount || !d.Due.Unit.Valid() {
			return refuse(ErrInvalid, "the due period of %s's task is not a period", d.Department)
		}
	}
	if a.Target != nil {
		if c.Phase != ConferenceHold {
			return refuse(ErrInvalid, "only a held conference hands a case down")
		}
		if a.Target.Parent != w.state.Case.OrgUnit || a.Target.Level.Rank() != w.level().Rank()-1 {
			return refuse(ErrInvalid, "hand down needs a target org unit directly below %s", w.state.Case.OrgUnit)
		}
	}
	return nil
}

func (w *caseWorkflow) applyConference(ctx workflow.Context, a Action, _ *onedoor.Task) string {
	now := workflow.Now(ctx)
	c := a.Conference
	switch c.Phase {
	case ConferenceSchedule:
		conf := c.Conference
		conf.Status, conf.Reminded, conf.Suspended, conf.HeldAt = "scheduled", false, nil, nil
		text := fmt.Sprintf("会商研判「%s」定于%s在%s召开", conf.Title, definitions.MomentZH(conf.At), conf.Place)
		if len(conf.Departments) > 0 {
			var names []string
			for _, d := range conf.Departments {
				names = append(names, w.departmentName(d))
			}
			text += "，邀请：" + strings.Join(names, "、")
		}
		if conf.StopClock {
			var stopped []string
			for _, t := range w.state.OpenTasks() {
				if dl := w.proc.Procedure.DeadlineAt(t.Step, t.Level); dl != nil && dl.Suspendable && !t.Suspended {
					w.suspend(t, now)
					conf.Suspended = append(conf.Suspended, t.ID)
					stopped = append(stopped, "「"+t.Name+"」")
				}
			}
			if len(stopped) > 0 {
				text += "；待会商期间中止计时：" + strings.Join(stopped, "、")
			} else {
				text += "；本环节期限不可中止，照常计时"
			}
		}
		w.state.Case.Conferences = append(w.state.Case.Conferences, conf)
		return text
	case ConferenceCancel:
		conf := w.conference(c.Conference.ID)
		conf.Status = "cancelled"
		w.resumeFor(conf, now, "会商研判取消")
		return fmt.Sprintf("会商研判「%s」取消：%s", conf.Title, a.Reason)
	}
	conf := w.conference(c.Conference.ID)
	conf.Status, conf.HeldAt = "held", &now
	conf.Minutes, conf.Attendance = c.Conference.Minutes, c.Conference.Attendance
	w.resumeFor(conf, now, "会商研判已召开")
	if a.Target != nil {
		w.handDown(ctx, *a.Target)
		conf.Decisions = append(conf.Decisions, fmt.Sprintf("交办至 %s（%s）", a.Target.Name, a.Target.Code))
	}
	step, _ := w.proc.Procedure.Step(w.state.Case.Step)
	var departments []string
	for _, d := range c.Decisions {
		name := "会商交办：" + d.Task
		if d.Lead {
			name += "（牵头）"
		}
		period := d.Due
		w.addTask(ctx, onedoor.Task{
			Kind: onedoor.TaskReport, Step: step.ID, Name: name, Level: w.level(), Role: definitions.RoleDepartment,
			Department: d.Department, Status: onedoor.TaskOpen, Priority: "normal", OpenedAt: now,
			Period: &period, Basis: fmt.Sprintf("会商研判「%s」决定", conf.Title),
		})
		added := w.state.Tasks[len(w.state.Tasks)-1]
		decision := fmt.Sprintf("%s%s：%s，%s内办结（%s前）", w.departmentName(d.Department), map[bool]string{true: "牵头", false: ""}[d.Lead], d.Task,
			d.Due.ZH(), definitions.MomentZH(*added.DueAt))
		conf.Decisions = append(conf.Decisions, decision)
		departments = append(departments, d.Department)
	}
	w.state.Departments = mergeCodes(w.state.Departments, departments)
	text := fmt.Sprintf("会商研判「%s」于%s在%s召开。出席：%s。纪要：%s", conf.Title, definitions.MomentZH(conf.At), conf.Place,
		conf.Attendance, strings.TrimRight(conf.Minutes, "。. "))
	if len(conf.Decisions) > 0 {
		text += "。决定：" + strings.Join(conf.Decisions, "；")
	}
	return text
}

// departmentName is the department's name as the directory had it when the case began, its
// code if it has none.
func (w *caseWorkflow) departmentName(code string) string {
	for _, d := range w.in.Departments {
		if d.Code == code && d.Name != "" {
			return d.Name
		}
	}
	return code
}

// resumeFor starts again the clocks of the tasks suspended for the conference that are still.
func (w *caseWorkflow) resumeFor(conf *onedoor.CaseConference, now time.Time, reason string) {
	for _, id := range conf.Suspended {
		if t, err := w.task(id); err == nil && t.Status == onedoor.TaskOpen && t.Suspended {
			w.resume(t, now, reason)
		}
	}
}

// nextReminder is when the earliest conference reminder still to send is due, zero if none is.
func (w *caseWorkflow) nextReminder() *time.Time {
	var next *time.Time
	for i := range w.state.Case.Conferences {
		c := &w.state.Case.Conferences[i]
		if c.Status == "scheduled" && !c.Reminded && c.RemindAt != nil && (next == nil || c.RemindAt.Before(*next)) {
			next = c.RemindAt
		}
	}
	return next
}

// remind tells the invited departments and the convening unit's supervisors of the conferences
// whose reminder time has come, and records it.
func (w *caseWorkflow) remind(ctx workflow.Context) error {
	now := workflow.Now(ctx)
	var told []string
	for i := range w.state.Case.Conferences {
		c := &w.state.Case.Conferences[i]
		if c.Status != "scheduled" || c.Reminded || c.RemindAt == nil || now.Before(*c.RemindAt) {
			continue
		}
		c.Reminded = true
		msg := fmt.Sprintf("%s：会商研判「%s」将于%s在%s召开", w.state.Case.Number, c.Title, definitions.MomentZH(c.At), c.Place)
		w.pending = append(w.pending, onedoor.Notification{
			OrgUnit: c.OrgUnit, Role: definitions.RoleSupervisor, Kind: "conference", CaseID: w.state.Case.ID, Message: msg, At: now,
		})
		for _, d := range c.Departments {
			w.pending = append(w.pending, onedoor.Notification{
				Department: d, Role: definitions.RoleDepartment, Kind: "conference", CaseID: w.state.Case.ID, Message: msg, At: now,
			})
		}
		told = append(told, fmt.Sprintf("「%s」（%s）", c.Title, definitions.MomentZH(c.At)))
	}
	if len(told) == 0 {
		return nil
	}
	return w.save(ctx, "system", "conference_reminder", "会商研判提醒已发出："+strings.Join(told, "、"))
}
