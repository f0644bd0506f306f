package api_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/humatest"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/api"
	"github.com/onedoor/onedoor/store"
)

// send sends a raw request (a body that is not valid UTF-8 cannot go through json.Marshal) as
// user and returns the status, the Content-Type and the decoded problem or answer.
func (cs *caseServer) send(t testing.TB, method, path, user string, body []byte, header ...string) (int, string, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, cs.url+path, bytes.NewReader(body))
	require.NoError(t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+cs.tokens[user])
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var out map[string]any
	if strings.Contains(resp.Header.Get("Content-Type"), "json") && len(b) > 0 {
		require.NoError(t, json.Unmarshal(b, &out), string(b))
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), out
}

// locations are the locations of a problem's errors.
func locations(problem map[string]any) []string {
	var out []string
	errs, _ := problem["errors"].([]any)
	for _, e := range errs {
		out = append(out, e.(map[string]any)["location"].(string))
	}
	return out
}

// petitionJSON is petition() as JSON with one string replaced by raw bytes, which may be
// anything (json.Marshal would clean them).
func petitionJSON(t testing.TB, field string, raw string) []byte {
	t.Helper()
	body := petition()
	body[field] = "PLACEHOLDER"
	b, err := json.Marshal(body)
	require.NoError(t, err)
	return bytes.Replace(b, []byte(`"PLACEHOLDER"`), []byte(raw), 1)
}

