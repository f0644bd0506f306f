package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/onedoor/onedoor/codec"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/embedded/postgres"
	"github.com/onedoor/onedoor/migration"
	"github.com/onedoor/onedoor/service"
	"github.com/onedoor/onedoor/store"
	"github.com/onedoor/onedoor/workflows"
)

// migrationsCmd groups the commands that move running cases to a new procedure version.
type migrationsCmd struct {
	Plan  migrationPlanCmd  `cmd:"" help:"Create a migration plan of a procedure's running cases from one version to another and print its dry run: each case's target step and new due date, or why it is left."`
	Apply migrationApplyCmd `cmd:"" help:"Apply a migration plan to the end, a batch at a time, printing progress; run it again to resume after a crash."`
	Show  migrationShowCmd  `cmd:"" help:"Print a migration plan, its progress and its cases."`
}

// migrationConn is how the migration commands reach PostgreSQL and Temporal, as check does.
type migrationConn struct {
	temporalFlags
	DatabaseURL string `name:"database-url" env:"DATABASE_URL" help:"PostgreSQL connection URL; when unset, the private cluster of onedoor dev in --data."`
	Data        string `default:".data" help:"Data folder of onedoor dev, whose running PostgreSQL is used when DATABASE_URL is unset."`
}

func (c *migrationConn) store(ctx context.Context, logger *slog.Logger) (*store.Store, error) {
	url := c.DatabaseURL
	if url == "" {
		pg, err := postgres.Running(ctx, filepath.Join(c.Data, "postgres"))
		if err != nil {
			return nil, err
		}
		url = pg.URL("postgres")
	}
	return openStore(ctx, url, false, logger)
}

// migrator connects to both; close releases them.
func (c *migrationConn) migrator(ctx context.Context, logger *slog.Logger) (m *migration.Migrator, close func(), err error) {
	s, err := c.store(ctx, logger)
	if err != nil {
		return nil, nil, err
	}
	if c.DatabaseURL == "" && c.CodecKeys == "" && c.CodecKeysFile == "" && !c.NoCodec {
		c.CodecKeysFile = filepath.Join(c.Data, codec.DevKeyFile) // beside onedoor dev: its keys
	}
	tc, err := c.dial(ctx, logger)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	m = &migration.Migrator{Store: s, Cases: &service.Cases{Temporal: tc, Store: s, Logger: logger}}
	return m, func() { tc.Close(); s.Close() }, nil
}

type migrationPlanCmd struct {
	migrationConn
	Procedure string   `required:"" help:"Key of the procedure."`
	From      int      `required:"" help:"Version the running cases are on."`
	To        int      `required:"" help:"Published version to move them to."`
	Map       []string `help:"A step mapping FROM=TO (repeat it); a step not named maps to the step of the same id."`
	By        string   `default:"admin" help:"Administrator recorded as the plan's author."`
	JSON      bool     `name:"json" help:"Print the plan and its dry run as JSON."`
}

func (c *migrationPlanCmd) Run(ctx context.Context, logger *slog.Logger) error {
	plan := definitions.MigrationPlan{Procedure: c.Procedure, From: c.From, To: c.To, Steps: map[string]string{}}
	for _, m := range c.Map {
		from, to, ok := strings.Cut(m, "=")
		if !ok || from == "" || to == "" {
			return fmt.Errorf("--map %q: write a step mapping as FROM=TO", m)
		}
		plan.Steps[from] = to
	}
	m, done, err := c.migrator(ctx, logger)
	if err != nil {
		return err
	}
	defer done()
	p, items, err := m.Plan(ctx, plan, "", nil, c.By)
	var ve *definitions.ValidationError
	if errors.As(err, &ve) {
		for _, pr := range ve.Problems {
			fmt.Fprintf(os.Stderr, "%s: %s\n", pr.Path, pr.Message)
		}
		return exitCode(1)
	}
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(map[string]any{"plan": p, "items": items})
	}
	fmt.Printf("plan %d: %s version %d → %d, %d running cases\n", p.ID, p.Plan.Procedure, p.Plan.From, p.Plan.To, len(items))
	printItems(os.Stdout, items)
	fmt.Printf("apply it with: onedoor migrations apply %d\n", p.ID)
	return nil
}

