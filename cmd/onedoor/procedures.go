package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/store"
)

// proceduresCmd groups the commands on procedure definitions.
type proceduresCmd struct {
	Validate procedureValidateCmd `cmd:"" help:"Check procedure YAML files against the Wushen organisation without a database; prints every problem as FILE:LINE:COL: path: message and exits 1 if there is any."`
	Publish  procedurePublishCmd  `cmd:"" help:"Store a procedure YAML file as a new draft and publish it (needs DATABASE_URL); prints its key and version."`
}

type procedureValidateCmd struct {
	Files []string `arg:"" help:"YAML files of procedures (see docs/procedures.md)."`
}

func (c *procedureValidateCmd) Run() error {
	org, err := definitions.DemoOrg()
	if err != nil {
		return err
	}
	bad := false
	for _, f := range c.Files {
		ok, err := validateFile(os.Stdout, f, org)
		if err != nil {
			return err
		}
		bad = bad || !ok
	}
	if bad {
		return exitCode(1)
	}
	return nil
}

// validateFile checks one file, printing its problems; ok is false when it has any or cannot
// be read.
func validateFile(w io.Writer, name string, org *definitions.Org) (ok bool, err error) {
	src, err := os.ReadFile(name)
	if err != nil {
		fmt.Fprintf(w, "%s: cannot be read: %v\n", name, err)
		return false, nil
	}
	p, err := definitions.Load(src, org)
	var ve *definitions.ValidationError
	if errors.As(err, &ve) {
		for _, pr := range ve.Problems {
			fmt.Fprintln(w, problemLine(name, pr))
		}
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("%s: %w", name, err)
	}
	fmt.Fprintf(w, "%s: ok (%s version %d, %d steps)\n", name, p.Key, p.Version, len(p.Steps))
	return true, nil
}

// problemLine writes a problem as compilers do, FILE:LINE:COL: path: message, so editors can
// jump to it.
func problemLine(file string, pr definitions.Problem) string {
	s := file + ":"
	if pr.Line > 0 {
		s += fmt.Sprintf("%d:%d:", pr.Line, pr.Column)
	}
	s += " "
	if pr.Path != "" {
		s += pr.Path + ": "
	}
	return s + pr.Message
}

type procedurePublishCmd struct {
	databaseFlags
	File  string `arg:"" help:"YAML file of the procedure. Its key names the procedure; it becomes the next version of that key, whatever version and status the file says."`
	By    string `default:"cli" help:"Who is recorded as the author and publisher."`
	Owner string `help:"Code of the county whose own procedure it is (its government-level unit); empty for a template every county shares."`
}

func (c *procedurePublishCmd) Run(ctx context.Context, logger *slog.Logger) error {
	org, err := definitions.DemoOrg()
	if err != nil {
		return err
	}
	// Check the file first, so a file with mistakes leaves no draft behind.
	if ok, err := validateFile(io.Discard, c.File, org); err != nil {
		return err
	} else if !ok {
		_, _ = validateFile(os.Stderr, c.File, org)
		return exitCode(1)
	}
	src, err := os.ReadFile(c.File)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, c.DatabaseURL, false, logger)
	if err != nil {
		return err
	}
	defer s.Close()
	draft, err := s.CreateProcedure(ctx, src, c.Owner, c.By)
	if err != nil {
		return err
	}
	p := draft.Procedure
	pub, err := s.PublishProcedure(ctx, p.Key, p.Version, org, c.By)
	if err != nil {
		return fmt.Errorf("%s version %d was stored as a draft but not published: %w", p.Key, p.Version, err)
	}
	fmt.Printf("published %s version %d, valid from %s\n", pub.Procedure.Key, pub.Procedure.Version, pub.Procedure.ValidFrom)
	return nil
}

// loadLibrary stores and publishes the built-in procedures a database does not have yet.
func loadLibrary(ctx context.Context, s *store.Store, logger *slog.Logger) error {
	org, err := definitions.DemoOrg()
	if err != nil {
		return err
	}
	keys, err := s.LoadLibrary(ctx, org)
	if err != nil {
		return err
	}
	if len(keys) > 0 {
		logger.Info("built-in procedures published", "keys", keys)
	}
	return nil
}
