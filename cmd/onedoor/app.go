package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"strconv"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"golang.org/x/sync/errgroup"

	"github.com/onedoor/onedoor/api"
	"github.com/onedoor/onedoor/auth"
	"github.com/onedoor/onedoor/embedded/temporal"
	"github.com/onedoor/onedoor/internal/telemetry"
	"github.com/onedoor/onedoor/service"
	"github.com/onedoor/onedoor/store"
	"github.com/onedoor/onedoor/worker"
	"github.com/onedoor/onedoor/workflows"
)

// temporalFlags say where Temporal is.
type temporalFlags struct {
	TemporalAddress   string `name:"temporal-address" env:"TEMPORAL_ADDRESS" default:"127.0.0.1:7233" help:"Temporal frontend host:port."`
	TemporalNamespace string `name:"temporal-namespace" env:"TEMPORAL_NAMESPACE" default:"default" help:"Temporal namespace of OneDoor's workflows."`
	temporalTLSFlags
	codecFlags
}

// databaseFlags say where PostgreSQL is.
type databaseFlags struct {
	DatabaseURL string `name:"database-url" env:"DATABASE_URL" required:"" help:"PostgreSQL connection URL."`
}

// authFlags say who issues bearer tokens.
type authFlags struct {
	JWTIssuer string `name:"jwt-issuer" env:"ONEDOOR_JWT_ISSUER" help:"Issuer (iss) of the bearer tokens, your OpenID Connect provider."`
	JWKSURL   string `name:"jwks-url" env:"ONEDOOR_JWKS_URL" help:"URL of the issuer's JSON Web Key Set."`
	// OIDCClientID lets the workbench sign in at the issuer (GET /v1/auth/config).
	OIDCClientID string `name:"oidc-client-id" env:"ONEDOOR_OIDC_CLIENT_ID" help:"Public client id of the workbench at the OpenID Connect provider (authorization code with PKCE); without it the workbench cannot sign in."`
}

// oidc is the provider the workbench signs in at, or nil without a client id.
func (f authFlags) oidc() *api.OIDCClient {
	if f.OIDCClientID == "" || f.JWTIssuer == "" {
		return nil
	}
	return &api.OIDCClient{Issuer: f.JWTIssuer, ClientID: f.OIDCClientID}
}

// apiFlags say where the API listens.
type apiFlags struct {
	Addr         string   `name:"addr" env:"ONEDOOR_ADDR" default:"127.0.0.1:8080" help:"host:port the HTTP API listens on."`
	CodecOrigins []string `name:"codec-origins" env:"ONEDOOR_CODEC_ORIGINS" help:"Origins (scheme://host:port) of the Temporal Web UI allowed to call the codec endpoint /codec/ from a browser."`
	limitFlags
	attachmentFlags
	publicFlags
	lookupFlags
}

// publicFlags say where residents reach the center's public pages.
type publicFlags struct {
	PublicURL string `name:"public-url" env:"ONEDOOR_PUBLIC_URL" help:"scheme://host[/prefix] where residents reach the public pages (the status page the acceptance notice's QR code and the residents' SMS notices ({{.StatusURL}}) lead to); for the QR code, the address a request reached when empty."`
}

// workerFlags say how much a worker takes on at once (worker.Tuning; docs/operations.md, "Worker
// tuning").
type workerFlags struct {
	WorkflowPollers int `name:"workflow-pollers" env:"ONEDOOR_WORKFLOW_POLLERS" default:"${workflow_pollers}" help:"Long polls the worker keeps open for workflow tasks."`
	ActivityPollers int `name:"activity-pollers" env:"ONEDOOR_ACTIVITY_POLLERS" default:"${activity_pollers}" help:"Long polls the worker keeps open for activity tasks."`
	WorkflowSlots   int `name:"workflow-slots" env:"ONEDOOR_WORKFLOW_SLOTS" default:"${workflow_slots}" help:"Workflow tasks the worker runs at once."`
	ActivitySlots   int `name:"activity-slots" env:"ONEDOOR_ACTIVITY_SLOTS" default:"${activity_slots}" help:"Activities (local ones included) the worker runs at once."`
	StickyCache     int `name:"sticky-cache" env:"ONEDOOR_STICKY_CACHE" default:"${sticky_cache}" help:"Workflows kept in memory between their tasks; one not kept replays its history on its next task. Above the open cases a worker holds, where memory allows."`
}