type migrationApplyCmd struct {
	migrationConn
	ID    int64  `arg:"" help:"Id of the migration plan."`
	By    string `default:"admin" help:"Administrator recorded in each case's audit entry (the first run's is kept)."`
	Batch int    `default:"20" help:"Cases moved per batch."`
}

func (c *migrationApplyCmd) Run(ctx context.Context, logger *slog.Logger) error {
	m, done, err := c.migrator(ctx, logger)
	if err != nil {
		return err
	}
	defer done()
	m.Batch = c.Batch
	p, err := m.Apply(ctx, c.ID, c.By, func(p store.MigrationProgress) {
		fmt.Printf("plan %d: %d of %d moved, %d left, %d failed, %d pending\n", c.ID, p.Moved, p.Total, p.Left, p.Failed, p.Pending)
	})
	if err != nil {
		return err
	}
	fmt.Printf("plan %d done: %d of %d moved, %d left, %d failed\n", c.ID, p.Moved, p.Total, p.Left, p.Failed)
	if p.Failed > 0 {
		return exitCode(2)
	}
	return nil
}

type migrationShowCmd struct {
	migrationConn
	ID   int64 `arg:"" help:"Id of the migration plan."`
	JSON bool  `name:"json" help:"Print the plan, its progress and its cases as JSON."`
}

func (c *migrationShowCmd) Run(ctx context.Context, logger *slog.Logger) error {
	s, err := c.store(ctx, logger)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := s.MigrationPlan(ctx, c.ID)
	if err != nil {
		return err
	}
	progress, err := s.MigrationProgress(ctx, c.ID)
	if err != nil {
		return err
	}
	var items []store.MigrationItem
	for cursor := ""; ; {
		page, err := s.MigrationItems(ctx, c.ID, "", cursor, store.MaxLimit)
		if err != nil {
			return err
		}
		items = append(items, page.Items...)
		if cursor = page.Next; cursor == "" {
			break
		}
	}
	if c.JSON {
		return printJSON(map[string]any{"plan": p, "progress": progress, "items": items})
	}
	fmt.Printf("plan %d: %s version %d → %d, %s; %d cases: %d moved, %d left, %d failed, %d pending\n", p.ID, p.Plan.Procedure,
		p.Plan.From, p.Plan.To, p.Status, progress.Total, progress.Moved, progress.Left, progress.Failed, progress.Pending)
	printItems(os.Stdout, items)
	return nil
}

// printItems writes one line per case: its number, status, step → target step and new due
// date, or the reason it is left.
func printItems(w io.Writer, items []store.MigrationItem) {
	for _, it := range items {
		switch {
		case it.Status == store.ItemLeft || it.Status == store.ItemFailed:
			fmt.Fprintf(w, "%-22s %-7s %s: %s\n", it.Number, it.Status, it.Step, it.Reason)
		default:
			due := "no deadline"
			if it.DueAt != nil {
				due = "due " + it.DueAt.In(definitions.Shanghai).Format("2006-01-02 15:04")
			}
			fmt.Fprintf(w, "%-22s %-7s %s → %s, %s%s\n", it.Number, it.Status, it.Step, it.TargetStep, due, explained(it))
		}
	}
}

// explained is the summary of how the earliest new due date is counted.
func explained(it store.MigrationItem) string {
	var tasks []workflows.TaskLanding
	if json.Unmarshal(it.Tasks, &tasks) != nil {
		return ""
	}
	for _, t := range tasks {
		if t.DueAt != nil && it.DueAt != nil && t.DueAt.Equal(*it.DueAt) && t.Explanation != nil {
			return " (" + t.Explanation.Summary + ")"
		}
	}
	return ""
}

func printJSON(v any) error {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
