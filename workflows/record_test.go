//go:build record

package workflows_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/demo"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/worker"
	"github.com/onedoor/onedoor/workflows"
)

// TestRecordHistories runs a case of every built-in procedure on the real Temporal server,
// driving it step by step with the first outcome the workflow accepts, and writes each history
// to testdata/history for TestReplayCommittedHistories. Run it with `make histories`.
func TestRecordHistories(t *testing.T) {
	tc, queue := recordingWorker(t)

	lib, err := definitions.Library()
	require.NoError(t, err)
	for _, p := range lib {
		// ONEDOOR_RECORD_ONLY=key records one procedure's histories, leaving the others' as they are.
		if only := os.Getenv("ONEDOOR_RECORD_ONLY"); only != "" && p.Key != only {
			continue
		}
		for _, at := range []string{"galutu-v01", "galutu"} {
			id := record(t, tc, queue, p, at)
			saveRuns(t, tc, onedoor.WorkflowID(id), fmt.Sprintf("%s-%s", p.Key, at))
		}
	}
}

// record starts a case and completes its tasks until it closes or no outcome is accepted.
func record(t *testing.T, tc client.Client, queue string, p *definitions.Procedure, at string) string {
	ctx := context.Background()
	r := startRecording(t, tc, queue, p, at, sampleData(p.Form), 0)
	st := r.st

	for range 12 {
		open := st.OpenTasks()
		if st.Case.Status == onedoor.StatusClosed || len(open) == 0 {
			break
		}
		task := open[0]
		actor := onedoor.User{ID: "recorder-" + task.Role, Role: onedoor.Role(task.Role), OrgUnit: task.OrgUnit, Department: task.Department}
		step, _ := p.Step(task.Step)
		moved := false
		for _, o := range step.Outcomes {
			if o.Move == definitions.MoveDown {
				continue
			}
			u, err := tc.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
				WorkflowID: r.id, UpdateName: workflows.UpdateAction, WaitForStage: client.WorkflowUpdateStageCompleted,
				Args: []any{workflows.Action{Type: workflows.ActComplete, Actor: actor, Task: task.ID, Outcome: o.ID,
					Departments: []string{"justice"}, Result: "记录"}},
			})
			if err == nil {
				err = u.Get(ctx, &st)
			}
			if err == nil {
				moved = true
				break
			}
		}
		if !moved {
			break
		}
	}
	if st.Case.Status == onedoor.StatusClosed {
		// After closing: the resident's evaluation, then a return visit, within the window.
		for _, a := range []workflows.Action{
			{Type: workflows.ActEvaluate, Actor: onedoor.User{ID: "recorder-clerk", Role: onedoor.RoleClerk, OrgUnit: at}, Rating: 5},
			{Type: workflows.ActNote, Actor: onedoor.User{ID: "recorder-clerk", Role: onedoor.RoleClerk, OrgUnit: at}, Reason: "回访：当事人满意"},
		} {
			u, err := tc.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
				WorkflowID: r.id, UpdateName: workflows.UpdateAction, WaitForStage: client.WorkflowUpdateStageCompleted, Args: []any{a},
			})
			require.NoError(t, err)
			require.NoError(t, u.Get(ctx, &st))
		}
	}
	// Let the mirror write the last events (and a case that ends complete) before the history is read.
	require.Eventually(t, func() bool {
		d, err := tc.DescribeWorkflowExecution(ctx, r.id, "")
		return err == nil && len(d.GetPendingActivities()) == 0 && d.GetPendingWorkflowTask() == nil
	}, 10*time.Second, 50*time.Millisecond)
	time.Sleep(200 * time.Millisecond)
	return st.Case.ID
}

