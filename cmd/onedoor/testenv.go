package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/onedoor/onedoor/embedded/postgres"
	"github.com/onedoor/onedoor/embedded/temporal"
	"github.com/onedoor/onedoor/worker"
)

// Environment variables through which tests find the servers testenv started.
const (
	envTestDatabase = "ONEDOOR_TEST_DATABASE_URL"
	envTestTemporal = "ONEDOOR_TEST_TEMPORAL_ADDRESS"
)

type testenvCmd struct {
	Command []string `arg:"" passthrough:"" help:"The command to run, e.g. go test ./..."`
}

func (c *testenvCmd) Run(ctx context.Context, logger *slog.Logger) (err error) {
	dir, err := os.MkdirTemp("", "onedoor-testenv-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := os.Chmod(dir, 0o755); err != nil {
		return err
	}
	pg, err := postgres.Start(ctx, filepath.Join(dir, "postgres"))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, pg.Stop(context.WithoutCancel(ctx))) }()

	ts, err := temporal.Start(temporal.Options{
		Namespace: devNamespace, LogFile: filepath.Join(dir, "temporal.log"), SearchAttributes: worker.SearchAttributeTypes(),
	})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, ts.Stop()) }()
	tc, err := dialTemporal(ctx, ts.Address(), devNamespace, logger)
	if err != nil {
		return err
	}
	err = worker.EnsureSearchAttributes(ctx, tc, devNamespace)
	tc.Close()
	if err != nil {
		return err
	}

	fmt.Fprintf(os.Stderr, "testenv: PostgreSQL on port %d, Temporal at %s\n", pg.Port(), ts.Address())
	args := c.Command
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		return errors.New("testenv: no command to run")
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), envTestDatabase+"="+pg.URL("postgres"), envTestTemporal+"="+ts.Address())
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exitCode(exit.ExitCode())
		}
		return err
	}
	return nil
}
