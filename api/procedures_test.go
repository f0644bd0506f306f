package api_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2/humatest"
	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/api"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/demo"
	"github.com/onedoor/onedoor/internal/testenv"
)

// procedureAPI is the API on the package's PostgreSQL database, without Temporal: procedures
// and the calendar do not need it.
type procedureAPI struct {
	api    humatest.TestAPI
	tokens map[string]string
}

func newProcedureAPI(t *testing.T) *procedureAPI {
	t.Helper()
	s := testenv.Store(t)
	require.NoError(t, demo.Load(context.Background(), s))
	v, tokens := devAuth(t)
	_, tapi := humatest.New(t, api.Config())
	(&api.Server{Store: s, Verifier: v, Logger: slog.New(slog.DiscardHandler)}).Register(tapi)
	return &procedureAPI{api: tapi, tokens: tokens}
}

// do sends a request as user (no token when user is empty) and decodes the JSON answer.
func (p *procedureAPI) do(t *testing.T, method, path, user string, body any) (int, map[string]any) {
	t.Helper()
	args := []any{}
	if user != "" {
		args = append(args, "Authorization: Bearer "+p.tokens[user])
	}
	if body != nil {
		args = append(args, body)
	}
	resp := p.api.Do(method, path, args...)
	var out map[string]any
	if resp.Body.Len() > 0 {
		require.NoError(t, json.Unmarshal(resp.Body.Bytes(), &out), resp.Body.String())
	}
	return resp.Code, out
}

// yamlOf is the built-in consultation procedure under another key; edits are old/new pairs.
func yamlOf(t *testing.T, key string, edits ...string) string {
	t.Helper()
	src, ok := definitions.LibrarySource("consultation")
	require.True(t, ok)
	s := strings.Replace(string(src), "key: consultation", "key: "+key, 1)
	for i := 0; i+1 < len(edits); i += 2 {
		require.Contains(t, s, edits[i])
		s = strings.Replace(s, edits[i], edits[i+1], 1)
	}
	return s
}

// errorsOf is the location and message of each error detail of a problem+json body.
func errorsOf(body map[string]any) map[string]string {
	out := map[string]string{}
	list, _ := body["errors"].([]any)
	for _, e := range list {
		m := e.(map[string]any)
		loc, _ := m["location"].(string)
		out[loc], _ = m["message"].(string)
	}
	return out
}