func sampleData(form definitions.Form) map[string]any {
	data := map[string]any{}
	for _, f := range form {
		switch f.Type {
		case definitions.FieldInteger:
			v := int64(1)
			if f.Min != nil {
				v = *f.Min
			}
			data[f.Name] = v
		case definitions.FieldBoolean:
			data[f.Name] = false
		case definitions.FieldDate:
			data[f.Name] = "2026-01-05"
		case definitions.FieldEnum:
			data[f.Name] = f.Options[0].Value
		case definitions.FieldPhone:
			data[f.Name] = "13800138000"
		case definitions.FieldResidentID:
			data[f.Name] = "11010519491231002X"
		case definitions.FieldOrgUnit:
			data[f.Name] = "galutu"
		case definitions.FieldDepartment:
			data[f.Name] = "justice"
		default:
			data[f.Name] = "记录用的示例内容"
		}
	}
	return data
}

// recordingWorker runs a worker of its own on the test server, over the package's database with
// the demo organisation, and returns the client and its task queue.
func recordingWorker(t *testing.T) (client.Client, string) {
	s := testenv.Store(t)
	require.NoError(t, demo.Load(context.Background(), s))
	tc := testenv.Temporal(t)
	queue := "record-" + uuid.NewString()
	w := worker.New(tc, s, queue)
	require.NoError(t, w.Start())
	t.Cleanup(w.Stop)
	return tc, queue
}

// saveRuns writes the history of each run of a workflow, the last one and those it continued
// from, to testdata/history/name.json (the last run) and name-run1.json, name-run2.json, ….
func saveRuns(t *testing.T, tc client.Client, workflowID, name string) {
	ctx := context.Background()
	var runs []*historypb.History
	for runID := ""; ; {
		iter := tc.GetWorkflowHistory(ctx, workflowID, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		hist := &historypb.History{}
		for iter.HasNext() {
			e, err := iter.Next()
			require.NoError(t, err)
			hist.Events = append(hist.Events, e)
		}
		runs = append([]*historypb.History{hist}, runs...)
		runID = hist.Events[0].GetWorkflowExecutionStartedEventAttributes().GetContinuedExecutionRunId()
		if runID == "" {
			break
		}
	}
	for i, hist := range runs {
		file := name
		if i < len(runs)-1 {
			file = fmt.Sprintf("%s-run%d", name, i+1)
		}
		b, err := protojson.Marshal(hist)
		require.NoError(t, err)
		path := filepath.Join("testdata", "history", file+".json")
		require.NoError(t, os.WriteFile(path, b, 0o644))
		t.Logf("%s: %d events", path, len(hist.Events))
	}
}

// recorder drives one case on the real server and fails the recording on any refusal, so that
// the history holds exactly the path it was written for.
type recorder struct {
	t  *testing.T
	tc client.Client
	id string
	st workflows.CaseState
}

func startRecording(t *testing.T, tc client.Client, queue string, p *definitions.Procedure, at string, data map[string]any, historyLimit int) *recorder {
	ctx := context.Background()
	org, err := definitions.DemoOrg()
	require.NoError(t, err)
	chain := org.Chain(at)
	now := time.Now()
	id := uuid.NewString()
	c := onedoor.Case{
		ID: id, Matter: p.Matter, Status: onedoor.StatusOpen, Level: chain[0].Level,
		OrgUnit: at, ReceivedBy: at, Channel: onedoor.ChannelVisit, Subject: "记录用案件", ResidentName: "王五",
		Data: data, ProcedureKey: p.Key, ProcedureVersion: p.Version, CreatedBy: "recorder",
		ReceivedAt: now, UpdatedAt: now, Number: "REC-" + p.Key + "-" + at + "-" + id[:8],
	}
	start := tc.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
		ID: c.WorkflowID(), TaskQueue: queue, WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
	}, workflows.CaseWorkflow, workflows.CaseInput{Case: c, Procedure: p, Chain: chain, Departments: org.Departments, HistoryLimit: historyLimit,
		Changes: workflows.CurrentChanges})
	h, err := tc.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: start,
		UpdateOptions:          client.UpdateWorkflowOptions{UpdateID: "open", UpdateName: workflows.UpdateOpen, WaitForStage: client.WorkflowUpdateStageCompleted},
	})
	require.NoError(t, err)
	r := &recorder{t: t, tc: tc, id: c.WorkflowID()}
	require.NoError(t, h.Get(ctx, &r.st))
	return r
}

