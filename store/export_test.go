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

// FactsDrift recomputes the statistics' facts of every case from its whole audit log, its tasks
// and its row, in a transaction it rolls back, and returns the cases whose facts, as the
// triggers kept them as events came, differ from those.
func (s *Store) FactsDrift(ctx context.Context) ([]string, error) {
	var drift []string
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `create temp table kept on commit drop as select * from case_facts`); err != nil {
			return err
		}
		for _, f := range []string{"case_log_facts_rebuild", "case_facts_refresh"} {
			if _, err := tx.Exec(ctx, `select `+f+`(array(select id from cases))`); err != nil {
				return err
			}
		}
		rows, err := tx.Query(ctx, `
			select distinct d::text from (
				(select 'new', * from case_facts except select 'new', * from kept) union all (select 'kept', * from kept except select 'kept', * from case_facts)
			) d order by 1`)
		if err != nil {
			return err
		}
		if drift, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return err
		}
		return errRollBack
	})
	if err == errRollBack {
		err = nil
	}
	return drift, err
}

var errRollBack = fmt.Errorf("roll back")

// BoardCountsDrift counts the open running tasks by unit, level, department and week, and returns
// the rows of board_counts, as its triggers kept it, that differ from those counts.
func (s *Store) BoardCountsDrift(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, `
		with counted as (
			select coalesce(org_unit, '') as org_unit, level, coalesce(department, '') as department, board_week(due_at) as due_week, count(*)::int as n
			from tasks where status = 'open' and not suspended and due_at is not null group by 1, 2, 3, 4
		)
		select d::text from ((select 'counted', * from counted except select 'counted', * from board_counts)
			union all (select 'kept', * from board_counts except select 'kept', * from counted)) d order by 1`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// Setting is the value of a run-time parameter in the store's sessions.
func (s *Store) Setting(ctx context.Context, name string) (string, error) {
	var v string
	err := s.pool.QueryRow(ctx, "select current_setting($1)", name).Scan(&v)
	return v, err
}

// KeyedSetting is Setting on a session of the keyed pool.
func (s *Store) KeyedSetting(ctx context.Context, name string) (string, error) {
	var v string
	err := s.keyed.QueryRow(ctx, "select current_setting($1)", name).Scan(&v)
	return v, err
}

// RebuildBoardCounts counts the boards' rows again, as a seed's run does at its end.
func (s *Store) RebuildBoardCounts(ctx context.Context) error {
	_, err := s.pool.Exec(ctx, "select board_counts_rebuild()")
	return err
}
