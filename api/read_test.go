package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2/humatest"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/api"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/demo"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/store"
)

// readUsers are users beyond the demo ones that the access tests need.
var readUsers = []onedoor.User{
	{ID: "supervisor-tuke", Name: "图克镇督办员", Role: onedoor.RoleSupervisor, OrgUnit: "tuke"},
	{ID: "grid-sarula", Name: "萨如拉网格员", Role: onedoor.RoleGrid, OrgUnit: "galutu-v01"},
}

// readAPI is the API on the package's PostgreSQL database without Temporal: the read side and
// the access checks in front of actions need none. log holds what the server logged.
type readAPI struct {
	api    humatest.TestAPI
	tokens map[string]string
	store  *store.Store
	mu     sync.Mutex
	log    bytes.Buffer
}

func (r *readAPI) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.log.Write(p)
}

func (r *readAPI) logged() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.log.String()
}

func newReadAPI(t *testing.T) *readAPI {
	t.Helper()
	return newReadAPIOn(t, testenv.Store(t), readUsers)
}

// newReadAPIOn is the read API on the store s, with the demo organisation and users and the
// extra users.
func newReadAPIOn(t *testing.T, s *store.Store, extra []onedoor.User) *readAPI {
	t.Helper()
	ctx := context.Background()
	require.NoError(t, demo.Load(ctx, s))
	require.NoError(t, s.SaveUsers(ctx, extra))
	v, tokens := devAuth(t, extra...)
	r := &readAPI{tokens: tokens, store: s}
	_, tapi := humatest.New(t, api.Config())
	(&api.Server{Store: s, Verifier: v, Logger: slog.New(slog.NewJSONHandler(r, nil)), NumberOrg: "XX"}).Register(tapi)
	r.api = tapi
	return r
}

// get sends a request as user and decodes the JSON answer.
func (r *readAPI) call(t *testing.T, method, path, user string, body any) (int, map[string]any) {
	t.Helper()
	args := []any{"Authorization: Bearer " + r.tokens[user]}
	if body != nil {
		args = append(args, body)
	}
	resp := r.api.Do(method, path, args...)
	var out map[string]any
	if resp.Body.Len() > 0 && strings.Contains(resp.Header().Get("Content-Type"), "json") {
		require.NoError(t, json.Unmarshal(resp.Body.Bytes(), &out), resp.Body.String())
	}
	return resp.Code, out
}

// scopeCase writes a case held by unit with an open task there (and one for dept when set),
// due at due, straight into the read model.
func scopeCase(t *testing.T, s *store.Store, token, unit string, level definitions.Level, dept string, due time.Time) onedoor.Case {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	c := onedoor.Case{ID: uuid.NewString(), Matter: "mediation", Status: onedoor.StatusOpen, Step: "handle", Level: level,
		OrgUnit: unit, ReceivedBy: unit, Channel: onedoor.ChannelVisit, Subject: token + " " + unit, ResidentName: "王五",
		Data:         map[string]any{"phone": "13800138000", "id_number": "150123199001011234", "facts": "邻里纠纷"},
		ProcedureKey: "mediation", ProcedureVersion: 1, CreatedBy: "test", ReceivedAt: now, UpdatedAt: now}
	c, err := s.RegisterCase(ctx, c, nil, "RT-MED-2026", store.AuditEntry{Seq: 1, At: now, Actor: "test", Action: "register"})
	require.NoError(t, err)
	tasks := []onedoor.Task{{ID: "t1", Step: "handle", Name: "调解", OrgUnit: unit, Level: level, Role: "clerk",
		Status: onedoor.TaskOpen, Priority: "normal", OpenedAt: now, DueAt: &due, Overdue: due.Before(now)}}
	if dept != "" {
		tasks = append(tasks, onedoor.Task{ID: "t2", Step: "handle", Name: "部门调解", OrgUnit: unit, Level: level,
			Department: dept, Status: onedoor.TaskOpen, Priority: "normal", OpenedAt: now, DueAt: &due, Overdue: due.Before(now)})
	}
	c.DueAt, c.Overdue = &due, due.Before(now)
	require.NoError(t, s.SaveCase(ctx, c, tasks, nil, store.AuditEntry{Seq: 2, At: now, Actor: "test", Action: "open"}))
	return c
}

func numbers(body map[string]any, key string) map[string]bool {
	out := map[string]bool{}
	items, _ := body["items"].([]any)
	for _, it := range items {
		out[it.(map[string]any)[key].(string)] = true
	}
	return out
}

