package workflows_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/demo"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/workflows"
)

// intent is a drawn action, resolved against the case's state when it is sent: what to do, a
// pick among the choices the state offers (outcomes, tasks, units below), whether the actor is
// the holder of the task or someone drawn from the staff, and when.
type intent struct {
	kind   int
	pick   int
	holder bool
	actor  int
	after  time.Duration
}

var staff = []string{"clerk-sarula", "clerk-galutu", "supervisor-galutu", "clerk-banner", "supervisor-banner", "justice-staff"}

// kinds are the actions drawn, the common ones more often.
var kinds = []workflows.ActionType{
	workflows.ActComplete, workflows.ActComplete, workflows.ActComplete, workflows.ActComplete, workflows.ActComplete,
	workflows.ActNote, workflows.ActEscalate, workflows.ActHandDown, workflows.ActReturn,
	workflows.ActSuspend, workflows.ActSuspend, workflows.ActResume, workflows.ActResume,
	workflows.ActExtend, workflows.ActExtend, workflows.ActExtend, workflows.ActSupervise, workflows.ActReply,
	workflows.ActDivert, workflows.ActReport, workflows.ActReport, workflows.ActClose,
	workflows.ActWithdraw, workflows.ActWithdraw, workflows.ActSendBack, workflows.ActDelegate,
	workflows.ActDelegateResult, workflows.ActReassign,
}

// holderOf is the user who holds task t in the drawn cases, or id with that user's unit and role.
func holderOf(t *onedoor.Task, id string) onedoor.User {
	switch {
	case t.Department != "":
		if id == "" {
			id = t.Department + "-staff"
		}
		return onedoor.User{ID: id, Role: onedoor.RoleDepartment, Department: t.Department}
	case t.Role == "supervisor":
		if id == "" {
			id = "sup-" + t.OrgUnit
		}
		return onedoor.User{ID: id, Role: onedoor.RoleSupervisor, OrgUnit: t.OrgUnit}
	}
	if id == "" {
		id = "clerk-" + t.OrgUnit
	}
	return onedoor.User{ID: id, Role: onedoor.RoleClerk, OrgUnit: t.OrgUnit}
}

// resolve turns an intent into an action on the case as it stands.
func resolve(in intent, st workflows.CaseState, proc *definitions.Procedure) workflows.Action {
	a := workflows.Action{Type: kinds[in.kind], Actor: user(staff[in.actor]), Reason: "理由", Result: "办理情况"}
	open := st.OpenTasks()
	if len(open) > 0 {
		t := open[in.pick%len(open)]
		a.Task = t.ID
		if in.holder {
			switch {
			case t.Department == "justice":
				a.Actor = user("justice-staff")
			case t.Department != "":
				a.Actor = onedoor.User{ID: t.Department + "-staff", Role: onedoor.RoleDepartment, Department: t.Department}
			case t.Role == "supervisor":
				a.Actor = onedoor.User{ID: "sup-" + t.OrgUnit, Role: onedoor.RoleSupervisor, OrgUnit: t.OrgUnit}
			default:
				a.Actor = onedoor.User{ID: "clerk-" + t.OrgUnit, Role: onedoor.RoleClerk, OrgUnit: t.OrgUnit}
			}
		}
		if step, ok := proc.Step(t.Step); ok && len(step.Outcomes) > 0 {
			a.Outcome = step.Outcomes[in.pick%len(step.Outcomes)].ID
		}
	}
	switch a.Type {
	case workflows.ActHandDown:
		var below []definitions.OrgUnit
		for _, u := range org.Units {
			if u.Parent == st.Case.OrgUnit {
				below = append(below, u)
			}
		}
		if len(below) > 0 {
			u := below[in.pick%len(below)]
			a.Target = &u
		}
	case workflows.ActExtend, workflows.ActSupervise:
		a.Extension = &definitions.Period{Amount: 1 + in.pick%10, Unit: definitions.UnitWorkdays}
		if a.Type == workflows.ActExtend && len(open) > 0 && open[in.pick%len(open)].Period != nil {
			a.Extension.Unit = open[in.pick%len(open)].Period.Unit
		}
		if in.holder {
			// Supervisors extend and supervise: the one of the unit holding the case.
			a.Actor = onedoor.User{ID: "sup-" + st.Case.OrgUnit, Role: onedoor.RoleSupervisor, OrgUnit: st.Case.OrgUnit}
		}
	case workflows.ActReply:
		a.Order = fmt.Sprintf("s%d", 1+in.pick%max(1, len(st.Case.Supervision)))
	case workflows.ActDivert:
		a.Departments = []string{[]string{"justice", "hrss", "housing"}[in.pick%3]}
	case workflows.ActClose:
		a.Outcome = "resolved"
	case workflows.ActWithdraw:
		a.Task = ""
		if wd := st.Withdrawable; wd != nil && in.holder {
			for i := range st.Tasks {
				if st.Tasks[i].ID == wd.Task {
					a.Actor = holderOf(&st.Tasks[i], wd.By)
				}
			}
		}
	case workflows.ActSendBack:
		if len(open) > 0 {
			if step, ok := proc.Step(open[in.pick%len(open)].Step); ok && len(step.Returnable) > 0 {
				a.Step = step.Returnable[in.pick%len(step.Returnable)]
			}
		}
	case workflows.ActDelegate, workflows.ActReassign:
		if len(open) > 0 {
			t := open[in.pick%len(open)]
			colleague := holderOf(t, fmt.Sprintf("colleague-%d", in.pick))
			if in.pick%4 == 0 {
				colleague = user("clerk-banner")
			}
			a.User = &colleague
			if a.Type == workflows.ActReassign && in.holder {
				a.Actor = onedoor.User{ID: "sup-" + st.Case.OrgUnit, Role: onedoor.RoleSupervisor, OrgUnit: st.Case.OrgUnit}
			}
		}
	case workflows.ActDelegateResult:
		if len(open) > 0 {
			if t := open[in.pick%len(open)]; t.Delegate != "" && in.holder {
				a.Actor = holderOf(t, t.Delegate)
			}
		}
	}
	if a.Type == workflows.ActComplete && a.Outcome != "" {
		a.Data = petitionAnswers()
		a.Departments = []string{"justice"}
	}
	return a
}

