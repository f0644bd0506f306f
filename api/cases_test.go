package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"github.com/onedoor/onedoor/api"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/demo"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/store"
	"github.com/onedoor/onedoor/worker"
)

// caseServer is the API on a real PostgreSQL and Temporal server, with a worker of its own.
type caseServer struct {
	url     string
	tokens  map[string]string
	handler http.Handler
}

func newCaseServer(t testing.TB, opts ...func(*api.Server)) *caseServer {
	t.Helper()
	return newCaseServerOn(t, centerStore(t), opts...)
}

// newCaseServerOn is a case server on the store s: a test that counts cases gives it a database
// of its own (ownCenterStore).
func newCaseServerOn(t testing.TB, s *store.Store, opts ...func(*api.Server)) *caseServer {
	t.Helper()
	tc := testenv.Temporal(t)
	queue := "api-test-" + t.Name()
	w := worker.New(tc, s, queue)
	require.NoError(t, w.Start())
	t.Cleanup(w.Stop)

	v, tokens := devAuth(t)
	srv := &api.Server{Store: s, Temporal: tc, Verifier: v, Logger: slog.New(slog.DiscardHandler), NumberOrg: "AT", TaskQueue: queue}
	for _, o := range opts {
		o(srv)
	}
	h := srv.Handler()
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	return &caseServer{url: hs.URL, tokens: tokens, handler: h}
}

// centerStore is the package's database with the demo organisation and the built-in procedures.
func centerStore(t testing.TB) *store.Store {
	t.Helper()
	return loadCenter(t, testenv.Store(t))
}

// ownCenterStore is a database of the test's own with the demo organisation and the built-in
// procedures: no other test writes to it.
func ownCenterStore(t testing.TB) *store.Store {
	t.Helper()
	return loadCenter(t, testenv.OwnStore(t))
}

func loadCenter(t testing.TB, s *store.Store) *store.Store {
	t.Helper()
	ctx := context.Background()
	require.NoError(t, demo.Load(ctx, s))
	org, err := definitions.DemoOrg()
	require.NoError(t, err)
	_, err = s.LoadLibrary(ctx, org)
	require.NoError(t, err)
	return s
}

// do sends a request as user (no token when user is empty) and decodes the JSON answer.
func (cs *caseServer) do(t testing.TB, method, path, user string, body any, header ...string) (int, map[string]any) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, cs.url+path, r)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+cs.tokens[user])
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if len(b) > 0 {
		require.NoError(t, json.Unmarshal(b, &out), string(b))
	}
	return resp.StatusCode, out
}

// raw sends a request as user and returns the status, the body and its size.
func (cs *caseServer) raw(t testing.TB, method, path, user string, body any) (int, string, int) {
	b, err := json.Marshal(body)
	if err != nil {
		return 0, err.Error(), 0
	}
	req, err := http.NewRequest(method, cs.url+path, bytes.NewReader(b))
	if err != nil {
		return 0, err.Error(), 0
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+cs.tokens[user])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err.Error(), 0
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err.Error(), 0
	}
	return resp.StatusCode, string(out), len(out)
}

func petition() map[string]any {
	return map[string]any{"matter": "petition", "channel": "visit", "subject": "草场边界纠纷", "resident_name": "张三",
		"data": map[string]any{
			"petitioner": "张三", "phone": "13800138000", "channel": "visit", "category": "proposal",
			"topic": "land", "people": 1, "facts": "邻居占用草场，多次协商未果。",
		}}
}

