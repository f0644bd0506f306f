package workflows_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/activities"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/demo"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/store"
	"github.com/onedoor/onedoor/workflows"
)

// harness runs one case workflow in the test environment with skipped time; its activities write
// to the package's real database.
type harness struct {
	t     *testing.T
	env   *testsuite.TestWorkflowEnvironment
	store *store.Store
	in    workflows.CaseInput
	// states are the answers to the actions, in order; refusals are the refused ones' errors.
	states   []workflows.CaseState
	refusals []error
}

var org = func() *definitions.Org {
	o, err := definitions.DemoOrg()
	if err != nil {
		panic(err)
	}
	return o
}()

// start is 2026-02-10 09:30 Beijing time, a Tuesday before the Spring Festival.
var start = time.Date(2026, 2, 10, 9, 30, 0, 0, definitions.Shanghai)

func procedure(t *testing.T, key string) *definitions.Procedure {
	t.Helper()
	if key == "quick" {
		src, err := os.ReadFile("testdata/quick.yaml")
		require.NoError(t, err)
		p, err := definitions.Load(src, org)
		require.NoError(t, err)
		return p
	}
	lib, err := definitions.Library()
	require.NoError(t, err)
	for _, p := range lib {
		if p.Key == key {
			return p
		}
	}
	t.Fatalf("no built-in procedure %s", key)
	return nil
}

func newHarness(t *testing.T, proc *definitions.Procedure, receivedBy string, data map[string]any) *harness {
	t.Helper()
	s := testenv.Store(t)
	require.NoError(t, demo.Load(context.Background(), s))
	return newHarnessOn(t, s, proc, receivedBy, data)
}

// newHarnessOn is a harness whose activities write to the store s.
func newHarnessOn(t *testing.T, s *store.Store, proc *definitions.Procedure, receivedBy string, data map[string]any) *harness {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(testenv.QuietLogger{})
	env := suite.NewTestWorkflowEnvironment()
	env.RegisterActivity(&activities.Activities{Store: s})
	env.SetStartTime(start)
	chain := org.Chain(receivedBy)
	require.NotEmpty(t, chain)
	in := workflows.CaseInput{
		Case: onedoor.Case{
			ID: uuid.NewString(), Number: "WF-" + uuid.NewString()[:13], Matter: proc.Matter, Status: onedoor.StatusOpen,
			Level: chain[0].Level, OrgUnit: receivedBy, ReceivedBy: receivedBy, Channel: onedoor.ChannelVisit,
			Subject: "草场边界纠纷", ResidentName: "张三", Data: data, ProcedureKey: proc.Key,
			ProcedureVersion: proc.Version, CreatedBy: "clerk", ReceivedAt: start, UpdatedAt: start,
		},
		Procedure: proc, Chain: chain, Changes: workflows.CurrentChanges,
	}
	return &harness{t: t, env: env, store: s, in: in}
}

// at sends an action after d of skipped time.
func (h *harness) at(d time.Duration, a workflows.Action) {
	h.env.RegisterDelayedCallback(func() { h.send(a) }, d)
}

// send sends an action now.
func (h *harness) send(a workflows.Action) { h.sendThen(a, func(error) {}) }

// sendThen sends an action now and calls done with its refusal, or nil once it is applied.
func (h *harness) sendThen(a workflows.Action, done func(error)) {
	h.env.UpdateWorkflow(workflows.UpdateAction, uuid.NewString(), &testsuite.TestUpdateCallback{
		OnAccept: func() {},
		OnReject: func(err error) {
			h.refusals = append(h.refusals, err)
			done(err)
		},
		OnComplete: func(v any, err error) {
			if err != nil {
				h.refusals = append(h.refusals, err)
				done(err)
				return
			}
			h.states = append(h.states, v.(workflows.CaseState))
			done(nil)
		},
	}, a)
}

// run executes the workflow; stopAfter cancels it when it has not closed by then.
func (h *harness) run(stopAfter time.Duration) workflows.CaseState {
	h.env.RegisterDelayedCallback(func() { h.env.CancelWorkflow() }, stopAfter)
	h.env.ExecuteWorkflow(workflows.Case, h.in)
	require.True(h.t, h.env.IsWorkflowCompleted())
	return h.query()
}

func (h *harness) query() workflows.CaseState {
	v, err := h.env.QueryWorkflow(workflows.QueryState)
	require.NoError(h.t, err)
	var st workflows.CaseState
	require.NoError(h.t, v.Get(&st))
	return st
}

func user(id string) onedoor.User {
	u, ok := demo.User(id)
	if !ok {
		panic("no demo user " + id)
	}
	return u
}

// notifications are the notifications the case sent to the org unit (or, with a department
// code, to the department).
func (h *harness) notifications(caseID, to string) []onedoor.Notification {
	h.t.Helper()
	all, err := h.store.CaseNotifications(context.Background(), caseID)
	require.NoError(h.t, err)
	var out []onedoor.Notification
	for _, n := range all {
		if n.OrgUnit == to || n.Department == to {
			out = append(out, n)
		}
	}
	return out
}

func refusalType(err error) string {
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		return app.Type()
	}
	return err.Error()
}

func petitionData(category string, people int) map[string]any {
	return map[string]any{
		"petitioner": "张三", "phone": "13800138000", "channel": "visit", "category": category,
		"topic": "land", "people": people, "facts": "邻居占用草场，多次协商未果。",
	}
}

