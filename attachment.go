package onedoor

import "time"

// Attachment is a paper of a case (附件: a petition letter, a photo, an ID copy, a mediation
// agreement), or of one of its actions: what it is, not its bytes, which a blob store keeps
// under Key. Its upload and its deletion are events of the case, in the audit log with the
// checksum.
type Attachment struct {
	ID     string `json:"id"`
	CaseID string `json:"case_id"`
	// Action is the audit log entry (seq) of the action the paper belongs to (a department's
	// report, a mediation's outcome); 0 for a paper of the case as a whole.
	Action int64  `json:"action,omitempty" doc:"The timeline entry (seq) of the action the paper belongs to; absent for a paper of the case as a whole."`
	Name   string `json:"name" doc:"The file's name as uploaded."`
	Size   int64  `json:"size" doc:"Bytes."`
	// Type is the media type detected from the content, never taken from the name.
	Type       string    `json:"type" doc:"The media type detected from the content (not from the name): application/pdf, image/jpeg…"`
	SHA256     string    `json:"sha256" doc:"SHA-256 of the content, lowercase hex."`
	UploadedBy string    `json:"uploaded_by"`
	UploadedAt time.Time `json:"uploaded_at"`
	// Seq is the audit log entry of the upload; 0 while it is being recorded.
	Seq        int64      `json:"seq" doc:"The timeline entry (seq) of the upload."`
	DeletedAt  *time.Time `json:"deleted_at,omitempty"`
	DeletedBy  string     `json:"deleted_by,omitempty"`
	DeletedSeq int64      `json:"deleted_seq,omitempty" doc:"The timeline entry (seq) of the deletion."`
	ReplacedBy string     `json:"replaced_by,omitempty" doc:"The attachment that replaced this one."`
	// Key names the bytes in the blob store.
	Key string `json:"-"`
}
