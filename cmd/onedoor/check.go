package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/onedoor/onedoor/check"
	"github.com/onedoor/onedoor/codec"
	"github.com/onedoor/onedoor/embedded/postgres"
)

type checkCmd struct {
	temporalFlags
	DatabaseURL string   `name:"database-url" env:"DATABASE_URL" help:"PostgreSQL connection URL; when unset, the private cluster of onedoor dev in --data."`
	Data        string   `default:".data" help:"Data folder of onedoor dev, whose running PostgreSQL is used when DATABASE_URL is unset."`
	Repair      bool     `help:"Re-mirror the read model of every case that disagrees with its workflow, the source of truth."`
	JSON        bool     `name:"json" help:"Print the report as JSON."`
	Cases       []string `arg:"" optional:"" help:"Case ids or numbers to check; every case when none."`
}

func (c *checkCmd) Run(ctx context.Context, logger *slog.Logger) error {
	url := c.DatabaseURL
	if url == "" {
		pg, err := postgres.Running(ctx, filepath.Join(c.Data, "postgres"))
		if err != nil {
			return err
		}
		url = pg.URL("postgres")
	}
	s, err := openStore(ctx, url, false, logger)
	if err != nil {
		return err
	}
	defer s.Close()
	if c.DatabaseURL == "" && c.CodecKeys == "" && c.CodecKeysFile == "" && !c.NoCodec {
		c.CodecKeysFile = filepath.Join(c.Data, codec.DevKeyFile) // beside onedoor dev: its keys
	}
	tc, err := c.dial(ctx, logger)
	if err != nil {
		return err
	}
	defer tc.Close()
	rep, err := (&check.Checker{Store: s, Temporal: tc}).Run(ctx, check.Options{
		Namespace: c.TemporalNamespace, Cases: c.Cases, Repair: c.Repair,
		Progress: func(done, total int) {
			if done%500 == 0 || done == total {
				fmt.Fprintf(os.Stderr, "checked %d of %d cases\n", done, total)
			}
		},
	})
	if err != nil {
		return err
	}
	if c.JSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		for _, f := range rep.Findings {
			repaired := ""
			if f.Repaired {
				repaired = " (repaired)"
			}
			fmt.Printf("%-12s %-22s %s%s\n", f.Kind, f.Number, f.Detail, repaired)
		}
		fmt.Printf("%d cases, %d workflows, %d seeded without workflow; ", rep.Cases, rep.Workflows, rep.Seeded)
		for _, k := range []check.Kind{check.Ahead, check.Diverging, check.Missing, check.NoWorkflow, check.Failed, check.Stuck, check.AuditGap, check.Behind} {
			fmt.Printf("%s %d ", k, rep.Count(k))
		}
		fmt.Println()
	}
	// Behind is a read model catching up; everything else needs an operator.
	if len(rep.Findings) > rep.Count(check.Behind) && !c.Repair {
		return exitCode(2)
	}
	return nil
}
