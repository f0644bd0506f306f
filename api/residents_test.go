package api_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/api"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/store"
)

// lockedBuffer is a log the servers write to while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// residentsCenter is a database of the test's own (guesses are counted per client address, and
// every test's client is 127.0.0.1) with the demo center, and its URL.
func residentsCenter(t *testing.T) (*store.Store, string) {
	t.Helper()
	url := testenv.OwnDatabaseURL(t)
	s, err := store.Open(context.Background(), url)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return loadCenter(t, s), url
}

// The resident asks where their case stands with the case number and the last four digits of
// the phone registered on it: the right digits show the stage, the unit and the due date and
// nothing personal; wrong digits and a wrong number get the same 404, and are counted in the
// database, so that past the limit every API node answers 429 with Retry-After.
func TestResidentChecksStatus(t *testing.T) {
	t.Parallel()
	s, _ := residentsCenter(t)
	var log lockedBuffer
	opts := func(srv *api.Server) {
		srv.ResidentRate = -1 // the database's count of wrong guesses is what is tested here
		srv.Logger = slog.New(slog.NewTextHandler(&log, nil))
	}
	a, b := newCaseServerOn(t, s, opts), newCaseServerOn(t, s, opts) // two API nodes on one database
	status, c := a.do(t, http.MethodPost, "/v1/cases", "clerk-sarula", petition())
	require.Equal(t, http.StatusCreated, status, c)
	number := c["number"].(string)

	ask := func(cs *caseServer, number, digits string) (int, map[string]any) {
		t.Helper()
		return cs.do(t, http.MethodPost, "/v1/public/status", "", map[string]any{"number": number, "phone_last4": digits})
	}
	status, got := ask(a, number, "8000") // the phone is 13800138000
	require.Equal(t, http.StatusOK, status, got)
	require.Equal(t, number, got["number"])
	require.Equal(t, "open", got["status"])
	require.Equal(t, "petition", got["matter"])
	require.Equal(t, "登记", got["stage"], "the intake step's name")
	require.Equal(t, "萨如拉社区", got["unit"])
	require.Equal(t, c["due_at"], got["due_at"])
	keys := make([]string, 0, len(got))
	for k := range got {
		keys = append(keys, k)
	}
	require.ElementsMatch(t, []string{"$schema", "number", "matter", "matter_name", "matter_name_en", "status", "stage", "stage_en",
		"unit", "unit_en", "due_at", "received_at"}, keys, "nothing personal: %v", got)
	for _, personal := range []string{"张三", "13800138000", "草场", "邻居"} {
		require.NotContains(t, strings.Join([]string{got["stage"].(string), got["unit"].(string), got["matter_name"].(string)}, " "), personal)
	}
	status, lower := ask(b, strings.ToLower(number), "8000")
	require.Equal(t, http.StatusOK, status, "the number as typed on a phone: %v", lower)
	status, _ = ask(a, c["id"].(string)[:36], "8000")
	require.Equal(t, http.StatusNotFound, status, "a case's id is no receipt number")

	// Wrong digits and a number that does not exist: the same refusal.
	status, wrong := ask(a, number, "5791")
	require.Equal(t, http.StatusNotFound, status, wrong)
	status, unknown := ask(a, "WS-PET-2099-999999", "8000")
	require.Equal(t, http.StatusNotFound, status, unknown)
	require.Equal(t, wrong["detail"], unknown["detail"])
	zh := func(cs *caseServer) (int, map[string]any) {
		return cs.do(t, http.MethodPost, "/v1/public/status", "", map[string]any{"number": number, "phone_last4": "5792"}, "Accept-Language", "zh-CN")
	}
	status, wrong = zh(b)
	require.Equal(t, http.StatusNotFound, status, wrong)
	require.Equal(t, "没有该编号且登记电话尾号相符的案件", wrong["detail"])

	// The fifth wrong guess for the number (5791, 5792, 0000 three times), through either node, holds every attempt back, the
	// right digits too, on both nodes.
	for _, cs := range []*caseServer{a, b, a} {
		status, wrong = ask(cs, number, "0000")
		require.Equal(t, http.StatusNotFound, status, wrong)
	}
	for _, cs := range []*caseServer{b, a} {
		req, err := http.NewRequest(http.MethodPost, cs.url+"/v1/public/status",
			strings.NewReader(`{"number":"`+number+`","phone_last4":"8000"}`))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
		wait, err := strconv.Atoi(resp.Header.Get("Retry-After"))
		require.NoError(t, err)
		require.Greater(t, wait, 0)
		require.LessOrEqual(t, wait, int(api.StatusGuesses.Window/time.Second))
	}
	// Another case number is not held back by these guesses.
	status, _ = ask(b, "WS-PET-2099-999998", "8000")
	require.Equal(t, http.StatusNotFound, status)

	// The log names the number guessed at, never the digits.
	logged := log.String()
	require.Contains(t, logged, number)
	for _, digits := range []string{"5791", "5792", "phone_last4", "13800138000"} {
		require.NotContains(t, logged, digits)
	}
}