// Validate refuses a tuning flag below 1 before the command starts anything (kong calls it on the
// commands that embed the flags).
func (f workerFlags) Validate() error {
	_, err := f.tuning()
	return err
}

// tuning is what the flags ask of the worker, each at least 1.
func (f workerFlags) tuning() (worker.Tuning, error) {
	for _, v := range []struct {
		flag string
		n    int
	}{{"workflow-pollers", f.WorkflowPollers}, {"activity-pollers", f.ActivityPollers}, {"workflow-slots", f.WorkflowSlots},
		{"activity-slots", f.ActivitySlots}, {"sticky-cache", f.StickyCache}} {
		if v.n < 1 {
			return worker.Tuning{}, fmt.Errorf("--%s=%d: the worker needs at least 1", v.flag, v.n)
		}
	}
	return worker.Tuning{WorkflowPollers: f.WorkflowPollers, ActivityPollers: f.ActivityPollers,
		WorkflowSlots: f.WorkflowSlots, ActivitySlots: f.ActivitySlots, StickyCache: f.StickyCache}, nil
}

// workerDefaults are the defaults the tuning flags show in their help: worker.DefaultTuning, and
// the embedded Temporal server's temporal.DefaultTaskWorkers.
func workerDefaults() map[string]string {
	d := worker.DefaultTuning
	return map[string]string{
		"workflow_pollers": strconv.Itoa(d.WorkflowPollers), "activity_pollers": strconv.Itoa(d.ActivityPollers),
		"workflow_slots": strconv.Itoa(d.WorkflowSlots), "activity_slots": strconv.Itoa(d.ActivitySlots),
		"sticky_cache": strconv.Itoa(d.StickyCache), "task_workers": strconv.Itoa(temporal.DefaultTaskWorkers),
	}
}

// metricsFlags say where Prometheus scrapes the process.
type metricsFlags struct {
	MetricsAddr string `name:"metrics-addr" env:"ONEDOOR_METRICS_ADDR" help:"host:port of a listener serving /metrics (Prometheus), /livez and Go's profiles (/debug/pprof/), apart from the API so that it is never exposed with it; none when empty."`
}

// startTelemetry sets up metrics, and traces when OTEL_EXPORTER_OTLP_ENDPOINT asks for them.
func startTelemetry(ctx context.Context, service string, logger *slog.Logger) (*telemetry.Telemetry, error) {
	tel, err := telemetry.New(ctx, telemetry.Options{Service: service, Logger: logger})
	if err != nil {
		return nil, err
	}
	if tel.Tracing {
		logger.Info("exporting traces by OTLP", "service", service)
	}
	return tel, nil
}

// stopTelemetry sends the spans not yet exported.
func stopTelemetry(tel *telemetry.Telemetry, logger *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := tel.Shutdown(ctx); err != nil {
		logger.Warn("telemetry: flush", "error", err)
	}
}

// limitFlags bound what one client may ask of the API.
type limitFlags struct {
	RateLimit      int           `name:"rate-limit" env:"ONEDOOR_RATE_LIMIT" default:"20" help:"Requests per second a user may make (per client address without a valid token; bursts of five seconds' worth); -1 for no limit."`
	RequestTimeout time.Duration `name:"request-timeout" env:"ONEDOOR_REQUEST_TIMEOUT" default:"30s" help:"How long the server works on a request before it answers 503 (a write's outcome is then unknown: retry with the same Idempotency-Key); -1s for no deadline."`
	TrustedProxies []string      `name:"trusted-proxies" env:"ONEDOOR_TRUSTED_PROXIES" sep:"," help:"Addresses or CIDR ranges of the reverse proxies in front of the API (comma-separated): from them, the rate limits take the client's address from X-Forwarded-For. None by default: the connection's peer."`
}

// envFaultMirror names the test-only switch that makes that share of the mirror activity's
// attempts fail on purpose (docs/operations.md); never set in production.
const envFaultMirror = "ONEDOOR_FAULT_MIRROR"

