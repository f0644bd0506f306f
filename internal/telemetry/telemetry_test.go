package telemetry_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.temporal.io/sdk/client"

	"github.com/onedoor/onedoor/api"
	"github.com/onedoor/onedoor/auth"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/demo"
	"github.com/onedoor/onedoor/internal/telemetry"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/store"
	"github.com/onedoor/onedoor/worker"
)

// center is the API and a worker wired as runServices wires them, on the test servers, with the
// spans kept in memory and the logs in a buffer.
type center struct {
	url    string
	tokens map[string]string
	spans  *tracetest.InMemoryExporter
	tel    *telemetry.Telemetry
	logs   *syncBuffer
	// restartWorker stops the worker and starts another on its task queue, which has to replay
	// the workflows it meets from their histories.
	restartWorker func()
}

// syncBuffer is a buffer the worker's goroutines and the test share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines are the JSON log lines written so far.
func (b *syncBuffer) lines(t *testing.T) []map[string]any {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b.buf.Bytes()))
	for sc.Scan() {
		var m map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &m), sc.Text())
		out = append(out, m)
	}
	return out
}

func newCenter(t *testing.T) *center {
	t.Helper()
	ctx := context.Background()
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	tel, err := telemetry.New(ctx, telemetry.Options{Service: "test", Tracer: tp})
	require.NoError(t, err)
	logs := &syncBuffer{}
	logger := telemetry.NewLogger(logs, "json", slog.LevelInfo)

	s, err := store.Open(ctx, testenv.DatabaseURL(t), store.Traced(tp))
	require.NoError(t, err)
	t.Cleanup(s.Close)
	require.NoError(t, demo.Load(ctx, s))
	org, err := definitions.DemoOrg()
	require.NoError(t, err)
	_, err = s.LoadLibrary(ctx, org)
	require.NoError(t, err)

	o := client.Options{HostPort: testenv.TemporalAddress(t), Namespace: "default", Logger: testenv.QuietLogger{}}
	tel.ClientOptions(&o)
	tc, err := client.Dial(o)
	require.NoError(t, err)
	t.Cleanup(tc.Close)
	queue := "telemetry-test-" + t.Name()
	w := worker.New(tc, s, queue, worker.Interceptors(tel.WorkerInterceptors(logger)...))
	require.NoError(t, w.Start())
	t.Cleanup(func() { w.Stop() })
	restartWorker := func() {
		w.Stop()
		w = worker.New(tc, s, queue, worker.Interceptors(tel.WorkerInterceptors(logger)...))
		require.NoError(t, w.Start())
	}

	dir := t.TempDir()
	v, err := auth.NewDevVerifier(dir)
	require.NoError(t, err)
	key, err := auth.DevKey(dir)
	require.NoError(t, err)
	tokens := map[string]string{}
	for _, u := range demo.Users {
		tokens[u.ID], err = auth.SignDev(key, u.ID, time.Hour)
		require.NoError(t, err)
	}
	as := &api.Server{Store: s, Temporal: tc, Verifier: v, Logger: logger, NumberOrg: "TT", TaskQueue: queue}
	tel.ReadModelGauges(s, logger)
	require.NoError(t, tel.PoolStats(s))
	hs := httptest.NewServer(tel.HTTP(as.Handler()))
	t.Cleanup(hs.Close)
	return &center{url: hs.URL, tokens: tokens, spans: spans, tel: tel, logs: logs, restartWorker: restartWorker}
}

// do sends a request as user with the request id (none when empty) and decodes the answer.
func (c *center) do(t *testing.T, method, path, user, requestID string, body any) (int, http.Header, map[string]any) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.url+path, r)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.tokens[user])
	if requestID != "" {
		req.Header.Set(telemetry.RequestIDHeader, requestID)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var out map[string]any
	if len(b) > 0 {
		require.NoError(t, json.Unmarshal(b, &out), string(b))
	}
	return resp.StatusCode, resp.Header, out
}