func TestFirstVisitHandledAndClosedOnTheSpot(t *testing.T) {
	t.Parallel()
	h := newHarness(t, procedure(t, "petition"), "galutu-v01", petitionData("proposal", 1))
	h.at(time.Minute, workflows.Action{Type: workflows.ActClose, Actor: user("clerk-sarula"),
		Outcome: "resolved", Result: "当场解释政策，信访人表示满意"})
	st := h.run(time.Hour)

	require.Empty(t, h.refusals)
	require.Equal(t, onedoor.StatusClosed, st.Case.Status)
	require.Equal(t, "resolved", st.Case.Outcome)
	require.Equal(t, "resolved", st.Case.OutcomeKind, "what the statistics count")
	require.True(t, st.Case.OnSpot, "closed by the window, not a supervisor")
	require.Equal(t, "galutu-v01", st.Case.OrgUnit, "handled where it was received")
	stored, err := h.store.Case(context.Background(), st.Case.ID)
	require.NoError(t, err)
	require.Equal(t, onedoor.StatusClosed, stored.Status)
	audit, err := h.store.Audit(context.Background(), st.Case.ID)
	require.NoError(t, err)
	require.Equal(t, "close", audit[len(audit)-1].Action)
}

func TestFirstVisitRefusedWhenTheRuleSaysNo(t *testing.T) {
	t.Parallel()
	// An accusation by six people is no matter for the window to settle on the spot; the village
	// rule also reports it up to the town at once (people >= 5).
	h := newHarness(t, procedure(t, "petition"), "galutu-v01", petitionData("accusation", 6))
	h.at(time.Minute, workflows.Action{Type: workflows.ActClose, Actor: user("clerk-galutu"), Outcome: "resolved", Result: "x"})
	st := h.run(time.Hour)

	require.Len(t, h.refusals, 1)
	require.Equal(t, workflows.ErrConflict, refusalType(h.refusals[0]))
	require.Equal(t, onedoor.StatusOpen, st.Case.Status)
	require.Equal(t, "galutu", st.Case.OrgUnit, "escalated by the village rule")
	require.Equal(t, 1, st.Case.Escalations)
}

func TestAcceptDivertToTwoDepartmentsAndClose(t *testing.T) {
	t.Parallel()
	h := newHarness(t, procedure(t, "petition"), "galutu", petitionData("request", 2))
	clerk := user("clerk-galutu")
	hrss := onedoor.User{ID: "hrss-staff", Role: onedoor.RoleDepartment, Department: "hrss"}
	h.at(1*time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: clerk, Outcome: "register"})
	h.at(2*time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: clerk, Outcome: "accept"})
	h.at(3*time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: clerk, Outcome: "divert", Departments: []string{"justice", "hrss"}})
	h.at(4*time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: user("justice-staff"), Task: "t4", Outcome: "take"})
	h.at(5*time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: hrss, Task: "t5", Outcome: "take"})
	h.at(48*time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: clerk, Outcome: "opinion",
		Data: map[string]any{"opinion": "经司法所与人社局联合调查，依法出具处理意见。"}})
	h.at(49*time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: clerk, Outcome: "closed"})
	st := h.run(30 * 24 * time.Hour)

	require.Empty(t, h.refusals)
	require.Len(t, h.states, 7)
	// Art.23: the written notice is due 15 days from receipt, not from when the step opened.
	accept := h.states[0].OpenTasks()[0]
	require.Equal(t, "accept", accept.Step)
	require.True(t, start.Equal(accept.CountFrom))
	// 15 days from 02-10 (not counted) end on Wednesday 02-25, a working day.
	require.Equal(t, endOf(2026, 2, 25), accept.DueAt.In(definitions.Shanghai))
	diverted := h.states[2]
	require.Equal(t, "department_check", diverted.Case.Step)
	open := diverted.OpenTasks()
	require.Len(t, open, 2)
	require.Equal(t, []string{"justice", "hrss"}, []string{open[0].Department, open[1].Department})
	require.Equal(t, "department_check", h.states[3].Case.Step, "the step waits for every department")
	require.Equal(t, "handle", h.states[4].Case.Step)
	require.Equal(t, onedoor.StatusClosed, st.Case.Status)
	require.Equal(t, "closed", st.Case.Outcome)

	tasks, err := h.store.Tasks(context.Background(), st.Case.ID)
	require.NoError(t, err)
	require.Len(t, tasks, len(st.Tasks))
	for _, task := range tasks {
		require.Equal(t, onedoor.TaskDone, task.Status, task.ID)
	}
}