// clerksFirst tells the API when the case workflows' tasks wait for a worker, so that
// registrations and clerks' actions go ahead of them (service/backlog.go): from the tasks the
// process's own worker takes (lag, which watches the client tc), or, for an API without a
// worker, from the statistics Temporal keeps of the task queue; and, before either can see it,
// from the deadlines the read model says fall due now.
func clerksFirst(tc client.Client, namespace string, lag *service.Lag, withWorker bool) func(*api.Server) {
	waiting := lag.Behind
	if !withWorker {
		waiting = (&service.QueueBacklog{Temporal: tc, Namespace: namespace, TaskQueue: workflows.TaskQueue}).Behind
	}
	return func(as *api.Server) {
		as.Namespace, as.Behind = namespace, service.AnyBehind(waiting, (&service.Forecast{Store: as.Store}).Behind)
	}
}

// numberOrg is the organisation's prefix of case numbers, in production as in development:
// Wushen's, the one organisation OneDoor serves so far.
const numberOrg = "WS"

// dialTemporal connects to the frontend at address; opts add to the options (TLS, the codec).
func dialTemporal(ctx context.Context, address, namespace string, logger *slog.Logger, opts ...func(*client.Options)) (client.Client, error) {
	// The SDK logs every retry at info; OneDoor's own log says what matters.
	quiet := slog.New(logger.Handler().WithGroup("temporal"))
	o := client.Options{
		HostPort:  address,
		Namespace: namespace,
		Logger:    sdklog.NewStructuredLogger(slog.New(levelHandler{quiet.Handler(), slog.LevelWarn})),
	}
	for _, opt := range opts {
		opt(&o)
	}
	c, err := client.DialContext(ctx, o)
	if err != nil {
		return nil, fmt.Errorf("connect to Temporal at %s: %w", address, err)
	}
	return c, nil
}

func openStore(ctx context.Context, url string, migrate bool, logger *slog.Logger) (*store.Store, error) {
	s, err := store.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	if migrate {
		from, to, err := s.Migrate(ctx)
		if err != nil {
			s.Close()
			return nil, err
		}
		if from != to {
			logger.Info("database migrated", "from", from, "to", to)
		}
	}
	return s, nil
}

// runServices runs the API (when addr is set) and a worker (when withWorker) until ctx ends, and
// /metrics on its own listener when mf names one. Routes are mounted beside the API (the codec
// endpoint); options configure the API server (the development sign-in).
//
// When ctx ends (SIGTERM) the API stops accepting and finishes the requests it is serving first,
// and only then does the worker stop: a registration or an action in flight waits for its
// workflow, which in `dev` (or `serve` alone) only this worker runs.
// listenOn is how runServices gets the API's listener: nil for a worker alone.
type listenOn func() (net.Listener, error)

// listenAt listens on addr when runServices asks; nil (no API) when addr is empty.
func listenAt(addr string) listenOn {
	if addr == "" {
		return nil
	}
	return func() (net.Listener, error) {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			return nil, fmt.Errorf("listen on %s: %w", addr, err)
		}
		return l, nil
	}
}

