package main

import (
	"context"
	"errors"
	"log/slog"
	"net"

	"github.com/onedoor/onedoor/api"
	"github.com/onedoor/onedoor/auth"
	"github.com/onedoor/onedoor/service"
)

type serveCmd struct {
	temporalFlags
	databaseFlags
	authFlags
	apiFlags
	metricsFlags
	workerFlags
}

func (c *serveCmd) Run(ctx context.Context, logger *slog.Logger) error {
	return runProduction(ctx, logger, "onedoor", c.temporalFlags, c.databaseFlags, c.authFlags, c.apiFlags, c.metricsFlags, &c.workerFlags)
}

type apiCmd struct {
	temporalFlags
	databaseFlags
	authFlags
	apiFlags
	metricsFlags
}

func (c *apiCmd) Run(ctx context.Context, logger *slog.Logger) error {
	return runProduction(ctx, logger, "onedoor-api", c.temporalFlags, c.databaseFlags, c.authFlags, c.apiFlags, c.metricsFlags, nil)
}

type workerCmd struct {
	temporalFlags
	databaseFlags
	metricsFlags
	publicFlags
	workerFlags
}

func (c *workerCmd) Run(ctx context.Context, logger *slog.Logger) error {
	// The worker writes the residents' notices, which link to the public status page.
	return runProduction(ctx, logger, "onedoor-worker", c.temporalFlags, c.databaseFlags, authFlags{}, apiFlags{publicFlags: c.publicFlags}, c.metricsFlags, &c.workerFlags)
}

// runProduction runs the API (when addr is set) and/or a worker (when work is not nil) against
// external services.
// Migrations are `onedoor migrate`'s job, run once per release, not every replica's.
func runProduction(ctx context.Context, logger *slog.Logger, name string, tf temporalFlags, df databaseFlags, af authFlags, apf apiFlags, mf metricsFlags, work *workerFlags) error {
	addr := apf.Addr
	tel, err := startTelemetry(ctx, name, logger)
	if err != nil {
		return err
	}
	defer stopTelemetry(tel, logger)
	s, err := openStore(ctx, df.DatabaseURL, false, logger)
	if err != nil {
		return err
	}
	defer s.Close()
	s.PublicURL = apf.PublicURL
	lag := &service.Lag{}
	tc, err := tf.dial(ctx, logger, tel.ClientOptions, lag.Watch)
	if err != nil {
		return err
	}
	defer tc.Close()
	var v *auth.Verifier
	if addr != "" {
		if af.JWTIssuer == "" || af.JWKSURL == "" {
			return errors.New("the API needs ONEDOOR_JWT_ISSUER and ONEDOOR_JWKS_URL to verify bearer tokens")
		}
		if v, err = auth.NewJWKSVerifier(ctx, af.JWTIssuer, af.JWKSURL); err != nil {
			return err
		}
	}
	withBlobs, withKey := func(*api.Server) {}, func(*api.Server) {}
	if addr != "" {
		if withBlobs, err = apf.blobs(ctx, logger, ""); err != nil {
			return err
		}
		k, err := apf.lookupFlags.key("")
		if err != nil {
			return err
		}
		withKey = withLookup(k)
	}
	var routes []route
	if pc, err := tf.codecFlags.codec(); err == nil && pc != nil && addr != "" {
		routes = append(routes, codecRoute(pc, v, s, apf.CodecOrigins, logger))
	}
	return runServices(ctx, logger, tel, mf, tc, s, v, listenAt(addr), apf.limitFlags, work, func(a net.Addr) {
		logger.Info("API listening", "url", "http://"+a.String())
	}, routes, func(as *api.Server) { as.OIDC, as.PublicURL = af.oidc(), apf.PublicURL }, withBlobs, withKey,
		clerksFirst(tc, tf.TemporalNamespace, lag, work != nil))
}