// TestAMirrorWritesOnlyTheTasksThatChanged: a note changes no task and its mirror writes none;
// a completion writes the task it closed and the ones it opened, not the closed tasks before
// them. Each task carries its deadline's explanation (a few KB): writing every task at every
// event made a mature case's notes cost a row and its JSON per task it ever had.
func TestAMirrorWritesOnlyTheTasksThatChanged(t *testing.T) {
	t.Parallel()
	h := newHarness(t, procedure(t, "petition"), "galutu", petitionData("request", 2))
	var written [][]string // task ids of each mirror, in order
	h.env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, args converter.EncodedValues) {
		if info.ActivityType.Name != "Mirror" {
			return
		}
		var in activities.MirrorInput
		require.NoError(t, args.Get(&in))
		ids := []string{}
		for _, task := range in.Tasks {
			ids = append(ids, task.ID)
		}
		written = append(written, ids)
	})
	clerk := user("clerk-galutu")
	h.at(1*time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: clerk, Outcome: "register"})
	h.at(2*time.Hour, workflows.Action{Type: workflows.ActNote, Actor: clerk, Reason: "电话回访"})
	h.at(3*time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: clerk, Outcome: "accept"})
	h.at(4*time.Hour, workflows.Action{Type: workflows.ActNote, Actor: clerk, Reason: "再次回访"})
	st := h.run(5 * time.Hour)

	require.Empty(t, h.refusals)
	require.Equal(t, [][]string{{"t1"}, {"t1", "t2"}, {}, {"t2", "t3"}, {}}, written,
		"registration, register, note, accept, note")
	tasks, err := h.store.Tasks(context.Background(), st.Case.ID)
	require.NoError(t, err)
	require.Equal(t, st.Tasks, tasks, "the read model has every task as the workflow has it")
}

func TestOverdueEscalatesVillageTownBanner(t *testing.T) {
	t.Parallel()
	h := newHarness(t, procedure(t, "quick"), "galutu-v01", map[string]any{"facts": "噪音扰民"})
	st := h.run(2 * time.Hour)

	require.Equal(t, "wushen", st.Case.OrgUnit)
	require.Equal(t, definitions.LevelBanner, st.Case.Level)
	require.Equal(t, 2, st.Case.Escalations)
	require.True(t, st.Case.Overdue, "overdue at the banner, where no rule moves it further")
	var levels []definitions.Level
	for _, task := range st.Tasks {
		levels = append(levels, task.Level)
	}
	require.Equal(t, []definitions.Level{definitions.LevelVillage, definitions.LevelTown, definitions.LevelBanner}, levels)
	require.True(t, start.Add(10*time.Minute).Equal(*st.Tasks[0].DueAt))
	require.True(t, start.Add(20*time.Minute).Equal(*st.Tasks[1].DueAt), "the town's own 10 minutes")

	ctx := context.Background()
	town := h.notifications(st.Case.ID, "galutu")
	var kinds []string
	for _, n := range town {
		if n.CaseID == st.Case.ID {
			kinds = append(kinds, n.Kind)
		}
	}
	require.Contains(t, kinds, "overdue", "the parent unit's supervisors hear of the village's overdue task")
	require.Contains(t, kinds, "escalated")
	village := h.notifications(st.Case.ID, "galutu-v01")
	var left []string
	for _, n := range village {
		if n.CaseID == st.Case.ID && n.Kind == "escalated" {
			left = append(left, n.Message)
		}
	}
	require.Len(t, left, 1, "the unit the case left hears of it once")
	require.Contains(t, left[0], "escalated from")
	stored, err := h.store.Case(ctx, st.Case.ID)
	require.NoError(t, err)
	require.Equal(t, "wushen", stored.OrgUnit)
	require.True(t, stored.Overdue)
	audit, err := h.store.Audit(ctx, st.Case.ID)
	require.NoError(t, err)
	escalations := 0
	for _, e := range audit {
		if e.Action == "escalate" {
			escalations++
		}
	}
	require.Equal(t, 2, escalations, "every move is recorded")
}

func TestSuspensionAndExtensionMoveTheDueDate(t *testing.T) {
	t.Parallel()
	h := newHarness(t, procedure(t, "quick"), "galutu", map[string]any{"facts": "欠薪"})
	clerk, supervisor := user("clerk-galutu"), user("supervisor-galutu")
	// Extend the 10-minute mediation once by 10 minutes; a second extension is refused.
	h.at(5*time.Minute, workflows.Action{Type: workflows.ActExtend, Actor: supervisor, Reason: "双方需要更多时间",
		Extension: &definitions.Period{Amount: 10, Unit: definitions.UnitMinutes}})
	h.at(6*time.Minute, workflows.Action{Type: workflows.ActExtend, Actor: supervisor, Reason: "again",
		Extension: &definitions.Period{Amount: 5, Unit: definitions.UnitMinutes}})
	h.at(7*time.Minute, workflows.Action{Type: workflows.ActComplete, Actor: clerk, Outcome: "settled",
		Data: map[string]any{"agreement": "分期支付"}})
	// Verification (3 workdays) is suspended for two days while papers are supplemented.
	h.at(24*time.Hour, workflows.Action{Type: workflows.ActSuspend, Actor: clerk, Reason: "补充材料"})
	h.at(72*time.Hour, workflows.Action{Type: workflows.ActResume, Actor: clerk, Reason: "材料已补齐"})
	st := h.run(96 * time.Hour)

	require.Len(t, h.refusals, 1)
	require.Equal(t, workflows.ErrConflict, refusalType(h.refusals[0]))
	extended := h.states[0].Tasks[0]
	require.Equal(t, 20, extended.Period.Amount)
	require.True(t, start.Add(20*time.Minute).Equal(*extended.DueAt))
	require.Equal(t, 1, extended.Extensions)
	require.NotEmpty(t, extended.Explanation.Notes)

	verify := st.Tasks[1]
	require.Equal(t, "verify", verify.Step)
	require.False(t, verify.Suspended)
	require.Len(t, verify.Suspensions, 1)
	// Opened 02-10; 3 working days would end Friday 02-13. Suspended 02-11 to 02-13, those days
	// do not count: Saturday 02-14 (a make-up working day of the 2026 Spring Festival), then,
	// after the holiday of 02-15 to 02-23, 02-24 and 02-25.
	require.Equal(t, endOf(2026, 2, 25), verify.DueAt.In(definitions.Shanghai), "the suspension moved the due date")
	require.NotEmpty(t, verify.Explanation.Suspensions)
}