func TestProcedureVersionLifecycleAPI(t *testing.T) {
	t.Parallel()
	p := newProcedureAPI(t)
	const key = "api_lifecycle"
	base := "/v1/procedures/" + key

	code, body := p.do(t, http.MethodPost, "/v1/procedures", "admin", map[string]any{"yaml": yamlOf(t, key)})
	require.Equal(t, http.StatusCreated, code, body)
	require.Equal(t, key, body["key"])
	require.EqualValues(t, 1, body["version"])
	require.Equal(t, "draft", body["status"])
	require.Equal(t, "admin", body["created_by"])
	require.Empty(t, body["problems"], "the draft can be published")
	require.Contains(t, body["yaml"], "\nstatus: draft\n")
	require.Equal(t, "draft", body["procedure"].(map[string]any)["status"])

	code, body = p.do(t, http.MethodPut, base+"/versions/1", "admin", map[string]any{"yaml": yamlOf(t, key, "name: 法律咨询", "name: 法律咨询（试行）")})
	require.Equal(t, http.StatusOK, code, body)
	require.Equal(t, "法律咨询（试行）", body["name"])

	code, body = p.do(t, http.MethodPost, base+"/versions/1/publish", "admin", nil)
	require.Equal(t, http.StatusOK, code, body)
	require.Equal(t, "published", body["status"])
	require.Equal(t, "2025-01-01", body["valid_from"])
	require.Equal(t, "admin", body["published_by"])
	require.NotEmpty(t, body["published_at"])

	code, body = p.do(t, http.MethodPut, base+"/versions/1", "admin", map[string]any{"yaml": yamlOf(t, key)})
	require.Equal(t, http.StatusConflict, code, body)
	require.Contains(t, body["detail"], "published and cannot be edited")

	code, body = p.do(t, http.MethodPost, "/v1/procedures", "admin", map[string]any{"key": key})
	require.Equal(t, http.StatusCreated, code, body)
	require.EqualValues(t, 2, body["version"])
	require.Equal(t, "draft", body["status"])
	require.Nil(t, body["valid_from"])

	code, body = p.do(t, http.MethodPut, base+"/versions/2", "admin", map[string]any{"yaml": yamlOf(t, key,
		"name: 法律咨询", "name: 法律咨询（试行）",
		"deadline: {amount: 3, unit: workdays, basis: 本地工作要求}", "deadline: {amount: 5, unit: workdays, basis: 本地工作要求}",
		"valid_from: 2025-01-01", "valid_from: 2026-07-01",
	)})
	require.Equal(t, http.StatusOK, code, body)
	require.EqualValues(t, 2, body["version"], "the version comes from the URL, not the file")
	require.Contains(t, body["yaml"], "\nversion: 2\n")

	code, body = p.do(t, http.MethodGet, base+"/diff?from=1&to=2", "clerk-banner", nil)
	require.Equal(t, http.StatusOK, code, body)
	changes := map[string]map[string]any{}
	for _, c := range body["changes"].([]any) {
		m := c.(map[string]any)
		changes[m["path"].(string)] = m
	}
	require.Contains(t, changes, "steps[id=handle].deadline.amount")
	require.EqualValues(t, 3, changes["steps[id=handle].deadline.amount"]["old"])
	require.EqualValues(t, 5, changes["steps[id=handle].deadline.amount"]["new"])
	require.Equal(t, "2026-07-01", changes["valid_from"]["new"])
	require.Contains(t, changes, "version")

	code, body = p.do(t, http.MethodPost, base+"/versions/2/publish", "admin", nil)
	require.Equal(t, http.StatusOK, code, body)
	require.Equal(t, "2026-07-01", body["valid_from"])

	code, body = p.do(t, http.MethodPost, base+"/versions/1/retire", "admin", nil)
	require.Equal(t, http.StatusOK, code, body)
	require.Equal(t, "retired", body["status"])
	require.NotEmpty(t, body["retired_at"])
	code, body = p.do(t, http.MethodPost, base+"/versions/1/retire", "admin", nil)
	require.Equal(t, http.StatusConflict, code, body)
	code, body = p.do(t, http.MethodPost, base+"/versions/1/publish", "admin", nil)
	require.Equal(t, http.StatusConflict, code, body)

	code, body = p.do(t, http.MethodGet, base+"/versions/1", "auditor", nil)
	require.Equal(t, http.StatusOK, code, body)
	require.Equal(t, "retired", body["procedure"].(map[string]any)["status"])
	require.Contains(t, body["yaml"], "\nstatus: retired\n")
	require.Contains(t, body["yaml"], "\nversion: 1\n")

	code, body = p.do(t, http.MethodGet, base+"/versions", "clerk-banner", nil)
	require.Equal(t, http.StatusOK, code, body)
	versions := body["versions"].([]any)
	require.Len(t, versions, 2)
	require.Equal(t, "retired", versions[0].(map[string]any)["status"])
	require.Equal(t, "published", versions[1].(map[string]any)["status"])

	code, body = p.do(t, http.MethodGet, "/v1/procedures", "clerk-banner", nil)
	require.Equal(t, http.StatusOK, code, body)
	found := false
	for _, v := range body["procedures"].([]any) {
		if m := v.(map[string]any); m["key"] == key {
			found = true
			require.EqualValues(t, 2, m["version"], "the latest version")
		}
	}
	require.True(t, found)
	// A new draft is the latest version; the one new cases start on is still version 2.
	code, body = p.do(t, http.MethodPost, "/v1/procedures", "admin", map[string]any{"key": key})
	require.Equal(t, http.StatusCreated, code, body)
	code, body = p.do(t, http.MethodGet, "/v1/procedures", "clerk-banner", nil)
	require.Equal(t, http.StatusOK, code, body)
	for _, v := range body["procedures"].([]any) {
		if m := v.(map[string]any); m["key"] == key {
			require.EqualValues(t, 3, m["version"])
			require.Equal(t, "draft", m["status"])
			require.EqualValues(t, 2, m["in_force"])
		}
	}

	code, _ = p.do(t, http.MethodGet, base+"/versions/7", "admin", nil)
	require.Equal(t, http.StatusNotFound, code)
	code, _ = p.do(t, http.MethodGet, "/v1/procedures/api_no_such_key/versions", "admin", nil)
	require.Equal(t, http.StatusNotFound, code)
	code, _ = p.do(t, http.MethodGet, base+"/diff?from=1&to=7", "admin", nil)
	require.Equal(t, http.StatusNotFound, code)
	code, body = p.do(t, http.MethodPost, "/v1/procedures", "admin", map[string]any{"yaml": yamlOf(t, key), "key": key})
	require.Equal(t, http.StatusUnprocessableEntity, code, body)
}