func (r *recorder) act(a workflows.Action) {
	r.t.Helper()
	ctx := context.Background()
	u, err := r.tc.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: r.id, UpdateName: workflows.UpdateAction, WaitForStage: client.WorkflowUpdateStageCompleted, Args: []any{a},
	})
	require.NoError(r.t, err, a.Type)
	require.NoError(r.t, u.Get(ctx, &r.st), a.Type)
}

// await waits, in real time, until the case's state satisfies cond.
func (r *recorder) await(what string, cond func(workflows.CaseState) bool) {
	r.t.Helper()
	require.Eventually(r.t, func() bool {
		v, err := r.tc.QueryWorkflow(context.Background(), r.id, "", workflows.QueryState)
		if err != nil || v.Get(&r.st) != nil {
			return false
		}
		return cond(r.st)
	}, 4*time.Minute, 500*time.Millisecond, what)
	r.t.Logf("%s: %s", r.st.Case.Number, what)
}

// quiet waits until the mirror has written every event and no workflow task is pending.
func (r *recorder) quiet() {
	ctx := context.Background()
	require.Eventually(r.t, func() bool {
		d, err := r.tc.DescribeWorkflowExecution(ctx, r.id, "")
		if err == nil {
			for _, a := range d.GetPendingActivities() {
				if a.GetAttempt() > 1 {
					r.t.Logf("%s: %s retried, attempt %d: %v", r.st.Case.Number, a.GetActivityType().GetName(), a.GetAttempt(), a.GetLastFailure().GetMessage())
				}
			}
		}
		return err == nil && len(d.GetPendingActivities()) == 0 && d.GetPendingWorkflowTask() == nil
	}, 10*time.Second, 50*time.Millisecond)
	time.Sleep(200 * time.Millisecond)
}

func (r *recorder) openTask(kind onedoor.TaskKind) *onedoor.Task {
	for _, t := range r.st.OpenTasks() {
		if t.Kind == kind {
			return t
		}
	}
	r.t.Fatalf("%s has no open %s task", r.st.Case.Number, kind)
	return nil
}