func TestRefusedActions(t *testing.T) {
	t.Parallel()
	h := newHarness(t, procedure(t, "petition"), "galutu-v01", petitionData("request", 1))
	h.at(time.Minute, workflows.Action{Type: workflows.ActComplete, Actor: user("clerk-galutu"), Outcome: "register"})
	h.at(2*time.Minute, workflows.Action{Type: workflows.ActComplete, Actor: user("clerk-sarula"), Outcome: "approve"})
	h.at(3*time.Minute, workflows.Action{Type: workflows.ActExtend, Actor: user("clerk-sarula"), Reason: "x",
		Extension: &definitions.Period{Amount: 1, Unit: definitions.UnitDays}})
	h.at(4*time.Minute, workflows.Action{Type: workflows.ActEscalate, Actor: user("clerk-sarula")})
	h.at(5*time.Minute, workflows.Action{Type: "dance", Actor: user("clerk-sarula")})
	h.at(6*time.Minute, workflows.Action{Type: workflows.ActComplete, Actor: user("clerk-sarula"), Outcome: "register"})
	st := h.run(time.Hour)

	var kinds []string
	for _, err := range h.refusals {
		kinds = append(kinds, refusalType(err))
	}
	require.Equal(t, []string{workflows.ErrForbidden, workflows.ErrInvalid, workflows.ErrForbidden, workflows.ErrInvalid, workflows.ErrInvalid}, kinds)
	require.Len(t, h.states, 1)
	require.Equal(t, "accept", st.Case.Step)
	require.Equal(t, int64(2), st.Seq, "refused actions leave no event")
}

func TestDivertReportsSummonsAndSupervision(t *testing.T) {
	t.Parallel()
	h := newHarness(t, procedure(t, "petition"), "galutu", petitionData("request", 2))
	h.in.Departments = org.Departments
	clerk, supervisor := user("clerk-galutu"), user("supervisor-galutu")
	housing := onedoor.User{ID: "housing-staff", Role: onedoor.RoleDepartment, Department: "housing"}
	h.at(1*time.Hour, workflows.Action{Type: workflows.ActDivert, Actor: clerk, Departments: []string{"housing", "justice"}, Reason: "涉及违建与土地"})
	h.at(2*time.Hour, workflows.Action{Type: workflows.ActSupervise, Actor: supervisor, Reason: "群众反映强烈，限期答复",
		Extension: &definitions.Period{Amount: 2, Unit: definitions.UnitDays}})
	h.at(3*time.Hour, workflows.Action{Type: workflows.ActReport, Actor: user("justice-staff"), Task: "t3", Result: "司法所已介入"})
	h.at(4*time.Hour, workflows.Action{Type: workflows.ActReply, Actor: clerk, Order: "s1", Result: "已组织部门会商"})
	h.at(20*time.Hour, workflows.Action{Type: workflows.ActAck, Actor: housing, Task: "t2"})
	h.at(10*time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: clerk, Outcome: "register"}) // refused: housing has not reported
	h.at(30*time.Hour, workflows.Action{Type: workflows.ActReport, Actor: housing, Task: "t2", Result: "住建局现场核查完毕"})
	h.at(31*time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: clerk, Outcome: "register"})
	st := h.run(40 * time.Hour)

	require.Len(t, h.refusals, 1)
	require.Contains(t, h.refusals[0].Error(), "housing")
	require.Equal(t, "accept", st.Case.Step)
	housingTask := st.Tasks[1]
	require.Equal(t, onedoor.TaskReport, housingTask.Kind)
	require.Equal(t, "housing", housingTask.Department)
	require.True(t, start.Add(25*time.Hour).Equal(*housingTask.AckDueAt), "an on-call department has its response hours to report in")
	require.True(t, housingTask.Acknowledged)
	require.False(t, housingTask.AckOverdue)
	require.Equal(t, onedoor.TaskDone, housingTask.Status)
	require.Len(t, st.Case.Supervision, 1)
	order := st.Case.Supervision[0]
	require.Equal(t, "已组织部门会商", order.Reply)
	require.False(t, order.Overdue)

	notes := h.notifications(st.Case.ID, "galutu")
	var kinds []string
	for _, n := range notes {
		if n.CaseID == st.Case.ID {
			kinds = append(kinds, n.Kind)
		}
	}
	require.Contains(t, kinds, "supervision")
}

