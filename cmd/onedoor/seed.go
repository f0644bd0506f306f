package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/store"
)

// seedCmd loads synthetic cases for demos and benchmarks.
type seedCmd struct {
	databaseFlags
	Cases int   `default:"10000" help:"How many synthetic cases the seed should have: a run cut short goes on where it stopped when started again."`
	Seed  int64 `default:"1" help:"Random seed: the same seed and count give the same cases (received over the two years before now)."`
}

func (c *seedCmd) Run(ctx context.Context, logger *slog.Logger) error {
	s, err := openStore(ctx, c.DatabaseURL, true, logger)
	if err != nil {
		return err
	}
	defer s.Close()
	org, err := definitions.DemoOrg()
	if err != nil {
		return err
	}
	if err := s.SeedOrg(ctx, org); err != nil {
		return err
	}
	before, err := s.SeedWritten(ctx, c.Seed)
	if err != nil {
		return err
	}
	// What a run does after its batches; one cut short has the statistics still to sum.
	stage := func(what string) func() {
		fmt.Fprintf(os.Stderr, "%s… ", what)
		start := time.Now()
		return func() { fmt.Fprintf(os.Stderr, "%s\n", time.Since(start).Round(time.Millisecond)) }
	}
	if before >= c.Cases {
		fmt.Printf("seed %d has %d cases already: nothing to write\n", c.Seed, before)
		return s.SeedCases(ctx, store.SeedOptions{Cases: c.Cases, Seed: c.Seed, Org: org, Stage: stage})
	}
	if before > 0 {
		fmt.Fprintf(os.Stderr, "seed %d has %d cases already: going on from case %d\n", c.Seed, before, before+1)
	}
	// The bar counts this run's cases, so that its rate and time left are this run's.
	bar := progressbar.NewOptions(c.Cases-before, progressbar.OptionSetWriter(os.Stderr), progressbar.OptionSetDescription("cases"),
		progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("cases"),
		progressbar.OptionSetPredictTime(true), progressbar.OptionShowElapsedTimeOnFinish(),
		// Drawn at once, so that its clock (rate, time left) starts with the run, not at the first batch.
		progressbar.OptionSetRenderBlankState(true),
		progressbar.OptionThrottle(500*time.Millisecond))
	start := time.Now()
	err = s.SeedCases(ctx, store.SeedOptions{Cases: c.Cases, Seed: c.Seed, Org: org, Progress: func(done int) {
		_ = bar.Set(done - before)
		if done == c.Cases {
			_ = bar.Finish()
			fmt.Fprintln(os.Stderr)
		}
	}, Stage: stage})
	if err != nil {
		fmt.Fprintln(os.Stderr)
		return fmt.Errorf("%w (run the same command again to go on from the last batch written)", err)
	}
	took := time.Since(start)
	fmt.Printf("seeded %d cases in %s (%.0f cases/s), %d in all for seed %d; they are marked created_by = 'seed' and have no workflow\n",
		c.Cases-before, took.Round(time.Millisecond), float64(c.Cases-before)/took.Seconds(), c.Cases, c.Seed)
	return nil
}