// The in-memory limit per client address holds a burst of status queries back before the
// database is asked.
func TestResidentStatusRateLimitedPerClient(t *testing.T) {
	t.Parallel()
	s, _ := residentsCenter(t)
	cs := newCaseServerOn(t, s)
	codes := map[int]int{}
	for range 8 {
		status, _ := cs.do(t, http.MethodPost, "/v1/public/status", "", map[string]any{"number": "WS-PET-2099-000001", "phone_last4": "1111"})
		codes[status]++
	}
	require.Positive(t, codes[http.StatusTooManyRequests], "a burst of five, then one a second: %v", codes)
	require.LessOrEqual(t, codes[http.StatusNotFound], api.StatusGuesses.PerNumber+1, codes)
}

// Behind a reverse proxy every request comes from the proxy: named in TrustedProxies, its
// X-Forwarded-For tells the residents apart, each with a bucket of their own. From a peer that
// is not a trusted proxy the header counts for nothing: a client cannot pick its bucket.
func TestResidentLimitPerForwardedClient(t *testing.T) {
	t.Parallel()
	s, _ := residentsCenter(t)
	proxies, err := api.ParseTrustedProxies([]string{"127.0.0.1", "10.0.0.0/8"})
	require.NoError(t, err)
	_, err = api.ParseTrustedProxies([]string{"10.0.0.0/33"})
	require.Error(t, err)
	behind := newCaseServerOn(t, s, func(srv *api.Server) { srv.TrustedProxies = proxies })
	open := newCaseServerOn(t, s)
	// Each asks about a number of its own: the database's count of guesses per number stays out of it.
	asked := 0
	ask := func(cs *caseServer, forwarded string) int {
		asked++
		status, _ := cs.do(t, http.MethodPost, "/v1/public/status", "",
			map[string]any{"number": fmt.Sprintf("WS-PET-2099-%06d", asked), "phone_last4": "1111"}, "X-Forwarded-For", forwarded)
		return status
	}
	count := func(cs *caseServer, forwarded func(i int) string) map[int]int {
		codes := map[int]int{}
		for i := range 8 {
			codes[ask(cs, forwarded(i))]++
		}
		return codes
	}
	// Eight residents through the proxy (the header also names a proxy hop of the trusted range).
	codes := count(behind, func(i int) string { return fmt.Sprintf("203.0.113.%d, 10.1.2.3", i+1) })
	require.Zero(t, codes[http.StatusTooManyRequests], "each resident has a bucket of their own: %v", codes)
	// One resident asking eight times still meets the limit.
	codes = count(behind, func(int) string { return "198.51.100.7" })
	require.Positive(t, codes[http.StatusTooManyRequests], "one resident's burst of five: %v", codes)
	// Without trusted proxies the same eight headers share the peer's bucket.
	codes = count(open, func(i int) string { return fmt.Sprintf("203.0.113.%d", i+1) })
	require.Positive(t, codes[http.StatusTooManyRequests], "the header of an untrusted peer counts for nothing: %v", codes)
}

