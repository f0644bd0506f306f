package api_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"maps"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/api"
	"github.com/onedoor/onedoor/store"
)

// newGridPhotoServer is a grid server with a folder blob store (returned) and the grid worker of
// Galutu town, posted above the grids.
func newGridPhotoServer(t *testing.T) (*gridServer, string) {
	t.Helper()
	s := ownCenterStore(t)
	token, hash := api.NewGridToken()
	_, err := s.AddGridSource(context.Background(), store.GridSource{Code: "wushen-grid", Name: "乌审旗网格化管理平台", Units: []string{"wushen-gov"}}, hash)
	require.NoError(t, err)
	cs, dir, _ := newAttachServerOn(t, s)
	return &gridServer{caseServer: cs, store: s, token: token}, dir
}

// photoPNG is a small PNG of the shade given, so that two photos differ.
func photoPNG(t *testing.T, shade uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for x := range 8 {
		for y := range 8 {
			img.Set(x, y, color.RGBA{shade, uint8(x * 30), uint8(y * 30), 255})
		}
	}
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

// withPhotos is the event with the photos, named when a name is given.
func withPhotos(event map[string]any, photos ...any) map[string]any {
	var list []any
	for i := 0; i < len(photos); i += 2 {
		p := map[string]any{"content": base64.StdEncoding.EncodeToString(photos[i].([]byte))}
		if name := photos[i+1].(string); name != "" {
			p["name"] = name
		}
		list = append(list, p)
	}
	event["photos"] = list
	return event
}

// A grid system's photos of an event become its case's attachments, entered by the source: a
// repeat attaches none again, other photos under the same id are refused, and a bad photo is
// refused at its place with nothing stored.
func TestGridEventPhotos(t *testing.T) {
	t.Parallel()
	g, dir := newGridPhotoServer(t)
	fence, jpg := photoPNG(t, 10), photoJPEG(t)

	event := withPhotos(gridEvent("P-1"), fence, "围栏.png", jpg, "")
	status, first := g.post(t, g.token, event)
	require.Equal(t, http.StatusCreated, status, first)
	number := first["case"].(string)
	status, l := g.do(t, http.MethodGet, "/v1/cases/"+number+"/attachments", "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, l)
	items := l["items"].([]any)
	require.Len(t, items, 2)
	a0, a1 := items[0].(map[string]any), items[1].(map[string]any)
	require.Equal(t, "围栏.png", a0["name"])
	require.Equal(t, "image/png", a0["type"])
	require.Equal(t, sha(fence), a0["sha256"])
	require.Equal(t, "photo-2.jpg", a1["name"], "an unnamed photo is named by its place and type")
	require.Equal(t, "image/jpeg", a1["type"])
	require.Equal(t, "grid-source:wushen-grid", a0["uploaded_by"])
	require.Equal(t, 2, files(t, dir))
	status, got, _ := g.download(t, number, a0["id"].(string), "clerk-galutu")
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, fence, got)

	// The timeline records them as any upload, by the source.
	status, timeline := g.do(t, http.MethodGet, "/v1/cases/"+number+"/timeline", "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, timeline)
	var attached []string
	for _, e := range timeline["entries"].([]any) {
		if e := e.(map[string]any); e["action"] == "attach" {
			require.Equal(t, "grid-source:wushen-grid", e["actor"])
			attached = append(attached, e["reason"].(string))
		}
	}
	require.Len(t, attached, 2)
	require.Contains(t, attached[0], "围栏.png, image/png")
	require.Contains(t, attached[0], sha(fence))
	require.Contains(t, attached[1], sha(jpg))

	// The same event again: its case, no photo twice.
	status, again := g.post(t, g.token, event)
	require.Equal(t, http.StatusOK, status, again)
	require.Equal(t, true, again["repeated"])
	require.Equal(t, number, again["case"])
	_, l = g.do(t, http.MethodGet, "/v1/cases/"+number+"/attachments", "clerk-galutu", nil)
	require.Len(t, l["items"], 2)
	require.Equal(t, 2, files(t, dir))

	// Posts of one event racing attach its photo once.
	racing := withPhotos(gridEvent("P-race"), photoPNG(t, 99), "")
	var wg sync.WaitGroup
	statuses, numbers := make([]int, 3), make([]string, 3)
	for i := range statuses {
		wg.Go(func() {
			var body map[string]any
			statuses[i], body = g.post(t, g.token, racing)
			numbers[i], _ = body["case"].(string)
		})
	}
	wg.Wait()
	require.ElementsMatch(t, []int{http.StatusCreated, http.StatusOK, http.StatusOK}, statuses)
	require.Equal(t, numbers[0], numbers[2])
	_, l = g.do(t, http.MethodGet, "/v1/cases/"+numbers[0]+"/attachments", "clerk-galutu", nil)
	require.Len(t, l["items"], 1)
	require.Equal(t, 3, files(t, dir))

	// Other photos under the same id are another event: refused, nothing stored.
	status, refused := g.post(t, g.token, withPhotos(maps.Clone(event), fence, "围栏.png", photoPNG(t, 200), ""))
	require.Equal(t, http.StatusConflict, status, refused)
	require.Contains(t, refused["detail"], "different body")
	require.Equal(t, 3, files(t, dir))

	// A bad photo is refused where it is, and the event with it: no case, no blob, no event.
	cases := g.gridCases(t)
	status, refused = g.post(t, g.token, withPhotos(gridEvent("P-2"), fence, "", letterPDF("not a photo"), "信.pdf", executable(), "x.png"))
	require.Equal(t, http.StatusUnprocessableEntity, status, refused)
	errs := errorsOf(refused)
	require.Contains(t, errs["body.photos[1].content"], "the content is application/pdf")
	require.Contains(t, errs["body.photos[1].content"], "JPEG, PNG")
	require.NotContains(t, errs, "body.photos[0].content", "the good photo is no problem")
	require.Contains(t, errs["body.photos[2].content"], "portable-executable", "whatever its name says")
	status, refused = g.post(t, g.token, withPhotos(gridEvent("P-2"), []byte{}, ""))
	require.Equal(t, http.StatusUnprocessableEntity, status, refused)
	require.Contains(t, errorsOf(refused), "body.photos[0].content", "an empty photo is refused")
	status, refused = g.post(t, g.token, withPhotos(gridEvent("P-2"), fence, ""))
	require.Equal(t, http.StatusCreated, status, refused, "the refusal kept nothing of P-2")
	require.Equal(t, cases+1, g.gridCases(t))
	require.Equal(t, 4, files(t, dir))

	cases = g.gridCases(t)
	bad := gridEvent("P-3")
	bad["photos"] = []any{map[string]any{"content": "not base64!"}}
	status, refused = g.post(t, g.token, bad)
	require.Equal(t, http.StatusUnprocessableEntity, status, refused)
	require.Contains(t, errorsOf(refused)["body.photos[0].content"], "not base64")
	status, refused = g.post(t, g.token, withPhotos(gridEvent("P-3"), bytes.Repeat(jpg, 300<<10/len(jpg)+1), "大.jpg"))
	require.Equal(t, http.StatusUnprocessableEntity, status, refused)
	require.Contains(t, errorsOf(refused)["body.photos[0].content"], "at most 262144")
	status, refused = g.post(t, g.token, withPhotos(gridEvent("P-3"), fence, "", fence, "", fence, "", fence, "", fence, ""))
	require.Equal(t, http.StatusUnprocessableEntity, status, refused)
	require.Contains(t, errorsOf(refused), "body.photos", refused)
	status, refused = g.get(t, "/v1/grid/events/P-3")
	require.Equal(t, http.StatusNotFound, status, refused)
	require.Equal(t, cases, g.gridCases(t))
	require.Equal(t, 4, files(t, dir), "a refused event stores no photo")
}

// A grid worker sees and adds photos to the cases received at their own grid, and sees only the
// summary of the others in their scope.
func TestGridWorkerPhotos(t *testing.T) {
	t.Parallel()
	g, dir := newGridPhotoServer(t)
	status, posted := g.post(t, g.token, withPhotos(gridEvent("W-1"), photoPNG(t, 50), "现场.png"))
	require.Equal(t, http.StatusCreated, status, posted)
	number := posted["case"].(string)
	list := func(user string) (int, map[string]any) {
		t.Helper()
		return g.do(t, http.MethodGet, "/v1/cases/"+number+"/attachments", user, nil)
	}

	// Sarula's first grid received the event: its worker sees the source's photo and adds theirs.
	status, l := list("grid-sarula-w1")
	require.Equal(t, http.StatusOK, status, l)
	require.Len(t, l["items"], 1)
	require.Equal(t, []any{"image/jpeg", "image/png"}, l["types"], "a grid worker may add photos only")
	sourcePhoto := l["items"].([]any)[0].(map[string]any)["id"].(string)
	status, got, _ := g.download(t, number, sourcePhoto, "grid-sarula-w1")
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, photoPNG(t, 50), got)

	mine := photoJPEG(t)
	status, att := g.upload(t, number, "grid-sarula-w1", "IMG_0001.jpg", mine, "Idempotency-Key", "w1-photo-1")
	require.Equal(t, http.StatusCreated, status, att)
	require.Equal(t, "grid-sarula-w1", att["uploaded_by"])
	status, again := g.upload(t, number, "grid-sarula-w1", "IMG_0001.jpg", mine, "Idempotency-Key", "w1-photo-1")
	require.Equal(t, http.StatusCreated, status, again)
	require.Equal(t, att["id"], again["id"], "a retried photo is attached once")
	status, got, _ = g.download(t, number, att["id"].(string), "grid-sarula-w1")
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, mine, got)
	status, timeline := g.do(t, http.MethodGet, "/v1/cases/"+number+"/timeline", "grid-sarula-w1", nil)
	require.Equal(t, http.StatusOK, status, timeline)
	for _, e := range timeline["entries"].([]any) {
		if e := e.(map[string]any); e["action"] == "attach" {
			require.NotEmpty(t, e["reason"], "their own grid's papers are named in their timeline")
		}
	}

	// A paper that is no photo is the clerk's to attach: 422 at the file, nothing stored. Nor
	// does the grid worker delete or replace a paper.
	stored := files(t, dir)
	status, problem := g.upload(t, number, "grid-sarula-w1", "情况说明.pdf", letterPDF("report"))
	require.Equal(t, http.StatusUnprocessableEntity, status, problem)
	detail := errorsOf(problem)["body.file"]
	require.Contains(t, detail, "a grid worker attaches photos (JPEG, PNG)")
	require.Contains(t, detail, "application/pdf")
	status, problem = g.upload(t, number, "grid-sarula-w1", "IMG_0002.jpg", mine, "replaces", att["id"].(string))
	require.Equal(t, http.StatusForbidden, status, problem)
	require.Contains(t, problem["detail"], "replaces no paper")
	status, problem = g.do(t, http.MethodDelete, "/v1/cases/"+number+"/attachments/"+att["id"].(string), "grid-sarula-w1", nil)
	require.Equal(t, http.StatusForbidden, status, problem)
	require.Contains(t, problem["detail"], "deletes no paper")
	require.Equal(t, stored, files(t, dir))
	_, l = list("clerk-galutu")
	require.Len(t, l["items"], 2, "the clerk sees the source's photo and the grid worker's")

	// The town's grid worker sees the case (it is below their post) but it was not received at a
	// grid of theirs: its summary only.
	status, _ = g.do(t, http.MethodGet, "/v1/cases/"+number, "grid-galutu", nil)
	require.Equal(t, http.StatusOK, status)
	status, problem = list("grid-galutu")
	require.Equal(t, http.StatusForbidden, status, problem)
	require.Contains(t, problem["detail"], "received at their own grid")
	require.Contains(t, problem["detail"], "was received at galutu-v01-w1")
	status, _, _ = g.download(t, number, sourcePhoto, "grid-galutu")
	require.Equal(t, http.StatusForbidden, status)
	status, problem = g.upload(t, number, "grid-galutu", "照片.jpg", mine)
	require.Equal(t, http.StatusForbidden, status, problem)
	status, timeline = g.do(t, http.MethodGet, "/v1/cases/"+number+"/timeline", "grid-galutu", nil)
	require.Equal(t, http.StatusOK, status, timeline)
	for _, e := range timeline["entries"].([]any) {
		if e := e.(map[string]any); e["action"] == "attach" {
			require.Empty(t, e["reason"], "another's grid's papers are not named")
		}
	}
	require.Equal(t, stored, files(t, dir))
}
