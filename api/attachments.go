package api

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/gabriel-vasile/mimetype"
	"github.com/google/uuid"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/store"
	"github.com/onedoor/onedoor/workflows"
)

// Attachments (附件): the papers of a case, kept in a blob store (Server.Blobs), described in
// PostgreSQL, their upload and deletion recorded in the case's audit log through its workflow
// (the attach and detach actions), which sees references and never bytes.
//
// Who sees papers: those who may see the case and handle matters — clerks, supervisors,
// department staff, administrators and auditors (who read, never change). A grid worker (网格员)
// sees the papers of the cases received at their own grid (received_by is one of their grid
// posts' units) and adds photos to them (images only, never deleting or replacing a paper); of
// every other case they see the summary (with personal numbers masked) but not its papers, which
// hold ID copies and letters in full. A user the case was only copied to (抄送) is informed, not
// handling: no papers. Both are refused 403; outside the scope the case is 404 as everywhere.

// DefaultAttachmentMaxBytes bounds an attachment when Server.AttachmentMaxBytes is 0: a scanned
// letter of a few pages or a phone's photo fits many times over.
const DefaultAttachmentMaxBytes = 20 << 20

// multipartSlack is what a multipart body may carry beyond its file: boundaries, part headers,
// the other fields.
const multipartSlack = 64 << 10

// uploadReadTimeout is how long a client has to send an upload: 20 MiB over a county's slow
// line takes more than the 5 s other bodies get.
const uploadReadTimeout = 2 * time.Minute