// TestBadTextIsRefusedAtTheEdge sends text PostgreSQL cannot store, or no person types, in every
// place a request carries text: each is refused with the place named, before a workflow starts.
func TestBadTextIsRefusedAtTheEdge(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t, unlimited)
	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
	require.Equal(t, http.StatusCreated, status, c)
	number := c["number"].(string)

	withData := func(data string) []byte {
		return bytes.Replace(petitionJSON(t, "subject", `"草场纠纷"`), []byte(`"data":{`), []byte(`"data":{`+data+`,`), 1)
	}
	for _, tc := range []struct {
		name     string
		method   string
		path     string
		body     []byte
		header   []string
		status   int
		location string
	}{
		{"NUL in the subject", "POST", "/v1/cases", petitionJSON(t, "subject", `"草场\u0000纠纷"`), nil, 422, "body.subject"},
		{"escape in the name", "POST", "/v1/cases", petitionJSON(t, "resident_name", `"张\u001b三"`), nil, 422, "body.resident_name"},
		{"bytes not UTF-8 in the subject", "POST", "/v1/cases", petitionJSON(t, "subject", "\"草场\xff\xfe纠纷\""), nil, 422, "body.subject"},
		{"NUL in intake data", "POST", "/v1/cases", withData(`"facts":"邻居\u0000占用"`), nil, 422, "body.data.facts"},
		{"NUL in a key of intake data", "POST", "/v1/cases", withData(`"fa\u0000cts":"x"`), nil, 422, "body.data"},
		{"NUL deep in a list", "POST", "/v1/cases", withData(`"extra":[{"a":["ok","b\u0002"]}]`), nil, 422, "body.data.extra[0].a[1]"},
		{"NUL in a note", "POST", "/v1/cases/" + number + "/actions", []byte(`{"type":"note","reason":"已电话\u0000联系"}`), nil, 422, "body.reason"},
		{"NUL in a list of cases", "POST", "/v1/supervision/urge", []byte(`{"cases":["` + number + `","x\u0000"],"message":"请办理"}`), nil, 422, "body.cases[1]"},
		{"NUL in a holiday's name", "POST", "/v1/calendar/holidays", []byte(`{"date":"2031-07-11","name":"那达慕\u0000","region":"内蒙古"}`), nil, 422, "body.name"},
		{"NUL in a procedure's YAML", "POST", "/v1/procedures/validate", []byte(`{"yaml":"key: x\u0000"}`), nil, 422, "body.yaml"},
		{"NUL in q", "GET", "/v1/cases?q=%00", nil, nil, 400, "query.q"},
		{"q not UTF-8", "GET", "/v1/cases?q=%FF%FE", nil, nil, 400, "query.q"},
		{"a parameter's name", "GET", "/v1/cases?q%00=1", nil, nil, 400, "query"},
		{"a malformed query", "GET", "/v1/cases?q=%zz", nil, nil, 400, "query"},
		{"NUL in a cursor", "GET", "/v1/tasks?cursor=a%00", nil, nil, 400, "query.cursor"},
		{"NUL in a region", "DELETE", "/v1/calendar/holidays/2031-07-11?region=%01", nil, nil, 400, "query.region"},
		{"NUL in a case id", "GET", "/v1/cases/AT%00", nil, nil, 400, "path.id"},
		{"a case id not UTF-8", "GET", "/v1/cases/%C3%28", nil, nil, 400, "path.id"},
		{"NUL in a task id", "POST", "/v1/tasks/" + number + "/t%001/claim", nil, nil, 400, "path.task"},
		{"an idempotency key not UTF-8", "POST", "/v1/cases", petitionJSON(t, "subject", `"草场纠纷"`), []string{"Idempotency-Key", "k\xff"}, 400, "header.Idempotency-Key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			user := "clerk-galutu"
			switch {
			case strings.HasPrefix(tc.path, "/v1/supervision"):
				user = "supervisor-galutu"
			case strings.HasPrefix(tc.path, "/v1/calendar"), strings.HasPrefix(tc.path, "/v1/procedures"):
				user = "admin"
			}
			status, ct, problem := cs.send(t, tc.method, tc.path, user, tc.body, tc.header...)
			require.Equal(t, tc.status, status, problem)
			require.Equal(t, "application/problem+json", ct)
			require.Contains(t, locations(problem), tc.location, problem)
		})
	}

	// Tab, line feed and carriage return are text; the case is registered.
	status, _, c = cs.send(t, "POST", "/v1/cases", "clerk-galutu", petitionJSON(t, "subject", `"第一行\t说明\r\n第二行"`))
	require.Equal(t, http.StatusCreated, status, c)
	require.Equal(t, "第一行\t说明\r\n第二行", c["subject"])

	// A refused request starts no workflow: its idempotency key is still free, and the case it
	// would have spoilt takes notes as before.
	status, _, _ = cs.send(t, "POST", "/v1/cases", "clerk-galutu", petitionJSON(t, "subject", `"\u0000"`), "Idempotency-Key", "edge-nul")
	require.Equal(t, http.StatusUnprocessableEntity, status)
	status, _, c = cs.send(t, "POST", "/v1/cases", "clerk-galutu", petitionJSON(t, "subject", `"草场纠纷"`), "Idempotency-Key", "edge-nul")
	require.Equal(t, http.StatusCreated, status, c)
	status, note := cs.do(t, http.MethodPost, "/v1/cases/"+number+"/actions", "clerk-galutu", map[string]any{"type": "note", "reason": "已电话联系"})
	require.Equal(t, http.StatusOK, status, note)
}

