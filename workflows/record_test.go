//go:build record

package workflows_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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
	ctx := context.Background()
	s := testenv.Store(t)
	require.NoError(t, demo.Load(ctx, s))
	tc := testenv.Temporal(t)
	queue := "record-" + uuid.NewString()
	w := worker.New(tc, s, queue)
	require.NoError(t, w.Start())
	defer w.Stop()

	lib, err := definitions.Library()
	require.NoError(t, err)
	for _, p := range lib {
		for _, at := range []string{"galutu-v01", "galutu"} {
			id := record(t, tc, queue, p, at)
			iter := tc.GetWorkflowHistory(ctx, onedoor.WorkflowID(id), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
			hist := &historypb.History{}
			for iter.HasNext() {
				e, err := iter.Next()
				require.NoError(t, err)
				hist.Events = append(hist.Events, e)
			}
			b, err := protojson.Marshal(hist)
			require.NoError(t, err)
			name := filepath.Join("testdata", "history", fmt.Sprintf("%s-%s.json", p.Key, at))
			require.NoError(t, os.WriteFile(name, b, 0o644))
			t.Logf("%s: %d events", name, len(hist.Events))
		}
	}
}

// record starts a case and completes its tasks until it closes or no outcome is accepted.
func record(t *testing.T, tc client.Client, queue string, p *definitions.Procedure, at string) string {
	ctx := context.Background()
	org, err := definitions.WushenOrg()
	require.NoError(t, err)
	chain := org.Chain(at)
	now := time.Now()
	c := onedoor.Case{
		ID: uuid.NewString(), Matter: p.Matter, Status: onedoor.StatusOpen, Level: chain[0].Level,
		OrgUnit: at, ReceivedBy: at, Channel: onedoor.ChannelVisit, Subject: "记录用案件", ResidentName: "王五",
		Data: sampleData(p.Form), ProcedureKey: p.Key, ProcedureVersion: p.Version, CreatedBy: "recorder",
		ReceivedAt: now, UpdatedAt: now, Number: "REC-" + p.Key + "-" + at,
	}
	start := tc.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
		ID: c.WorkflowID(), TaskQueue: queue, WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
	}, workflows.CaseWorkflow, workflows.CaseInput{Case: c, Procedure: p, Chain: chain, Departments: org.Departments})
	h, err := tc.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: start,
		UpdateOptions:          client.UpdateWorkflowOptions{UpdateID: "open", UpdateName: workflows.UpdateOpen, WaitForStage: client.WorkflowUpdateStageCompleted},
	})
	require.NoError(t, err)
	var st workflows.CaseState
	require.NoError(t, h.Get(ctx, &st))

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
				WorkflowID: c.WorkflowID(), UpdateName: workflows.UpdateAction, WaitForStage: client.WorkflowUpdateStageCompleted,
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
				WorkflowID: c.WorkflowID(), UpdateName: workflows.UpdateAction, WaitForStage: client.WorkflowUpdateStageCompleted, Args: []any{a},
			})
			require.NoError(t, err)
			require.NoError(t, u.Get(ctx, &st))
		}
	}
	// Let the mirror write the last events (and a case that ends complete) before the history is read.
	require.Eventually(t, func() bool {
		d, err := tc.DescribeWorkflowExecution(ctx, c.WorkflowID(), "")
		return err == nil && len(d.GetPendingActivities()) == 0 && d.GetPendingWorkflowTask() == nil
	}, 10*time.Second, 50*time.Millisecond)
	time.Sleep(200 * time.Millisecond)
	return c.ID
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