func TestUnansweredSummonsIsFlaggedAndReported(t *testing.T) {
	t.Parallel()
	h := newHarness(t, procedure(t, "petition"), "galutu", petitionData("request", 2))
	h.in.Departments = org.Departments
	h.at(1*time.Hour, workflows.Action{Type: workflows.ActDivert, Actor: user("clerk-galutu"), Departments: []string{"housing"}, Reason: "涉及违建"})
	st := h.run(26 * time.Hour)

	summons := st.Tasks[1]
	require.Equal(t, "housing", summons.Department)
	require.True(t, summons.AckOverdue)
	require.Equal(t, onedoor.TaskOpen, summons.Status, "the department still owes its report")
	require.True(t, st.Case.Overdue)
	require.Equal(t, "galutu", st.Case.OrgUnit, "矛盾不上交: the town keeps the case; no rule moves it up for a lapse")
	notes := h.notifications(st.Case.ID, "galutu")
	found := false
	for _, n := range notes {
		found = found || (n.CaseID == st.Case.ID && n.Kind == "overdue" && n.TaskID == summons.ID)
	}
	require.True(t, found, "the town's supervisors hear of the missed summons")
	var toHousing []string
	for _, n := range h.notifications(st.Case.ID, "housing") {
		if n.CaseID == st.Case.ID {
			toHousing = append(toHousing, n.Kind)
		}
	}
	require.Contains(t, toHousing, "overdue", "the summoned department hears of it too")
}

func TestReturnTransferAndEvaluate(t *testing.T) {
	t.Parallel()
	h := newHarness(t, procedure(t, "quick"), "galutu-v01", map[string]any{"facts": "宅基地纠纷"})
	h.at(15*time.Minute, workflows.Action{Type: workflows.ActReturn, Actor: user("clerk-galutu"), Reason: "村里已约好双方当事人"})
	h.at(16*time.Minute, workflows.Action{Type: workflows.ActEvaluate, Actor: user("clerk-sarula"), Rating: 4}) // refused: still open
	h.at(18*time.Minute, workflows.Action{Type: workflows.ActTransfer, Actor: user("clerk-sarula"), Reason: "属法院管辖", Result: "旗人民法院"})
	h.at(2*time.Hour, workflows.Action{Type: workflows.ActEvaluate, Actor: user("clerk-sarula"), Rating: 4, Result: "满意"})
	h.at(3*time.Hour, workflows.Action{Type: workflows.ActEvaluate, Actor: user("clerk-sarula"), Rating: 5}) // refused: once
	// A return visit (回访) after the evaluation, within the 30 days after closing.
	h.at(10*24*time.Hour, workflows.Action{Type: workflows.ActNote, Actor: user("clerk-sarula"), Reason: "回访：判决已执行"})
	h.env.ExecuteWorkflow(workflows.Case, h.in)
	require.True(t, h.env.IsWorkflowCompleted())
	require.NoError(t, h.env.GetWorkflowError(), "the workflow ends 30 days after closing")
	var st workflows.CaseState
	require.NoError(t, h.env.GetWorkflowResult(&st))

	require.Len(t, h.refusals, 2)
	require.Equal(t, workflows.ErrConflict, refusalType(h.refusals[0]))
	require.Contains(t, h.refusals[1].Error(), "already evaluated")
	require.Equal(t, "note", func() string { a, _ := h.store.Audit(context.Background(), st.Case.ID); return a[len(a)-1].Action }())
	require.Equal(t, 1, st.Returns)
	require.Equal(t, 1, st.Transfers)
	require.Equal(t, "galutu-v01", st.Case.OrgUnit, "returned to the village it was escalated from")
	require.Equal(t, "transferred", st.Case.Outcome)
	require.Equal(t, 4, st.Case.Evaluation.Rating)
	stored, err := h.store.Case(context.Background(), st.Case.ID)
	require.NoError(t, err)
	require.Equal(t, onedoor.StatusClosed, stored.Status)
}

func TestRequestReviewGoesToTheNextLevel(t *testing.T) {
	t.Parallel()
	h := newHarness(t, procedure(t, "petition"), "galutu", petitionData("request", 2))
	clerk := user("clerk-galutu")
	h.at(1*time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: clerk, Outcome: "register"})
	h.at(2*time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: clerk, Outcome: "accept"})
	h.at(3*time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: clerk, Outcome: "handle_here"})
	h.at(4*time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: clerk, Outcome: "opinion", Data: map[string]any{"opinion": "依法答复"}})
	h.at(5*24*time.Hour, workflows.Action{Type: workflows.ActRequestReview, Actor: clerk, Reason: "信访人不服处理意见"})
	st := h.run(6 * 24 * time.Hour)

	require.Empty(t, h.refusals)
	require.Equal(t, "review", st.Case.Step)
	require.Equal(t, "wushen", st.Case.OrgUnit, "decided by the next-higher level")
	open := st.OpenTasks()
	require.Len(t, open, 1)
	require.Equal(t, definitions.RoleSupervisor, open[0].Role)
	require.Equal(t, 30, open[0].Period.Amount)
}

