package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/api"
	"github.com/onedoor/onedoor/store"
)

// gridServer is the API with a grid source of its own, reporting for the units given.
type gridServer struct {
	*caseServer
	store *store.Store
	token string
}

func newGridServer(t *testing.T, code string, units ...string) *gridServer {
	t.Helper()
	s := ownCenterStore(t) // it counts cases: a database of its own
	token, hash := api.NewGridToken()
	_, err := s.AddGridSource(context.Background(), store.GridSource{Code: code, Name: "乌审旗网格化管理平台", Units: units}, hash)
	require.NoError(t, err)
	return &gridServer{caseServer: newCaseServerOn(t, s), store: s, token: token}
}

// post sends a grid event with the token and decodes the answer.
func (g *gridServer) post(t *testing.T, token string, event map[string]any) (int, map[string]any) {
	t.Helper()
	b, err := json.Marshal(event)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, g.url+"/v1/grid/events", bytes.NewReader(b))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal(body, &out), string(body))
	return resp.StatusCode, out
}

// gridEvent is an event in Sarula's first grid, with the id given.
func gridEvent(id string) map[string]any {
	return map[string]any{
		"event_id": id, "kind": "event", "grid": "galutu-v01-w1",
		"latitude": 38.5921, "longitude": 108.8423,
		"description": "两户牧民因草场围栏边界发生争执，网格员到场。",
		"occurred_at": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339),
		"resident":    map[string]any{"name": "巴特尔", "phone": "13800138000"},
	}
}

// gridCases counts the grid_event cases the Galutu clerk finds.
func (g *gridServer) gridCases(t *testing.T) int {
	t.Helper()
	status, body := g.do(t, http.MethodGet, "/v1/cases?matter=grid_event&limit=500", "supervisor-banner", nil)
	require.Equal(t, http.StatusOK, status, body)
	return len(body["items"].([]any))
}

// The Done-when of issue 12's grid part: a grid event posted twice with the same source id makes
// one case, and so do two posts at once; the same id with another body is refused, saying so.
func TestGridEventPostedTwiceMakesOneCase(t *testing.T) {
	t.Parallel()
	g := newGridServer(t, "wushen-grid", "wushen-gov")
	event := gridEvent("GX-0001")

	status, first := g.post(t, g.token, event)
	require.Equal(t, http.StatusCreated, status, first)
	require.Regexp(t, `^WS-GRID-\d{4}-\d{6}$`, first["case"])
	require.Equal(t, "open", first["status"])
	require.Equal(t, "galutu-v01-w1", first["org_unit"])
	require.Equal(t, "group", first["level"])
	require.Equal(t, false, first["repeated"])

	status, again := g.post(t, g.token, event)
	require.Equal(t, http.StatusOK, status, again)
	require.Equal(t, first["case"], again["case"])
	require.Equal(t, first["case_id"], again["case_id"])
	require.Equal(t, first["received_at"], again["received_at"], "the receipt is the first post's")
	require.Equal(t, true, again["repeated"])
	require.Equal(t, 1, g.gridCases(t))

	// Two posts of a new event at once: one registers, the other joins it.
	racing := gridEvent("GX-0002")
	var wg sync.WaitGroup
	statuses, numbers := make([]int, 4), make([]any, 4)
	for i := range statuses {
		wg.Go(func() {
			var body map[string]any
			statuses[i], body = g.post(t, g.token, racing)
			numbers[i] = body["case"]
		})
	}
	wg.Wait()
	created := 0
	for i, st := range statuses {
		require.Contains(t, []int{http.StatusCreated, http.StatusOK}, st)
		if st == http.StatusCreated {
			created++
		}
		require.Equal(t, numbers[0], numbers[i])
	}
	require.Equal(t, 1, created, "one of the racing posts registered the event")
	require.NotEqual(t, first["case"], numbers[0])
	require.Equal(t, 2, g.gridCases(t))

	// The same id with another body is another event under a used id: refused, nothing changed.
	changed := gridEvent("GX-0001")
	changed["description"] = "另一件事：路灯损坏。"
	status, refused := g.post(t, g.token, changed)
	require.Equal(t, http.StatusConflict, status, refused)
	require.Contains(t, refused["detail"], "event GX-0001 of source wushen-grid was first posted")
	require.Contains(t, refused["detail"], "different body")
	require.Equal(t, 2, g.gridCases(t))

	// The source reads where its event stands; the registration names the source and event.
	status, read := g.get(t, "/v1/grid/events/GX-0001")
	require.Equal(t, http.StatusOK, status, read)
	require.Equal(t, first["case"], read["case"])
	status, timeline := g.do(t, http.MethodGet, "/v1/cases/"+first["case"].(string)+"/timeline", "supervisor-banner", nil)
	require.Equal(t, http.StatusOK, status, timeline)
	register := timeline["entries"].([]any)[0].(map[string]any)
	require.Equal(t, "register", register["action"])
	require.Equal(t, "grid-source:wushen-grid", register["actor"])
	require.Equal(t, "received from grid source wushen-grid, event GX-0001", register["reason"])
	status, c := g.do(t, http.MethodGet, "/v1/cases/"+first["case"].(string), "supervisor-banner", nil)
	require.Equal(t, http.StatusOK, status, c)
	require.Equal(t, "grid", c["channel"])
	require.Equal(t, "巴特尔", c["resident_name"])
	data := c["data"].(map[string]any)
	require.Equal(t, "38.592100,108.842300", data["coordinates"])
	require.Equal(t, "GX-0001", data["source_event_id"])
}

