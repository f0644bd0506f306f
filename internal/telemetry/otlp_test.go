package telemetry_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc"

	"github.com/onedoor/onedoor/internal/telemetry"
)

// collector is an OTLP/gRPC trace receiver that keeps the span names and service names it got.
type collector struct {
	collectortrace.UnimplementedTraceServiceServer
	mu       sync.Mutex
	spans    []string
	services []string
}

func (c *collector) Export(_ context.Context, req *collectortrace.ExportTraceServiceRequest) (*collectortrace.ExportTraceServiceResponse, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, rs := range req.GetResourceSpans() {
		for _, a := range rs.GetResource().GetAttributes() {
			if a.GetKey() == "service.name" {
				c.services = append(c.services, a.GetValue().GetStringValue())
			}
		}
		for _, ss := range rs.GetScopeSpans() {
			for _, s := range ss.GetSpans() {
				c.spans = append(c.spans, s.GetName())
			}
		}
	}
	return &collectortrace.ExportTraceServiceResponse{}, nil
}

// TestTracesAreExportedByOTLP: with OTEL_EXPORTER_OTLP_ENDPOINT set, a request's span reaches the
// collector, named by its route and its process, by the time the process has shut down.
func TestTracesAreExportedByOTLP(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	c := &collector{}
	srv := grpc.NewServer()
	collectortrace.RegisterTraceServiceServer(srv, c)
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(srv.Stop)

	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://"+l.Addr().String())
	t.Setenv("OTEL_EXPORTER_OTLP_INSECURE", "true")
	t.Setenv("OTEL_SERVICE_NAME", "")
	tel, err := telemetry.New(context.Background(), telemetry.Options{Service: "onedoor-api"})
	require.NoError(t, err)
	require.True(t, tel.Tracing)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/cases/{id}", func(w http.ResponseWriter, r *http.Request) {})
	tel.HTTP(mux).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/v1/cases/WS-PET-2026-000001", nil))
	require.NoError(t, tel.Shutdown(context.Background()))

	c.mu.Lock()
	defer c.mu.Unlock()
	require.Equal(t, []string{"GET /v1/cases/{id}"}, c.spans)
	require.Equal(t, []string{"onedoor-api"}, c.services)
}
