package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/onedoor/onedoor/worker"
)

type migrateCmd struct {
	temporalFlags
	databaseFlags
	RegisterSearchAttributes bool `name:"register-search-attributes" env:"ONEDOOR_REGISTER_SEARCH_ATTRIBUTES" help:"Add the search attributes the case workflows need to the namespace when it lacks them (needs Temporal's operator rights); without it, migrate stops and prints the command that adds them."`
}

// Run checks the Temporal namespace before it touches the database: a release whose workflows
// cannot record their search attributes would fail every case's first workflow task.
func (c *migrateCmd) Run(ctx context.Context, logger *slog.Logger) error {
	tc, err := c.dial(ctx, logger)
	if err != nil {
		return err
	}
	defer tc.Close()
	missing, err := worker.MissingSearchAttributes(ctx, tc, c.TemporalNamespace)
	if errors.Is(err, worker.ErrNoNamespace) {
		return fmt.Errorf("the Temporal namespace %[1]s does not exist: create it (`temporal operator namespace create --namespace %[1]s --retention 30d`), or set TEMPORAL_NAMESPACE", c.TemporalNamespace)
	}
	if err != nil {
		return err
	}
	switch {
	case len(missing) > 0 && !c.RegisterSearchAttributes:
		return fmt.Errorf("the Temporal namespace %s lacks the search attributes the case workflows need; add them with\n  %s\nor run onedoor migrate --register-search-attributes (ONEDOOR_REGISTER_SEARCH_ATTRIBUTES=true), which needs Temporal's operator rights",
			c.TemporalNamespace, worker.SearchAttributeCommand(c.TemporalNamespace, missing))
	case len(missing) > 0:
		if err := worker.EnsureSearchAttributes(ctx, tc, c.TemporalNamespace); err != nil {
			return err
		}
		logger.Info("search attributes registered", "namespace", c.TemporalNamespace, "count", len(missing))
	}
	s, err := openStore(ctx, c.DatabaseURL, true, logger)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := loadLibrary(ctx, s, logger); err != nil {
		return err
	}
	logger.Info("migrations applied; the namespace has its search attributes", "namespace", c.TemporalNamespace)
	return nil
}