// TestRecordPaths records cases that take every path of the workflow on a real server, in real
// time (about four minutes): deadlines that warn and fall due and move a case up by the level's
// rule, the overdue supervision order, a supervision order that lapses, a capped suspension that
// ends by itself, a summons, every user action, continue-as-new, closing on the spot, a transfer
// and a link. TestReplayCommittedHistories checks that the corpus holds all of these.
func TestRecordPaths(t *testing.T) {
	tc, queue := recordingWorker(t)
	p, org := pathsProcedure(t)
	unit := func(code string) *definitions.OrgUnit {
		u, ok := org.Unit(code)
		require.True(t, ok, code)
		return &u
	}
	group := onedoor.User{ID: "clerk-group", Role: onedoor.RoleClerk, OrgUnit: "galutu-v01-g1"}
	village := onedoor.User{ID: "clerk-sarula", Role: onedoor.RoleClerk, OrgUnit: "galutu-v01"}
	town := onedoor.User{ID: "clerk-galutu", Role: onedoor.RoleClerk, OrgUnit: "galutu"}
	supervisor := onedoor.User{ID: "supervisor-galutu", Role: onedoor.RoleSupervisor, OrgUnit: "galutu"}
	housing := onedoor.User{ID: "housing-staff", Role: onedoor.RoleDepartment, Department: "housing"}

	// The long path: received by a group, whose rule moves an overdue case up; a history limit
	// low enough that the case continues as new on the way.
	r := startRecording(t, tc, queue, p, "galutu-v01-g1", map[string]any{"facts": "草场纠纷"}, 60)
	r.await("overdue at the group, moved up by its rule", func(st workflows.CaseState) bool { return st.Case.OrgUnit == "galutu-v01" })
	r.act(workflows.Action{Type: workflows.ActDivert, Actor: village, Departments: []string{"housing"}, Reason: "涉及违建"})
	report := r.openTask(onedoor.TaskReport)
	r.act(workflows.Action{Type: workflows.ActAck, Actor: housing, Task: report.ID})
	r.act(workflows.Action{Type: workflows.ActReport, Actor: housing, Task: report.ID, Result: "已核查"})
	r.act(workflows.Action{Type: workflows.ActSupervise, Actor: supervisor, Reason: "限期答复",
		Extension: &definitions.Period{Amount: 1, Unit: definitions.UnitMinutes}})
	r.act(workflows.Action{Type: workflows.ActSuspend, Actor: village, Reason: "补充材料"})
	r.await("a capped suspension ended by itself and a supervision order lapsed", func(st workflows.CaseState) bool {
		t := st.OpenTasks()[0]
		lapsed := slices.ContainsFunc(st.Case.Supervision, func(o onedoor.SupervisionOrder) bool { return o.Overdue })
		return !t.Suspended && len(t.Suspensions) == 1 && lapsed
	})
	r.act(workflows.Action{Type: workflows.ActExtend, Actor: supervisor, Reason: "案情复杂",
		Extension: &definitions.Period{Amount: 1, Unit: definitions.UnitMinutes}})
	for _, o := range r.st.Case.Supervision {
		if o.RepliedAt == nil {
			r.act(workflows.Action{Type: workflows.ActReply, Actor: village, Order: o.ID, Result: "已处理"})
		}
	}
	r.act(workflows.Action{Type: workflows.ActSuspend, Actor: village, Reason: "等待鉴定"})
	r.act(workflows.Action{Type: workflows.ActResume, Actor: village, Reason: "鉴定完成"})
	r.act(workflows.Action{Type: workflows.ActEscalate, Actor: village, Reason: "村里调处不了"})
	r.act(workflows.Action{Type: workflows.ActReturn, Actor: town, Reason: "村里先行调处"})
	r.act(workflows.Action{Type: workflows.ActHandDown, Actor: village, Target: unit("galutu-v01-g1"), Reason: "社组熟悉情况"})
	r.act(workflows.Action{Type: workflows.ActComplete, Actor: group, Outcome: "up", Reason: "社组调处不成"})
	r.act(workflows.Action{Type: workflows.ActComplete, Actor: village, Outcome: "settled", Result: "达成一致"})
	r.act(workflows.Action{Type: workflows.ActRequestReview, Actor: village, Reason: "当事人不服"})
	r.act(workflows.Action{Type: workflows.ActComplete, Actor: town, Outcome: "upheld", Result: "维持原处理"})
	r.act(workflows.Action{Type: workflows.ActEvaluate, Actor: village, Rating: 4, Result: "基本满意"})
	r.act(workflows.Action{Type: workflows.ActNote, Actor: village, Reason: "回访：已履行"})
	require.Equal(t, onedoor.StatusClosed, r.st.Case.Status)
	r.quiet()
	long := r.st.Case

	// Closed on the spot by the village window, then linked to a case opened from it.
	spot := startRecording(t, tc, queue, p, "galutu-v01", map[string]any{"facts": "当场"}, 0)
	spot.act(workflows.Action{Type: workflows.ActClose, Actor: village, Outcome: "resolved", Result: "当场调处"})
	spot.act(workflows.Action{Type: workflows.ActLink, Actor: village,
		Link: &onedoor.Link{CaseID: long.ID, Number: long.Number, Matter: long.Matter, Relation: "opened"}})
	spot.quiet()

	// Transferred to the court by the town.
	tr := startRecording(t, tc, queue, p, "galutu", map[string]any{"facts": "合同纠纷"}, 0)
	tr.act(workflows.Action{Type: workflows.ActTransfer, Actor: town, Reason: "属法院管辖", Result: "旗人民法院"})
	tr.quiet()

	recordOperations(t, tc, queue, p)
	recordFinding(t, tc, queue, p)

	saveRuns(t, tc, r.id, "paths-long")
	saveRuns(t, tc, spot.id, "paths-on-spot")
	saveRuns(t, tc, tr.id, "paths-transfer")
}