func TestCreateAndGetCase(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)

	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
	require.Equal(t, http.StatusCreated, status, c)
	require.Regexp(t, `^WS-PET-\d{4}-\d{6}$`, c["number"])
	require.Equal(t, "open", c["status"])
	require.Equal(t, "town", c["level"])
	require.Equal(t, "galutu", c["org_unit"])
	require.NotEmpty(t, c["step"])

	for _, ref := range []string{c["number"].(string), c["id"].(string)} {
		status, got := cs.do(t, http.MethodGet, "/v1/cases/"+ref, "clerk-galutu", nil)
		require.Equal(t, http.StatusOK, status, got)
		require.Equal(t, c["number"], got["number"])
		require.Equal(t, "petition", got["matter"])
		require.Equal(t, c["step"], got["step"])
	}
	status, _ = cs.do(t, http.MethodGet, "/v1/cases/AT-PET-2026-999999", "clerk-galutu", nil)
	require.Equal(t, http.StatusNotFound, status)

	// A new case is due at once, in its answer, in the read model and in a search: its first
	// task has a due date from the moment it is registered.
	require.NotEmpty(t, c["due_at"])
	status, got := cs.do(t, http.MethodGet, "/v1/cases/"+c["number"].(string), "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status)
	require.NotEmpty(t, got["due_at"])
	status, page := cs.do(t, http.MethodGet, "/v1/cases?q="+url.QueryEscape(c["number"].(string)), "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, page)
	items := page["items"].([]any)
	require.Len(t, items, 1)
	require.NotEmpty(t, items[0].(map[string]any)["due_at"])
}

func TestCreateCaseIdempotencyKey(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	_, first := cs.do(t, http.MethodPost, "/v1/cases", "clerk-banner", petition(), "Idempotency-Key", "req-42")
	status, again := cs.do(t, http.MethodPost, "/v1/cases", "clerk-banner", petition(), "Idempotency-Key", "req-42")
	require.Equal(t, http.StatusCreated, status, again)
	require.Equal(t, first["id"], again["id"])
	require.Equal(t, first["number"], again["number"])
	_, other := cs.do(t, http.MethodPost, "/v1/cases", "clerk-banner", petition(), "Idempotency-Key", "req-43")
	require.NotEqual(t, first["number"], other["number"])
}

func TestCreateCaseRefusals(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)

	status, problem := cs.do(t, http.MethodPost, "/v1/cases", "", petition())
	require.Equal(t, http.StatusUnauthorized, status)
	require.Contains(t, problem["detail"], "bearer token")

	bad := map[string]any{"matter": "divorce", "channel": "visit", "subject": "", "resident_name": "王五", "color": "red"}
	status, problem = cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", bad)
	require.Equal(t, http.StatusUnprocessableEntity, status, problem)
	var locations []string
	for _, e := range problem["errors"].([]any) {
		locations = append(locations, e.(map[string]any)["location"].(string))
	}
	require.ElementsMatch(t, []string{"body.matter", "body.subject", "body.color"}, locations)

	unknown := petition()
	unknown["received_by"] = "atlantis"
	status, problem = cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", unknown)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Equal(t, "body.received_by", problem["errors"].([]any)[0].(map[string]any)["location"])

	status, _ = cs.do(t, http.MethodPost, "/v1/cases", "auditor", petition())
	require.Equal(t, http.StatusForbidden, status)
	status, _ = cs.do(t, http.MethodGet, "/v1/cases/x", "", nil)
	require.Equal(t, http.StatusUnauthorized, status)
}

func TestHealth(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	// Ready once the test's worker has polled its task queue.
	require.Eventually(t, func() bool {
		status, _ := cs.do(t, http.MethodGet, "/healthz", "", nil)
		return status == http.StatusOK
	}, time.Minute, 100*time.Millisecond)
	status, body := cs.do(t, http.MethodGet, "/healthz", "", nil)
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, "ok", body["postgres"])
	require.Equal(t, "ok", body["temporal"])
}

func TestHealthNamesTheDependencyThatIsDown(t *testing.T) {
	t.Parallel()
	s := testenv.Store(t)
	// A lazy client dials on first use: nobody listens on port 1.
	tc, err := client.NewLazyClient(client.Options{HostPort: "127.0.0.1:1"})
	require.NoError(t, err)
	defer tc.Close()
	srv := &api.Server{Store: s, Temporal: tc, Logger: slog.New(slog.DiscardHandler)}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	resp, err := http.Get(hs.URL + "/healthz")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	require.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
	var problem map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&problem))
	require.Equal(t, "temporal unavailable", problem["detail"])
}

func TestCreateCaseDataMustFitTheForm(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	body := petition()
	body["data"] = map[string]any{"petitioner": "张三", "phone": "12345", "people": 0, "shoe_size": 42}
	status, problem := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", body)
	require.Equal(t, http.StatusUnprocessableEntity, status, problem)
	var locations []string
	for _, e := range problem["errors"].([]any) {
		locations = append(locations, e.(map[string]any)["location"].(string))
	}
	require.Contains(t, locations, "body.data.phone")
	require.Contains(t, locations, "body.data.people")
	require.Contains(t, locations, "body.data.shoe_size")
	require.Contains(t, locations, "body.data.facts", "a required field that is missing")
}

