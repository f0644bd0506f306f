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
	Cases int   `default:"10000" help:"How many synthetic cases to write."`
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
	bar := progressbar.NewOptions(c.Cases, progressbar.OptionSetWriter(os.Stderr), progressbar.OptionSetDescription("cases"),
		// No running rate: the bar's first reading of it is meaningless; the final line gives the rate.
		progressbar.OptionShowCount(), progressbar.OptionShowElapsedTimeOnFinish(),
		progressbar.OptionThrottle(200*time.Millisecond))
	start := time.Now()
	err = s.SeedCases(ctx, store.SeedOptions{Cases: c.Cases, Seed: c.Seed, Org: org, Progress: func(done int) { _ = bar.Set(done) }})
	_ = bar.Finish()
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return err
	}
	took := time.Since(start)
	fmt.Printf("seeded %d cases in %s (%.0f cases/s); they are marked created_by = 'seed' and have no workflow\n",
		c.Cases, took.Round(time.Millisecond), float64(c.Cases)/took.Seconds())
	return nil
}