// TestRecordOperations records the case of the task operations alone (seconds, not minutes):
// TestRecordPaths records it too.
func TestRecordOperations(t *testing.T) {
	tc, queue := recordingWorker(t)
	p, _ := pathsProcedure(t)
	recordOperations(t, tc, queue, p)
}

// recordOperations records a case that takes the task operations of issue 16: a copy for
// information, a delegation and its result, a reassignment, a withdrawn completion and a case sent back to an earlier step.
func recordOperations(t *testing.T, tc client.Client, queue string, p *definitions.Procedure) {
	town := onedoor.User{ID: "clerk-galutu", Role: onedoor.RoleClerk, OrgUnit: "galutu"}
	second := onedoor.User{ID: "clerk-galutu-2", Role: onedoor.RoleClerk, OrgUnit: "galutu"}
	supervisor := onedoor.User{ID: "supervisor-galutu", Role: onedoor.RoleSupervisor, OrgUnit: "galutu"}
	r := startRecording(t, tc, queue, p, "galutu", map[string]any{"facts": "邻里噪音纠纷"}, 0)
	secretary := onedoor.User{ID: "secretary-chagan", Role: onedoor.RoleSupervisor, OrgUnit: "galutu-v08"}
	station := definitions.OrgUnit{Code: "galutu-v01", Name: "萨如拉社区", Level: definitions.LevelVillage}
	r.act(workflows.Action{Type: workflows.ActCopy, Actor: town, Reason: "请嘎查知悉",
		CopyTo: &workflows.CopyTo{Users: []onedoor.User{secretary}, Units: []definitions.OrgUnit{station}}})
	r.act(workflows.Action{Type: workflows.ActDelegate, Actor: town, User: &supervisor, Reason: "核实现场情况"})
	r.act(workflows.Action{Type: workflows.ActDelegateResult, Actor: supervisor, Result: "现场已核实"})
	r.act(workflows.Action{Type: workflows.ActReassign, Actor: supervisor, User: &second, Reason: "原承办人休假"})
	r.act(workflows.Action{Type: workflows.ActComplete, Actor: town, Outcome: "settled", Result: "达成一致"})
	r.act(workflows.Action{Type: workflows.ActWithdraw, Actor: town, Reason: "协议未签字"})
	r.act(workflows.Action{Type: workflows.ActComplete, Actor: town, Outcome: "settled", Result: "协议已签字"})
	r.act(workflows.Action{Type: workflows.ActSendBack, Actor: town, Step: "handle", Reason: "答复前须补充协议履行期限"})
	r.act(workflows.Action{Type: workflows.ActComplete, Actor: town, Outcome: "failed", Result: "当事人反悔"})
	require.Equal(t, onedoor.StatusClosed, r.st.Case.Status)
	r.quiet()
	saveRuns(t, tc, r.id, "paths-operations")
}