func TestContinueAsNewCarriesTheCase(t *testing.T) {
	t.Parallel()
	h := newHarness(t, procedure(t, "petition"), "galutu", petitionData("request", 2))
	h.in.HistoryLimit = 40
	clerk := user("clerk-galutu")
	for i := range 3 {
		h.at(time.Duration(i+1)*time.Minute, workflows.Action{Type: workflows.ActNote, Actor: clerk, Reason: fmt.Sprintf("第%d次电话回访", i+1)})
	}
	// The history grows past the case's limit; the next change makes the case continue as new.
	h.env.RegisterDelayedCallback(func() { h.env.SetCurrentHistoryLength(41) }, 4*time.Minute)
	h.at(5*time.Minute, workflows.Action{Type: workflows.ActNote, Actor: clerk, Reason: "第4次电话回访"})
	h.env.ExecuteWorkflow(workflows.Case, h.in)
	var can *workflow.ContinueAsNewError
	require.ErrorAs(t, h.env.GetWorkflowError(), &can, "a long history continues as new")

	var next workflows.CaseInput
	require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(can.Input, &next))
	require.NotNil(t, next.Resume)
	require.Equal(t, h.in.Case.ID, next.Resume.Case.ID)
	require.NotEmpty(t, next.Resume.Case.Number)
	require.Equal(t, int64(5), next.Resume.Seq, "registration and four notes")
	audit, err := h.store.Audit(context.Background(), h.in.Case.ID)
	require.NoError(t, err)
	require.Len(t, audit, 5, "every event is in the audit log before the run continues as new")
	require.Equal(t, "第4次电话回访", audit[4].Reason)

	// The next run goes on from the state: the clerk's next action applies to the same case.
	h2 := newHarness(t, procedure(t, "petition"), "galutu", nil)
	h2.in = next
	h2.at(time.Minute, workflows.Action{Type: workflows.ActComplete, Actor: clerk, Outcome: "register"})
	st := h2.run(time.Hour)
	require.Empty(t, h2.refusals)
	require.Equal(t, "accept", st.Case.Step)
	require.Equal(t, next.Resume.Case.Number, st.Case.Number)
	require.Greater(t, st.Seq, next.Resume.Seq)
	stored, err := h2.store.Case(context.Background(), st.Case.ID)
	require.NoError(t, err)
	require.Equal(t, "accept", stored.Step, "the new run writes the same read-model row")
}

func TestHandDownToAVillage(t *testing.T) {
	t.Parallel()
	h := newHarness(t, procedure(t, "petition"), "galutu", petitionData("request", 2))
	sarula, _ := org.Unit("galutu-v01")
	tuke, _ := org.Unit("tuke")
	h.at(time.Minute, workflows.Action{Type: workflows.ActHandDown, Actor: user("supervisor-galutu"), Target: &tuke, Reason: "x"})
	h.at(2*time.Minute, workflows.Action{Type: workflows.ActHandDown, Actor: user("clerk-galutu"), Target: &sarula})
	h.at(3*time.Minute, workflows.Action{Type: workflows.ActHandDown, Actor: user("clerk-galutu"), Target: &sarula, Reason: "属地先行化解"})
	h.at(4*time.Minute, workflows.Action{Type: workflows.ActComplete, Actor: user("clerk-sarula"), Outcome: "register"})
	st := h.run(time.Hour)

	require.Len(t, h.refusals, 2)
	require.Equal(t, workflows.ErrInvalid, refusalType(h.refusals[0]), "a town is not below a town")
	require.Equal(t, workflows.ErrInvalid, refusalType(h.refusals[1]), "a reason is required")
	require.Equal(t, "galutu-v01", st.Case.OrgUnit)
	require.Equal(t, definitions.LevelVillage, st.Case.Level)
	require.Equal(t, 1, st.Returns)
	require.Equal(t, "accept", st.Case.Step, "the village clerk now holds the case")
	require.Equal(t, onedoor.TaskCancelled, st.Tasks[0].Status)
	require.Equal(t, "galutu-v01", st.Tasks[1].OrgUnit)
}

func TestSuspensionEndsAtItsCap(t *testing.T) {
	t.Parallel()
	h := newHarness(t, procedure(t, "quick"), "galutu", map[string]any{"facts": "欠薪"})
	clerk := user("clerk-galutu")
	h.at(time.Minute, workflows.Action{Type: workflows.ActComplete, Actor: clerk, Outcome: "settled", Data: map[string]any{"agreement": "分期支付"}})
	h.at(time.Hour, workflows.Action{Type: workflows.ActSuspend, Actor: clerk, Reason: "等待当事人补充材料"})
	// Nobody resumes it: the step allows at most 3 days.
	st := h.run(6 * 24 * time.Hour)

	verify := st.Tasks[1]
	require.Equal(t, "verify", verify.Step)
	require.False(t, verify.Suspended, "the clock started again by itself")
	require.Len(t, verify.Suspensions, 1)
	s := verify.Suspensions[0]
	require.True(t, start.Add(time.Hour).Equal(s.From))
	// At most 3 days from 02-10 10:30: the end of Friday 02-13.
	require.Equal(t, endOf(2026, 2, 13), s.To.In(definitions.Shanghai))
	require.Contains(t, s.Reason, "longest allowed")
	audit, err := h.store.Audit(context.Background(), st.Case.ID)
	require.NoError(t, err)
	var actions []string
	for _, e := range audit {
		actions = append(actions, e.Action)
	}
	require.Contains(t, actions, "resume")
}

// brokenRules is a procedure whose deadline and escalation rules pass validation but fail to run
// for a case with more than two people (an index out of range).
const brokenRules = `
key: broken
matter: mediation
name: 规则出错的调解（测试）
version: 1
status: published
valid_from: 2025-01-01
form:
  - {name: facts, label: 事实, type: long_text, required: true}
  - {name: people, label: 人数, type: integer, required: true, min: 0, max: 100}
steps:
  - id: mediate
    name: 调解
    assignee: {role: clerk}
    deadline: {expr: 'days([10, 20][data.people])'}
    outcomes:
      - {id: settled, name: 调解成功, next: end, kind: mediated_success}
levels:
  village:
    escalate: '[false, false][data.people]'
`

