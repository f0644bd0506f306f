package telemetry

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/felixge/httpsnoop"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// latencyBuckets are the bounds, in seconds, of every latency histogram: an action waits for its
// workflow (about 0.25 s) and the read model (up to 5 s); the request deadline is 30 s; a long
// poll of the workers lasts up to a minute.
var latencyBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}

type httpMetrics struct {
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge
}

func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "onedoor_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by method, route pattern (/v1/cases/{id}/actions) and status; its _count is the number of requests.",
			Buckets: latencyBuckets,
		}, []string{"method", "route", "status"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "onedoor_http_requests_in_flight",
			Help: "HTTP requests being answered now.",
		}),
	}
	reg.MustRegister(m.duration, m.inFlight)
	return m
}

// untraced are the probes, asked every few seconds: their spans would drown the others.
var untraced = map[string]bool{"/livez": true, "/healthz": true, "/metrics": true}

// HTTP wraps the API's handler: every request gets an id (the client's X-Request-Id when it is a
// good one, else a new one), echoed in the answer and carried in its context; it is counted and
// timed by its route pattern, never its raw path, so that case numbers make no series; and,
// when tracing, it gets a span named by its route, continuing the caller's trace (traceparent).
func (t *Telemetry) HTTP(next http.Handler) http.Handler {
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := requestIDOf(r.Header.Get(RequestIDHeader))
		w.Header().Set(RequestIDHeader, id)
		r = r.WithContext(WithRequestID(r.Context(), id))
		t.http.inFlight.Inc()
		defer t.http.inFlight.Dec()
		// The ServeMux underneath sets the pattern it matched on this very request.
		m := httpsnoop.CaptureMetrics(next, w, r)
		route := routeOf(r)
		t.http.duration.WithLabelValues(methodOf(r), route, strconv.Itoa(m.Code)).Observe(m.Duration.Seconds())
		if span := trace.SpanFromContext(r.Context()); span.IsRecording() {
			span.SetName(r.Method + " " + route)
			span.SetAttributes(attribute.String("http.route", route), attribute.String("onedoor.request_id", id))
		}
	})
	if !t.Tracing {
		return inner
	}
	return otelhttp.NewHandler(inner, "HTTP",
		otelhttp.WithTracerProvider(t.Tracer),
		otelhttp.WithMeterProvider(metricnoop.NewMeterProvider()), // counted above, in Prometheus
		otelhttp.WithPropagators(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})),
		otelhttp.WithFilter(func(r *http.Request) bool { return !untraced[r.URL.Path] }))
}

// methods are the methods counted by name; any other a client makes up counts as OTHER, so that
// it makes no series of its own.
var methods = map[string]bool{http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true}

func methodOf(r *http.Request) string {
	if methods[r.Method] {
		return r.Method
	}
	return "OTHER"
}

// routeOf is the path pattern the request matched, without its method ("/v1/cases/{case}"), or
// "unmatched" when no route took it.
func routeOf(r *http.Request) string {
	p := r.Pattern
	if _, path, ok := strings.Cut(p, " "); ok {
		p = path
	}
	if p == "" {
		return "unmatched"
	}
	return p
}