// allowedTypes are the media types a paper may have, detected from its content, and what the
// refusal calls them. Anything else (an executable, an archive, HTML that a browser would run)
// is refused.
var allowedTypes = []struct{ mime, name string }{
	{"application/pdf", "PDF"},
	{"image/jpeg", "JPEG"},
	{"image/png", "PNG"},
	{"application/msword", "Word (.doc)"},
	{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (.docx)"},
	{"application/vnd.ms-excel", "Excel (.xls)"},
	{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (.xlsx)"},
	{"application/vnd.oasis.opendocument.text", "OpenDocument text (.odt)"},
	{"application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet (.ods)"},
	{"text/plain", "plain text"},
}

func allowedTypeNames() string {
	names := make([]string, len(allowedTypes))
	for i, t := range allowedTypes {
		names[i] = t.name
	}
	return strings.Join(names, ", ")
}

// UploadForm is the multipart form of an upload.
type UploadForm struct {
	File     huma.FormFile `form:"file" required:"true" doc:"The paper: PDF, JPEG, PNG, Word, Excel, OpenDocument text or spreadsheet, or plain text, as its content shows (the name's extension is not trusted); at most the server's limit (20 MiB by default)."`
	Action   int64         `form:"action" required:"false" minimum:"1" doc:"The timeline entry (seq) of the action the paper belongs to (a report, a mediation's outcome); the case as a whole when absent."`
	Replaces string        `form:"replaces" required:"false" maxLength:"64" doc:"The id of an attachment of the case this one replaces: that one is deleted with this upload, and both stay in the timeline with their checksums."`
}

// UploadAttachmentInput is an upload of a paper to a case.
type UploadAttachmentInput struct {
	ID             string `path:"id" maxLength:"64" doc:"The case's id or number."`
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"200" doc:"A retried upload with the same key is recorded once and answered as the first; the same key with other content is refused (422)."`
	RawBody        huma.MultipartFormFiles[UploadForm]
}

// AttachmentOutput is one attachment.
type AttachmentOutput struct {
	Body onedoor.Attachment
}

// ListAttachmentsInput names a case's attachments.
type ListAttachmentsInput struct {
	ID      string `path:"id" maxLength:"64" doc:"The case's id or number."`
	Deleted bool   `query:"deleted" doc:"Include the deleted and replaced attachments (with deleted_at), which stay in the timeline and in storage."`
}

// AttachmentList is a case's attachments and what an upload may be.
type AttachmentList struct {
	Items    []onedoor.Attachment `json:"items" doc:"In upload order."`
	MaxBytes int64                `json:"max_bytes" doc:"The largest attachment the server accepts, in bytes."`
	Types    []string             `json:"types" doc:"The media types an attachment may have."`
}

// AttachmentListOutput is a case's attachments.
type AttachmentListOutput struct {
	Body AttachmentList
}

// AttachmentInput names one attachment of a case.
type AttachmentInput struct {
	ID         string `path:"id" maxLength:"64" doc:"The case's id or number."`
	Attachment string `path:"attachment" maxLength:"64" doc:"The attachment's id."`
}

// DeleteAttachmentInput deletes one attachment of a case.
type DeleteAttachmentInput struct {
	AttachmentInput
	Reason string `query:"reason" maxLength:"500" doc:"Why the paper is deleted; kept in the timeline."`
}

// DownloadOutput is an attachment's bytes.
type DownloadOutput struct {
	ContentType        string `header:"Content-Type" doc:"The type detected at upload."`
	ContentLength      int64  `header:"Content-Length"`
	ContentDisposition string `header:"Content-Disposition" doc:"attachment, with the file's name."`
	Digest             string `header:"Repr-Digest" doc:"SHA-256 of the content (RFC 9530), as at upload: sha-256=:base64:."`
	NoSniff            string `header:"X-Content-Type-Options"`
	CacheControl       string `header:"Cache-Control"`
	Body               func(huma.Context)
}

func (s *Server) registerAttachments(api huma.API) {
	limit := s.attachmentLimit()
	huma.Register(api, huma.Operation{
		OperationID: "upload-attachment",
		Method:      http.MethodPost,
		Path:        "/v1/cases/{id}/attachments",
		Summary:     "Attach a paper to a case",
		Description: "Uploads a paper (multipart/form-data, the file in `file`) to the case, or to one of its actions (`action`, " +
			"the timeline entry's seq), or in place of an earlier one (`replaces`). Its type is detected from its content, " +
			"never from its name: " + allowedTypeNames() + "; anything else is refused 422 at `body.file`, and a file over " +
			"the server's limit 413, nothing stored either way. The answer names its SHA-256; the upload is an `attach` " +
			"entry of the timeline with the name, type, size and checksum. Who may: a user who may act on the case and see " +
			"its papers (not an auditor, or a user the case was only copied to: 403); a grid worker adds photos (JPEG, PNG: " +
			"another type 422 at `body.file`) to the cases received at their own grid, and replaces none (403); outside the scope 404. " +
			"Once the case's workflow has ended (30 days after closing) it is 409.",
		Tags:          []string{"Attachments"},
		DefaultStatus: http.StatusCreated,
		Security:      secured,
		MaxBodyBytes:  limit + multipartSlack,
		Metadata:      map[string]any{metaBodyReadTimeout: uploadReadTimeout},
		Errors: []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusConflict,
			http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity, http.StatusServiceUnavailable},
	}, s.uploadAttachment)

	huma.Register(api, huma.Operation{
		OperationID: "list-attachments",
		Method:      http.MethodGet,
		Path:        "/v1/cases/{id}/attachments",
		Summary:     "A case's attachments",
		Description: "The papers of the case in upload order, with their checksums; the deleted and replaced ones with " +
			"`deleted=true`. Refused 403 to those who may see the case but not its papers (a grid worker, but for the cases " +
			"received at their own grid; users the case was only copied to).",
		Tags:     []string{"Attachments"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound},
	}, s.listAttachments)

	huma.Register(api, huma.Operation{
		OperationID: "download-attachment",
		Method:      http.MethodGet,
		Path:        "/v1/cases/{id}/attachments/{attachment}",
		Summary:     "Download an attachment",
		Description: "The paper's bytes as uploaded, with its detected type, its name (Content-Disposition: attachment) and its " +
			"SHA-256 (Repr-Digest). A deleted or replaced paper is still served: it stays for the record. Same access as the list.",
		Tags:     []string{"Attachments"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusServiceUnavailable},
		Responses: map[string]*huma.Response{"200": {Description: "The paper's bytes.",
			Content: map[string]*huma.MediaType{"application/octet-stream": {Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}}}}},
	}, s.downloadAttachment)

	huma.Register(api, huma.Operation{
		OperationID: "delete-attachment",
		Method:      http.MethodDelete,
		Path:        "/v1/cases/{id}/attachments/{attachment}",
		Summary:     "Delete an attachment",
		Description: "Takes the paper off the case's list. It stays in the timeline (a `detach` entry with its checksum) and in " +
			"storage, listed with `deleted=true` and still downloadable: a paper once part of a case is never destroyed " +
			"through the API. Same access as an upload, but a grid worker deletes no paper (403).",
		Tags:     []string{"Attachments"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusServiceUnavailable},
	}, s.deleteAttachment)
}

func (s *Server) attachmentLimit() int64 {
	return cmp.Or(s.AttachmentMaxBytes, DefaultAttachmentMaxBytes)
}

// seesPapers refuses (403, logged) a user who may see the case but not its papers: a grid
// worker, unless the case was received at their own grid, and a user the case was only copied to.
func (s *Server) seesPapers(ctx context.Context, c onedoor.Case) error {
	if currentUser(ctx).Role == onedoor.RoleGrid {
		own, err := s.ownGrid(ctx, c)
		if err != nil {
			return s.problem(ctx, err)
		}
		if !own {
			s.refused(ctx, "a grid worker sees the papers of their own grid's cases only: "+c.ID)
			return huma.Error403Forbidden(fmt.Sprintf(
				"a grid worker sees the papers of the cases received at their own grid; case %s was received at %s: its summary only",
				c.Number, c.ReceivedBy))
		}
	}
	if readsCopy(ctx) {
		s.refused(ctx, "a case copied for information: no papers")
		return huma.Error403Forbidden("the case was copied to you for information: its papers are for those who handle it")
	}
	return nil
}

// ownGrid reports whether the current user, a grid worker, holds a grid post at the unit that
// received the case and that unit is a grid: the case's papers are theirs to see and add photos
// to. A grid worker posted at a village or a town has no grid of their own.
func (s *Server) ownGrid(ctx context.Context, c onedoor.Case) (bool, error) {
	posts := postsOf(ctx)
	if len(posts) == 0 {
		posts = []onedoor.Post{currentUser(ctx).Post()}
	}
	for _, p := range posts {
		if p.Role == onedoor.RoleGrid && p.OrgUnit != "" && p.OrgUnit == c.ReceivedBy {
			u, err := s.Store.OrgUnit(ctx, c.ReceivedBy)
			if err != nil {
				return false, err
			}
			return u.Grid, nil
		}
	}
	return false, nil
}

// gridAdds refuses (403, logged) a grid worker's deleting or replacing a paper (what, the
// refusal's text): they add photos to their grid's cases; what stays on a case is for the clerk
// holding it to decide.
func (s *Server) gridAdds(ctx context.Context, what string) error {
	if currentUser(ctx).Role != onedoor.RoleGrid {
		return nil
	}
	s.refused(ctx, what)
	return huma.Error403Forbidden(what)
}

// hidePapers leaves the papers' names and checksums out of the timeline of a user who may see
// the case but not its papers: the entries stay, saying that a paper was added or deleted.
func (s *Server) hidePapers(ctx context.Context, c onedoor.Case, entries []store.AuditEntry) error {
	hide := readsCopy(ctx)
	if currentUser(ctx).Role == onedoor.RoleGrid {
		own, err := s.ownGrid(ctx, c)
		if err != nil {
			return s.problem(ctx, err)
		}
		hide = hide || !own
	}
	if !hide {
		return nil
	}
	for i, e := range entries {
		if e.Action == string(workflows.ActAttach) || e.Action == string(workflows.ActDetach) {
			entries[i].Reason = ""
		}
	}
	return nil
}

// photoTypes are the allowed types that are images: what a grid worker attaches and a grid
// system sends with an event.
func photoTypes() (mimes []string, names string) {
	var ns []string
	for _, t := range allowedTypes {
		if strings.HasPrefix(t.mime, "image/") {
			mimes, ns = append(mimes, t.mime), append(ns, t.name)
		}
	}
	return mimes, strings.Join(ns, ", ")
}

// detectedType is the allowed type of content as detected, of the images only when photos is set;
// "" when it is none of them.
func detectedType(detected *mimetype.MIME, photos bool) string {
	for _, t := range allowedTypes {
		if detected.Is(t.mime) && (!photos || strings.HasPrefix(t.mime, "image/")) {
			return detected.String()
		}
	}
	return ""
}

// blobsReady is the 503 of a server without a blob store.
func (s *Server) blobsReady() error {
	if s.Blobs == nil {
		return huma.Error503ServiceUnavailable("attachments are not configured on this server: see ONEDOOR_S3_BUCKET or ONEDOOR_ATTACHMENTS_DIR")
	}
	return nil
}

// timed gives a request its deadline once its body is in: an upload is untimed by withDeadline
// while a slow line sends it.
func (s *Server) timed(ctx context.Context) (context.Context, context.CancelFunc) {
	d := cmp.Or(s.RequestTimeout, DefaultRequestTimeout)
	if d < 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}

// fileName is the last element of an uploaded file's name (a browser may send a path), or ""
// when nothing a person could read is left.
func fileName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.TrimSpace(name)
	if name == "." || name == "/" || badText(name) != "" {
		return ""
	}
	if r := []rune(name); len(r) > 200 {
		name = string(r[len(r)-200:]) // keep the extension
	}
	return name
}

func (s *Server) uploadAttachment(ctx context.Context, in *UploadAttachmentInput) (*AttachmentOutput, error) {
	if in.RawBody.Form != nil {
		defer func() { _ = in.RawBody.Form.RemoveAll() }() // files a large form spilled to disk
	}
	ctx, cancel := s.timed(ctx)
	defer cancel()
	if err := s.blobsReady(); err != nil {
		return nil, err
	}
	c, err := s.papersOf(ctx, in.ID, true)
	if err != nil {
		return nil, err
	}
	user := currentUser(ctx)
	form := in.RawBody.Data()
	f := form.File

	// Every check before anything is written: a refused upload leaves no trace.
	name := fileName(f.Filename)
	if name == "" {
		return nil, huma.Error422UnprocessableEntity("the file has no name",
			&huma.ErrorDetail{Location: "body.file", Message: "send the file with its name (filename in the part's Content-Disposition)"})
	}
	if limit := s.attachmentLimit(); f.Size > limit {
		s.refused(ctx, fmt.Sprintf("attachment of %d bytes to case %s", f.Size, c.ID))
		return nil, huma.NewError(http.StatusRequestEntityTooLarge, "the file is too large",
			&huma.ErrorDetail{Location: "body.file", Value: name, Message: fmt.Sprintf("%d bytes; at most %d", f.Size, limit)})
	}
	detected, err := mimetype.DetectReader(f)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	grid := user.Role == onedoor.RoleGrid
	typ := detectedType(detected, grid)
	if typ == "" && grid && detectedType(detected, false) != "" {
		// A paper others may attach, but a grid worker adds photos only.
		_, names := photoTypes()
		s.refused(ctx, fmt.Sprintf("grid worker's attachment of type %s to case %s", detected.String(), c.ID))
		return nil, huma.Error422UnprocessableEntity("a grid worker attaches photos only",
			&huma.ErrorDetail{Location: "body.file", Value: name, Message: fmt.Sprintf(
				"the content is %s: a grid worker attaches photos (%s); other papers are for the clerk to attach", detected.String(), names)})
	}
	if typ == "" {
		s.refused(ctx, fmt.Sprintf("attachment of type %s to case %s", detected.String(), c.ID))
		return nil, huma.Error422UnprocessableEntity("this type of file is not accepted",
			&huma.ErrorDetail{Location: "body.file", Value: name, Message: fmt.Sprintf(
				"the content is %s, whatever the name says; accepted are %s", detected.String(), allowedTypeNames())})
	}
	if form.Action > 0 {
		action, err := s.Store.AuditAction(ctx, c.ID, form.Action)
		if onedoor.ErrorCode(err) == onedoor.ENotFound || action == string(workflows.ActAttach) || action == string(workflows.ActDetach) {
			return nil, huma.Error422UnprocessableEntity("unknown action",
				&huma.ErrorDetail{Location: "body.action", Value: form.Action, Message: "the case's timeline has no action with this seq"})
		} else if err != nil {
			return nil, s.problem(ctx, err)
		}
	}
	var replaced *onedoor.Attachment
	if form.Replaces != "" {
		if err := s.gridAdds(ctx, "a grid worker adds photos but replaces no paper: ask the clerk holding the case"); err != nil {
			return nil, err
		}
		old, err := s.Store.Attachment(ctx, c.ID, form.Replaces)
		if onedoor.ErrorCode(err) == onedoor.ENotFound || (err == nil && old.Seq == 0) {
			return nil, huma.Error422UnprocessableEntity("unknown attachment",
				&huma.ErrorDetail{Location: "body.replaces", Value: form.Replaces, Message: "the case has no attachment with this id"})
		} else if err != nil {
			return nil, s.problem(ctx, err)
		}
		if old.DeletedAt != nil {
			return nil, huma.Error409Conflict(fmt.Sprintf("attachment %s was deleted or replaced already", old.ID))
		}
		replaced = &old
	}
	h := sha256.New()
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, s.problem(ctx, err)
	}
	if _, err := io.Copy(h, f); err != nil {
		return nil, s.problem(ctx, err)
	}
	sum := hex.EncodeToString(h.Sum(nil))

	id := uuid.New()
	if in.IdempotencyKey != "" {
		id = uuid.NewSHA1(idempotencyNamespace, []byte(user.ID+"\x00attach\x00"+c.ID+"\x00"+in.IdempotencyKey))
		if err := s.rememberKey(ctx, user, "attach:"+c.ID, in.IdempotencyKey,
			[]any{name, sum, form.Action, form.Replaces}); err != nil {
			return nil, err
		}
	}
	a := onedoor.Attachment{ID: id.String(), CaseID: c.ID, Action: form.Action, Name: name, Size: f.Size, Type: typ,
		SHA256: sum, UploadedBy: user.ID, UploadedAt: time.Now(), Key: "cases/" + c.ID + "/" + id.String()}
	if err := s.Blobs.Put(ctx, a.Key, f, f.Size, a.Type); err != nil {
		return nil, s.problem(ctx, err)
	}
	// Described, then recorded by the case's workflow: until the audit log has it, the
	// attachment is not listed, and a retry with the same Idempotency-Key finishes the job.
	if err := s.Store.AddAttachment(ctx, a); err != nil {
		return nil, s.problem(ctx, err)
	}
	ref := &workflows.AttachmentRef{ID: a.ID, Name: a.Name, Type: a.Type, Size: a.Size, SHA256: a.SHA256, Action: a.Action}
	if replaced != nil {
		ref.Replaces = &workflows.AttachmentRef{ID: replaced.ID, Name: replaced.Name, Type: replaced.Type, Size: replaced.Size, SHA256: replaced.SHA256}
	}
	state, err := s.cases.Act(ctx, c, "attach-"+a.ID, workflows.Action{Type: workflows.ActAttach, Actor: user, Attachment: ref})
	if err != nil {
		if code := onedoor.ErrorCode(err); code == onedoor.EConflict || code == onedoor.EInvalid {
			// Refused for certain (the case's workflow has ended): nothing is to stay.
			if gone, ferr := s.Store.ForgetAttachment(context.WithoutCancel(ctx), a.ID); ferr == nil && gone {
				_ = s.Blobs.Delete(context.WithoutCancel(ctx), a.Key)
			}
		}
		return nil, s.problem(ctx, err)
	}
	if err := s.Store.RecordedAttachment(ctx, a.ID, state.Seq); err != nil {
		return nil, s.problem(ctx, err)
	}
	if replaced != nil {
		if err := s.Store.DeletedAttachment(ctx, replaced.ID, user.ID, a.UploadedAt, state.Seq, a.ID); err != nil {
			return nil, s.problem(ctx, err)
		}
	}
	a, err = s.Store.Attachment(ctx, c.ID, a.ID)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &AttachmentOutput{Body: a}, nil
}

func (s *Server) listAttachments(ctx context.Context, in *ListAttachmentsInput) (*AttachmentListOutput, error) {
	c, err := s.papersOf(ctx, in.ID, false)
	if err != nil {
		return nil, err
	}
	items, err := s.Store.Attachments(ctx, c.ID, in.Deleted)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &AttachmentListOutput{Body: AttachmentList{Items: items, MaxBytes: s.attachmentLimit()}}
	if out.Body.Items == nil {
		out.Body.Items = []onedoor.Attachment{}
	}
	if currentUser(ctx).Role == onedoor.RoleGrid {
		out.Body.Types, _ = photoTypes() // what they may add
		return out, nil
	}
	for _, t := range allowedTypes {
		out.Body.Types = append(out.Body.Types, t.mime)
	}
	return out, nil
}

// papersOf is the case named ref, for a user who may see its papers; act asks also that the
// user may act on the case (upload, delete, replace).
func (s *Server) papersOf(ctx context.Context, ref string, act bool) (onedoor.Case, error) {
	find := s.caseToSee
	if act {
		find = s.caseToAct
	}
	c, err := find(ctx, ref)
	if err != nil {
		return c, err
	}
	return c, s.seesPapers(ctx, c)
}

// paperOf is the recorded attachment id of the case named ref, as papersOf allows it.
func (s *Server) paperOf(ctx context.Context, ref, id string, act bool) (onedoor.Case, onedoor.Attachment, error) {
	c, err := s.papersOf(ctx, ref, act)
	if err != nil {
		return c, onedoor.Attachment{}, err
	}
	a, err := s.Store.Attachment(ctx, c.ID, id)
	if err == nil && a.Seq == 0 {
		err = onedoor.Errorf(onedoor.ENotFound, "attachment %s not found", id)
	}
	if err != nil {
		return c, a, s.problem(ctx, err)
	}
	return c, a, nil
}

func (s *Server) downloadAttachment(ctx context.Context, in *AttachmentInput) (*DownloadOutput, error) {
	if err := s.blobsReady(); err != nil {
		return nil, err
	}
	c, a, err := s.paperOf(ctx, in.ID, in.Attachment, false)
	if err != nil {
		return nil, err
	}
	rc, err := s.Blobs.Get(ctx, a.Key)
	if err != nil {
		// A recorded attachment without its bytes is the storage's failure, not the client's.
		return nil, s.internal(ctx, fmt.Errorf("attachment %s of case %s: %w", a.ID, c.ID, err))
	}
	sum, _ := hex.DecodeString(a.SHA256)
	return &DownloadOutput{
		ContentType: a.Type, ContentLength: a.Size,
		ContentDisposition: mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}),
		Digest:             "sha-256=:" + base64.StdEncoding.EncodeToString(sum) + ":",
		NoSniff:            "nosniff", CacheControl: "private, no-store",
		Body: func(hc huma.Context) {
			defer rc.Close()
			hc.SetStatus(http.StatusOK)
			if _, err := io.Copy(hc.BodyWriter(), rc); err != nil {
				s.Logger.WarnContext(ctx, "attachment download cut short", "attachment", a.ID, "error", err)
			}
		},
	}, nil
}

func (s *Server) deleteAttachment(ctx context.Context, in *DeleteAttachmentInput) (*AttachmentOutput, error) {
	c, a, err := s.paperOf(ctx, in.ID, in.Attachment, true)
	if err != nil {
		return nil, err
	}
	if err := s.gridAdds(ctx, "a grid worker adds photos but deletes no paper: ask the clerk holding the case"); err != nil {
		return nil, err
	}
	if a.DeletedAt != nil {
		return nil, huma.Error409Conflict(fmt.Sprintf("attachment %s was deleted or replaced already", a.ID))
	}
	user := currentUser(ctx)
	ref := &workflows.AttachmentRef{ID: a.ID, Name: a.Name, Type: a.Type, Size: a.Size, SHA256: a.SHA256, Reason: in.Reason}
	state, err := s.cases.Act(ctx, c, "detach-"+a.ID, workflows.Action{Type: workflows.ActDetach, Actor: user, Attachment: ref})
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	if err := s.Store.DeletedAttachment(ctx, a.ID, user.ID, time.Now(), state.Seq, ""); err != nil {
		return nil, s.problem(ctx, err)
	}
	if a, err = s.Store.Attachment(ctx, c.ID, a.ID); err != nil {
		return nil, s.problem(ctx, err)
	}
	return &AttachmentOutput{Body: a}, nil
}