// TestRecordRecall records a case whose holder takes a delegation back (收回委派) before its
// result, delegates again and completes the step with the second result.
func TestRecordRecall(t *testing.T) {
	tc, queue := recordingWorker(t)
	p, _ := pathsProcedure(t)
	town := onedoor.User{ID: "clerk-galutu", Role: onedoor.RoleClerk, OrgUnit: "galutu"}
	supervisor := onedoor.User{ID: "supervisor-galutu", Role: onedoor.RoleSupervisor, OrgUnit: "galutu"}
	r := startRecording(t, tc, queue, p, "galutu", map[string]any{"facts": "宅基地纠纷"}, 0)
	r.act(workflows.Action{Type: workflows.ActDelegate, Actor: town, User: &supervisor, Reason: "核实宅基地证"})
	r.act(workflows.Action{Type: workflows.ActRecall, Actor: town, Reason: "已自行核实"})
	r.act(workflows.Action{Type: workflows.ActDelegate, Actor: town, User: &supervisor, Reason: "约谈双方"})
	r.act(workflows.Action{Type: workflows.ActDelegateResult, Actor: supervisor, Result: "双方同意调解"})
	r.act(workflows.Action{Type: workflows.ActComplete, Actor: town, Outcome: "failed", Result: "调解未成"})
	require.Equal(t, onedoor.StatusClosed, r.st.Case.Status)
	r.quiet()
	saveRuns(t, tc, r.id, "paths-recall")
}

// TestRecordFinding records the case of an accountability finding alone (a minute): TestRecordPaths
// records it too.
func TestRecordFinding(t *testing.T) {
	tc, queue := recordingWorker(t)
	p, _ := pathsProcedure(t)
	recordFinding(t, tc, queue, p)
}

// recordFinding records a case whose task goes overdue and on which the town's supervisor
// records an accountability finding (督办查究, issue 12).
func recordFinding(t *testing.T, tc client.Client, queue string, p *definitions.Procedure) {
	supervisor := onedoor.User{ID: "supervisor-galutu", Role: onedoor.RoleSupervisor, OrgUnit: "galutu"}
	r := startRecording(t, tc, queue, p, "galutu", map[string]any{"facts": "逾期未办"}, 0)
	r.await("the task went overdue", func(st workflows.CaseState) bool { return st.OpenTasks()[0].Overdue })
	r.act(workflows.Action{Type: workflows.ActFind, Actor: supervisor, Task: r.st.OpenTasks()[0].ID,
		Result: "承办人休假无人代岗", Reason: "约谈并责令整改", Responsible: &workflows.Responsible{OrgUnit: "galutu"}})
	r.quiet()
	saveRuns(t, tc, r.id, "paths-finding")
}

// pathsProcedure is the procedure of minute deadlines the paths are recorded on, and the
// demo organisation it is loaded against.
func pathsProcedure(t *testing.T) (*definitions.Procedure, *definitions.Org) {
	t.Helper()
	src, err := os.ReadFile("testdata/paths.yaml")
	require.NoError(t, err)
	org, err := definitions.DemoOrg()
	require.NoError(t, err)
	p, err := definitions.Load(src, org)
	require.NoError(t, err)
	return p, org
}

// TestRecordVisit records a case on which the resident's repeated visit (重复访) is recorded
// before it is handled: visits counts 2.
func TestRecordVisit(t *testing.T) {
	tc, queue := recordingWorker(t)
	p, _ := pathsProcedure(t)
	town := onedoor.User{ID: "clerk-galutu", Role: onedoor.RoleClerk, OrgUnit: "galutu"}
	r := startRecording(t, tc, queue, p, "galutu", map[string]any{"facts": "邻居占用草场"}, 0)
	r.act(workflows.Action{Type: workflows.ActVisit, Actor: town, Reason: "第二次来访，称仍未解决"})
	require.Equal(t, 2, r.st.Visits)
	require.Equal(t, 2, r.st.Case.Visits)
	r.act(workflows.Action{Type: workflows.ActComplete, Actor: town, Outcome: "failed", Result: "调解未成"})
	require.Equal(t, onedoor.StatusClosed, r.st.Case.Status)
	r.quiet()
	saveRuns(t, tc, r.id, "paths-visit")
}