// scrape is what /metrics serves, by series ("name{labels}") to value.
func (c *center) scrape(t *testing.T) map[string]string {
	t.Helper()
	rec := httptest.NewRecorder()
	c.tel.MetricsHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	series := map[string]string{}
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		series[line[:i]] = line[i+1:]
	}
	return series
}

func petition() map[string]any {
	return map[string]any{"matter": "petition", "channel": "visit", "subject": "草场边界纠纷", "resident_name": "张三",
		"data": map[string]any{
			"petitioner": "张三", "phone": "13800138000", "channel": "visit", "category": "proposal",
			"topic": "land", "people": 1, "facts": "邻居占用草场，多次协商未果。",
		}}
}

// registerAndAct registers a petition and completes its first task, with the given request ids.
func (c *center) registerAndAct(t *testing.T, createID, actionID string) string {
	t.Helper()
	status, header, cs := c.do(t, http.MethodPost, "/v1/cases", "clerk-sarula", createID, petition())
	require.Equal(t, http.StatusCreated, status, cs)
	if createID != "" {
		require.Equal(t, createID, header.Get(telemetry.RequestIDHeader), "the answer echoes the client's request id")
	}
	number := cs["number"].(string)
	status, _, out := c.do(t, http.MethodPost, "/v1/cases/"+number+"/actions", "clerk-sarula", actionID,
		map[string]any{"type": "complete", "outcome": "register"})
	require.Equal(t, http.StatusOK, status, out)
	return number
}

// TestMetricsAfterARequestAndAnAction: /metrics counts requests by route pattern (never the case
// number in the path) and status, with their latency; carries the Temporal SDK's metrics; and
// counts the read model's open cases.
func TestMetricsAfterARequestAndAnAction(t *testing.T) {
	t.Parallel()
	c := newCenter(t)
	number := c.registerAndAct(t, "", "")
	status, header, _ := c.do(t, http.MethodGet, "/v1/cases/"+number, "clerk-sarula", "", nil)
	require.Equal(t, http.StatusOK, status)
	require.Regexp(t, `^[0-9a-f-]{36}$`, header.Get(telemetry.RequestIDHeader), "a request without an id gets a new one")

	m := c.scrape(t)
	require.Equal(t, "1", m[`onedoor_http_request_duration_seconds_count{method="POST",route="/v1/cases",status="201"}`], m)
	require.Equal(t, "1", m[`onedoor_http_request_duration_seconds_count{method="POST",route="/v1/cases/{id}/actions",status="200"}`])
	require.Equal(t, "1", m[`onedoor_http_request_duration_seconds_count{method="GET",route="/v1/cases/{id}",status="200"}`])
	for name := range m {
		require.NotContains(t, name, number, "no series names a case")
	}
	// The registration waited for its workflow and the read model: more than 5 ms, less
	// than the request deadline.
	require.Equal(t, "0", m[`onedoor_http_request_duration_seconds_bucket{method="POST",route="/v1/cases",status="201",le="0.005"}`])
	require.Equal(t, "1", m[`onedoor_http_request_duration_seconds_bucket{method="POST",route="/v1/cases",status="201",le="30"}`])

	// The SDK's own: the workflow and activity tasks this worker ran, the calls the client made.
	var sdk []string
	for name := range m {
		if strings.HasPrefix(name, "temporal_") {
			sdk = append(sdk, name)
		}
	}
	require.NotEmpty(t, sdk)
	requireSeries(t, m, `temporal_workflow_task_execution_latency`)
	requireSeries(t, m, `temporal_activity_execution_latency`)
	requireSeries(t, m, `temporal_request`)
	// Their latencies are in seconds, bucketed as such: an activity that writes a few rows takes
	// less than ten seconds.
	requireSeries(t, m, `temporal_activity_execution_latency_seconds_bucket{activity_type="Mirror"`)
	tens := 0
	for name, v := range m {
		if strings.HasPrefix(name, `temporal_activity_execution_latency_seconds_bucket{activity_type="Mirror"`) && strings.HasSuffix(name, `le="10"}`) {
			require.Equal(t, m[strings.Replace(name, `le="10"`, `le="+Inf"`, 1)], v)
			tens++
		}
	}
	require.Equal(t, 1, tens)

	// The connection pool: the requests above acquired connections from it.
	requireSeries(t, m, `pgxpool_acquires_total`)
	requireSeries(t, m, `pgxpool_max_connections`)

	require.Equal(t, "1", m[`onedoor_read_model_gauges_up`])
	require.Contains(t, m, `onedoor_cases_open{level="village"}`, m)
	require.Contains(t, m, `onedoor_notifications_unread`)
}

