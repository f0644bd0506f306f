package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/api"
	"github.com/onedoor/onedoor/blob"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/store"
	"github.com/onedoor/onedoor/worker"
)

// gridGalutu is a grid worker (网格员) of Galutu town: the town's cases are in their scope, their
// papers are not.
var gridGalutu = onedoor.User{ID: "grid-galutu", Name: "嘎鲁图镇网格员", Role: onedoor.RoleGrid, OrgUnit: "galutu"}

// attachLimit is the test server's attachment limit: small, so an oversize upload is cheap.
const attachLimit = 256 << 10

// newAttachServer is the case server with a folder blob store (returned) and a grid worker.
func newAttachServer(t *testing.T) (*caseServer, string) {
	t.Helper()
	cs, dir, _ := newAttachServerOn(t, centerStore(t))
	return cs, dir
}

// newAttachServerOn is newAttachServer on the store s, with the API server itself.
func newAttachServerOn(t *testing.T, s *store.Store) (*caseServer, string, *api.Server) {
	t.Helper()
	require.NoError(t, s.SaveUsers(context.Background(), []onedoor.User{gridGalutu}))
	tc := testenv.Temporal(t)
	queue := "api-test-" + t.Name()
	w := worker.New(tc, s, queue)
	require.NoError(t, w.Start())
	t.Cleanup(w.Stop)
	dir := filepath.Join(t.TempDir(), "attachments")
	blobs, err := blob.NewDir(dir)
	require.NoError(t, err)
	v, tokens := devAuth(t, gridGalutu)
	srv := &api.Server{Store: s, Temporal: tc, Verifier: v, Logger: slog.New(slog.DiscardHandler), NumberOrg: "AT", TaskQueue: queue,
		Blobs: blobs, AttachmentMaxBytes: attachLimit}
	h := srv.Handler()
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	return &caseServer{url: hs.URL, tokens: tokens, handler: h}, dir, srv
}

// upload sends a file as user in a multipart form with the extra fields; it returns the status
// and the decoded answer.
func (cs *caseServer) upload(t *testing.T, number, user, name string, content []byte, fields ...string) (int, map[string]any) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for i := 0; i+1 < len(fields); i += 2 {
		if fields[i] == "Idempotency-Key" {
			continue
		}
		require.NoError(t, mw.WriteField(fields[i], fields[i+1]))
	}
	fw, err := mw.CreateFormFile("file", name)
	require.NoError(t, err)
	_, err = fw.Write(content)
	require.NoError(t, err)
	require.NoError(t, mw.Close())
	req, err := http.NewRequest(http.MethodPost, cs.url+"/v1/cases/"+number+"/attachments", &body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+cs.tokens[user])
	for i := 0; i+1 < len(fields); i += 2 {
		if fields[i] == "Idempotency-Key" {
			req.Header.Set(fields[i], fields[i+1])
		}
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &out), string(b))
	return resp.StatusCode, out
}

// download fetches an attachment as user: the status, the bytes and the headers.
func (cs *caseServer) download(t *testing.T, number, id, user string) (int, []byte, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, cs.url+"/v1/cases/"+number+"/attachments/"+id, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+cs.tokens[user])
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, b, resp.Header
}

// letterPDF is a one-page PDF with a line of text, as a scanner's driver would write it.
func letterPDF(text string) []byte {
	stream := fmt.Sprintf("BT /F1 12 Tf 72 720 Td (%s) Tj ET", text)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// photoJPEG is a small photo.
func photoJPEG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := 0; x < 64; x++ {
		for y := 0; y < 48; y++ {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 5), 90, 255})
		}
	}
	var b bytes.Buffer
	require.NoError(t, jpeg.Encode(&b, img, &jpeg.Options{Quality: 80}))
	return b.Bytes()
}

// executable is the start of a Windows program: an MS-DOS header pointing at a PE header.
func executable() []byte {
	b := make([]byte, 512)
	copy(b, "MZ")
	b[0x3c] = 0x80 // e_lfanew
	copy(b[0x80:], "PE\x00\x00")
	b[0x84], b[0x85] = 0x4c, 0x01 // i386
	return b
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// files counts the files a blob folder holds.
func files(t *testing.T, dir string) int {
	n := 0
	require.NoError(t, filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	}))
	return n
}