func TestProcedureMistakesAreLocatedAPI(t *testing.T) {
	t.Parallel()
	p := newProcedureAPI(t)
	const key = "api_mistakes"
	src := yamlOf(t, key,
		"next: accept}", "next: acept}",
		"deadline: {amount: 3, unit: workdays, basis: 本地工作要求}", "deadline: {amount: 3, unit: weeks, basis: 本地工作要求}",
		"escalate: data.complex\n", "escalate: data.complx\n",
		`divert: '["justice"]'`, `divert: '["nowhere"]'`,
	)
	want := map[string]string{
		"steps[0].outcomes[1].next": `leads to step "acept", which does not exist; use the id of a step or "end" (line 39, column 59)`,
		"steps[3].deadline.unit":    `"weeks" is not a unit; use minutes, hours, days or workdays (line 61, column 33)`,
		"levels.group.escalate":     `the form has no field "complx"`,
		"levels.government.divert":  `there is no department with the code "nowhere"`,
	}

	// Checking without saving: 200 with every problem.
	code, body := p.do(t, http.MethodPost, "/v1/procedures/validate", "clerk-banner", map[string]any{"yaml": src})
	require.Equal(t, http.StatusOK, code, body)
	require.Equal(t, false, body["valid"])
	problems := map[string]map[string]any{}
	for _, pr := range body["problems"].([]any) {
		m := pr.(map[string]any)
		require.Positive(t, m["line"], m)
		problems[m["path"].(string)] = m
	}
	for path := range want {
		require.Contains(t, problems, path)
	}
	require.EqualValues(t, 61, problems["steps[3].deadline.unit"]["line"])
	// The definition is still read, so an editor can draw it while the problems are fixed.
	require.Equal(t, key, body["procedure"].(map[string]any)["key"])

	code, body = p.do(t, http.MethodPost, "/v1/procedures/validate", "clerk-banner", map[string]any{"yaml": yamlOf(t, key)})
	require.Equal(t, http.StatusOK, code, body)
	require.Equal(t, true, body["valid"])
	require.Empty(t, body["problems"])
	require.Equal(t, key, body["procedure"].(map[string]any)["key"])

	// A draft with mistakes is saved, with its problems listed; publishing it is refused.
	code, body = p.do(t, http.MethodPost, "/v1/procedures", "admin", map[string]any{"yaml": src})
	require.Equal(t, http.StatusCreated, code, body)
	require.GreaterOrEqual(t, len(body["problems"].([]any)), len(want))

	code, body = p.do(t, http.MethodPost, "/v1/procedures/"+key+"/versions/1/publish", "admin", nil)
	require.Equal(t, http.StatusUnprocessableEntity, code, body)
	errs := errorsOf(body)
	require.Len(t, errs, len(problems))
	for path, msg := range want {
		require.Contains(t, errs, path)
		require.Contains(t, errs[path], msg)
	}
	for loc, msg := range errs {
		require.Regexp(t, `\(line \d+, column \d+\)$`, msg, loc)
	}

	// YAML that cannot be read at all is refused when saved, located.
	code, body = p.do(t, http.MethodPost, "/v1/procedures", "admin", map[string]any{"yaml": "key: api_mistakes\nname: [unclosed\n"})
	require.Equal(t, http.StatusUnprocessableEntity, code, body)
	for _, msg := range errorsOf(body) {
		require.Contains(t, msg, "(line ")
	}
	code, body = p.do(t, http.MethodPost, "/v1/procedures", "admin", map[string]any{"yaml": yamlOf(t, "Api Bad Key")})
	require.Equal(t, http.StatusUnprocessableEntity, code, body)
	require.Contains(t, errorsOf(body)["key"], "(line 2, column 1)")
}