func TestFirstVisitCloseThroughTheAPI(t *testing.T) {
	t.Parallel()
	cs := newCaseServerOn(t, ownCenterStore(t))
	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-sarula", petition())
	require.Equal(t, http.StatusCreated, status, c)
	require.Equal(t, "village", c["level"])
	require.Equal(t, "intake", c["step"])
	tasks := c["tasks"].([]any)
	require.Len(t, tasks, 1)
	require.NotEmpty(t, tasks[0].(map[string]any)["due_at"])
	path := "/v1/cases/" + c["number"].(string)

	// Someone else's window may not close it; the refusal leaves no trace.
	status, problem := cs.do(t, http.MethodPost, path+"/actions", "clerk-galutu",
		map[string]any{"type": "close", "outcome": "resolved", "result": "x"})
	require.Equal(t, http.StatusConflict, status, problem)
	require.Contains(t, problem["detail"], "holder")
	status, problem = cs.do(t, http.MethodPost, path+"/actions", "clerk-sarula",
		map[string]any{"type": "complete", "outcome": "approve"})
	require.Equal(t, http.StatusUnprocessableEntity, status, problem)
	require.Contains(t, problem["detail"], "register")

	status, closed := cs.do(t, http.MethodPost, path+"/actions", "clerk-sarula",
		map[string]any{"type": "close", "outcome": "resolved", "result": "当场解释政策，信访人满意"}, "Idempotency-Key", "close-1")
	require.Equal(t, http.StatusOK, status, closed)
	require.Equal(t, "closed", closed["status"])
	require.Equal(t, "resolved", closed["outcome"])
	// A retried request gets the same answer and closes nothing twice.
	status, again := cs.do(t, http.MethodPost, path+"/actions", "clerk-sarula",
		map[string]any{"type": "close", "outcome": "resolved", "result": "当场解释政策，信访人满意"}, "Idempotency-Key", "close-1")
	require.Equal(t, http.StatusOK, status, again)
	require.Equal(t, closed["updated_at"], again["updated_at"])

	status, got := cs.do(t, http.MethodGet, path, "clerk-sarula", nil)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "closed", got["status"])
	// The statistics count it as handled on the first visit (首访首办).
	status, stats := cs.do(t, http.MethodGet, "/v1/stats?org_unit=galutu-v01", "admin", nil)
	require.Equal(t, http.StatusOK, status, stats)
	require.EqualValues(t, 1, stats["first_visit"], "the one case of this test's database closed on the spot: %v", stats)
	require.Equal(t, "done", got["tasks"].([]any)[0].(map[string]any)["status"])

	status, problem = cs.do(t, http.MethodPost, path+"/actions", "clerk-sarula", map[string]any{"type": "complete", "outcome": "register"})
	require.Equal(t, http.StatusConflict, status, problem)
	require.Contains(t, problem["detail"], "closed")
	// The resident's evaluation is still taken after closing.
	status, evaluated := cs.do(t, http.MethodPost, path+"/actions", "clerk-sarula", map[string]any{"type": "evaluate", "rating": 5})
	require.Equal(t, http.StatusOK, status, evaluated)
	require.EqualValues(t, 5, evaluated["evaluation"].(map[string]any)["rating"])
}

func TestLinkedCaseShowsOnBoth(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	_, petitionCase := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
	lib, err := definitions.Library()
	require.NoError(t, err)
	var mediationForm definitions.Form
	for _, p := range lib {
		if p.Key == "mediation" {
			mediationForm = p.Form
		}
	}
	data := map[string]any{}
	for _, f := range mediationForm {
		if f.Required {
			data[f.Name] = sample(f)
		}
	}
	status, med := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", map[string]any{
		"matter": "mediation", "channel": "visit", "subject": "草场边界纠纷转人民调解", "resident_name": "张三",
		"data": data, "linked_to": petitionCase["number"],
	})
	require.Equal(t, http.StatusCreated, status, med)
	links := med["links"].([]any)
	require.Len(t, links, 1)
	require.Equal(t, petitionCase["number"], links[0].(map[string]any)["number"])
	require.Equal(t, "opened_from", links[0].(map[string]any)["relation"])

	status, back := cs.do(t, http.MethodGet, "/v1/cases/"+petitionCase["number"].(string), "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status)
	require.Len(t, back["links"].([]any), 1)
	require.Equal(t, med["number"], back["links"].([]any)[0].(map[string]any)["number"])
	require.Equal(t, "opened", back["links"].([]any)[0].(map[string]any)["relation"])

	status, problem := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", map[string]any{
		"matter": "mediation", "channel": "visit", "subject": "x", "resident_name": "张三", "data": data, "linked_to": "WS-PET-2026-999999",
	})
	require.Equal(t, http.StatusUnprocessableEntity, status, problem)
	// A case outside the clerk's scope is as unknown as a missing one.
	status, problem = cs.do(t, http.MethodPost, "/v1/cases", "clerk-sarula", map[string]any{
		"matter": "mediation", "channel": "visit", "subject": "x", "resident_name": "张三", "data": data, "linked_to": petitionCase["number"],
	})
	require.Equal(t, http.StatusUnprocessableEntity, status, problem)
	require.Equal(t, "body.linked_to", problem["errors"].([]any)[0].(map[string]any)["location"])
}