// TestRecordConference records a case put to a case conference (会商研判, issue 12): scheduled
// with its clock stopped and the reminder due at once, then held with two departments' tasks.
func TestRecordConference(t *testing.T) {
	tc, queue := recordingWorker(t)
	p, _ := pathsProcedure(t)
	supervisor := onedoor.User{ID: "supervisor-galutu", Role: onedoor.RoleSupervisor, OrgUnit: "galutu"}
	r := startRecording(t, tc, queue, p, "galutu", map[string]any{"facts": "跨部门纠纷"}, 0)
	now := time.Now()
	conf := onedoor.CaseConference{ID: "c0nf", Title: "跨部门会商", OrgUnit: "galutu", At: now.Add(time.Hour), Place: "镇综治中心",
		Departments: []string{"justice", "hrss"}, StopClock: true, RemindAt: &now}
	r.act(workflows.Action{Type: workflows.ActConference, Actor: supervisor,
		Conference: &workflows.ConferenceAct{Phase: workflows.ConferenceSchedule, Conference: conf}})
	require.True(t, r.st.OpenTasks()[0].Suspended)
	r.await("the reminder went", func(st workflows.CaseState) bool { return st.Case.Conferences[0].Reminded })
	r.act(workflows.Action{Type: workflows.ActConference, Actor: supervisor, Conference: &workflows.ConferenceAct{
		Phase: workflows.ConferenceHold, Conference: onedoor.CaseConference{ID: "c0nf", Minutes: "议定分工", Attendance: "旗司法局、旗人社局"},
		Decisions: []workflows.ConferenceDecision{
			{Department: "justice", Task: "牵头调解", Due: definitions.Workdays(5), Lead: true},
			{Department: "hrss", Task: "核实工资", Due: definitions.Days(10)},
		}}})
	require.Len(t, r.st.OpenTasks(), 3)
	require.False(t, r.st.Tasks[0].Suspended)
	r.quiet()
	saveRuns(t, tc, r.id, "paths-conference")
}

// TestRecordJoin records a group matter (集体访, issue 12): a second resident joins the case.
func TestRecordJoin(t *testing.T) {
	tc, queue := recordingWorker(t)
	p, _ := pathsProcedure(t)
	town := onedoor.User{ID: "clerk-galutu", Role: onedoor.RoleClerk, OrgUnit: "galutu"}
	r := startRecording(t, tc, queue, p, "galutu", map[string]any{"facts": "多户牧民草场被占"}, 0)
	r.act(workflows.Action{Type: workflows.ActJoin, Actor: town, Reason: "同村牧户",
		Resident: &onedoor.CoResident{Name: "李四", Phone: "13900000000"}})
	require.Len(t, r.st.Case.Residents, 1)
	r.act(workflows.Action{Type: workflows.ActComplete, Actor: town, Outcome: "failed", Result: "调解未成"})
	r.quiet()
	saveRuns(t, tc, r.id, "paths-join")
}

// TestRecordMigration records a case moved to a new version of its procedure by a migration plan
// (issue 12): the migrate update, its audit event, and the case going on on the new version.
func TestRecordMigration(t *testing.T) {
	tc, queue := recordingWorker(t)
	p, _ := pathsProcedure(t)
	r := startRecording(t, tc, queue, p, "galutu", map[string]any{"facts": "法规修改后迁移"}, 0)
	next := p.Clone()
	next.Version = p.Version + 1
	step, _ := next.Step("handle")
	longer := *step.Deadline
	longer.Amount, longer.Unit, longer.Suspendable, longer.MaxSuspension = 5, definitions.UnitDays, false, nil
	longer.Extendable, longer.Extension, longer.MaxExtensions = false, nil, 0
	step.Deadline = &longer
	ctx := context.Background()
	u, err := tc.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: r.id, UpdateID: "migrate-1-" + r.st.Case.ID, UpdateName: workflows.UpdateMigrate,
		WaitForStage: client.WorkflowUpdateStageCompleted,
		Args:         []any{workflows.Migration{Plan: 1, Actor: "admin", From: p.Version, Procedure: next}},
	})
	require.NoError(t, err)
	require.NoError(t, u.Get(ctx, &r.st))
	require.Equal(t, next.Version, r.st.Case.ProcedureVersion)
	r.quiet()
	saveRuns(t, tc, r.id, "paths-migrate")
}