func TestProcedureWritesNeedAdmin(t *testing.T) {
	t.Parallel()
	p := newProcedureAPI(t)
	const key = "api_admin_only"
	code, body := p.do(t, http.MethodPost, "/v1/procedures", "admin", map[string]any{"yaml": yamlOf(t, key)})
	require.Equal(t, http.StatusCreated, code, body)

	for _, user := range []string{"clerk-banner", "supervisor-banner", "auditor", "justice-staff"} {
		for _, req := range []struct {
			method, path string
			body         any
		}{
			{http.MethodPost, "/v1/procedures", map[string]any{"yaml": yamlOf(t, key)}},
			{http.MethodPost, "/v1/procedures", map[string]any{"key": key}},
			{http.MethodPut, "/v1/procedures/" + key + "/versions/1", map[string]any{"yaml": yamlOf(t, key)}},
			{http.MethodPost, "/v1/procedures/" + key + "/versions/1/publish", nil},
			{http.MethodPost, "/v1/procedures/" + key + "/versions/1/retire", nil},
		} {
			code, body := p.do(t, req.method, req.path, user, req.body)
			require.Equal(t, http.StatusForbidden, code, "%s %s as %s: %v", req.method, req.path, user, body)
		}
		code, _ := p.do(t, http.MethodGet, "/v1/procedures/"+key+"/versions/1", user, nil)
		require.Equal(t, http.StatusOK, code, "%s may read", user)
	}
	code, _ = p.do(t, http.MethodGet, "/v1/procedures", "", nil)
	require.Equal(t, http.StatusUnauthorized, code)
	code, _ = p.do(t, http.MethodPost, "/v1/procedures", "", map[string]any{"yaml": yamlOf(t, key)})
	require.Equal(t, http.StatusUnauthorized, code)

	code, body = p.do(t, http.MethodGet, "/v1/procedures/"+key+"/versions", "admin", nil)
	require.Equal(t, http.StatusOK, code)
	require.Len(t, body["versions"], 1, "nothing was written by the refused requests")
	require.Equal(t, "draft", body["versions"].([]any)[0].(map[string]any)["status"])
}

func TestCalendarDueOverSpringFestival2026(t *testing.T) {
	t.Parallel()
	p := newProcedureAPI(t)

	// 5 working days from Friday 13 Feb 2026: the make-up Saturday 14 Feb counts, the holiday
	// 15-23 Feb does not.
	code, body := p.do(t, http.MethodGet, "/v1/calendar/due?from=2026-02-13&amount=5&unit=workdays", "clerk-banner", nil)
	require.Equal(t, http.StatusOK, code, body)
	require.Equal(t, "2026-02-27", body["last_day"])
	at, err := time.Parse(time.RFC3339, body["at"].(string))
	require.NoError(t, err)
	require.True(t, at.Equal(time.Date(2026, 2, 28, 0, 0, 0, 0, definitions.Shanghai)), "%v", at)
	ex := body["explanation"].(map[string]any)
	var counted []string
	for _, d := range ex["counted"].([]any) {
		counted = append(counted, d.(map[string]any)["date"].(string))
	}
	require.Equal(t, []string{"2026-02-14", "2026-02-24", "2026-02-25", "2026-02-26", "2026-02-27"}, counted)
	require.Len(t, ex["skipped"], 9)
	require.Equal(t, "makeup_workday", ex["counted"].([]any)[0].(map[string]any)["kind"])

	// 7 calendar days from 10 Feb end on 17 Feb, a holiday: the deadline moves to 24 Feb.
	code, body = p.do(t, http.MethodGet, "/v1/calendar/due?from=2026-02-10&amount=7&unit=days", "clerk-banner", nil)
	require.Equal(t, http.StatusOK, code, body)
	require.Equal(t, "2026-02-24", body["last_day"])
	ex = body["explanation"].(map[string]any)
	require.Len(t, ex["moved"], 7)
	require.Contains(t, ex["summary"], "Civil Code Art.203")
	require.Contains(t, ex["summary_zh"], "顺延至2026年2月24日")

	// Hours run by the clock from an instant, holiday or not.
	code, body = p.do(t, http.MethodGet, "/v1/calendar/due?from=2026-02-16T09:30:00%2B08:00&amount=2&unit=hours", "clerk-banner", nil)
	require.Equal(t, http.StatusOK, code, body)
	at, err = time.Parse(time.RFC3339, body["at"].(string))
	require.NoError(t, err)
	require.True(t, at.Equal(time.Date(2026, 2, 16, 11, 30, 0, 0, definitions.Shanghai)), "%v", at)

	for query, param := range map[string]string{
		"from=2026-02-30&amount=5&unit=days":  "query.from",
		"from=yesterday&amount=5&unit=days":   "query.from",
		"from=2026-02-13&amount=0&unit=days":  "query.amount",
		"from=2026-02-13&amount=x&unit=days":  "query.amount",
		"from=2026-02-13&amount=5&unit=weeks": "query.unit",
		"from=2026-02-13&amount=5":            "query.unit",
		"amount=5&unit=days":                  "query.from",
	} {
		code, body := p.do(t, http.MethodGet, "/v1/calendar/due?"+query, "clerk-banner", nil)
		require.Equal(t, http.StatusUnprocessableEntity, code, query)
		require.Contains(t, errorsOf(body), param, "%s: %v", query, body)
	}
	code, _ = p.do(t, http.MethodGet, "/v1/calendar/due?from=2026-02-13&amount=5&unit=days", "", nil)
	require.Equal(t, http.StatusUnauthorized, code)
}

