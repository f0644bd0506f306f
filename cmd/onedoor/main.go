// Command onedoor runs OneDoor: `onedoor dev` is the whole center in one process on embedded
// defaults; `serve`, `api`, `worker` and `migrate` are the production shape, configured by the
// environment; `token` prints a development token; `testenv` runs a command beside throwaway
// PostgreSQL and Temporal servers (what `make test` uses).
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/alecthomas/kong"

	"github.com/onedoor/onedoor/internal/telemetry"
)

type cli struct {
	Dev         devCmd         `cmd:"" help:"Run the whole center in one process: embedded Temporal, a private PostgreSQL cluster, demo data, worker and API."`
	Serve       serveCmd       `cmd:"" help:"Run the API and a worker against TEMPORAL_ADDRESS and DATABASE_URL."`
	API         apiCmd         `cmd:"" name:"api" help:"Run only the HTTP API."`
	Worker      workerCmd      `cmd:"" help:"Run only a worker (workflows and activities)."`
	Migrate     migrateCmd     `cmd:"" help:"Check that the Temporal namespace has the search attributes the workflows need (--register-search-attributes adds them), apply database migrations, publish the built-in procedures on first start, then exit."`
	Token       tokenCmd       `cmd:"" help:"Print a development bearer token for a demo user."`
	Procedures  proceduresCmd  `cmd:"" help:"Check and publish procedure definitions (YAML)."`
	Migrations  migrationsCmd  `cmd:"" help:"Move running cases to a new version of their procedure: plan (with its dry run), apply (resumable), show."`
	Check       checkCmd       `cmd:"" help:"Compare every case's workflow, read model and audit log; print each disagreement (--repair re-mirrors from the workflow)."`
	Org         orgCmd         `cmd:"" help:"Load the organisation's units, departments and staff from a file."`
	GridSources gridSourcesCmd `cmd:"" name:"grid-sources" help:"Add and list the grid systems that post grid events, each with a token of its own."`
	Seed        seedCmd        `cmd:"" help:"Load synthetic cases straight into PostgreSQL, for benchmarks and demos."`
	Testenv     testenvCmd     `cmd:"" help:"Run a command with throwaway PostgreSQL and Temporal servers (used by make test)."`
	OpenAPI     openapiCmd     `cmd:"" name:"openapi" help:"Print the API's OpenAPI document (what /openapi.json serves), without starting anything."`

	LogFormat string `name:"log-format" env:"ONEDOOR_LOG_FORMAT" enum:"json,text," default:"" help:"json (one object a line) or text; default json for serve, api and worker, text for the others."`
}

// jsonLogged are the commands that run unattended, whose logs a collector reads.
var jsonLogged = map[string]bool{"serve": true, "api": true, "worker": true}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var c cli
	k := kong.Parse(&c,
		kong.Name("onedoor"),
		kong.Description("OneDoor: the workflow engine of a county's comprehensive governance center (综治中心)."),
		kong.UsageOnError(),
		kong.BindTo(ctx, (*context.Context)(nil)),
		kong.Vars(workerDefaults()),
	)
	format := c.LogFormat
	if format == "" {
		format = "text"
		if command, _, _ := strings.Cut(k.Command(), " "); jsonLogged[command] {
			format = "json"
		}
	}
	logger := telemetry.NewLogger(os.Stderr, format, slog.LevelInfo)
	err := k.Run(logger)
	if err != nil {
		var exit exitCode
		if ok := asExit(err, &exit); ok {
			os.Exit(int(exit))
		}
		fmt.Fprintln(os.Stderr, "onedoor:", err)
		os.Exit(1)
	}
}

// exitCode is an error that only carries the exit status of a command we ran.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// asExit finds the exit status in err, which kong may have wrapped.
func asExit(err error, target *exitCode) bool {
	return errors.As(err, target)
}