func TestAccessByRoleAndScope(t *testing.T) {
	t.Parallel()
	r := newReadAPI(t)
	token := "范围" + uuid.NewString()[:8]
	late := time.Now().Add(-50 * time.Hour)
	cases := map[string]onedoor.Case{
		"A": scopeCase(t, r.store, token, "galutu-v01", "village", "", late), // Sarula community, in Galutu
		"B": scopeCase(t, r.store, token, "galutu", "town", "", time.Now().Add(24*time.Hour)),
		"C": scopeCase(t, r.store, token, "tuke", "town", "justice", late),
		"D": scopeCase(t, r.store, token, "wushen", "banner", "", time.Now().Add(48*time.Hour)),
	}
	for _, c := range []struct {
		user   string
		sees   string // the cases in scope
		queue  string // the cases with a task in the user's queue
		masked bool
		acts   bool // may act on what it sees
	}{
		{"clerk-sarula", "A", "A", false, true},
		{"grid-sarula", "A", "A", true, true},
		{"clerk-galutu", "AB", "B", false, true},
		{"supervisor-galutu", "AB", "B", false, true},
		{"supervisor-tuke", "C", "C", false, true},
		{"justice-staff", "C", "C", true, true},
		{"supervisor-banner", "ABCD", "D", false, true},
		{"admin", "ABCD", "", false, true}, // the city's: above the counties, holding no unit's tasks
		{"auditor", "ABCD", "D", true, false},
	} {
		t.Run(c.user, func(t *testing.T) {
			status, body := r.call(t, http.MethodGet, "/v1/cases?q="+url.QueryEscape(token), c.user, nil)
			require.Equal(t, http.StatusOK, status, body)
			got := numbers(body, "number")
			for name, k := range cases {
				in := strings.Contains(c.sees, name)
				require.Equal(t, in, got[k.Number], "search: case %s", name)

				status, detail := r.call(t, http.MethodGet, "/v1/cases/"+k.Number, c.user, nil)
				if !in {
					require.Equal(t, http.StatusNotFound, status, "get: case %s", name)
					require.Equal(t, "case "+k.Number+" not found", detail["detail"], "a refusal reads like a missing case")
					status, _ = r.call(t, http.MethodPost, "/v1/cases/"+k.Number+"/actions", c.user, map[string]any{"type": "note", "reason": "看一下"})
					require.Equal(t, http.StatusNotFound, status, "act: case %s", name)
					status, _ = r.call(t, http.MethodPost, "/v1/tasks/"+k.Number+"/t1/claim", c.user, nil)
					require.Equal(t, http.StatusNotFound, status, "claim: case %s", name)
					continue
				}
				require.Equal(t, http.StatusOK, status, "get: case %s", name)
				data := detail["data"].(map[string]any)
				if c.masked {
					require.Equal(t, "138****8000", data["phone"])
					require.Equal(t, "1501**********1234", data["id_number"])
				} else {
					require.Equal(t, "13800138000", data["phone"])
					require.Equal(t, "150123199001011234", data["id_number"])
				}
				require.Equal(t, "邻里纠纷", data["facts"])
				units := detail["names"].(map[string]any)["units"].(map[string]any)
				require.Contains(t, units, k.OrgUnit, "the case names the unit holding it")
				if !c.acts {
					status, _ = r.call(t, http.MethodPost, "/v1/cases/"+k.Number+"/actions", c.user, map[string]any{"type": "note", "reason": "看一下"})
					require.Equal(t, http.StatusForbidden, status, "act: case %s", name)
					status, _ = r.call(t, http.MethodPost, "/v1/tasks/"+k.Number+"/t1/claim", c.user, nil)
					require.Equal(t, http.StatusForbidden, status, "claim: case %s", name)
				}
			}

			status, body = r.call(t, http.MethodGet, "/v1/tasks?limit=500", c.user, nil)
			require.Equal(t, http.StatusOK, status, body)
			got = numbers(body, "case_number")
			for name, k := range cases {
				require.Equal(t, strings.Contains(c.queue, name), got[k.Number], "queue: case %s", name)
			}
		})
	}
	logs := r.logged()
	require.Contains(t, logs, `"msg":"refused"`)
	require.Contains(t, logs, `"user":"clerk-sarula"`)
	require.Contains(t, logs, `"request":"GET /v1/cases/`+cases["B"].Number+`"`)
	require.Contains(t, logs, "an auditor reads but does not act")
}