// petitionAnswers fill in the fields petition steps require.
func petitionAnswers() map[string]any {
	return map[string]any{"opinion": "依法答复", "decision": "受理", "notice": "已告知", "review_opinion": "维持", "agreement": "分期支付"}
}

// TestWorkflowProperties drives petition and quick-mediation cases with random sequences of actions, by holders and
// by anyone, between which deadlines fire, and checks after each what must always hold.
func TestWorkflowProperties(t *testing.T) {
	t.Parallel()
	procs := []*definitions.Procedure{procedure(t, "petition"), procedure(t, "quick")}
	s := testenv.Store(t)
	require.NoError(t, demo.Load(context.Background(), s))
	rapid.Check(t, func(rt *rapid.T) {
		proc := rapid.SampledFrom(procs).Draw(rt, "procedure")
		intents := rapid.SliceOfN(rapid.Custom(func(rt *rapid.T) intent {
			return intent{
				kind:   rapid.IntRange(0, len(kinds)-1).Draw(rt, "kind"),
				pick:   rapid.IntRange(0, 11).Draw(rt, "pick"),
				holder: rapid.Float64Range(0, 1).Draw(rt, "holder") < 0.8,
				actor:  rapid.IntRange(0, len(staff)-1).Draw(rt, "actor"),
				// Mostly hours or days apart, now and then long enough for deadlines to lapse.
				after: time.Duration(rapid.OneOf(rapid.IntRange(1, 48), rapid.IntRange(1, 30*24)).Draw(rt, "hours")) * time.Hour,
			}
		}), 3, 20).Draw(rt, "intents")
		people := rapid.IntRange(1, 8).Draw(rt, "people")
		window := rapid.SampledFrom([]string{"galutu-v01", "galutu"}).Draw(rt, "window")

		data := petitionData("request", people)
		if proc.Key == "quick" {
			data = map[string]any{"facts": "邻里纠纷"}
		}
		h := newHarnessOn(t, s, proc, window, data)
		h.in.Departments = org.Departments
		var at time.Duration
		var sent []workflows.Action
		var hidden []string
		for _, in := range intents {
			at += in.after
			h.env.RegisterDelayedCallback(func() {
				st := h.query()
				a := resolve(in, st, proc)
				sent = append(sent, a)
				// An action the workflow takes was offered to its actor just before: the
				// workbench never hides what a user may do.
				offered := slices.ContainsFunc(h.offers(a.Actor), func(o workflows.Offer) bool {
					return o.Type == a.Type && (a.Task == "" || o.Task == "" || o.Task == a.Task)
				})
				h.sendThen(a, func(err error) {
					if err == nil && !offered {
						hidden = append(hidden, fmt.Sprintf("%s by %s at step %s", a.Type, a.Actor.ID, st.Case.Step))
					}
				})
			}, at)
		}
		final := h.run(at + 400*24*time.Hour)
		if len(hidden) > 0 {
			rt.Fatalf("actions taken that were not offered: %v", hidden)
		}
		checkInvariants(rt, h, final, sent)
	})
}

