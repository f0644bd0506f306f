package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/store"
)

// orgCmd groups the commands on the organisation.
type orgCmd struct {
	Import orgImportCmd `cmd:"" help:"Add and update org units, departments and users from a YAML file (needs DATABASE_URL, after onedoor migrate): everything is checked first and written in one transaction; importing the same file again changes nothing. Prints what was added and changed; exits 1 with every problem, writing nothing, if the file has any."`
}

type orgImportCmd struct {
	databaseFlags
	File   string `arg:"" type:"existingfile" help:"YAML file with units, departments and users (see docs/operations.md)."`
	DryRun bool   `name:"dry-run" help:"Check the file and print what the import would do, writing nothing."`
}

func (c *orgImportCmd) Run(ctx context.Context, logger *slog.Logger) error {
	src, err := os.ReadFile(c.File)
	if err != nil {
		return err
	}
	d, err := onedoor.ParseDirectory(src)
	if err != nil {
		return fmt.Errorf("%s: %w", c.File, err)
	}
	s, err := openStore(ctx, c.DatabaseURL, false, logger)
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := s.ImportDirectory(ctx, d, c.DryRun)
	var e *onedoor.Error
	if errors.As(err, &e) && e.Code == onedoor.EInvalid {
		fmt.Fprintf(os.Stderr, "%s: %s\n", c.File, e.Message)
		for _, f := range e.Fields {
			fmt.Fprintf(os.Stderr, "%s: %s: %s\n", c.File, f.Path, f.Message)
		}
		return exitCode(1)
	}
	if err != nil {
		return err
	}
	printImport(os.Stdout, rep)
	return nil
}

// printImport writes what an import did, one line per kind of record.
func printImport(w io.Writer, rep store.ImportReport) {
	if rep.DryRun {
		fmt.Fprintln(w, "dry run: nothing was written; the import would do this")
	}
	for _, k := range []struct {
		name string
		c    store.ImportCounts
	}{{"units", rep.Units}, {"departments", rep.Departments}, {"users", rep.Users}} {
		fmt.Fprintf(w, "%s: %d added%s, %d changed%s, %d unchanged\n", k.name,
			len(k.c.Added), listed(k.c.Added), len(k.c.Changed), listed(k.c.Changed), k.c.Unchanged)
	}
}

// listed is " (a, b, c)" for a short list of codes, " (a, b, … and 95 more)" for a long one.
func listed(codes []string) string {
	const most = 10
	switch {
	case len(codes) == 0:
		return ""
	case len(codes) <= most:
		return " (" + strings.Join(codes, ", ") + ")"
	}
	return fmt.Sprintf(" (%s, … and %d more)", strings.Join(codes[:most], ", "), len(codes)-most)
}
