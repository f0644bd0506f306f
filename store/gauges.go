package store

import (
	"context"
	"fmt"
	"time"
)

// Gauges are the read model's figures an operator watches: what is open and what is late.
type Gauges struct {
	// OpenCases are the open cases by the level that holds them.
	OpenCases map[string]int64
	// OverdueTasks are the open tasks past their deadline by level.
	OverdueTasks map[string]int64
	// UnreadNotifications are the notifications nobody has read yet.
	UnreadNotifications int64
}

// Gauges counts open cases, overdue tasks and unread notifications in one round trip. It reads
// every open case and task (the partial indexes on status = 'open' serve it) and every unread
// notification, so callers cache the answer (the metrics endpoint does, for 30 s).
func (s *Store) Gauges(ctx context.Context) (Gauges, error) {
	g := Gauges{OpenCases: map[string]int64{}, OverdueTasks: map[string]int64{}}
	rows, err := s.pool.Query(ctx, `
		select 'case', level, count(*) from cases where status = 'open' group by level
		union all
		select 'overdue', level, count(*) from tasks where status = 'open' and overdue group by level
		union all
		select 'unread', '', count(*) from notifications where read_at is null`)
	if err != nil {
		return g, fmt.Errorf("store: gauges: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, level string
		var n int64
		if err := rows.Scan(&kind, &level, &n); err != nil {
			return g, fmt.Errorf("store: gauges: %w", err)
		}
		switch kind {
		case "case":
			g.OpenCases[level] = n
		case "overdue":
			g.OverdueTasks[level] = n
		case "unread":
			g.UnreadNotifications = n
		}
	}
	if err := rows.Err(); err != nil {
		return g, fmt.Errorf("store: gauges: %w", err)
	}
	return g, nil
}

// DueBetween counts the open cases whose deadline falls in [from, to), up to limit: enough to
// tell that a deadline storm is near (the partial index cases_due serves it, and the count
// stops at limit).
func (s *Store) DueBetween(ctx context.Context, from, to time.Time, limit int) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `select count(*) from (
		select 1 from cases where status = 'open' and due_at >= $1 and due_at < $2 limit $3) due`,
		from, to, limit).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: cases due between %s and %s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	return n, nil
}