func runServices(ctx context.Context, logger *slog.Logger, tel *telemetry.Telemetry, mf metricsFlags, c client.Client, s *store.Store, v *auth.Verifier, listen listenOn, limits limitFlags, work *workerFlags, ready func(net.Addr), routes []route, options ...func(*api.Server)) error {
	g, ctx := errgroup.WithContext(ctx)
	if err := tel.PoolStats(s); err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	if mf.MetricsAddr != "" {
		if err := serveMetrics(ctx, g, mf.MetricsAddr, tel, logger); err != nil {
			return err
		}
	}
	// apiDone is closed once the API has stopped (at once when there is none).
	apiDone := make(chan struct{})
	if listen == nil {
		close(apiDone)
	}
	if work != nil {
		tuning, err := work.tuning()
		if err != nil {
			return err
		}
		// A stopping worker (SIGTERM) lets its running activities finish, within the 30 s a
		// container is usually given to stop.
		notices, err := noticesFromEnv(logger)
		if err != nil {
			return err
		}
		opts := []worker.Option{worker.StopTimeout(20 * time.Second), worker.Interceptors(tel.WorkerInterceptors(logger)...), worker.Notices(notices), worker.Tune(tuning), worker.Logger(logger)}
		if v := os.Getenv(envFaultMirror); v != "" {
			rate, err := strconv.ParseFloat(v, 64)
			if err != nil || rate < 0 || rate > 1 {
				return fmt.Errorf("%s=%q: want a share between 0 and 1", envFaultMirror, v)
			}
			logger.Warn("TEST ONLY: the mirror activity fails on purpose", envFaultMirror, rate)
			opts = append(opts, worker.MirrorFaults(rate))
		}
		w := worker.New(c, s, workflows.TaskQueue, opts...)
		if err := w.Start(); err != nil {
			return fmt.Errorf("start worker: %w", err)
		}
		g.Go(func() error {
			<-ctx.Done()
			<-apiDone
			logger.Info("worker stopping: its running activities may finish")
			w.Stop()
			logger.Info("worker stopped")
			return nil
		})
	}
	if listen != nil {
		proxies, err := api.ParseTrustedProxies(limits.TrustedProxies)
		if err != nil {
			close(apiDone)
			return fmt.Errorf("ONEDOOR_TRUSTED_PROXIES: %w", err)
		}
		l, err := listen()
		if err != nil {
			close(apiDone)
			return err
		}
		as := &api.Server{Store: s, Temporal: c, Verifier: v, Logger: logger, NumberOrg: numberOrg,
			RateLimit: limits.RateLimit, RequestTimeout: limits.RequestTimeout, TrustedProxies: proxies}
		for _, o := range options {
			o(as)
		}
		handler := as.Handler()
		if len(routes) > 0 {
			mux := http.NewServeMux()
			mux.Handle("/", handler)
			for _, r := range routes {
				mux.Handle(r.pattern, r.handler)
			}
			handler = mux
		}
		// The read model's gauges are the API's to report: every API node reports the same
		// figures, and workers need not touch the read side.
		tel.ReadModelGauges(s, logger)
		srv := &http.Server{
			Handler:           tel.HTTP(handler),
			ReadHeaderTimeout: 10 * time.Second,
			ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		}
		// Event streams last as long as their clients: they end when shutdown begins, and the
		// clients resume on another node from their Last-Event-ID.
		srv.RegisterOnShutdown(as.EndStreams)
		// Migration plans left applying by a node that stopped carry on (api/migrations.go); other
		// nodes doing the same take other cases.
		if err := as.ResumeMigrations(ctx); err != nil {
			logger.Warn("migration plans left applying are not resumed: apply them again", "error", err)
		}
		// Uploads whose recording never finished are settled (api/uploads.go).
		g.Go(func() error {
			as.SweepUploadsEvery(ctx, 0)
			return nil
		})
		g.Go(func() error {
			if err := srv.Serve(l); !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		})
		g.Go(func() error {
			<-ctx.Done()
			defer close(apiDone)
			logger.Info("API stopping: no new connections; finishing the requests in flight")
			shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := srv.Shutdown(shutdown); err != nil {
				logger.Warn("API stopped before its requests finished", "error", err)
				return err
			}
			logger.Info("API stopped")
			return nil
		})
		if ready != nil {
			ready(l.Addr())
		}
	}
	return g.Wait()
}

// serveMetrics serves /metrics, and /livez for a process without an API, on addr until ctx ends.
func serveMetrics(ctx context.Context, g *errgroup.Group, addr string, tel *telemetry.Telemetry, logger *slog.Logger) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("metrics: listen on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", tel.MetricsHandler())
	// A worker has no API: its liveness probe asks here.
	mux.HandleFunc("GET /livez", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}` + "\n"))
	})
	// Go's profiles, for an operator who finds where the CPU or the memory goes (go tool pprof
	// http://<metrics-addr>/debug/pprof/profile): on this listener, never on the API's.
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	g.Go(func() error {
		if err := srv.Serve(l); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	g.Go(func() error {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	})
	logger.Info("metrics listening", "url", "http://"+l.Addr().String()+"/metrics")
	return nil
}

// levelHandler drops records below a level.
type levelHandler struct {
	slog.Handler
	min slog.Level
}

func (h levelHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h levelHandler) WithAttrs(a []slog.Attr) slog.Handler {
	return levelHandler{h.Handler.WithAttrs(a), h.min}
}

func (h levelHandler) WithGroup(n string) slog.Handler {
	return levelHandler{h.Handler.WithGroup(n), h.min}
}