// requireSeries finds a series whose name starts with prefix and whose value is positive.
func requireSeries(t *testing.T, m map[string]string, prefix string) {
	t.Helper()
	for name, v := range m {
		if strings.HasPrefix(name, prefix) && v != "0" {
			return
		}
	}
	t.Fatalf("no series %s* with a positive value", prefix)
}

// TestRequestIDReachesTheWorkersLogs: the id a client sends comes back in the answer and is in
// the worker's log lines for the workflow it started and the update it sent.
func TestRequestIDReachesTheWorkersLogs(t *testing.T) {
	t.Parallel()
	c := newCenter(t)
	c.registerAndAct(t, "client-create-1", "client-action-1")
	find := func(msg, id string) map[string]any {
		for _, l := range c.logs.lines(t) {
			if l["msg"] == msg && l["request_id"] == id {
				return l
			}
		}
		return nil
	}
	require.Eventually(t, func() bool { return find("workflow started", "client-create-1") != nil }, 10*time.Second, 50*time.Millisecond)
	started := find("workflow started", "client-create-1")
	require.Equal(t, "Case", started["workflow_type"])
	update := find("workflow update", "client-action-1")
	require.NotNil(t, update, c.logs.lines(t))
	require.Equal(t, started["workflow_id"], update["workflow_id"])
	// The API's own line of each request carries the id too.
	require.NotNil(t, find("request", "client-action-1"))
}

// TestOneRegistrationIsOneTrace: the spans of a registration, from the HTTP request through the
// workflow's start and its update to the mirror activity and its SQL, are one trace, every
// span's parent exported with it. The workflow run's span (RunWorkflow:Case) goes out when the
// run first runs, not when the case closes.
func TestOneRegistrationIsOneTrace(t *testing.T) {
	t.Parallel()
	c := newCenter(t)
	status, _, cs := c.do(t, http.MethodPost, "/v1/cases", "clerk-sarula", "trace-1", petition())
	require.Equal(t, http.StatusCreated, status, cs)

	var spans spanTree
	var sql []string
	require.Eventually(t, func() bool {
		spans = newSpanTree(c.spans.GetSpans())
		for _, s := range spans.byID {
			if a := spans.ancestry(s); s.Name == "INSERT" && slices.Contains(a, "RunActivity:Mirror") {
				sql = a
			}
		}
		return sql != nil
	}, 15*time.Second, 100*time.Millisecond)
	t.Logf("an INSERT of the mirror activity, up to the request: %s", strings.Join(sql, " < "))
	require.Equal(t, []string{"RunActivity:Mirror", "StartActivity:Mirror", "RunWorkflow:Case",
		"UpdateWithStartWorkflow:open", "POST /v1/cases"}, sql[len(sql)-5:])
	root := spans.named("POST /v1/cases")
	require.Len(t, root, 1)
	require.False(t, root[0].Parent.IsValid(), "the request's span is the trace's root")
	require.Equal(t, "trace-1", attr(root[0], "onedoor.request_id"))
	require.Equal(t, "/v1/cases", attr(root[0], "http.route"))

	// The request's own spans: the user's lookup in PostgreSQL, the workflow started with its
	// first update, and the update's handler in the worker.
	var below []string
	for _, s := range spans.byID {
		if a := spans.ancestry(s); a[len(a)-1] == "POST /v1/cases" {
			below = append(below, strings.Join(a, " < "))
		}
	}
	require.Contains(t, below, "UpdateWithStartWorkflow:open < POST /v1/cases")
	require.Contains(t, below, "HandleUpdate:open < UpdateWithStartWorkflow:open < POST /v1/cases")
	require.Contains(t, below, "SELECT < POST /v1/cases")
	spans.requireNoMissingParent(t)
}