// TestAttachmentsThroughTheAPI: a clerk attaches a petition letter and a photo; the justice
// bureau's staff, once the case is diverted to them, download the letter byte for byte; a
// village clerk outside the scope does not know the case has papers (404), a grid worker who
// sees the case is refused its papers (403); an executable named .pdf and an oversize file are
// refused with nothing stored; a deletion and a replacement stay in the timeline with the
// checksums.
func TestAttachmentsThroughTheAPI(t *testing.T) {
	t.Parallel()
	cs, dir := newAttachServer(t)
	body := petition()
	body["data"].(map[string]any)["category"] = "request"
	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", body)
	require.Equal(t, http.StatusCreated, status, c)
	number := c["number"].(string)
	list := func(user, query string) (int, map[string]any) {
		t.Helper()
		return cs.do(t, http.MethodGet, "/v1/cases/"+number+"/attachments"+query, user, nil)
	}

	letter, photo := letterPDF("Petition of Zhang San"), photoJPEG(t)
	status, att := cs.upload(t, number, "clerk-galutu", "信访信.pdf", letter)
	require.Equal(t, http.StatusCreated, status, att)
	require.Equal(t, "application/pdf", att["type"])
	require.Equal(t, sha(letter), att["sha256"])
	require.EqualValues(t, len(letter), att["size"])
	require.Equal(t, "信访信.pdf", att["name"])
	letterID := att["id"].(string)
	// A retry with the same Idempotency-Key is the same attachment, recorded once.
	status, att = cs.upload(t, number, "clerk-galutu", "现场照片.jpg", photo, "Idempotency-Key", "photo-1")
	require.Equal(t, http.StatusCreated, status, att)
	require.Equal(t, "image/jpeg", att["type"])
	photoID := att["id"].(string)
	status, again := cs.upload(t, number, "clerk-galutu", "现场照片.jpg", photo, "Idempotency-Key", "photo-1")
	require.Equal(t, http.StatusCreated, status, again)
	require.Equal(t, photoID, again["id"])
	require.Equal(t, att["seq"], again["seq"])
	status, l := list("clerk-galutu", "")
	require.Equal(t, http.StatusOK, status, l)
	require.Len(t, l["items"], 2)
	require.EqualValues(t, attachLimit, l["max_bytes"])
	stored := files(t, dir)
	require.Equal(t, 2, stored)

	// Refused, nothing written: an executable whatever its name, a file over the limit (the
	// server's, and beyond the request's), no file at all.
	status, problem := cs.upload(t, number, "clerk-galutu", "判决书.pdf", executable())
	require.Equal(t, http.StatusUnprocessableEntity, status, problem)
	detail := problem["errors"].([]any)[0].(map[string]any)
	require.Equal(t, "body.file", detail["location"])
	require.Contains(t, detail["message"], "portable-executable")
	big := append(letterPDF("big"), bytes.Repeat([]byte("0"), attachLimit)...)
	status, problem = cs.upload(t, number, "clerk-galutu", "扫描件.pdf", big)
	require.Equal(t, http.StatusRequestEntityTooLarge, status, problem)
	require.Equal(t, "body.file", problem["errors"].([]any)[0].(map[string]any)["location"])
	status, problem = cs.upload(t, number, "clerk-galutu", "扫描件.pdf", append(big, bytes.Repeat([]byte("0"), attachLimit)...))
	require.Equal(t, http.StatusRequestEntityTooLarge, status, problem)
	status, problem = cs.do(t, http.MethodPost, "/v1/cases/"+number+"/attachments", "clerk-galutu", map[string]any{"file": "x"})
	require.True(t, status == http.StatusUnsupportedMediaType || status == http.StatusUnprocessableEntity || status == http.StatusBadRequest, "%d %v", status, problem)
	require.Equal(t, stored, files(t, dir), "a refused upload stores nothing")
	_, l = list("clerk-galutu", "")
	require.Len(t, l["items"], 2)

	// The justice bureau sees the case once it is diverted to them, and its papers with it.
	status, _, _ = cs.download(t, number, letterID, "justice-staff")
	require.Equal(t, http.StatusNotFound, status, "not yet the bureau's case")
	for _, outcome := range []map[string]any{{"type": "complete", "outcome": "register"}, {"type": "complete", "outcome": "accept"},
		{"type": "complete", "outcome": "divert", "departments": []string{"justice"}}} {
		status, out := cs.do(t, http.MethodPost, "/v1/cases/"+number+"/actions", "clerk-galutu", outcome)
		require.Equal(t, http.StatusOK, status, out)
	}
	status, got, header := cs.download(t, number, letterID, "justice-staff")
	require.Equal(t, http.StatusOK, status, string(got))
	require.Equal(t, letter, got)
	sum := sha256.Sum256(got)
	require.Equal(t, "sha-256=:"+base64.StdEncoding.EncodeToString(sum[:])+":", header.Get("Repr-Digest"))
	require.Equal(t, "application/pdf", header.Get("Content-Type"))
	require.Equal(t, "nosniff", header.Get("X-Content-Type-Options"))
	require.Contains(t, header.Get("Content-Disposition"), "attachment")
	status, got, _ = cs.download(t, number, photoID, "auditor")
	require.Equal(t, http.StatusOK, status, "an auditor reads the papers")
	require.Equal(t, photo, got)

	// Outside the scope the case has no papers; a grid worker sees the case but not its papers.
	status, _ = list("clerk-sarula", "")
	require.Equal(t, http.StatusNotFound, status)
	status, _, _ = cs.download(t, number, letterID, "clerk-sarula")
	require.Equal(t, http.StatusNotFound, status)
	status, _ = cs.do(t, http.MethodGet, "/v1/cases/"+number, "grid-galutu", nil)
	require.Equal(t, http.StatusOK, status, "the grid worker sees the case")
	status, problem = list("grid-galutu", "")
	require.Equal(t, http.StatusForbidden, status, problem)
	status, _, _ = cs.download(t, number, letterID, "grid-galutu")
	require.Equal(t, http.StatusForbidden, status)
	status, problem = cs.upload(t, number, "grid-galutu", "照片.jpg", photo)
	require.Equal(t, http.StatusForbidden, status, problem)
	status, timeline := cs.do(t, http.MethodGet, "/v1/cases/"+number+"/timeline", "grid-galutu", nil)
	require.Equal(t, http.StatusOK, status, timeline)
	for _, e := range timeline["entries"].([]any) {
		if e := e.(map[string]any); e["action"] == "attach" {
			require.Empty(t, e["reason"], "the grid worker's timeline says a paper came, not which")
		}
	}
	status, problem = cs.upload(t, number, "auditor", "照片.jpg", photo)
	require.Equal(t, http.StatusForbidden, status, problem)
	status, problem = cs.upload(t, number, "clerk-sarula", "照片.jpg", photo)
	require.Equal(t, http.StatusNotFound, status, problem)

	// A paper of an action: the department's report gets its own.
	status, timeline = cs.do(t, http.MethodGet, "/v1/cases/"+number+"/timeline", "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, timeline)
	entries := timeline["entries"].([]any)
	divertSeq := entries[len(entries)-1].(map[string]any)["seq"]
	status, att = cs.upload(t, number, "justice-staff", "法律意见.txt", []byte("关于草场边界的法律意见：建议调解。\n"),
		"action", fmt.Sprint(divertSeq))
	require.Equal(t, http.StatusCreated, status, att)
	require.Equal(t, "text/plain; charset=utf-8", att["type"])
	require.Equal(t, divertSeq, att["action"])
	opinionID := att["id"].(string)
	status, problem = cs.upload(t, number, "justice-staff", "意见.txt", []byte("x"), "action", "999")
	require.Equal(t, http.StatusUnprocessableEntity, status, problem)
	require.Equal(t, "body.action", problem["errors"].([]any)[0].(map[string]any)["location"])

	// Deleted and replaced: off the list, in the timeline with their checksums, still stored.
	status, out := cs.do(t, http.MethodDelete, "/v1/cases/"+number+"/attachments/"+photoID+"?reason="+"照片拍错了", "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, out)
	require.NotEmpty(t, out["deleted_at"])
	status, out = cs.do(t, http.MethodDelete, "/v1/cases/"+number+"/attachments/"+photoID, "clerk-galutu", nil)
	require.Equal(t, http.StatusConflict, status, out)
	letter2 := letterPDF("Petition of Zhang San, signed")
	status, att = cs.upload(t, number, "clerk-galutu", "信访信（签字版）.pdf", letter2, "replaces", letterID)
	require.Equal(t, http.StatusCreated, status, att)
	status, l = list("justice-staff", "")
	require.Equal(t, http.StatusOK, status, l)
	var names []string
	for _, it := range l["items"].([]any) {
		names = append(names, it.(map[string]any)["name"].(string))
	}
	require.Equal(t, []string{"法律意见.txt", "信访信（签字版）.pdf"}, names)
	_, l = list("clerk-galutu", "?deleted=true")
	require.Len(t, l["items"], 4)
	status, got, _ = cs.download(t, number, photoID, "clerk-galutu")
	require.Equal(t, http.StatusOK, status, "a deleted paper stays for the record")
	require.Equal(t, photo, got)
	require.Equal(t, 4, files(t, dir), "the letter, the photo, the opinion and the signed letter")

	status, timeline = cs.do(t, http.MethodGet, "/v1/cases/"+number+"/timeline", "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, timeline)
	var papers []string
	for _, e := range timeline["entries"].([]any) {
		e := e.(map[string]any)
		if e["action"] == "attach" || e["action"] == "detach" {
			papers = append(papers, e["action"].(string)+" "+e["reason"].(string))
		}
	}
	require.Len(t, papers, 5, strings.Join(papers, "\n"))
	require.Contains(t, papers[0], "attach attachment "+letterID+": 信访信.pdf, application/pdf")
	require.Contains(t, papers[0], "sha256 "+sha(letter))
	require.Contains(t, papers[1], "sha256 "+sha(photo))
	require.Contains(t, papers[2], opinionID)
	require.Contains(t, papers[3], "detach deleted attachment "+photoID)
	require.Contains(t, papers[3], "sha256 "+sha(photo))
	require.Contains(t, papers[3], "照片拍错了")
	require.Contains(t, papers[4], "sha256 "+sha(letter2))
	require.Contains(t, papers[4], "replaces attachment "+letterID)
	require.Contains(t, papers[4], "sha256 "+sha(letter))
	for _, p := range papers {
		require.NotContains(t, p, "Petition of Zhang San", "no content in the audit log")
	}
}

// TestSweepSettlesUnrecordedUploads: uploads whose recording never finished are settled once
// older than the grace: one the workflow recorded after all (its answer lost) is listed, and the
// paper it replaced marked replaced, as the upload would have done; one it never recorded is
// removed with its bytes; a recent one is left for its client to retry.
func TestSweepSettlesUnrecordedUploads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testenv.OwnDatabaseURL(t)
	s, err := store.Open(ctx, url)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	cs, dir, srv := newAttachServerOn(t, loadCenter(t, s))
	db, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close(ctx) })
	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
	require.Equal(t, http.StatusCreated, status, c)
	number, caseID := c["number"].(string), c["id"].(string)

	// Recorded by the workflow, but the answers were lost before the rows were marked: a letter,
	// and a clearer scan replacing a photo.
	upload := func(name string, content []byte, fields ...string) string {
		t.Helper()
		status, a := cs.upload(t, number, "clerk-galutu", name, content, fields...)
		require.Equal(t, http.StatusCreated, status, a)
		return a["id"].(string)
	}
	letter := upload("信访信.pdf", letterPDF("letter"))
	photo := upload("照片.jpg", photoJPEG(t))
	scan := upload("照片（清晰）.pdf", letterPDF("scan"), "replaces", photo)
	old := time.Now().Add(-api.UploadGrace - time.Hour)
	_, err = db.Exec(ctx, `update attachments set seq = null, uploaded_at = $2 where id = any($1)`, []string{letter, scan}, old)
	require.NoError(t, err)
	_, err = db.Exec(ctx, `update attachments set deleted_at = null, deleted_by = '', deleted_seq = null, replaced_by = null where id = $1`, photo)
	require.NoError(t, err)
	// Never recorded: bytes and row of an upload whose client gave up, an old one and a recent one.
	orphan := func(id string, at time.Time) {
		t.Helper()
		content := letterPDF(id)
		a := onedoor.Attachment{ID: id, CaseID: caseID, Name: id + ".pdf", Size: int64(len(content)), Type: "application/pdf",
			SHA256: sha(content), UploadedBy: "clerk-galutu", UploadedAt: at, Key: "cases/" + caseID + "/" + id}
		require.NoError(t, srv.Blobs.Put(ctx, a.Key, bytes.NewReader(content), a.Size, a.Type))
		require.NoError(t, s.AddAttachment(ctx, a))
	}
	gaveUp, recent := "7d0c8a41-1c39-4d1e-9a55-0f0c6b3d2e01", "7d0c8a41-1c39-4d1e-9a55-0f0c6b3d2e02"
	orphan(gaveUp, old)
	orphan(recent, time.Now())
	before := files(t, dir)
	_, l := cs.do(t, http.MethodGet, "/v1/cases/"+number+"/attachments", "clerk-galutu", nil)
	require.Len(t, l["items"], 1, "only the photo is listed before the sweep")

	recorded, removed, err := srv.SweepUploads(ctx, api.UploadGrace)
	require.NoError(t, err)
	require.Equal(t, 2, recorded, "the letter and the scan")
	require.Equal(t, 1, removed, "the upload given up")
	require.Equal(t, before-1, files(t, dir), "its bytes are gone")

	_, l = cs.do(t, http.MethodGet, "/v1/cases/"+number+"/attachments", "clerk-galutu", nil)
	var listed []string
	for _, it := range l["items"].([]any) {
		listed = append(listed, it.(map[string]any)["name"].(string))
	}
	require.ElementsMatch(t, []string{"信访信.pdf", "照片（清晰）.pdf"}, listed, "the photo is replaced by the scan")
	got, err := s.Attachment(ctx, caseID, photo)
	require.NoError(t, err)
	require.NotNil(t, got.DeletedAt)
	require.Equal(t, scan, got.ReplacedBy)
	_, err = s.Attachment(ctx, caseID, gaveUp)
	require.Equal(t, onedoor.ENotFound, onedoor.ErrorCode(err), "its row is gone")
	_, err = s.Attachment(ctx, caseID, recent)
	require.NoError(t, err, "a recent upload is its client's to retry")

	recorded, removed, err = srv.SweepUploads(ctx, api.UploadGrace)
	require.NoError(t, err)
	require.Zero(t, recorded+removed, "a second sweep finds nothing")
}