// After closing, a clerk issues the case's one-time rating link; the resident opens it, rates
// the handling once, and the evaluation shows on the case, in its audit log and in the
// satisfaction of the assessment. A second use is refused, as is a link for an open case and
// an expired link.
func TestResidentRatesThroughTheLink(t *testing.T) {
	t.Parallel()
	s, url := residentsCenter(t)
	cs := newCaseServerOn(t, s, func(srv *api.Server) { srv.ResidentRate = -1 })
	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-sarula", petition())
	require.Equal(t, http.StatusCreated, status, c)
	path := "/v1/cases/" + c["number"].(string)

	status, problem := cs.do(t, http.MethodPost, path+"/rating-link", "clerk-sarula", nil)
	require.Equal(t, http.StatusConflict, status, problem)
	require.Contains(t, problem["detail"], "still open")

	status, closed := cs.do(t, http.MethodPost, path+"/actions", "clerk-sarula",
		map[string]any{"type": "close", "outcome": "resolved", "result": "当场解释政策"})
	require.Equal(t, http.StatusOK, status, closed)
	status, problem = cs.do(t, http.MethodPost, path+"/rating-link", "auditor", nil)
	require.Equal(t, http.StatusForbidden, status, problem)
	status, problem = cs.do(t, http.MethodPost, path+"/rating-link", "clerk-otog", nil)
	require.Equal(t, http.StatusNotFound, status, "another county's clerk does not see the case: %v", problem)

	status, first := cs.do(t, http.MethodPost, path+"/rating-link", "clerk-sarula", nil)
	require.Equal(t, http.StatusOK, status, first)
	status, link := cs.do(t, http.MethodPost, path+"/rating-link", "clerk-sarula", nil)
	require.Equal(t, http.StatusOK, status, link)
	token := link["token"].(string)
	require.Equal(t, "/rate/"+token, link["path"])
	expires, err := time.Parse(time.RFC3339, link["expires_at"].(string))
	require.NoError(t, err)
	require.WithinDuration(t, time.Now().Add(30*24*time.Hour), expires, time.Minute, "the end of the 30 days after closing")

	// The first link was replaced by the second.
	status, _ = cs.do(t, http.MethodGet, "/v1/public/rating/"+first["token"].(string), "", nil)
	require.Equal(t, http.StatusNotFound, status)
	status, view := cs.do(t, http.MethodGet, "/v1/public/rating/"+token, "", nil)
	require.Equal(t, http.StatusOK, status, view)
	require.Equal(t, "open", view["state"])
	require.Equal(t, c["number"], view["number"])
	require.Equal(t, "萨如拉社区", view["unit"])
	require.Equal(t, "resolved", view["outcome_kind"])
	require.NotContains(t, view, "resident_name")

	status, problem = cs.do(t, http.MethodPost, "/v1/public/rating/"+token, "", map[string]any{"rating": 6})
	require.Equal(t, http.StatusUnprocessableEntity, status, problem)
	status, rated := cs.do(t, http.MethodPost, "/v1/public/rating/"+token, "", map[string]any{"rating": 4, "comment": "窗口办得快"})
	require.Equal(t, http.StatusOK, status, rated)
	require.EqualValues(t, 4, rated["rating"])
	require.Equal(t, "resident", rated["by"])

	status, got := cs.do(t, http.MethodGet, path, "clerk-sarula", nil)
	require.Equal(t, http.StatusOK, status, got)
	ev := got["evaluation"].(map[string]any)
	require.EqualValues(t, 4, ev["rating"])
	require.Equal(t, "窗口办得快", ev["comment"])
	require.Equal(t, "resident", ev["by"])
	status, timeline := cs.do(t, http.MethodGet, path+"/timeline", "clerk-sarula", nil)
	require.Equal(t, http.StatusOK, status, timeline)
	require.Contains(t, evaluateActors(timeline), "resident", timeline)
	status, assessment := cs.do(t, http.MethodGet, "/v1/assessment", "supervisor-galutu", nil)
	require.Equal(t, http.StatusOK, status, assessment)
	var sarula map[string]any
	for _, r := range assessment["rows"].([]any) {
		if r.(map[string]any)["name"] == "萨如拉社区" {
			sarula = r.(map[string]any)
		}
	}
	require.NotNil(t, sarula, assessment)
	require.EqualValues(t, 1, sarula["evaluations"])
	require.InDelta(t, 4.0, sarula["satisfaction"], 1e-9)

	// Once only.
	status, problem = cs.do(t, http.MethodPost, "/v1/public/rating/"+token, "", map[string]any{"rating": 1})
	require.Equal(t, http.StatusConflict, status, problem)
	require.Contains(t, problem["detail"], "already used")
	status, view = cs.do(t, http.MethodGet, "/v1/public/rating/"+token, "", nil)
	require.Equal(t, http.StatusOK, status, view)
	require.Equal(t, "rated", view["state"])
	status, problem = cs.do(t, http.MethodPost, path+"/rating-link", "clerk-sarula", nil)
	require.Equal(t, http.StatusConflict, status, problem)
	status, _ = cs.do(t, http.MethodPost, "/v1/public/rating/"+strings.Repeat("x", 43), "", map[string]any{"rating": 3})
	require.Equal(t, http.StatusNotFound, status)

	// Past its 30 days a link is refused: another closed case's, its expiry moved to the past.
	status, c2 := cs.do(t, http.MethodPost, "/v1/cases", "clerk-sarula", petition())
	require.Equal(t, http.StatusCreated, status, c2)
	path2 := "/v1/cases/" + c2["number"].(string)
	status, closed = cs.do(t, http.MethodPost, path2+"/actions", "clerk-sarula",
		map[string]any{"type": "close", "outcome": "resolved", "result": "当场答复"})
	require.Equal(t, http.StatusOK, status, closed)
	status, link2 := cs.do(t, http.MethodPost, path2+"/rating-link", "clerk-sarula", nil)
	require.Equal(t, http.StatusOK, status, link2)
	conn, err := pgx.Connect(context.Background(), url)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	_, err = conn.Exec(context.Background(), `update rating_links set expires_at = now() - interval '1 second' where case_id = $1`, c2["id"])
	require.NoError(t, err)
	status, view = cs.do(t, http.MethodGet, "/v1/public/rating/"+link2["token"].(string), "", nil)
	require.Equal(t, http.StatusOK, status, view)
	require.Equal(t, "expired", view["state"])
	status, problem = cs.do(t, http.MethodPost, "/v1/public/rating/"+link2["token"].(string), "", map[string]any{"rating": 5})
	require.Equal(t, http.StatusGone, status, problem)
	status, got = cs.do(t, http.MethodGet, path2, "clerk-sarula", nil)
	require.Equal(t, http.StatusOK, status, got)
	require.NotContains(t, got, "evaluation")
}

// evaluateActors are the actors of the evaluate entries of a case's timeline.
func evaluateActors(timeline map[string]any) []string {
	var out []string
	items, _ := timeline["entries"].([]any)
	for _, x := range items {
		e := x.(map[string]any)
		if e["action"] == "evaluate" {
			out = append(out, e["actor"].(string))
		}
	}
	return out
}
