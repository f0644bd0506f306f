// Package telemetry is what operators see of a OneDoor process: Prometheus metrics (HTTP
// requests, the Temporal SDK's own, and the read model's gauges), OpenTelemetry traces from the
// API through Temporal to the activities and PostgreSQL, exported by OTLP when
// OTEL_EXPORTER_OTLP_ENDPOINT is set, and request ids that follow a request into the workflow's
// logs.
package telemetry

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
	"go.temporal.io/sdk/client"
	temporalotel "go.temporal.io/sdk/contrib/opentelemetry"
	"go.temporal.io/sdk/interceptor"
)

// Telemetry holds a process's metrics registry and tracer provider.
type Telemetry struct {
	// Registry holds every metric /metrics serves.
	Registry *prometheus.Registry
	// Tracer is where spans go: an OTLP exporter, a test's recorder, or nowhere (a no-op).
	Tracer trace.TracerProvider
	// Tracing is set when spans are recorded: only then do Temporal calls carry them.
	Tracing bool

	http     *httpMetrics
	meter    *sdkmetric.MeterProvider
	tracing  interceptor.Interceptor
	shutdown []func(context.Context) error
}

// Options configure New.
type Options struct {
	// Service names the process in traces (service.name), unless OTEL_SERVICE_NAME does.
	Service string
	// Tracer, when set, receives the spans instead of the OTLP exporter (tests).
	Tracer trace.TracerProvider
	// Logger receives the exporter's errors (a collector that does not answer); none when nil.
	Logger *slog.Logger
}

// New sets up a process's telemetry. Traces are exported by OTLP over gRPC when
// OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, configured by the
// standard OTEL_ variables (headers, TLS, OTEL_TRACES_SAMPLER); otherwise nothing is recorded.
// New makes its tracer provider the global one, which the store's query tracer uses, when it made
// an exporter.
func New(ctx context.Context, o Options) (*Telemetry, error) {
	t := &Telemetry{Registry: prometheus.NewRegistry(), Tracer: o.Tracer, Tracing: o.Tracer != nil}
	t.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	t.http = newHTTPMetrics(t.Registry)

	// The Temporal SDK reports through OpenTelemetry's metric API; this reader turns its
	// instruments into Prometheus series in the same registry.
	exp, err := otelprom.New(otelprom.WithRegisterer(t.Registry), otelprom.WithoutScopeInfo(), otelprom.WithoutTargetInfo())
	if err != nil {
		return nil, fmt.Errorf("telemetry: metrics: %w", err)
	}
	// The SDK's timers are in seconds; OpenTelemetry's default buckets are made for milliseconds.
	seconds := sdkmetric.NewView(sdkmetric.Instrument{Name: "*", Kind: sdkmetric.InstrumentKindHistogram, Unit: "s"},
		sdkmetric.Stream{Aggregation: sdkmetric.AggregationExplicitBucketHistogram{Boundaries: latencyBuckets}})
	t.meter = sdkmetric.NewMeterProvider(sdkmetric.WithReader(exp), sdkmetric.WithView(seconds))
	t.shutdown = append(t.shutdown, t.meter.Shutdown)

	if t.Tracer == nil && (os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != "") {
		exporter, err := otlptracegrpc.New(ctx)
		if err != nil {
			return nil, fmt.Errorf("telemetry: OTLP exporter: %w", err)
		}
		res, err := resource.New(ctx, resource.WithAttributes(attribute.String("service.name", o.Service)),
			resource.WithFromEnv(), resource.WithTelemetrySDK(), resource.WithHost())
		if err != nil {
			return nil, fmt.Errorf("telemetry: resource: %w", err)
		}
		if o.Logger != nil {
			otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) { o.Logger.Warn("telemetry: export", "error", err) }))
		}
		tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter), sdktrace.WithResource(res))
		t.Tracer, t.Tracing = tp, true
		t.shutdown = append(t.shutdown, tp.Shutdown)
		otel.SetTracerProvider(tp)
		otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	}
	if t.Tracer == nil {
		t.Tracer = noop.NewTracerProvider()
	}
	if t.Tracing {
		tracer, err := temporalotel.NewTracer(temporalotel.TracerOptions{
			Tracer: t.Tracer.Tracer("go.temporal.io/sdk"),
			// Queries are how the API reads a case's offers: frequent and not worth a span.
			DisableQueryTracing: true,
			TextMapPropagator:   propagation.TraceContext{},
		})
		if err != nil {
			return nil, fmt.Errorf("telemetry: Temporal tracing: %w", err)
		}
		runs := &runSpans{Tracer: tracer}
		t.tracing = &runsInterceptor{Interceptor: interceptor.NewTracingInterceptor(runs), runs: runs}
	}
	return t, nil
}

// Shutdown flushes the spans not yet exported.
func (t *Telemetry) Shutdown(ctx context.Context) error {
	var errs []error
	for _, f := range t.shutdown {
		errs = append(errs, f(ctx))
	}
	return errors.Join(errs...)
}

// ClientOptions make a Temporal client, and the workers made from it, report the SDK's metrics,
// carry request ids, and, when tracing, carry and record spans.
func (t *Telemetry) ClientOptions(o *client.Options) {
	o.MetricsHandler = temporalotel.NewMetricsHandler(temporalotel.MetricsHandlerOptions{
		Meter: t.meter.Meter("go.temporal.io/sdk"),
	})
	o.ContextPropagators = append(o.ContextPropagators, RequestIDPropagator())
	if t.tracing != nil {
		o.Interceptors = append(o.Interceptors, t.tracing)
	}
}

// WorkerInterceptors are the interceptors a worker adds to the client's: request ids in its logs.
func (t *Telemetry) WorkerInterceptors(logger *slog.Logger) []interceptor.WorkerInterceptor {
	return []interceptor.WorkerInterceptor{WorkerInterceptor(logger)}
}

// MetricsHandler serves the registry in Prometheus's text format.
func (t *Telemetry) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(t.Registry, promhttp.HandlerOpts{Registry: t.Registry})
}