func TestClaimAndRelease(t *testing.T) {
	t.Parallel()
	r := newReadAPI(t)
	c := scopeCase(t, r.store, "认领"+uuid.NewString()[:8], "galutu", "town", "", time.Now().Add(time.Hour))
	path := "/v1/tasks/" + c.Number + "/t1/"
	status, body := r.call(t, http.MethodPost, path+"claim", "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, "clerk-galutu", body["claimed_by"])
	status, body = r.call(t, http.MethodPost, path+"claim", "supervisor-galutu", nil)
	require.Equal(t, http.StatusConflict, status, body)
	require.Equal(t, "application/problem+json", r.api.Do(http.MethodPost, path+"claim", "Authorization: Bearer "+r.tokens["supervisor-galutu"]).Header().Get("Content-Type"))
	status, _ = r.call(t, http.MethodPost, path+"release", "clerk-sarula", nil)
	require.Equal(t, http.StatusNotFound, status, "the town's case is outside a village clerk's scope")

	status, body = r.call(t, http.MethodGet, "/v1/tasks?status=claimed&limit=500", "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, body)
	require.True(t, numbers(body, "case_number")[c.Number])
	status, body = r.call(t, http.MethodGet, "/v1/tasks?status=unclaimed&limit=500", "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, body)
	require.False(t, numbers(body, "case_number")[c.Number])

	status, _ = r.call(t, http.MethodPost, path+"release", "supervisor-galutu", nil)
	require.Equal(t, http.StatusOK, status, "a supervisor releases anyone's claim")
	status, body = r.call(t, http.MethodPost, path+"claim", "supervisor-galutu", nil)
	require.Equal(t, http.StatusOK, status, body)
	status, _ = r.call(t, http.MethodPost, "/v1/tasks/"+c.Number+"/t7/claim", "clerk-galutu", nil)
	require.Equal(t, http.StatusNotFound, status)
}

func TestSupervisionBoardsUrgesAndNotifications(t *testing.T) {
	t.Parallel()
	r := newReadAPI(t)
	token := "督办" + uuid.NewString()[:8]
	a := scopeCase(t, r.store, token, "galutu-v01", "village", "", time.Now().Add(-30*time.Hour))
	soon := scopeCase(t, r.store, token, "galutu", "town", "", time.Now().Add(5*time.Hour))
	c := scopeCase(t, r.store, token, "tuke", "town", "justice", time.Now().Add(-3*time.Hour))

	items := func(body map[string]any) map[string]map[string]any {
		out := map[string]map[string]any{}
		for _, g := range body["groups"].([]any) {
			for _, it := range g.(map[string]any)["items"].([]any) {
				m := it.(map[string]any)
				m["group"] = g.(map[string]any)["level"].(string) + "/" + fmt.Sprint(g.(map[string]any)["department"])
				out[m["case_number"].(string)] = m
			}
		}
		return out
	}
	status, body := r.call(t, http.MethodGet, "/v1/supervision/overdue?per_group=200", "supervisor-galutu", nil)
	require.Equal(t, http.StatusOK, status, body)
	got := items(body)
	require.Contains(t, got, a.Number)
	require.NotContains(t, got, c.Number, "Tuke is another town")
	require.NotContains(t, got, soon.Number)
	require.Equal(t, "village/<nil>", got[a.Number]["group"])
	require.InDelta(t, 30, got[a.Number]["late_hours"], 0.1)
	require.EqualValues(t, 2, got[a.Number]["late_days"])

	status, body = r.call(t, http.MethodGet, "/v1/supervision/overdue?per_group=200", "supervisor-banner", nil)
	require.Equal(t, http.StatusOK, status, body)
	got = items(body)
	require.Contains(t, got, a.Number)
	require.Contains(t, got, c.Number)
	// The board names what it mentions by code: the units holding tasks, the departments.
	names := body["names"].(map[string]any)
	require.Equal(t, map[string]any{"name": "萨如拉社区", "name_en": "Sarula Community", "level": "village"},
		names["units"].(map[string]any)["galutu-v01"])
	require.Equal(t, "旗司法局", names["departments"].(map[string]any)["justice"].(map[string]any)["name"])

	status, body = r.call(t, http.MethodGet, "/v1/supervision/due-soon?within_hours=24&per_group=200", "supervisor-galutu", nil)
	require.Equal(t, http.StatusOK, status, body)
	require.Contains(t, items(body), soon.Number)

	status, _ = r.call(t, http.MethodGet, "/v1/supervision/overdue?org_unit=tuke", "supervisor-galutu", nil)
	require.Equal(t, http.StatusUnprocessableEntity, status, "a unit outside the scope is unknown")
	status, _ = r.call(t, http.MethodGet, "/v1/supervision/overdue", "clerk-galutu", nil)
	require.Equal(t, http.StatusForbidden, status)

	status, body = r.call(t, http.MethodPost, "/v1/supervision/urge", "supervisor-galutu",
		map[string]any{"cases": []string{a.Number, soon.ID}, "message": "请于今日内办结并回复"})
	require.Equal(t, http.StatusOK, status, body)
	require.Len(t, body["results"], 2)
	status, body = r.call(t, http.MethodPost, "/v1/supervision/urge", "supervisor-galutu",
		map[string]any{"cases": []string{a.Number, c.Number}, "message": "x"})
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	require.Equal(t, "body.cases[1]", body["errors"].([]any)[0].(map[string]any)["location"])
	status, _ = r.call(t, http.MethodPost, "/v1/supervision/urge", "auditor", map[string]any{"cases": []string{a.Number}, "message": "x"})
	require.Equal(t, http.StatusForbidden, status)

	status, body = r.call(t, http.MethodGet, "/v1/notifications?limit=500", "clerk-sarula", nil)
	require.Equal(t, http.StatusOK, status, body)
	var urged bool
	for _, it := range body["items"].([]any) {
		n := it.(map[string]any)
		if n["case_number"] == a.Number && n["kind"] == "supervision" {
			urged = true
			require.Equal(t, "supervisor-galutu", n["sender"])
			require.Equal(t, "请于今日内办结并回复", n["message"])
		}
	}
	require.True(t, urged)
}

func TestTheEdges(t *testing.T) {
	t.Parallel()
	r := newReadAPI(t)

	huge := map[string]any{"cases": []string{"x"}, "message": strings.Repeat("督", 1<<20)}
	status, body := r.call(t, http.MethodPost, "/v1/supervision/urge", "supervisor-galutu", huge)
	require.Equal(t, http.StatusRequestEntityTooLarge, status, body)

	status, body = r.call(t, http.MethodPost, "/v1/supervision/urge", "supervisor-galutu", map[string]any{"cases": []string{"x"}, "message": "y", "colour": "red"})
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	require.Equal(t, "body.colour", body["errors"].([]any)[0].(map[string]any)["location"])

	status, body = r.call(t, http.MethodGet, "/v1/cases?cursor=bm90LWEtY3Vyc29y", "admin", nil)
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	require.NotContains(t, fmt.Sprint(body), "select")
	require.NotContains(t, fmt.Sprint(body), "SQLSTATE")

	status, body = r.call(t, http.MethodGet, "/v1/cases?org_unit=atlantis", "admin", nil)
	require.Equal(t, http.StatusUnprocessableEntity, status, body)

	// One token's burst is spent quickly; the next request waits its turn.
	var limited bool
	for range 1000 {
		resp := r.api.Do(http.MethodGet, "/v1/notifications?limit=1", "Authorization: Bearer "+r.tokens["clerk-banner"])
		if resp.Code == http.StatusTooManyRequests {
			limited = true
			require.Equal(t, "application/problem+json", resp.Header().Get("Content-Type"))
			require.NotEmpty(t, resp.Header().Get("Retry-After"))
			break
		}
		require.Equal(t, http.StatusOK, resp.Code)
	}
	require.True(t, limited)
	status, _ = r.call(t, http.MethodGet, "/v1/notifications?limit=1", "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, "another token has a bucket of its own")
}

func TestSearchFiltersAndCSV(t *testing.T) {
	t.Parallel()
	r := newReadAPI(t)
	token := "导出" + uuid.NewString()[:8]
	a := scopeCase(t, r.store, token, "galutu-v01", "village", "", time.Now().Add(-time.Hour))
	b := scopeCase(t, r.store, token, "tuke", "town", "", time.Now().Add(time.Hour))
	q := "q=" + url.QueryEscape(token)
	for query, want := range map[string][]string{
		"":                          {a.Number, b.Number},
		"&org_unit=galutu":          {a.Number},
		"&level=town":               {b.Number},
		"&overdue=true":             {a.Number},
		"&status=closed":            nil,
		"&matter=petition":          nil,
		"&received_from=2000-01-01": {a.Number, b.Number},
		"&received_to=2000-01-01":   nil,
	} {
		status, body := r.call(t, http.MethodGet, "/v1/cases?"+q+query, "auditor", nil)
		require.Equal(t, http.StatusOK, status, body)
		got := numbers(body, "number")
		require.Len(t, got, len(want), query)
		for _, n := range want {
			require.True(t, got[n], "%s: %s", query, n)
		}
	}
	resp := r.api.Do(http.MethodGet, "/v1/cases.csv?"+q, "Authorization: Bearer "+r.tokens["supervisor-galutu"])
	require.Equal(t, http.StatusOK, resp.Code, resp.Body.String())
	require.Equal(t, "text/csv; charset=utf-8", resp.Header().Get("Content-Type"))
	lines := strings.Split(strings.TrimSpace(resp.Body.String()), "\n")
	require.Len(t, lines, 2, "the header and Galutu's case only")
	require.True(t, strings.HasPrefix(lines[0], "\uFEFFnumber,matter,status"))
	require.True(t, strings.HasPrefix(lines[1], a.Number+",mediation,open"))
	require.NotContains(t, resp.Body.String(), "13800138000")
}

// TestStatsFollowTheWorkflow runs alone (not in parallel) so that no other test's cases change
// the figures between its two readings.
func TestStatsFollowTheWorkflow(t *testing.T) {
	cs := newCaseServer(t)
	read := func() map[string]any {
		status, body := cs.do(t, http.MethodGet, "/v1/stats?org_unit=galutu", "supervisor-galutu", nil)
		require.Equal(t, http.StatusOK, status, body)
		return body
	}
	before := read()
	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
	require.Equal(t, http.StatusCreated, status, c)
	status, c = cs.do(t, http.MethodPost, "/v1/cases/"+c["number"].(string)+"/actions", "clerk-galutu",
		map[string]any{"type": "complete", "outcome": "on_spot", "result": "当场答复"})
	require.Equal(t, http.StatusOK, status, c)
	status, c = cs.do(t, http.MethodPost, "/v1/cases/"+c["number"].(string)+"/actions", "clerk-galutu",
		map[string]any{"type": "complete", "outcome": "closed"})
	require.Equal(t, http.StatusOK, status, c)
	require.Equal(t, "closed", c["status"])
	after := read()
	for key, delta := range map[string]float64{"received": 1, "accepted": 1, "first_visit": 1, "closed": 1, "escalated": 0, "mediated": 0} {
		require.Equal(t, before[key].(float64)+delta, after[key].(float64), key)
	}
	status, _ = cs.do(t, http.MethodPost, "/v1/cases/"+c["number"].(string)+"/actions", "auditor", map[string]any{"type": "note", "reason": "x"})
	require.Equal(t, http.StatusForbidden, status)
	status, got := cs.do(t, http.MethodGet, "/v1/cases/"+c["number"].(string), "justice-staff", nil)
	require.Equal(t, http.StatusNotFound, status, got)
}

// TestDepartmentStaffGetTheirNotifications: a notice addressed to a department reaches its staff
// in /v1/notifications, and not the staff of another department (they used to get none).
func TestDepartmentStaffGetTheirNotifications(t *testing.T) {
	t.Parallel()
	r := newReadAPI(t)
	ctx := context.Background()
	c := scopeCase(t, r.store, "部门通知", "galutu", definitions.LevelTown, "justice", time.Now().Add(-time.Hour))
	now := time.Now()
	require.NoError(t, r.store.SaveCase(ctx, c, nil, []onedoor.Notification{
		{Department: "justice", Role: "department", Kind: "overdue", CaseID: c.ID, TaskID: "t2", Message: c.Number + ": 部门任务已逾期", At: now},
		{OrgUnit: "galutu", Role: "supervisor", Kind: "overdue", CaseID: c.ID, TaskID: "t2", Message: c.Number + ": 部门任务已逾期", At: now},
	}, store.AuditEntry{Seq: 3, At: now, Actor: "system", Action: "deadline_overdue"}))

	code, body := r.call(t, http.MethodGet, "/v1/notifications", "justice-staff", nil)
	require.Equal(t, http.StatusOK, code, body)
	var mine []map[string]any
	for _, it := range body["items"].([]any) {
		if m := it.(map[string]any); m["case_id"] == c.ID {
			mine = append(mine, m)
		}
	}
	require.Len(t, mine, 1)
	require.Equal(t, "justice", mine[0]["department"])
	code, body = r.call(t, http.MethodGet, "/v1/notifications", "hrss-staff", nil)
	require.Equal(t, http.StatusOK, code, body)
	for _, it := range body["items"].([]any) {
		require.NotEqual(t, c.ID, it.(map[string]any)["case_id"], "another department's notice")
	}
}
