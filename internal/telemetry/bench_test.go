package telemetry_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/onedoor/onedoor/internal/telemetry"
)

// BenchmarkHTTP is what the telemetry middleware adds to a request: an id, the route's
// histogram, and, when tracing, a recorded span. Compare the sub-benchmarks with benchstat; a
// registration takes about 250 ms.
func BenchmarkHTTP(b *testing.B) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/cases/{id}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	off, err := telemetry.New(context.Background(), telemetry.Options{Service: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(tracetest.NewNoopExporter()))
	on, err := telemetry.New(context.Background(), telemetry.Options{Service: "bench", Tracer: tp})
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		h    http.Handler
	}{{"bare", mux}, {"metrics", off.HTTP(mux)}, {"metrics+tracing", on.HTTP(mux)}} {
		b.Run(c.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/v1/cases/WS-PET-2026-000001", nil)
			for b.Loop() {
				c.h.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}
