package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Plans runs read once, recording the statements the store runs for it, and returns the
// EXPLAIN (ANALYZE, BUFFERS) plan of each of its reads (select or with), after the statement
// itself, so that a benchmark's output shows the plan of what it timed.
func (s *Store) Plans(ctx context.Context, read func(context.Context) error) (string, error) {
	var list []recorded
	if err := read(context.WithValue(ctx, recordKey{}, &list)); err != nil {
		return "", err
	}
	var out strings.Builder
	for n, st := range list {
		sql := strings.TrimSpace(st.SQL)
		fmt.Fprintf(&out, "-- statement %d of %d: %s\n", n+1, len(list), strings.Join(strings.Fields(sql), " "))
		if first := strings.ToLower(strings.Fields(sql + " x")[0]); first != "select" && first != "with" {
			out.WriteString("   (not a read: not explained)\n")
			continue
		}
		rows, err := s.pool.Query(ctx, "explain (analyze, buffers) "+sql, st.Args...)
		if err != nil {
			return "", err
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return "", err
		}
		for _, l := range lines {
			out.WriteString("   " + l + "\n")
		}
	}
	return out.String(), nil
}
