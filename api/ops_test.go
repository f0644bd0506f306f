package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2/humatest"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/api"
	"github.com/onedoor/onedoor/auth"
	"github.com/onedoor/onedoor/demo"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/store"
	"github.com/onedoor/onedoor/worker"
)

// limitedAPI is the read API with a rate limit of one request a second (bursts of five), and a
// way to sign any number of distinct tokens for a user.
func limitedAPI(t *testing.T) (humatest.TestAPI, func(user string, i int) string) {
	t.Helper()
	ctx := context.Background()
	s := testenv.Store(t)
	require.NoError(t, demo.Load(ctx, s))
	require.NoError(t, s.SaveUsers(ctx, readUsers))
	dir := t.TempDir()
	v, err := auth.NewDevVerifier(dir)
	require.NoError(t, err)
	key, err := auth.DevKey(dir)
	require.NoError(t, err)
	_, tapi := humatest.New(t, api.Config())
	(&api.Server{Store: s, Verifier: v, Logger: slog.New(slog.DiscardHandler), RateLimit: 1}).Register(tapi)
	return tapi, func(user string, i int) string {
		// Tokens of different lifetimes differ.
		tok, err := auth.SignDev(key, user, time.Hour+time.Duration(i)*time.Second)
		require.NoError(t, err)
		return tok
	}
}

func TestRateLimitIsPerUserAndPerAddress(t *testing.T) {
	t.Parallel()
	tapi, token := limitedAPI(t)
	statuses := func(tokens func(i int) string) map[int]int {
		got := map[int]int{}
		for i := range 20 {
			got[tapi.Do(http.MethodGet, "/v1/tasks", "Authorization: Bearer "+tokens(i)).Code]++
		}
		return got
	}

	// Twenty made-up tokens from one address: each is a new string, but the address is the same.
	got := statuses(func(i int) string { return fmt.Sprintf("bogus-%d", i) })
	require.Positive(t, got[http.StatusTooManyRequests], "bogus tokens are limited by address: %v", got)
	require.Positive(t, got[http.StatusUnauthorized], got)

	// Twenty distinct valid tokens of one user share the user's bucket.
	got = statuses(func(i int) string { return token("clerk-galutu", i) })
	require.Positive(t, got[http.StatusTooManyRequests], "a user's tokens share one limit: %v", got)
	require.Positive(t, got[http.StatusOK], got)

	resp := tapi.Do(http.MethodGet, "/v1/tasks", "Authorization: Bearer "+token("clerk-sarula", 0))
	require.Equal(t, http.StatusOK, resp.Code, "another user has a bucket of their own, even from the same address")
	limited := tapi.Do(http.MethodGet, "/v1/tasks", "Authorization: Bearer "+token("clerk-galutu", 99))
	require.Equal(t, http.StatusTooManyRequests, limited.Code)
	require.NotEmpty(t, limited.Header().Get("Retry-After"))
}

func TestStatsPeriodIsBoundedAndCharged(t *testing.T) {
	t.Parallel()
	r := newReadAPI(t)
	status, body := r.call(t, http.MethodGet, "/v1/stats?from=1960-01-01&to=2025-12-31", "admin", nil)
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	require.Equal(t, "query.from", body["errors"].([]any)[0].(map[string]any)["location"])

	// A burst of five: two years of statistics spend it all, so the next request waits.
	tapi, token := limitedAPI(t)
	resp := tapi.Do(http.MethodGet, "/v1/stats?from=2024-01-01&to=2025-12-31", "Authorization: Bearer "+token("admin", 0))
	require.Equal(t, http.StatusOK, resp.Code, resp.Body.String())
	resp = tapi.Do(http.MethodGet, "/v1/stats?from=2024-01-01&to=2025-12-31", "Authorization: Bearer "+token("admin", 0))
	require.Equal(t, http.StatusTooManyRequests, resp.Code, "the first long period cost more than one request")
	require.NotEmpty(t, resp.Header().Get("Retry-After"))
}

// getRaw is a GET without a token, answering the status, the headers and the body as text.
func getRaw(t *testing.T, u string) (int, http.Header, string) {
	t.Helper()
	resp, err := http.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(b)
}

