package workflows_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

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
	var covered []string
	for _, f := range files {
		covered = append(covered, strings.SplitN(filepath.Base(f), "-", 2)[0])
	}
	for _, key := range definitions.LibraryKeys {
		require.Contains(t, covered, key, "a recorded history of a %s case", key)
	}
	for _, f := range files {
		t.Run(strings.TrimPrefix(f, "testdata/history/"), func(t *testing.T) {
			t.Parallel()
			history, err := client.HistoryFromJSON(mustOpen(t, f), client.HistoryJSONOptions{})
			require.NoError(t, err)
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