// TestAReplayedRunExportsNoSecondSpan: a worker that replays a case's workflow (another worker
// after the first stopped) starts no second span for the run; what the workflow does after the
// replay hangs under the span that started the run, exported with its request.
func TestAReplayedRunExportsNoSecondSpan(t *testing.T) {
	t.Parallel()
	c := newCenter(t)
	status, _, cs := c.do(t, http.MethodPost, "/v1/cases", "clerk-sarula", "replay-1", petition())
	require.Equal(t, http.StatusCreated, status, cs)
	c.restartWorker()
	status, _, out := c.do(t, http.MethodPost, "/v1/cases/"+cs["number"].(string)+"/actions", "clerk-sarula", "replay-2",
		map[string]any{"type": "note", "reason": "电话回访"})
	require.Equal(t, http.StatusOK, status, out)

	var spans spanTree
	var mirrors [][]string
	require.Eventually(t, func() bool {
		spans = newSpanTree(c.spans.GetSpans())
		mirrors = nil
		for _, s := range spans.named("StartActivity:Mirror") {
			mirrors = append(mirrors, spans.ancestry(s))
		}
		return len(mirrors) == 2 && len(spans.named("RunActivity:Mirror")) == 2
	}, 15*time.Second, 100*time.Millisecond)
	require.Len(t, spans.named("RunWorkflow:Case"), 1, "one span for the run, replayed or not")
	var chains []string
	for _, a := range mirrors {
		chains = append(chains, strings.Join(a, " < "))
	}
	require.ElementsMatch(t, []string{
		// the registration's events, mirrored by the first worker
		"StartActivity:Mirror < RunWorkflow:Case < UpdateWithStartWorkflow:open < POST /v1/cases",
		// the note's, by the worker that replayed the run
		"StartActivity:Mirror < UpdateWithStartWorkflow:open < POST /v1/cases",
	}, chains)
	spans.requireNoMissingParent(t)
}

// spanTree is the spans exported so far, by id.
type spanTree struct {
	byID map[trace.SpanID]tracetest.SpanStub
}

func newSpanTree(spans tracetest.SpanStubs) spanTree {
	t := spanTree{byID: map[trace.SpanID]tracetest.SpanStub{}}
	for _, s := range spans {
		t.byID[s.SpanContext.SpanID()] = s
	}
	return t
}

// ancestry is the names from s up to the first span whose parent is not exported.
func (t spanTree) ancestry(s tracetest.SpanStub) []string {
	names := []string{s.Name}
	for s.Parent.IsValid() {
		p, ok := t.byID[s.Parent.SpanID()]
		if !ok {
			break
		}
		s = p
		names = append(names, s.Name)
	}
	return names
}

func (t spanTree) named(name string) []tracetest.SpanStub {
	var out []tracetest.SpanStub
	for _, s := range t.byID {
		if s.Name == name {
			out = append(out, s)
		}
	}
	return out
}

// requireNoMissingParent fails when a span of Temporal's (StartActivity:Mirror, …) names a
// parent that was not exported: a trace backend would show it detached. (A span of PostgreSQL's
// can be exported before the activity around it ends.)
func (t spanTree) requireNoMissingParent(tt *testing.T) {
	tt.Helper()
	for _, s := range t.byID {
		if !strings.Contains(s.Name, ":") {
			continue
		}
		if _, ok := t.byID[s.Parent.SpanID()]; s.Parent.IsValid() && !ok {
			tt.Errorf("%s names a parent span that was not exported: %s", s.Name, strings.Join(t.ancestry(s), " < "))
		}
	}
}

func attr(s tracetest.SpanStub, key string) string {
	for _, a := range s.Attributes {
		if string(a.Key) == key {
			return a.Value.Emit()
		}
	}
	return ""
}