func checkInvariants(rt *rapid.T, h *harness, final workflows.CaseState, sent []workflows.Action) {
	states := append(slices.Clone(h.states), final)
	for i, st := range states {
		// A case is never left without a holder: an open case has an open task, each held by
		// exactly one role at one unit or by one department.
		open := st.OpenTasks()
		if st.Case.Status == onedoor.StatusOpen && len(open) == 0 {
			rt.Fatalf("state %d: an open case without an open task: %+v", i, st.Case)
		}
		for _, task := range open {
			byUnit := task.OrgUnit != "" && task.Role != ""
			if byUnit == (task.Department != "") {
				rt.Fatalf("state %d: task %s has no single holder: unit %q role %q department %q", i, task.ID, task.OrgUnit, task.Role, task.Department)
			}
			if task.Period != nil && task.DueAt == nil {
				rt.Fatalf("state %d: task %s has a period but no due date", i, task.ID)
			}
		}
		if i == 0 {
			continue
		}
		prev := states[i-1]
		if st.Seq < prev.Seq {
			rt.Fatalf("state %d: seq went back from %d to %d", i, prev.Seq, st.Seq)
		}
		// No task is due after a running statutory period of the case ends.
		for _, c := range st.Case.Clocks {
			for _, task := range open {
				if c.Running() && !c.Suspended && !task.Suspended && task.DueAt != nil && task.DueAt.After(c.DueAt) {
					rt.Fatalf("state %d: task %s is due %s, after the statutory period %s ends %s", i, task.ID, task.DueAt, c.ID, c.DueAt)
				}
			}
		}
		// A due date moves only by an extension or a suspension, of the task or of a clock.
		clocksMoved := !slices.EqualFunc(prev.Case.Clocks, st.Case.Clocks, func(a, b onedoor.CaseClock) bool { return a.DueAt.Equal(b.DueAt) })
		for _, task := range st.Tasks {
			for _, before := range prev.Tasks {
				if before.ID != task.ID || before.DueAt == nil || task.DueAt == nil || before.DueAt.Equal(*task.DueAt) {
					continue
				}
				if before.Extensions == task.Extensions && len(before.Suspensions) == len(task.Suspensions) && !clocksMoved {
					rt.Fatalf("state %d: the due date of task %s moved from %s to %s without extension or suspension",
						i, task.ID, before.DueAt, task.DueAt)
				}
			}
		}
	}
	// Every event is in the audit log, in order, and the read model is the workflow's state.
	ctx := context.Background()
	seqs, err := h.store.AuditSeqs(ctx, final.Case.ID)
	require.NoError(rt, err)
	if int64(len(seqs)) != final.Seq {
		rt.Fatalf("the audit log has %d events, the workflow %d (actions %d)", len(seqs), final.Seq, len(sent))
	}
	for i, s := range seqs {
		if s != int64(i+1) {
			rt.Fatalf("the audit log lacks event %d", i+1)
		}
	}
	rm, err := h.store.Case(ctx, final.Case.ID)
	require.NoError(rt, err)
	if rm.Step != final.Case.Step || rm.Status != final.Case.Status || rm.OrgUnit != final.Case.OrgUnit || rm.Overdue != final.Case.Overdue {
		rt.Fatalf("read model %s/%s/%s/%v, workflow %s/%s/%s/%v", rm.Status, rm.Step, rm.OrgUnit, rm.Overdue,
			final.Case.Status, final.Case.Step, final.Case.OrgUnit, final.Case.Overdue)
	}
	tasks, err := h.store.Tasks(ctx, final.Case.ID)
	require.NoError(rt, err)
	if len(tasks) != len(final.Tasks) {
		rt.Fatalf("read model has %d tasks, workflow %d", len(tasks), len(final.Tasks))
	}
	// Each task whole, as the workflow has it: a mirror writes only the tasks that changed.
	for i, task := range final.Tasks {
		rmTask, err := json.Marshal(tasks[i])
		require.NoError(rt, err)
		wfTask, err := json.Marshal(task)
		require.NoError(rt, err)
		if string(rmTask) != string(wfTask) {
			rt.Fatalf("task %s:\nread model %s\nworkflow   %s", task.ID, rmTask, wfTask)
		}
	}
}
