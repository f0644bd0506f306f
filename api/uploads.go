package api

import (
	"context"
	"log/slog"
	"time"
)

// An upload is stored (bytes, then row) before the case's workflow records it; a client whose
// upload timed out retries it with its Idempotency-Key, which finishes the first. One that never
// retries leaves a row and bytes nobody lists. The sweep settles those past UploadGrace: an
// upload the workflow did record after all (its answer was lost) is marked as recorded, as the
// upload would have done; one it never recorded is removed, row and bytes.

// UploadGrace is how long an upload may stay unrecorded before the sweep settles it: far longer
// than a client retries, or than a workflow could still record it.
const UploadGrace = 7 * 24 * time.Hour

// sweepEvery is how often each API node sweeps.
const sweepEvery = time.Hour

// SweepUploads settles the uploads unrecorded for longer than grace, at most a thousand a call,
// and reports how many it marked recorded and how many it removed.
func (s *Server) SweepUploads(ctx context.Context, grace time.Duration) (recorded, removed int, err error) {
	if s.Blobs == nil {
		return 0, 0, nil
	}
	stale, err := s.Store.UnsettledUploads(ctx, time.Now().Add(-grace), 1000)
	if err != nil {
		return 0, 0, err
	}
	for _, u := range stale {
		if u.Recorded > 0 {
			if err := s.Store.SettleRecordedUpload(ctx, u.ID, u.Recorded); err != nil {
				return recorded, removed, err
			}
			recorded++
			continue
		}
		// The row first, and the bytes only with it: a retry of the upload may have recorded it
		// meanwhile.
		gone, err := s.Store.ForgetAttachment(ctx, u.ID)
		if err != nil {
			return recorded, removed, err
		}
		if !gone {
			continue
		}
		if err := s.Blobs.Delete(ctx, u.Key); err != nil { // bytes already gone are no error
			return recorded, removed, err
		}
		removed++
	}
	return recorded, removed, nil
}

// SweepUploadsEvery sweeps every interval until ctx ends, logging what it settled; each API node
// runs it, and the sweeps of several nodes at once settle each upload once.
func (s *Server) SweepUploadsEvery(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = sweepEvery
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		recorded, removed, err := s.SweepUploads(ctx, UploadGrace)
		switch {
		case err != nil && ctx.Err() == nil:
			s.Logger.Warn("sweeping unrecorded uploads", "error", err)
		case recorded+removed > 0:
			s.Logger.Info("swept unrecorded uploads", slog.Int("recorded", recorded), slog.Int("removed", removed))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