// TestFailedRulesAreVisibleAndSafe: a deadline rule that fails gives its task the safe default
// instead of no deadline, an escalation rule that fails keeps the case where it is, and each
// failure is an audit event the supervisors of the unit and its parent are told of.
func TestFailedRulesAreVisibleAndSafe(t *testing.T) {
	t.Parallel()
	p, err := definitions.Load([]byte(brokenRules), org)
	require.NoError(t, err)
	// A database of its own: the town's notifications are counted below, which other tests'
	// cases would crowd out of the newest fifty.
	s := testenv.OwnStore(t)
	require.NoError(t, demo.Load(context.Background(), s))
	h := newHarnessOn(t, s, p, "galutu-v01", map[string]any{"facts": "邻里纠纷", "people": 5})
	h.at(time.Hour, workflows.Action{Type: workflows.ActNote, Actor: user("clerk-sarula"), Reason: "电话联系"})
	st := h.run(2 * time.Hour)

	task := st.OpenTasks()[0]
	require.NotNil(t, task.DueAt, "a task never goes without a deadline")
	require.Equal(t, workflows.SafeDeadline, *task.Period)
	// 15 working days from 02-10: 02-11..02-14 (the 14th a make-up Saturday) are 4, the Spring
	// Festival of 02-15..02-23 is skipped, 02-24..02-28 (the 28th a make-up Saturday) are 9, and
	// 03-02..03-06 and Monday 03-09 make 15.
	require.Equal(t, endOf(2026, 3, 9), task.DueAt.In(definitions.Shanghai))
	require.Equal(t, "galutu-v01", st.Case.OrgUnit, "a failed escalation rule moves nothing")

	audit, err := h.store.Audit(context.Background(), st.Case.ID)
	require.NoError(t, err)
	var actions []string
	for _, e := range audit {
		actions = append(actions, e.Action)
	}
	require.Equal(t, []string{"register", workflows.ActRuleFailed, workflows.ActRuleFailed, "note", workflows.ActRuleFailed}, actions)
	require.Contains(t, audit[1].Reason, "the deadline rule of step mediate at the village level failed")
	require.Contains(t, audit[2].Reason, "the village level's escalation rule failed")
	notes := h.notifications(st.Case.ID, "galutu")
	var failed int
	for _, n := range notes {
		if n.CaseID == st.Case.ID && n.Kind == "rule_failed" {
			failed++
		}
	}
	require.Equal(t, 3, failed, "the town's supervisors hear of each failure")
}

// TestAcceptRuleOfThePetitionProcedure: 信访工作条例 Art.19 — a matter still being handled below
// is not accepted by a higher level that the resident goes to directly, but is when it comes up
// the chain; a village takes only matters of fewer than five people, and passes the others up.
func TestAcceptRuleOfThePetitionProcedure(t *testing.T) {
	t.Parallel()
	pendingBelow := petitionData("request", 2)
	pendingBelow["pending_below"] = true

	h := newHarness(t, procedure(t, "petition"), "wushen", pendingBelow)
	st := h.run(time.Hour)
	require.Equal(t, onedoor.StatusClosed, st.Case.Status, "the banner does not accept a matter pending below")
	require.Equal(t, workflows.OutcomeNotAccepted, st.Case.Outcome)
	require.Empty(t, st.OpenTasks())
	audit, err := h.store.Audit(context.Background(), st.Case.ID)
	require.NoError(t, err)
	require.Equal(t, "close", audit[len(audit)-1].Action)
	require.Contains(t, audit[len(audit)-1].Reason, "the banner level's accept rule says no: !data.pending_below || escalations > 0")

	// The same matter escalated to the town by hand is accepted there.
	h = newHarness(t, procedure(t, "petition"), "galutu-v01", pendingBelow)
	h.at(time.Hour, workflows.Action{Type: workflows.ActEscalate, Actor: user("clerk-sarula"), Reason: "村里无法化解"})
	st = h.run(2 * time.Hour)
	require.Equal(t, onedoor.StatusOpen, st.Case.Status)
	require.Equal(t, "galutu", st.Case.OrgUnit)

	// Five people: the village does not accept it, and its rule passes it up to the town at once.
	h = newHarness(t, procedure(t, "petition"), "galutu-v01", petitionData("request", 5))
	st = h.run(time.Hour)
	require.Equal(t, onedoor.StatusOpen, st.Case.Status)
	require.Equal(t, "galutu", st.Case.OrgUnit)
}

