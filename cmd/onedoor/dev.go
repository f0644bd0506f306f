package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/onedoor/onedoor/api"
	"github.com/onedoor/onedoor/auth"
	"github.com/onedoor/onedoor/demo"
	"github.com/onedoor/onedoor/embedded/postgres"
	"github.com/onedoor/onedoor/embedded/temporal"
	"github.com/onedoor/onedoor/service"
	"github.com/onedoor/onedoor/worker"
)

type devCmd struct {
	Data         string `default:".data" help:"Folder of the center's state: Temporal's SQLite file, the PostgreSQL cluster, the token signing key, the payload keys (codec-keys), the resident lookup's key (lookup-key)."`
	Addr         string `default:"127.0.0.1:8080" help:"host:port the HTTP API listens on."`
	TemporalPort int    `default:"7233" help:"Port of the embedded Temporal frontend (0: any free port)."`
	UIPort       int    `name:"temporal-ui-port" default:"8233" help:"Port of the Temporal Web UI for developers, on the API's host (0: any free port; -1: none). A busy port leaves the UI out."`
	TemporalSync string `name:"temporal-sync" enum:"full,normal" default:"full" help:"How Temporal's SQLite file reaches the disk: full writes every commit through; normal leaves it to checkpoints, safe against a crash of the process but not a power loss of its last commits, and faster at a deadline storm (docs/operations.md)."`
	TaskWorkers  int    `name:"temporal-task-workers" default:"${task_workers}" help:"How many of the embedded Temporal server's timer, transfer and visibility tasks run at once, of each kind: few keep a deadline storm's writes from crowding out a clerk's in its one SQLite connection (docs/operations.md)."`
	DatabaseURL  string `name:"database-url" env:"DATABASE_URL" help:"Use this PostgreSQL database instead of a private cluster in the data folder."`
	// An OpenID Connect provider whose tokens the center accepts beside its own, and the
	// workbench signs in at beside the demo users (the Playwright tests' mock provider).
	authFlags
	limitFlags
	publicFlags
	metricsFlags
	attachmentFlags
	lookupFlags
	workerFlags
}

// Validate refuses a tuning flag below 1 before the command starts anything.
func (c devCmd) Validate() error {
	if c.TaskWorkers < 1 {
		return fmt.Errorf("--temporal-task-workers=%d: the embedded Temporal server needs at least 1", c.TaskWorkers)
	}
	return c.workerFlags.Validate()
}

const devNamespace = "default"

// metricsLine names the metrics endpoint in the banner, when there is one.
func metricsLine(addr string) string {
	if addr == "" {
		return ""
	}
	return "\n  Metrics:   http://" + addr + "/metrics"
}