// cursor is an opaque cursor made of any JSON text.
func cursor(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// TestClientMistakesAreNot500 sends the mistakes that answered 500: cursors made up or damaged,
// dates no calendar reaches, a deadline beyond the year 9999, a body whose chunks are broken.
func TestClientMistakesAreNot500(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t, unlimited)
	id := uuid.NewString()
	cursors := []string{
		"!!!", "bm90LWEtY3Vyc29y", cursor("null"), cursor("{}"), cursor("[]"), cursor(`"x"`), cursor("42"),
		cursor(`{"t":"2026-01-01T00:00:00Z"}`),
		cursor(`{"t":"2026-01-01T00:00:00Z","i":""}`),
		cursor(`{"t":"2026-01-01T00:00:00Z","i":"x"}`),
		cursor(`{"t":"2026-01-01T00:00:00Z","i":"urn:uuid:` + id + `"}`),
		cursor(`{"t":"2026-01-01T00:00:00Z","i":"` + strings.ReplaceAll(id, "-", "") + `"}`),
		cursor(`{"t":"2026-01-01T00:00:00Z","i":"` + strings.ToUpper(id) + `"}`),
		cursor(`{"t":"yesterday","i":"` + id + `"}`),
		cursor(`{"t":"0001-01-01T00:00:00Z","i":"` + id + `"}`),
		cursor(`{"t":1,"i":"` + id + `"}`),
		cursor(`{"d":null}`),
		cursor(`{"c":"` + id + `","t":"t\u00001"}`),
		cursor(`{"d":"2026-01-01T00:00:00Z","c":"nope","t":"t1"}`),
		cursor(`{"a":"2026-01-01T00:00:00Z","c":"` + id + `","s":1,"n":1099511627776}`),
		cursor(`{"a":"2026-01-01T00:00:00Z","c":"` + id + `","s":1e30,"n":1}`),
		cursor(`{"a":"2026-01-01T00:00:00Z","c":"","s":1,"n":1}`),
		cursor(`{"a":"2026-01-01T00:00:00Z","c":"` + id + `","s":-1,"n":-2147483649}`),
		cursor(`{"t":"2026-01-01T00:00:00Z","i":"` + id + `"`),
		cursor("\xff\xfe"),
	}
	for _, list := range []string{"/v1/cases", "/v1/tasks", "/v1/notifications"} {
		for i, c := range cursors {
			t.Run(fmt.Sprintf("%s cursor %d", list, i), func(t *testing.T) {
				status, problem := cs.do(t, http.MethodGet, list+"?cursor="+url.QueryEscape(c), "clerk-galutu", nil)
				require.Equal(t, http.StatusUnprocessableEntity, status, "%s: %v", c, problem)
				require.Equal(t, []string{"query.cursor"}, locations(problem))
			})
		}
	}
	// A good cursor still pages.
	for range 2 {
		status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
		require.Equal(t, http.StatusCreated, status, c)
	}
	status, page := cs.do(t, http.MethodGet, "/v1/cases?limit=1", "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, page)
	status, page = cs.do(t, http.MethodGet, "/v1/cases?limit=1&cursor="+page["next"].(string), "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, page)

	for _, tc := range []struct {
		path     string
		location string
	}{
		{"/v1/stats?from=0001-01-01", "query.from"},
		{"/v1/stats?to=9999-12-31", "query.to"},
		{"/v1/stats?from=1899-12-31", "query.from"},
		{"/v1/cases?received_from=0001-01-01", "query.received_from"},
		{"/v1/cases.csv?received_to=9999-12-31", "query.received_to"},
		{"/v1/calendar/due?from=9999-12-31&amount=100000&unit=workdays", "query.amount"},
		{"/v1/calendar/due?from=9999-12-31&amount=10&unit=workdays", "query.from"},
		{"/v1/calendar/due?from=9999-12-31T23:00:00Z&amount=3660&unit=hours", "query.from"},
		{"/v1/calendar/due?from=0001-01-01&amount=1&unit=days", "query.from"},
		{"DELETE /v1/calendar/holidays/0000-01-01?region=x", "path.date"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			method, path, ok := strings.Cut(tc.path, " ")
			if !ok {
				method, path = http.MethodGet, tc.path
			}
			status, problem := cs.do(t, method, path, "admin", nil)
			require.Equal(t, http.StatusUnprocessableEntity, status, problem)
			require.Contains(t, locations(problem), tc.location, problem)
		})
	}
	// The far ends of what is allowed are counted.
	for _, path := range []string{
		"/v1/calendar/due?from=2999-12-31&amount=3660&unit=workdays",
		"/v1/calendar/due?from=2999-12-31T23:59:00%2B08:00&amount=3660&unit=hours",
		"/v1/calendar/due?from=1900-01-01&amount=1&unit=days",
		"/v1/stats?from=1950-01-01&to=1999-12-31", // the longest period allowed, 50 years
	} {
		status, body := cs.do(t, http.MethodGet, path, "admin", nil)
		require.Equal(t, http.StatusOK, status, "%s: %v", path, body)
	}

	// A chunked body broken half way: the client's fault, not the server's.
	for _, chunks := range []string{"zz\r\n{}\r\n0\r\n\r\n", "5\r\n{\"cas\r\n", "3\r\n{}\r\nx\r\n"} {
		conn, err := net.Dial("tcp", strings.TrimPrefix(cs.url, "http://"))
		require.NoError(t, err)
		fmt.Fprintf(conn, "POST /v1/supervision/urge HTTP/1.1\r\nHost: onedoor\r\nAuthorization: Bearer %s\r\n"+
			"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n%s", cs.tokens["supervisor-galutu"], chunks)
		if strings.HasPrefix(chunks, "5") {
			require.NoError(t, conn.(*net.TCPConn).CloseWrite()) // the client hangs up mid-chunk
		}
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		require.Equal(t, http.StatusBadRequest, resp.StatusCode, "%q: %s", chunks, b)
		require.Contains(t, string(b), "request body cannot be read")
		conn.Close()
	}
}

// TestPanicsAnswer500 registers operations that panic, in the handler and while their answer is
// written, beside the API's own: each is a 500 problem with an error id, logged with its stack and
// with status 500 in the request log.
func TestPanicsAnswer500(t *testing.T) {
	t.Parallel()
	var log bytes.Buffer
	_, tapi := humatest.New(t, api.Config())
	(&api.Server{Logger: slog.New(slog.NewJSONHandler(&log, nil)), RateLimit: -1}).Register(tapi)
	huma.Register(tapi, huma.Operation{OperationID: "boom", Method: http.MethodGet, Path: "/test/boom"},
		func(context.Context, *struct{}) (*struct{}, error) { panic("boom in the handler") })
	type farOutput struct {
		Body struct {
			At time.Time `json:"at"`
		}
	}
	huma.Register(tapi, huma.Operation{OperationID: "far", Method: http.MethodGet, Path: "/test/far"},
		func(context.Context, *struct{}) (*farOutput, error) {
			out := &farOutput{}
			out.Body.At = time.Date(10014, 1, 10, 0, 0, 0, 0, time.UTC) // JSON cannot write it: huma panics
			return out, nil
		})
	for _, path := range []string{"/test/boom", "/test/far"} {
		resp := tapi.Get(path)
		require.Equal(t, http.StatusInternalServerError, resp.Code, resp.Body.String())
		require.Equal(t, "application/problem+json", resp.Header().Get("Content-Type"))
		var problem map[string]any
		require.NoError(t, json.Unmarshal(resp.Body.Bytes(), &problem), resp.Body.String())
		require.Regexp(t, `^internal error [0-9a-f-]{36}: the details are in the server log$`, problem["detail"])
		id := strings.Fields(problem["detail"].(string))[2]
		id = strings.TrimSuffix(id, ":")
		require.Contains(t, log.String(), `"error_id":"`+id+`"`)
		require.Contains(t, log.String(), `"msg":"request","request":"GET `+path+`","status":500`)
	}
	require.Contains(t, log.String(), "boom in the handler")
	require.Contains(t, log.String(), "year outside of range")
	require.Contains(t, log.String(), "edge_test.go", "the stack is logged")
	require.NotContains(t, log.String(), `"status":200`)
}

// TestCSVCellsAreNotFormulas exports names and subjects a spreadsheet would run as formulas:
// every such cell starts with a single quote.
func TestCSVCellsAreNotFormulas(t *testing.T) {
	t.Parallel()
	r := newReadAPI(t)
	token := "公式" + uuid.NewString()[:8]
	hostile := []string{`=HYPERLINK("http://evil","点击")`, "+1+1", "-2+3", "@SUM(A1:A9)", "\tTAB", "\rCR", "=1"}
	ctx := context.Background()
	for i, h := range hostile {
		now := time.Now().Add(-time.Duration(i) * time.Minute)
		c := onedoor.Case{ID: uuid.NewString(), Matter: "mediation", Status: onedoor.StatusOpen, Step: "handle", Level: "town",
			OrgUnit: "galutu", ReceivedBy: "galutu", Channel: onedoor.ChannelVisit, Subject: h + " " + token, ResidentName: h,
			Data: map[string]any{}, ProcedureKey: "mediation", ProcedureVersion: 1, CreatedBy: "test", ReceivedAt: now, UpdatedAt: now}
		_, err := r.store.RegisterCase(ctx, c, nil, "CSV-MED-2026", store.AuditEntry{Seq: 1, At: now, Actor: "test", Action: "register"})
		require.NoError(t, err)
	}
	resp := r.api.Do(http.MethodGet, "/v1/cases.csv?q="+url.QueryEscape(token), "Authorization: Bearer "+r.tokens["admin"])
	require.Equal(t, http.StatusOK, resp.Code, resp.Body.String())
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(resp.Body.String(), "\uFEFF"))).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 1+len(hostile))
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	var names []string
	for _, row := range rows[1:] {
		name := row[col["resident_name"]]
		names = append(names, name)
		require.True(t, strings.HasPrefix(row[col["subject"]], name+" "), "the subject is escaped as the name is: %q", row)
		require.Regexp(t, `^CSV-MED-2026-\d+$`, row[col["number"]], "a harmless cell is as it was")
		for _, cell := range row {
			require.False(t, cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])), "no cell starts a formula: %q", cell)
		}
	}
	for _, h := range hostile {
		require.Contains(t, names, "'"+h)
	}
}

