package store

import (
	"context"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// mirrorWaits wakes, in this process, the requests waiting for the read model of a case
// (WaitMirrored) when this process's mirror has written it. Where the API and the worker run in
// one process (onedoor dev, onedoor serve) a clerk's answer goes out as soon as the mirror
// commits; where they run apart, the waiters find the write by polling, as before.
type mirrorWaits struct {
	mu    sync.Mutex
	cases map[string]*mirrorWait
}

// mirrorWait is the waiters of one case: done is closed when the case is written.
type mirrorWait struct {
	done    chan struct{}
	waiters int
}

// watch returns the wait a request holds while it checks the case: its done is closed at the
// case's next write by this process.
func (m *mirrorWaits) watch(caseID string) *mirrorWait {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cases == nil {
		m.cases = map[string]*mirrorWait{}
	}
	w := m.cases[caseID]
	if w == nil {
		w = &mirrorWait{done: make(chan struct{})}
		m.cases[caseID] = w
	}
	w.waiters++
	return w
}

// unwatch gives back a wait that was not woken, forgetting the case with its last waiter.
func (m *mirrorWaits) unwatch(caseID string, w *mirrorWait) {
	m.mu.Lock()
	defer m.mu.Unlock()
	w.waiters--
	if w.waiters == 0 && m.cases[caseID] == w {
		delete(m.cases, caseID)
	}
}

// wake wakes every waiter of the case.
func (m *mirrorWaits) wake(caseID string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if w := m.cases[caseID]; w != nil {
		close(w.done)
		delete(m.cases, caseID)
	}
}

// WaitMirrored waits until the read model holds the case's event seq or later, so that a client
// reads its own write. It is woken by this process's mirror, and polls with a growing pause for
// another process's; it gives up when ctx ends. The first read comes after the first wake or
// pause: when a request has its answer the mirror has rarely written it yet (its activity starts
// as the workflow task that made the change completes), and a read then was a query for nothing,
// one of four per action.
func (s *Store) WaitMirrored(ctx context.Context, caseID string, seq int64) error {
	pause := 2 * time.Millisecond
	w := s.mirrored.watch(caseID)
	for {
		timer := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			timer.Stop()
			s.mirrored.unwatch(caseID, w)
			return ctx.Err()
		case <-w.done:
			timer.Stop()
		case <-timer.C:
			s.mirrored.unwatch(caseID, w)
			pause = min(2*pause, 50*time.Millisecond)
		}
		// Watched again before the read, so that a write committed after it wakes the next wait.
		w = s.mirrored.watch(caseID)
		var have int64
		err := s.keyed.QueryRow(ctx, `select seq from cases where id = $1`, caseID).Scan(&have)
		if err != nil && err != pgx.ErrNoRows {
			s.mirrored.unwatch(caseID, w)
			return err
		}
		if err == nil && have >= seq {
			s.mirrored.unwatch(caseID, w)
			return nil
		}
	}
}
