package workflows_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/onedoor/onedoor/activities"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/workflows"
)

// TestReplayCommittedHistories replays the histories of real cases of every built-in procedure,
// recorded from a real Temporal server (`make histories`), against today's workflow code: a
// change that would break running cases fails here. Such a change goes behind
// workflow.GetVersion.
func TestReplayCommittedHistories(t *testing.T) {
	t.Parallel()
	// testdata/history holds today's recordings; its subfolders, recordings of earlier code that
	// running cases may still be on (e.g. before-evaluation-window/).
	var files []string
	require.NoError(t, filepath.WalkDir("testdata/history", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".json") {
			files = append(files, path)
		}
		return err
	}))
	var corpus []*historypb.History
	for _, f := range files {
		history, err := client.HistoryFromJSON(mustOpen(t, f), client.HistoryJSONOptions{})
		require.NoError(t, err)
		corpus = append(corpus, history)
	}
	checkCoverage(t, corpus)
	for i, f := range files {
		history := corpus[i]
		t.Run(strings.TrimPrefix(f, "testdata/history/"), func(t *testing.T) {
			t.Parallel()
			r := worker.NewWorkflowReplayer()
			r.RegisterWorkflowWithOptions(workflows.Case, workflow.RegisterOptions{Name: workflows.CaseWorkflow})
			require.NoError(t, r.ReplayWorkflowHistory(testenv.QuietLogger{}, history))
		})
	}
}

func mustOpen(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// checkCoverage fails unless the corpus takes every path of the workflow: a case of every
// built-in procedure, every action users send and the link the API sends, timers that fired and
// what they fire (warnings, overdue deadlines, lapsed supervision orders, the end of a capped
// suspension), an escalation by a level's rule, a summons, a statutory clock, and a
// continue-as-new. It reads the events inside the histories, not the names of their files.
func checkCoverage(t *testing.T, corpus []*historypb.History) {
	dc := converter.GetDefaultDataConverter()
	seen := map[string]bool{}
	for _, h := range corpus {
		for _, e := range h.Events {
			seen["event "+e.GetEventType().String()] = true
			if a := e.GetWorkflowExecutionStartedEventAttributes(); a != nil {
				var in workflows.CaseInput
				require.NoError(t, dc.FromPayloads(a.GetInput(), &in))
				seen["procedure "+in.Procedure.Key] = true
				seen["started with changes "+strconv.Itoa(in.Changes)] = true
			}
			if a := e.GetWorkflowExecutionUpdateAcceptedEventAttributes(); a != nil && a.GetAcceptedRequest().GetInput().GetName() == workflows.UpdateAction {
				var act workflows.Action
				require.NoError(t, dc.FromPayloads(a.GetAcceptedRequest().GetInput().GetArgs(), &act))
				seen["action "+string(act.Type)] = true
			}
			if a := e.GetActivityTaskScheduledEventAttributes(); a != nil && a.GetActivityType().GetName() == "Mirror" {
				var in activities.MirrorInput
				require.NoError(t, dc.FromPayloads(a.GetInput(), &in))
				for _, ev := range in.Events {
					seen["event by "+ev.Actor+": "+ev.Action] = true
					if len(ev.After.Clocks) > 0 {
						seen["statutory clock"] = true
					}
				}
				for _, task := range in.Tasks {
					if task.AckDueAt != nil {
						seen["summons"] = true
					}
				}
			}
		}
	}
	want := []string{
		"event " + enumspb.EVENT_TYPE_TIMER_FIRED.String(),
		"event " + enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW.String(),
		"event by system: deadline_warning",
		"event by system: deadline_overdue",
		"event by system: supervision_overdue",
		"event by system: resume",
		"event by system: escalate",
		"summons",
		"statutory clock",
		"action " + string(workflows.ActLink),
		"event by admin: " + workflows.ActMigrate,
		// today's cases, which take the code's changes from their input
		"started with changes " + strconv.Itoa(workflows.CurrentChanges),
	}
	for _, key := range definitions.LibraryKeys {
		want = append(want, "procedure "+key)
	}
	for _, a := range workflows.UserActions() {
		want = append(want, "action "+string(a))
	}
	var missing []string
	for _, w := range want {
		if !seen[w] {
			missing = append(missing, w)
		}
	}
	require.Empty(t, missing, "the replay corpus lacks these paths: record them (make histories)")
}