// sample is a valid value of a form field, for tests that fill in a form.
func sample(f definitions.Field) any {
	switch f.Type {
	case definitions.FieldInteger:
		if f.Min != nil {
			return *f.Min
		}
		return 1
	case definitions.FieldBoolean:
		return false
	case definitions.FieldDate:
		return "2026-03-02"
	case definitions.FieldEnum:
		return f.Options[0].Value
	case definitions.FieldPhone:
		return "13800138000"
	case definitions.FieldResidentID:
		return "11010519491231002X"
	case definitions.FieldOrgUnit:
		return "galutu"
	case definitions.FieldDepartment:
		return "justice"
	}
	return "测试用的示例内容"
}

// TestDivertToTwoDepartmentsThroughTheAPI drives a petition as the clerks and departments would:
// register, accept, divert to two departments, both take it, the opinion, the reply and close.
func TestDivertToTwoDepartmentsThroughTheAPI(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	body := petition()
	body["data"].(map[string]any)["category"] = "request"
	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", body)
	require.Equal(t, http.StatusCreated, status, c)
	path := "/v1/cases/" + c["number"].(string) + "/actions"
	act := func(user string, action map[string]any) map[string]any {
		t.Helper()
		status, out := cs.do(t, http.MethodPost, path, user, action)
		require.Equal(t, http.StatusOK, status, out)
		return out
	}
	act("clerk-galutu", map[string]any{"type": "complete", "outcome": "register"})
	act("clerk-galutu", map[string]any{"type": "complete", "outcome": "accept"})
	diverted := act("clerk-galutu", map[string]any{"type": "complete", "outcome": "divert", "departments": []string{"justice", "hrss"}})
	require.Equal(t, "department_check", diverted["step"])
	byDept := map[string]string{}
	for _, task := range diverted["tasks"].([]any) {
		task := task.(map[string]any)
		if task["status"] == "open" {
			byDept[task["department"].(string)] = task["id"].(string)
		}
	}
	require.Len(t, byDept, 2)

	// The clerk cannot answer for a department; the department's staff see their task.
	status, problem := cs.do(t, http.MethodPost, path, "clerk-galutu", map[string]any{"type": "complete", "task": byDept["justice"], "outcome": "take"})
	require.Equal(t, http.StatusConflict, status, problem)
	require.Contains(t, problem["detail"], "department justice")
	status, queue := cs.do(t, http.MethodGet, "/v1/tasks", "justice-staff", nil)
	require.Equal(t, http.StatusOK, status, queue)
	require.NotEmpty(t, queue["items"])

	act("justice-staff", map[string]any{"type": "complete", "task": byDept["justice"], "outcome": "take"})
	handled := act("hrss-staff", map[string]any{"type": "complete", "task": byDept["hrss"], "outcome": "take"})
	require.Equal(t, "handle", handled["step"])
	act("clerk-galutu", map[string]any{"type": "complete", "outcome": "opinion", "data": map[string]any{"opinion": "司法所与人社局联合调查，依法出具处理意见。"}})
	closed := act("clerk-galutu", map[string]any{"type": "complete", "outcome": "closed"})
	require.Equal(t, "closed", closed["status"])

	status, got := cs.do(t, http.MethodGet, "/v1/cases/"+c["number"].(string), "supervisor-galutu", nil)
	require.Equal(t, http.StatusOK, status, got)
	require.Equal(t, "closed", got["status"])
	require.Len(t, got["tasks"].([]any), 7)

	// The timeline tells the whole story from the audit log, numbers masked for the departments.
	status, timeline := cs.do(t, http.MethodGet, "/v1/cases/"+c["number"].(string)+"/timeline", "supervisor-galutu", nil)
	require.Equal(t, http.StatusOK, status, timeline)
	var actions []string
	for _, e := range timeline["entries"].([]any) {
		actions = append(actions, e.(map[string]any)["action"].(string))
	}
	require.Equal(t, []string{"register", "complete", "complete", "complete", "complete", "complete", "complete", "complete"}, actions)
	require.Equal(t, map[string]any{"clerk-galutu": "嘎鲁图镇受理员 Galutu town clerk", "justice-staff": "司法局工作人员 Justice bureau staff",
		"hrss-staff": "人社局工作人员 HR and social security staff"}, timeline["actors"], "the actors by name")
	first := timeline["entries"].([]any)[0].(map[string]any)
	require.Equal(t, "13800138000", first["after"].(map[string]any)["data"].(map[string]any)["phone"])
	status, masked := cs.do(t, http.MethodGet, "/v1/cases/"+c["number"].(string)+"/timeline", "justice-staff", nil)
	require.Equal(t, http.StatusOK, status, masked)
	first = masked["entries"].([]any)[0].(map[string]any)
	require.Equal(t, "138****8000", first["after"].(map[string]any)["data"].(map[string]any)["phone"])
	status, _ = cs.do(t, http.MethodGet, "/v1/cases/"+c["number"].(string)+"/timeline", "clerk-sarula", nil)
	require.Equal(t, http.StatusNotFound, status, "a village clerk does not see the town's case")
}