// Two editors of one draft: the second save, made from the revision both opened, is refused
// (412) with who saved it and when, and nothing of it is written; saving again from the new
// revision goes through.
func TestDraftSaveOverAnotherIsRefused(t *testing.T) {
	t.Parallel()
	p := newProcedureAPI(t)
	const key = "api_two_editors"
	path := "/v1/procedures/" + key + "/versions/1"
	code, opened := p.do(t, http.MethodPost, "/v1/procedures", "admin", map[string]any{"yaml": yamlOf(t, key)})
	require.Equal(t, http.StatusCreated, code, opened)
	rev := opened["revision"].(string)
	require.NotEmpty(t, rev)
	resp := p.api.Get(path, "Authorization: Bearer "+p.tokens["admin"])
	require.Equal(t, `"`+rev+`"`, resp.Header().Get("ETag"))

	save := func(name, ifMatch string) (int, map[string]any) {
		t.Helper()
		resp := p.api.Put(path, "Authorization: Bearer "+p.tokens["admin"], "If-Match: "+ifMatch, "Accept-Language: zh-CN",
			map[string]any{"yaml": yamlOf(t, key, "name: 法律咨询", "name: "+name)})
		var out map[string]any
		require.NoError(t, json.Unmarshal(resp.Body.Bytes(), &out), resp.Body.String())
		return resp.Code, out
	}
	code, first := save("法律咨询（甲）", `"`+rev+`"`)
	require.Equal(t, http.StatusOK, code, first)
	require.NotEqual(t, rev, first["revision"], "a save makes a new revision")

	code, refused := save("法律咨询（乙）", `"`+rev+`"`)
	require.Equal(t, http.StatusPreconditionFailed, code, refused)
	require.Contains(t, refused["detail"], "api_two_editors第1版在您打开后已由admin于")
	require.Equal(t, map[string]string{"header.If-Match": "草稿的当前修订号为" + first["revision"].(string)}, errorsOf(refused))
	code, now := p.do(t, http.MethodGet, path, "admin", nil)
	require.Equal(t, http.StatusOK, code, now)
	require.Equal(t, "法律咨询（甲）", now["name"], "the refused save wrote nothing")

	code, second := save("法律咨询（乙）", first["revision"].(string))
	require.Equal(t, http.StatusOK, code, second, "from the new revision, quoted or not")
	require.Equal(t, "法律咨询（乙）", second["name"])
}

// Procedures are checked against the organisation in the database: a department added there is
// known to the check at once, one it lacks is refused.
func TestProceduresAreCheckedAgainstTheStoredOrganisation(t *testing.T) {
	t.Parallel()
	s := testenv.OwnStore(t)
	ctx := context.Background()
	require.NoError(t, demo.Load(ctx, s))
	v, tokens := devAuth(t)
	_, tapi := humatest.New(t, api.Config())
	(&api.Server{Store: s, Verifier: v, Logger: slog.New(slog.DiscardHandler)}).Register(tapi)
	p := &procedureAPI{api: tapi, tokens: tokens}
	src := yamlOf(t, "api_stored_org", `divert: 'data.topic == "labor" ? ["hrss"] : ["justice"]'`, `divert: '["forestry"]'`)
	check := func() []any {
		t.Helper()
		code, out := p.do(t, http.MethodPost, "/v1/procedures/validate", "admin", map[string]any{"yaml": src})
		require.Equal(t, http.StatusOK, code, out)
		return out["problems"].([]any)
	}
	problems := check()
	require.Len(t, problems, 1, problems)
	require.Contains(t, problems[0].(map[string]any)["message"], "forestry")

	org, err := definitions.DemoOrg()
	require.NoError(t, err)
	org.Departments = append(org.Departments, definitions.Department{Code: "forestry", Name: "林草局", Mode: definitions.StationOnCall, ResponseHours: 24})
	require.NoError(t, s.SeedOrg(ctx, org))
	require.Empty(t, check(), "the stored organisation has the forestry bureau now")
}
