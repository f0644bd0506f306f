package workflows_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/workflows"
)

var update = flag.Bool("update", false, "rewrite the generated parts of the docs")

const (
	tableBegin = "<!-- actions: generated from workflows/actions.go by `go test ./workflows -run TestActionTableInDocs -update` -->"
	tableEnd   = "<!-- end of actions -->"
)

// actionTable is the docs' table of actions, drawn from the action table.
func actionTable() string {
	var b strings.Builder
	b.WriteString("| type | who | needs | when | what it does |\n|---|---|---|---|---|\n")
	for _, a := range workflows.Actions() {
		if a.Internal {
			continue
		}
		needs := a.NeedsText()
		if a.OnTask {
			needs += " (on `task`)"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", a.Type, a.Who, needs, a.When, a.Summary)
	}
	return b.String()
}

// The table of actions in docs/cases.md is the action table's: a new action, or a change of who
// may take one, shows in the docs or fails here.
func TestActionTableInDocs(t *testing.T) {
	const path = "../docs/cases.md"
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	doc := string(src)
	i, j := strings.Index(doc, tableBegin), strings.Index(doc, tableEnd)
	require.True(t, i >= 0 && j > i, "docs/cases.md lacks the markers of the generated table")
	want := doc[:i] + tableBegin + "\n" + actionTable() + doc[j:]
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(want), 0o644))
		return
	}
	require.Equal(t, want, doc, "the table of actions in docs/cases.md is stale: go test ./workflows -run TestActionTableInDocs -update")
}
