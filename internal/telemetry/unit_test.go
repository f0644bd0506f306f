package telemetry_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"github.com/onedoor/onedoor/internal/telemetry"
)

// TestTracingIsOffWithoutAnEndpoint: without OTEL_EXPORTER_OTLP_ENDPOINT nothing is recorded and
// the Temporal client gets no tracing interceptor (so no tracing header), only the request ids
// and the metrics.
func TestTracingIsOffWithoutAnEndpoint(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "")
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "")
	tel, err := telemetry.New(context.Background(), telemetry.Options{Service: "test"})
	require.NoError(t, err)
	require.False(t, tel.Tracing)
	var o client.Options
	tel.ClientOptions(&o)
	require.Empty(t, o.Interceptors)
	require.Len(t, o.ContextPropagators, 1)
	require.NotNil(t, o.MetricsHandler)
}

// TestRequestIDs: a sensible id from the client is kept; anything else (too long, spaces, control
// characters, none) is replaced by a new one, so that logs and answers never carry what a client
// made up to break them.
func TestRequestIDs(t *testing.T) {
	tel, err := telemetry.New(context.Background(), telemetry.Options{Service: "test"})
	require.NoError(t, err)
	var seen string
	mux := http.NewServeMux()
	mux.HandleFunc("GET /x", func(w http.ResponseWriter, r *http.Request) { seen = telemetry.RequestID(r.Context()) })
	h := tel.HTTP(mux)
	for sent, kept := range map[string]bool{
		"req-1":                                true,
		"0f8fad5b-d9cb-469f-a165-70867728950e": true,
		"lb/10.0.0.1:443@abc+def=":             true,
		"":                                     false,
		"has space":                            false,
		"line\nbreak":                          false,
		strings.Repeat("a", 129):               false,
		"引号":                                   false,
	} {
		req := httptest.NewRequest(http.MethodGet, "/x", nil)
		req.Header.Set(telemetry.RequestIDHeader, sent)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		got := rec.Header().Get(telemetry.RequestIDHeader)
		require.Equal(t, got, seen, "the handler sees the id the answer carries")
		if kept {
			require.Equal(t, sent, got)
		} else {
			require.Regexp(t, `^[0-9a-f-]{36}$`, got, "%q is replaced", sent)
		}
	}
}

// TestMadeUpMethodsMakeNoSeries: a client cannot grow the metrics by inventing methods.
func TestMadeUpMethodsMakeNoSeries(t *testing.T) {
	tel, err := telemetry.New(context.Background(), telemetry.Options{Service: "test"})
	require.NoError(t, err)
	h := tel.HTTP(http.NewServeMux())
	for _, m := range []string{"FOO", "BAR", "GET"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(m, "/nowhere", nil))
	}
	rec := httptest.NewRecorder()
	tel.MetricsHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body := rec.Body.String()
	require.Contains(t, body, `onedoor_http_request_duration_seconds_count{method="OTHER",route="unmatched",status="404"} 2`)
	require.Contains(t, body, `onedoor_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"} 1`)
	require.NotContains(t, body, "FOO")
}
