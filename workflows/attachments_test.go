package workflows_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/workflows"
)

// A paper is recorded in the audit log, in the case's order, by reference: the workflow's state
// keeps nothing of it, a paper does not count as acting on the case (the completion before it
// can still be withdrawn), and a reference without its checksum is refused with no trace.
func TestAttachmentsAreAuditEntriesOnly(t *testing.T) {
	t.Parallel()
	h := newHarness(t, procedure(t, "petition"), "galutu", petitionData("request", 2))
	clerk := user("clerk-galutu")
	sum := strings.Repeat("ab", 32)
	letter := &workflows.AttachmentRef{ID: "a1", Name: "信访信.pdf", Type: "application/pdf", Size: 1200, SHA256: sum}
	h.at(1*time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: clerk, Outcome: "register"})
	h.at(2*time.Hour, workflows.Action{Type: workflows.ActAttach, Actor: clerk, Attachment: letter})
	h.at(3*time.Hour, workflows.Action{Type: workflows.ActAttach, Actor: clerk,
		Attachment: &workflows.AttachmentRef{ID: "a2", Name: "照片.jpg", Type: "image/jpeg", Size: 10}})
	h.at(4*time.Hour, workflows.Action{Type: workflows.ActDetach, Actor: clerk,
		Attachment: &workflows.AttachmentRef{ID: "a1", Name: "信访信.pdf", Type: "application/pdf", Size: 1200, SHA256: sum, Reason: "重复上传"}})
	h.at(5*time.Hour, workflows.Action{Type: workflows.ActWithdraw, Actor: clerk})
	st := h.run(24 * time.Hour)

	require.Equal(t, []string{workflows.ErrInvalid}, h.refusalTypes(), "no checksum, no record")
	require.Equal(t, "intake", st.Case.Step, "papers do not stop the clerk from withdrawing her completion")
	audit, err := h.store.Audit(context.Background(), st.Case.ID)
	require.NoError(t, err)
	var papers []string
	for _, e := range audit {
		if e.Action == "attach" || e.Action == "detach" {
			papers = append(papers, e.Action+" "+e.Reason)
			require.NotContains(t, string(e.After), "信访信", "the case's state holds no paper")
		}
	}
	require.Equal(t, []string{
		"attach attachment a1: 信访信.pdf, application/pdf, 1200 bytes, sha256 " + sum,
		"detach deleted attachment a1: 信访信.pdf, application/pdf, 1200 bytes, sha256 " + sum + ": 重复上传",
	}, papers)
}