// get reads a grid API path with the source's token.
func (g *gridServer) get(t *testing.T, path string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, g.url+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+g.token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out
}

// Every refusal of a grid event says what was wrong and where, and leaves nothing behind.
func TestGridEventRefusals(t *testing.T) {
	t.Parallel()
	g := newGridServer(t, "galutu-grid", "galutu")

	status, body := g.post(t, "", gridEvent("R-1"))
	require.Equal(t, http.StatusUnauthorized, status, body)
	status, body = g.post(t, "odgs_not-a-token", gridEvent("R-1"))
	require.Equal(t, http.StatusUnauthorized, status, body)
	require.Contains(t, body["detail"], "no grid source's")
	// A staff token is no grid source's either.
	status, body = g.post(t, g.tokens["clerk-galutu"], gridEvent("R-1"))
	require.Equal(t, http.StatusUnauthorized, status, body)

	refused := func(field string, change func(map[string]any)) map[string]string {
		t.Helper()
		e := gridEvent("R-" + field)
		change(e)
		status, body := g.post(t, g.token, e)
		require.Equal(t, http.StatusUnprocessableEntity, status, body)
		errs := errorsOf(body)
		require.Contains(t, errs, field, body)
		return errs
	}
	errs := refused("body.grid", func(e map[string]any) { e["grid"] = "galutu-v01-w9" })
	require.Equal(t, "no org unit has this code", errs["body.grid"])
	errs = refused("body.grid", func(e map[string]any) { e["grid"] = "galutu-v01-g1" })
	require.Contains(t, errs["body.grid"], "is a group, not a grid")
	errs = refused("body.grid", func(e map[string]any) { e["grid"] = "wushenzhao-v01-w1" })
	require.Contains(t, errs["body.grid"], "grid source galutu-grid reports for the grids below galutu")
	refused("body.kind", func(e map[string]any) { e["kind"] = "weather" })
	refused("body.latitude", func(e map[string]any) { e["latitude"] = 95.0 })
	refused("body.longitude", func(e map[string]any) { delete(e, "longitude") })
	refused("body.occurred_at", func(e map[string]any) { e["occurred_at"] = time.Now().Add(24 * time.Hour).Format(time.RFC3339) })
	refused("body.resident.phone", func(e map[string]any) { e["resident"] = map[string]any{"name": "巴特尔", "phone": "12345"} })
	require.Zero(t, g.gridCases(t), "a refused event registers nothing")

	// Corrected, the same id goes through: a refusal kept nothing of it.
	status, body = g.post(t, g.token, gridEvent("R-body.grid"))
	require.Equal(t, http.StatusCreated, status, body)
	status, body = g.get(t, "/v1/grid/events/R-body.kind")
	require.Equal(t, http.StatusNotFound, status, body)
}

// The grid worker holds the event at the grid and settles it on the spot (就地化解), or reports
// it up, and it climbs to the village like any other case.
func TestGridEventOnTheSpotOrUpTheChain(t *testing.T) {
	t.Parallel()
	g := newGridServer(t, "wushen-grid", "wushen-gov")

	status, spot := g.post(t, g.token, gridEvent("S-1"))
	require.Equal(t, http.StatusCreated, status, spot)
	number := spot["case"].(string)
	status, c := g.do(t, http.MethodGet, "/v1/cases/"+number, "grid-sarula-w1", nil)
	require.Equal(t, http.StatusOK, status, c)
	task := c["tasks"].([]any)[0].(map[string]any)
	require.Equal(t, "report", task["step"])
	require.Equal(t, "grid", task["role"])
	require.Equal(t, "galutu-v01-w1", task["org_unit"])
	status, done := g.do(t, http.MethodPost, "/v1/cases/"+number+"/actions", "grid-sarula-w1",
		map[string]any{"type": "complete", "outcome": "on_spot", "data": map[string]any{"handling": "现场调解，双方重新确认围栏位置。"}})
	require.Equal(t, http.StatusOK, status, done)
	require.Equal(t, "closed", done["status"])
	require.Equal(t, true, done["on_spot"])
	status, read := g.get(t, "/v1/grid/events/S-1")
	require.Equal(t, http.StatusOK, status, read)
	require.Equal(t, "closed", read["status"])

	status, up := g.post(t, g.token, gridEvent("S-2"))
	require.Equal(t, http.StatusCreated, status, up)
	number = up["case"].(string)
	status, moved := g.do(t, http.MethodPost, "/v1/cases/"+number+"/actions", "grid-sarula-w1",
		map[string]any{"type": "complete", "outcome": "escalate"})
	require.Equal(t, http.StatusOK, status, moved)
	require.Equal(t, "open", moved["status"])
	require.Equal(t, "village", moved["level"])
	require.Equal(t, "galutu-v01", moved["org_unit"])
	status, c = g.do(t, http.MethodGet, "/v1/cases/"+number, "clerk-sarula", nil)
	require.Equal(t, http.StatusOK, status, c)
	var open map[string]any
	for _, x := range c["tasks"].([]any) {
		if x.(map[string]any)["status"] == "open" {
			open = x.(map[string]any)
		}
	}
	require.Equal(t, "handle", open["step"])
	require.Equal(t, "clerk", open["role"])
	require.Equal(t, "galutu-v01", open["org_unit"])
	status, read = g.get(t, "/v1/grid/events/S-2")
	require.Equal(t, http.StatusOK, status, read)
	require.Equal(t, "village", read["level"])
}