func TestRegionalHolidayMovesDeadlines(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	due := func() string {
		t.Helper()
		status, out := cs.do(t, http.MethodGet, "/v1/calendar/due?from=2026-07-06&amount=5&unit=workdays", "clerk-galutu", nil)
		require.Equal(t, http.StatusOK, status, out)
		return out["last_day"].(string)
	}
	require.Equal(t, "2026-07-13", due())

	naadam := map[string]any{"date": "2026-07-09", "name": "那达慕大会", "name_en": "Naadam", "region": "乌审旗"}
	status, problem := cs.do(t, http.MethodPost, "/v1/calendar/holidays", "supervisor-banner", naadam)
	require.Equal(t, http.StatusForbidden, status, problem)
	status, added := cs.do(t, http.MethodPost, "/v1/calendar/holidays", "admin", naadam)
	require.Equal(t, http.StatusCreated, status, added)
	status, problem = cs.do(t, http.MethodPost, "/v1/calendar/holidays", "admin", naadam)
	require.Equal(t, http.StatusConflict, status, problem)
	require.Equal(t, "2026-07-14", due(), "the regional holiday is not a working day")

	status, list := cs.do(t, http.MethodGet, "/v1/calendar/holidays", "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, list)
	require.Len(t, list["regional"].([]any), 1)
	require.NotEmpty(t, list["notices"])

	status, _ = cs.do(t, http.MethodDelete, "/v1/calendar/holidays/2026-07-09?region=乌审旗", "admin", nil)
	require.Equal(t, http.StatusNoContent, status)
	require.Equal(t, "2026-07-13", due())
}

// A finding (查究) names a unit or department that exists, or it is refused at its field; on a
// case where nothing went overdue the workflow refuses it, in the client's language.
func TestFindingThroughTheAPI(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
	require.Equal(t, http.StatusCreated, status, c)
	path := "/v1/cases/" + c["number"].(string) + "/actions"
	find := map[string]any{"type": "find", "task": "t1", "result": "无人值守", "reason": "约谈", "responsible": map[string]any{"org_unit": "atlantis"}}
	status, refused := cs.do(t, http.MethodPost, path, "supervisor-galutu", find)
	require.Equal(t, http.StatusUnprocessableEntity, status, refused)
	require.Contains(t, errorsOf(refused), "body.responsible.org_unit")
	find["responsible"] = map[string]any{"department": "justice"}
	status, refused = cs.do(t, http.MethodPost, path, "supervisor-galutu", find, "Accept-Language", "zh-CN")
	require.Equal(t, http.StatusConflict, status, refused)
	require.Equal(t, "案件没有逾期的任务，也没有逾期未答复的督办，无需查究", refused["detail"])
	_, offered := cs.do(t, http.MethodGet, path, "supervisor-galutu", nil)
	require.NotContains(t, actionTypes(t, offered), "find", "nothing to inquire into: not offered")
}