// TestAMissedWarningIsRecorded: a task whose due-soon moment and deadline have both passed when
// its timer fires (the center was down, or the deadline counts from a receipt long ago) is
// flagged overdue, and the record says its warning was never given.
func TestAMissedWarningIsRecorded(t *testing.T) {
	t.Parallel()
	h := newHarness(t, procedure(t, "petition"), "galutu", petitionData("request", 2))
	h.in.Case.ReceivedAt = start.Add(-20 * 24 * time.Hour) // Art.23's 15 days count from receipt
	h.at(time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: user("clerk-galutu"), Outcome: "register"})
	st := h.run(2 * time.Hour)

	require.True(t, st.Case.Overdue)
	audit, err := h.store.Audit(context.Background(), st.Case.ID)
	require.NoError(t, err)
	var found bool
	for _, e := range audit {
		if e.Action == "deadline_overdue" {
			require.Contains(t, e.Reason, "的临期提醒")
			require.Contains(t, e.Reason, "未按时发出")
			found = true
		}
	}
	require.True(t, found, "the overdue is recorded: %+v", audit)
}

// TestAssigneeLevelHoldsTheStepThere: a step assigned to the town's supervisor, reached by a
// case a village holds, is the town supervisor's task (before, it went to a "supervisor of" the
// village, whom nobody is, and the case was trapped).
func TestAssigneeLevelHoldsTheStepThere(t *testing.T) {
	t.Parallel()
	src := strings.Replace(strings.Replace(brokenRules, "key: broken", "key: approve", 1),
		`    deadline: {expr: 'days([10, 20][data.people])'}
    outcomes:
      - {id: settled, name: 调解成功, next: end, kind: mediated_success}`,
		`    deadline: {amount: 10, unit: days}
    outcomes:
      - {id: settled, name: 调解成功, next: approve, kind: mediated_success}
  - id: approve
    name: 审核
    assignee: {level: town, role: supervisor}
    deadline: {amount: 3, unit: workdays}
    outcomes:
      - {id: approved, name: 同意, next: end}`, 1)
	src = strings.Replace(src, `    escalate: '[false, false][data.people]'`, `    escalate: "false"`, 1)
	p, err := definitions.Load([]byte(src), org)
	require.NoError(t, err)
	h := newHarness(t, p, "galutu-v01", map[string]any{"facts": "邻里纠纷", "people": 1})
	h.at(time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: user("clerk-sarula"), Outcome: "settled"})
	h.at(2*time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: user("supervisor-galutu"), Outcome: "approved"})
	st := h.run(3 * time.Hour)

	require.Empty(t, h.refusals)
	approve := h.states[0].OpenTasks()[0]
	require.Equal(t, "approve", approve.Step)
	require.Equal(t, "galutu", approve.OrgUnit)
	require.Equal(t, definitions.LevelTown, approve.Level)
	require.Equal(t, "galutu-v01", h.states[0].Case.OrgUnit, "the case stays with the village")
	require.Equal(t, onedoor.StatusClosed, st.Case.Status)
}

// TestOverdueBringsAnOrderNotAMoveUp: 矛盾不上交 — in the built-in petition procedure a village
// task that goes overdue stays with the village; it brings the supervisors' notice and a
// supervision order to its holder, and moving up is the supervisor's recorded decision.
func TestOverdueBringsAnOrderNotAMoveUp(t *testing.T) {
	t.Parallel()
	h := newHarness(t, procedure(t, "petition"), "galutu-v01", petitionData("request", 2))
	clerk := user("clerk-sarula")
	h.at(time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: clerk, Outcome: "register"})
	h.at(40*24*time.Hour, workflows.Action{Type: workflows.ActReply, Actor: clerk, Order: "s1", Result: "已约双方当事人面谈"})
	h.at(41*24*time.Hour, workflows.Action{Type: workflows.ActEscalate, Actor: user("supervisor-galutu"), Reason: "村级无力化解，镇里接办"})
	st := h.run(42 * 24 * time.Hour)

	require.Empty(t, h.refusals)
	before := h.states[1]
	require.Equal(t, "galutu-v01", before.Case.OrgUnit, "overdue, and still the village's")
	require.True(t, before.Case.Overdue)
	require.NotEmpty(t, before.Case.Supervision)
	order := before.Case.Supervision[0]
	require.Equal(t, "system", order.By)
	require.Contains(t, order.Reason, "逾期督办")
	require.NotNil(t, order.RepliedAt, "the holder answered the order")
	require.Equal(t, "galutu", st.Case.OrgUnit, "moved up by the supervisor's decision")
	require.Equal(t, 1, st.Case.Escalations)
}

// TestALapsedOrderIsNotAMissedDeadline: a supervision order nobody answered is flagged and
// reported under its own action; the case is not overdue, so the statistics, the board and the
// search agree (issue 9 #9).
func TestALapsedOrderIsNotAMissedDeadline(t *testing.T) {
	t.Parallel()
	h := newHarness(t, procedure(t, "petition"), "galutu", petitionData("request", 2))
	h.at(time.Hour, workflows.Action{Type: workflows.ActSupervise, Actor: user("supervisor-galutu"), Reason: "请尽快登记",
		Extension: &definitions.Period{Amount: 1, Unit: definitions.UnitDays}})
	st := h.run(4 * 24 * time.Hour)

	require.True(t, st.Case.Supervision[0].Overdue)
	require.False(t, st.Case.Overdue, "the registration's 15 days have not run out")
	audit, err := h.store.Audit(context.Background(), st.Case.ID)
	require.NoError(t, err)
	var actions []string
	for _, e := range audit {
		actions = append(actions, e.Action)
	}
	require.Contains(t, actions, "supervision_overdue")
	require.NotContains(t, actions, "deadline_overdue", "the statistics count a case overdue by this action")
}