// fuzzMethods and fuzzUsers are what FuzzRequest picks from: the methods the API serves, and users
// of every kind of scope.
var (
	fuzzMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodHead}
	fuzzUsers   = []string{"clerk-galutu", "admin", "supervisor-banner", "auditor", "justice-staff", "clerk-sarula"}
)

// FuzzRequest sends any method, path, query, body and Idempotency-Key to the real handler on real
// PostgreSQL and Temporal, as a user with a valid token: whatever a client sends, the answer is
// never a 5xx and nothing panics. `make test` runs the seeds below; `go test -fuzz FuzzRequest
// ./api/` (under `onedoor testenv`) searches further.
func FuzzRequest(f *testing.F) {
	cs := newCaseServer(f, unlimited)
	good, err := json.Marshal(petition())
	require.NoError(f, err)
	id := uuid.NewString()
	for _, s := range []struct {
		method, user byte
		path, query  string
		contentType  string
		body         string
		key          string
	}{
		{1, 0, "/v1/cases", "", "application/json", string(good), ""},
		{1, 0, "/v1/cases", "", "application/json", strings.Replace(string(good), "草场", `草\u0000场`, 1), "fuzz-1"},
		{1, 0, "/v1/cases", "", "application/json", strings.Replace(string(good), "草场", "草\xff场", 1), ""},
		{1, 0, "/v1/cases", "", "", string(good), "k\xff"},
		{1, 0, "/v1/cases", "", "application/json", `{"matter":"petition","data":{"a":{"b":[[[{"c\u0000":1}]]]}}}`, ""},
		{1, 0, "/v1/cases", "", "application/json", strings.Repeat("[", 20000) + strings.Repeat("]", 20000), ""},
		{1, 0, "/v1/cases", "", "application/json", `{"matter":"petition","data":{"people":1e400}}`, ""},
		{1, 0, "/v1/cases", "", "application/xml", `<case/>`, ""},
		{1, 0, "/v1/cases", "", "application/merge-patch+json", `{"subject":"\u0007"}`, ""},
		{1, 0, "/v1/cases/AT-PET-2026-000001/actions", "", "application/json", `{"type":"note","reason":"\u0000"}`, ""},
		{1, 0, "/v1/cases/" + id + "/actions", "", "application/json", `{"type":"complete","outcome":"x"}`, "a"},
		{0, 0, "/v1/cases", "q=%FF", "", "", ""},
		{0, 0, "/v1/cases", "q=%00&cursor=%00", "", "", ""},
		{0, 0, "/v1/cases", "cursor=" + cursor(`{"t":"2026-01-01T00:00:00Z","i":"x"}`), "", "", ""},
		{0, 0, "/v1/tasks", "cursor=" + cursor(`{"c":"`+id+`","t":"t\u00001"}`), "", "", ""},
		{0, 2, "/v1/notifications", "cursor=" + cursor(`{"a":"2026-01-01T00:00:00Z","c":"`+id+`","n":1099511627776}`), "", "", ""},
		{0, 0, "/v1/tasks", "due_before=0000-01-01T00:00:00Z&overdue=maybe", "", "", ""},
		{0, 2, "/v1/stats", "from=0001-01-01", "", "", ""},
		{0, 2, "/v1/stats", "from=2026-01-01&to=2025-01-01&department=%C3%28", "", "", ""},
		{0, 0, "/v1/calendar/due", "from=9999-12-31&amount=100000&unit=workdays", "", "", ""},
		{0, 0, "/v1/calendar/due", "from=2026-02-13T15:04:00%2B08:00&amount=3660&unit=hours", "", "", ""},
		{0, 0, "/v1/cases.csv", "received_to=9999-12-31&q=%3D1", "", "", ""},
		{0, 0, "/v1/cases/%00", "", "", "", ""},
		{0, 0, "/v1/cases/" + id + "/timeline", "", "", "", ""},
		{4, 1, "/v1/calendar/holidays/2031-13-45", "region=x", "", "", ""},
		{1, 1, "/v1/calendar/holidays", "", "application/json", `{"date":"0000-01-01","name":"x","region":"y"}`, ""},
		{1, 1, "/v1/procedures/validate", "", "application/json", `{"yaml":"key: [\u0000"}`, ""},
		{1, 1, "/v1/procedures/validate", "", "application/json", `{"yaml":"key: x\nsteps: {a: *b}"}`, ""},
		{1, 1, "/v1/procedures", "", "application/json", `{"key":"petition","from":-1}`, ""},
		{0, 1, "/v1/procedures/petition/diff", "from=0&to=99999999999", "", "", ""},
		{1, 2, "/v1/supervision/urge", "", "application/json", `{"cases":["x\u0001"],"message":"y"}`, ""},
		{0, 2, "/v1/supervision/overdue", "per_group=-1&org_unit=%FF", "", "", ""},
		{1, 0, "/v1/tasks/" + id + "/t1/claim", "", "", "", ""},
		{5, 3, "/healthz", "", "", "", ""},
		{2, 0, "/v1/../v1/cases", "", "", "", ""},
	} {
		f.Add(s.method, s.user, s.path, s.query, s.contentType, []byte(s.body), s.key)
	}
	f.Fuzz(func(t *testing.T, method, user byte, path, query, contentType string, body []byte, key string) {
		for _, v := range []string{contentType, key} {
			if strings.IndexFunc(v, func(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f }) >= 0 {
				return // net/http refuses such a header before any handler runs
			}
		}
		req := httptest.NewRequest(http.MethodGet, "/", bytes.NewReader(body))
		req.Method = fuzzMethods[int(method)%len(fuzzMethods)]
		req.URL.Path, req.URL.RawQuery = "/"+strings.TrimPrefix(path, "/"), query
		req.Header.Set("Authorization", "Bearer "+cs.tokens[fuzzUsers[int(user)%len(fuzzUsers)]])
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		rec := httptest.NewRecorder()
		cs.handler.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s?%s (%s, %q, key %q): %d %s", req.Method, req.URL.Path, query, contentType, body, key, rec.Code, rec.Body)
		}
	})
}