func (c *devCmd) Run(ctx context.Context, logger *slog.Logger) (err error) {
	data, err := filepath.Abs(c.Data)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(data, 0o755); err != nil {
		return fmt.Errorf("data folder: %w", err)
	}
	// The postgres system user must reach its cluster inside the data folder.
	if err := os.Chmod(data, 0o755); err != nil {
		return fmt.Errorf("data folder: %w", err)
	}

	// The API's port first: a busy port fails at once, not after PostgreSQL and Temporal have
	// started, and nothing else can take it meanwhile.
	if c.Addr == "" {
		return errors.New("--addr is empty: onedoor dev serves the workbench and the API there")
	}
	l, err := listenAt(c.Addr)()
	if err != nil {
		return err
	}
	defer l.Close() // closed by the API's shutdown already, unless something failed before it

	tel, err := startTelemetry(ctx, "onedoor-dev", logger)
	if err != nil {
		return err
	}
	defer stopTelemetry(tel, logger)

	dbURL := c.DatabaseURL
	if dbURL == "" {
		logger.Info("starting PostgreSQL", "cluster", filepath.Join(data, "postgres"))
		pg, err := postgres.Start(ctx, filepath.Join(data, "postgres"))
		if err != nil {
			return err
		}
		defer func() {
			if serr := pg.Stop(context.WithoutCancel(ctx)); serr != nil {
				err = errors.Join(err, serr)
			} else {
				logger.Info("PostgreSQL stopped")
			}
		}()
		dbURL = pg.URL("postgres")
	}

	logger.Info("starting Temporal", "state", filepath.Join(data, "temporal", "temporal.db"))
	ts, err := temporal.Start(temporal.Options{
		Dir: filepath.Join(data, "temporal"), Port: c.TemporalPort, Namespace: devNamespace,
		SearchAttributes: worker.SearchAttributeTypes(), Synchronous: c.TemporalSync, TaskWorkers: c.TaskWorkers,
	})
	if err != nil {
		return err
	}
	defer func() {
		if serr := ts.Stop(); serr != nil {
			err = errors.Join(err, serr)
		} else {
			logger.Info("Temporal stopped")
		}
	}()

	uiLine := ""
	if c.UIPort >= 0 {
		host, _, _ := net.SplitHostPort(l.Addr().String())
		ui, err := startTemporalUI(logger, host, c.UIPort, ts.Address(), devNamespace)
		if err != nil {
			logger.Warn("the Temporal Web UI is left out", "err", err)
		} else {
			defer ui.Stop()
			uiLine = fmt.Sprintf("\n  Temporal UI: http://%s/namespaces/%s/workflows (payloads sealed: decode with the API's /codec/)", ui.addr, devNamespace)
		}
	}

	s, err := openStore(ctx, dbURL, true, logger)
	if err != nil {
		return err
	}
	defer s.Close()
	s.PublicURL = c.PublicURL
	if err := demo.Load(ctx, s); err != nil {
		return err
	}
	if err := loadLibrary(ctx, s, logger); err != nil {
		return err
	}
	withKeys, err := devCodec(data) // DIR/codec-keys, made on first start
	if err != nil {
		return err
	}
	lag := &service.Lag{}
	tc, err := dialTemporal(ctx, ts.Address(), devNamespace, logger, withKeys, tel.ClientOptions, lag.Watch)
	if err != nil {
		return err
	}
	defer tc.Close()
	if err := worker.EnsureSearchAttributes(ctx, tc, devNamespace); err != nil {
		return err
	}
	v, err := auth.NewDevVerifier(data)
	if err != nil {
		return err
	}
	if c.JWTIssuer != "" || c.JWKSURL != "" {
		jv, err := auth.NewJWKSVerifier(ctx, c.JWTIssuer, c.JWKSURL)
		if err != nil {
			return err
		}
		v = v.Or(jv)
		logger.Info("accepting the tokens of an OpenID Connect issuer too", "issuer", c.JWTIssuer)
	}
	key, err := auth.DevKey(data)
	if err != nil {
		return err
	}
	gridToken := devGridToken(key)
	if err := ensureDemoGridSource(ctx, s, gridToken); err != nil {
		return fmt.Errorf("demo grid source: %w", err)
	}
	withBlobs, err := c.blobs(ctx, logger, data) // DIR/attachments unless a bucket or folder is named
	if err != nil {
		return err
	}
	lookupKey, err := c.lookupFlags.key(data) // DIR/lookup-key unless one is named
	if err != nil {
		return err
	}
	devSignIn := func(as *api.Server) {
		as.DevSignIn = &api.DevSignIn{Key: key, Users: demo.Users}
		as.OIDC = c.oidc()
		as.PublicURL = c.PublicURL
	}
	signIn := "sign in as any demo user"
	if o := c.oidc(); o != nil {
		signIn += fmt.Sprintf(", or at %s as client %s", o.Issuer, o.ClientID)
	}
	users := make([]string, len(demo.Users))
	for i, u := range demo.Users {
		users[i] = u.ID
	}
	return runServices(ctx, logger, tel, c.metricsFlags, tc, s, v, func() (net.Listener, error) { return l, nil }, c.limitFlags, &c.workerFlags, func(a net.Addr) {
		url := "http://" + a.String()
		fmt.Fprintf(os.Stderr, `
OneDoor is running.
  Workbench: %[1]s/  (%[6]s)
  API:       %[1]s/v1
  Docs:      %[1]s/docs  (OpenAPI: %[1]s/openapi.json)
  Health:    %[1]s/healthz%[5]s
  Temporal:  %[2]s (namespace %[3]s)%[10]s
  Token:     onedoor token --data %[4]s --user clerk-banner
             (users: %[7]s)
  Try:       curl -H "Authorization: Bearer $TOKEN" %[1]s/v1/cases/WS-PET-2026-000001
  Grid:      the demo grid source %[9]s posts to %[1]s/v1/grid/events with the token
             %[8]s
Stop with Ctrl-C.
`, url, ts.Address(), devNamespace, c.Data, metricsLine(c.MetricsAddr), signIn, strings.Join(users, ", "), gridToken, demoGridSource.Code, uiLine)
	}, nil, devSignIn, withBlobs, withLookup(lookupKey), clerksFirst(tc, devNamespace, lag, true))
}
