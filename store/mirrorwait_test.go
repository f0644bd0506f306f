package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/store"
)

// A request waits until the read model holds its change: woken by its own process's mirror,
// finding another process's write by polling, at once for a change mirrored before, and giving
// up when its time is out.
func TestWaitMirrored(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, url := setupURL(t)
	other, err := store.Open(ctx, url) // another process: its writes wake nobody here
	require.NoError(t, err)
	t.Cleanup(other.Close)
	at := time.Date(2026, time.March, 2, 9, 0, 0, 0, definitions.Shanghai)
	h := register(t, s, "WM-PET-2026", definitions.MatterPetition, "galutu", definitions.LevelTown, at, "等待镜像")

	wait := func(seq int64, timeout time.Duration) (chan error, time.Time) {
		done := make(chan error, 1)
		go func() {
			ctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			done <- s.WaitMirrored(ctx, h.c.ID, seq)
		}()
		return done, time.Now()
	}
	// This process's mirror writes the change while the request waits.
	done, _ := wait(2, 10*time.Second)
	time.Sleep(100 * time.Millisecond)
	h.event(at.Add(time.Hour), "note", "回访", nil)
	require.NoError(t, <-done)

	// Another process's write is found by polling.
	done, _ = wait(3, 10*time.Second)
	time.Sleep(100 * time.Millisecond)
	h.s = other
	h.event(at.Add(2*time.Hour), "note", "回访", nil)
	require.NoError(t, <-done)

	// A change mirrored before is found at the first read.
	done, _ = wait(3, 10*time.Second)
	require.NoError(t, <-done)

	// A change never mirrored: the wait ends with its time.
	done, start := wait(4, 200*time.Millisecond)
	require.ErrorIs(t, <-done, context.DeadlineExceeded)
	require.GreaterOrEqual(t, time.Since(start), 200*time.Millisecond)
}
