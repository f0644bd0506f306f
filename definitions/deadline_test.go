package definitions

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDeadlineFromMustBeKnown(t *testing.T) {
	t.Parallel()
	src, ok := LibrarySource("petition")
	require.True(t, ok)
	bad := strings.Replace(string(src), "from: received", "from: yesterday", 1)
	org, err := DemoOrg()
	require.NoError(t, err)
	_, err = Load([]byte(bad), org)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	require.Len(t, ve.Problems, 1)
	require.Equal(t, "steps[1].deadline.from", ve.Problems[0].Path)
	require.Contains(t, ve.Problems[0].Message, "use step (when the step opens) or received")
	require.Positive(t, ve.Problems[0].Line)
}

func TestMaxSuspensionNeedsASuspendableStep(t *testing.T) {
	t.Parallel()
	src, ok := LibrarySource("petition")
	require.True(t, ok)
	bad := strings.Replace(string(src), "from: received,", "from: received, max_suspension: {amount: 10, unit: days},", 1)
	require.NotEqual(t, string(src), bad)
	org, err := DemoOrg()
	require.NoError(t, err)
	_, err = Load([]byte(bad), org)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	require.Len(t, ve.Problems, 1)
	require.Equal(t, "steps[1].deadline.max_suspension", ve.Problems[0].Path)
	require.Contains(t, ve.Problems[0].Message, "suspendable is not")
}