// TestReadinessReportsWorkers: with PostgreSQL and Temporal up but no worker on the task queue,
// cases cannot move, so the server is not ready; it is once a worker polls. Liveness does not
// depend on either.
func TestReadinessReportsWorkers(t *testing.T) {
	t.Parallel()
	queue := "no-worker-" + uuid.NewString()
	cs := newCaseServer(t, func(s *api.Server) { s.TaskQueue = queue })

	status, header, body := getRaw(t, cs.url+"/healthz")
	require.Equal(t, http.StatusServiceUnavailable, status, body)
	require.Equal(t, "application/problem+json", header.Get("Content-Type"))
	require.NotEmpty(t, header.Get("Retry-After"))
	require.Contains(t, body, "workers unavailable")
	status, _, body = getRaw(t, cs.url+"/livez")
	require.Equal(t, http.StatusOK, status, body)

	w := worker.New(testenv.Temporal(t), testenv.Store(t), queue)
	require.NoError(t, w.Start())
	t.Cleanup(w.Stop)
	require.Eventually(t, func() bool {
		status, _, _ := getRaw(t, cs.url+"/healthz")
		return status == http.StatusOK
	}, time.Minute, 100*time.Millisecond, "ready once the worker polls")
	status, got := cs.do(t, http.MethodGet, "/healthz", "", nil)
	require.Equal(t, http.StatusOK, status, got)
	for _, k := range []string{"status", "postgres", "temporal", "workers"} {
		require.Equal(t, "ok", got[k], k)
	}
}

// TestHealthSaysNothingInternal: an anonymous caller learns which dependency is down, not the
// database's user, name, address or error.
func TestHealthSaysNothingInternal(t *testing.T) {
	t.Parallel()
	s, err := store.Open(context.Background(), "postgres://secretuser:secretpw@127.0.0.1:1/secretdb?sslmode=disable&connect_timeout=1")
	require.NoError(t, err)
	defer s.Close()
	srv := &api.Server{Store: s, Temporal: testenv.Temporal(t), Logger: slog.New(slog.DiscardHandler), TaskQueue: "no-worker-" + uuid.NewString()}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	status, _, body := getRaw(t, hs.URL+"/healthz")
	require.Equal(t, http.StatusServiceUnavailable, status, body)
	require.Contains(t, body, "postgres")
	for _, secret := range []string{"secretuser", "secretpw", "secretdb", "refused", "dial", "connect"} {
		require.NotContains(t, body, secret)
	}
}

// TestRequestDeadline: while no worker runs, a create waits for the workflow only until the
// server's deadline and answers 503 saying to retry with the same key; the retry after the
// worker is back registers the case once.
func TestRequestDeadline(t *testing.T) {
	t.Parallel()
	queue := "late-worker-" + uuid.NewString()
	cs := newCaseServer(t, func(s *api.Server) { s.TaskQueue, s.RequestTimeout = queue, 2*time.Second })
	key := "deadline-" + uuid.NewString()

	b, err := json.Marshal(petition())
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, cs.url+"/v1/cases", strings.NewReader(string(b)))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+cs.tokens["clerk-galutu"])
	req.Header.Set("Idempotency-Key", key)
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	require.NoError(t, err, "the create is still waiting for a worker a minute later: the server has no deadline")
	var problem map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&problem))
	resp.Body.Close()
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, problem)
	require.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
	require.NotEmpty(t, resp.Header.Get("Retry-After"))
	require.Contains(t, problem["detail"], "outcome of a write is unknown")
	require.Contains(t, problem["detail"], "Idempotency-Key")

	w := worker.New(testenv.Temporal(t), testenv.Store(t), queue)
	require.NoError(t, w.Start())
	t.Cleanup(w.Stop)
	status, first := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", petition(), "Idempotency-Key", key)
	require.Equal(t, http.StatusCreated, status, first)
	status, again := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", petition(), "Idempotency-Key", key)
	require.Equal(t, http.StatusCreated, status, again)
	require.Equal(t, first["number"], again["number"], "one case for the key")
}
