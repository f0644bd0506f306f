package workflows

import (
	"fmt"
	"regexp"
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/onedoor/onedoor"
)

// AttachmentRef is what the case workflow knows of a paper: which one it is and what the audit
// log says of it. Its bytes never enter Temporal; the workflow keeps nothing of it in its state.
type AttachmentRef struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Type   string `json:"type"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
	// Action is the audit log entry of the action the paper belongs to, if any.
	Action int64 `json:"action,omitempty"`
	// Replaces is the paper this one replaces (attach), deleted with it.
	Replaces *AttachmentRef `json:"replaces,omitempty"`
	// Reason says why a paper is deleted (detach).
	Reason string `json:"reason,omitempty"`
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (r *AttachmentRef) check() error {
	if r == nil || r.ID == "" || strings.TrimSpace(r.Name) == "" || !sha256Hex.MatchString(r.SHA256) || r.Size < 0 {
		return refuse(ErrInvalid, "an attachment needs its id, name, size and SHA-256")
	}
	return nil
}

// String is the paper as the audit log names it.
func (r *AttachmentRef) String() string {
	return fmt.Sprintf("attachment %s: %s, %s, %d bytes, sha256 %s", r.ID, r.Name, r.Type, r.Size, r.SHA256)
}

func (w *caseWorkflow) checkAttach(a Action, _ *onedoor.Task) error {
	if err := a.Attachment.check(); err != nil {
		return err
	}
	if a.Attachment.Replaces != nil {
		return a.Attachment.Replaces.check()
	}
	return nil
}

func (w *caseWorkflow) applyAttach(_ workflow.Context, a Action, _ *onedoor.Task) string {
	// Like a note, the paper lives in the audit log (and the attachments table), not in the
	// workflow's state, which must not grow with every paper.
	reason := a.Attachment.String()
	if a.Attachment.Action > 0 {
		reason += fmt.Sprintf(", of timeline entry %d", a.Attachment.Action)
	}
	if old := a.Attachment.Replaces; old != nil {
		reason += "; replaces " + old.String()
	}
	return reason
}

func (w *caseWorkflow) applyDetach(_ workflow.Context, a Action, _ *onedoor.Task) string {
	reason := "deleted " + a.Attachment.String()
	if r := strings.TrimSpace(a.Attachment.Reason); r != "" {
		reason += ": " + r
	}
	return reason
}
