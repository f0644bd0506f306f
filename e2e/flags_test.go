package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDevRefusesTuningBelowOne: a tuning flag below 1 stops `onedoor dev` with what was wrong
// before it starts anything (no data folder, no server).
func TestDevRefusesTuningBelowOne(t *testing.T) {
	t.Parallel()
	bin := binary(t)
	for flag, want := range map[string]string{
		"--temporal-task-workers=0": "--temporal-task-workers=0: the embedded Temporal server needs at least 1",
		"--sticky-cache=0":          "--sticky-cache=0: the worker needs at least 1",
		"--workflow-pollers=-1":     "--workflow-pollers=-1: the worker needs at least 1",
	} {
		data := filepath.Join(t.TempDir(), "data")
		out, err := exec.Command(bin, "dev", "--data", data, flag).CombinedOutput()
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit, "%s: %s", flag, out)
		require.Contains(t, string(out), want, flag)
		require.False(t, strings.Contains(string(out), "OneDoor is running"), flag)
		_, err = os.Stat(data)
		require.ErrorIs(t, err, os.ErrNotExist, "%s made the data folder", flag)
	}
}
