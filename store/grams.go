package store

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// gramStats are, for each gram index (cases_grams of 036_case_grams.sql, case_statements_grams of
// 038_case_statements.sql), the shares of the rows each common gram is in, as ANALYZE last
// counted them in the index's statistics, read again at most every gramStatsAge.
type gramStats struct {
	mu      sync.Mutex
	indexes map[string]indexGrams
}

// indexGrams are one index's gram statistics.
type indexGrams struct {
	read time.Time
	// freq is the share of the rows each common gram is in.
	freq map[string]float64
	// rows are the rows of the index's table, as ANALYZE last counted them.
	rows float64
}

const gramStatsAge = 10 * time.Minute

// The gram indexes the text search reads.
const (
	casesGrams      = "cases_grams"
	statementsGrams = "case_statements_grams"
)

// rarestGram is the rune position (1-based) in q of the gram of it the search asks the index
// for, the share of the index's rows that have it (0 for a gram the statistics do not list) and
// the rows of the index's table:
// of its two-character grams, the one the fewest rows have (a gram the statistics do not list is
// rarer than any they do; the first of equals). One gram, not all: the planner takes the grams of
// a word for independent, multiplies their shares, and so would read a common phrase (草场边界:
// 草场, 场边 and 边界 go together) from the index as if it were rare, where reading the newest
// cases finds a page at once; one gram's share it knows. A query of one or two characters is its
// own gram, at 1.
func (s *Store) rarestGram(ctx context.Context, q, index string) (int, float64, float64, error) {
	runes := []rune(strings.TrimSpace(q))
	freq, rows, err := s.gramFrequencies(ctx, index)
	if err != nil {
		return 0, 0, 0, err
	}
	// PostgreSQL lower-cases one character at a time too; where the two disagree on an unusual
	// character only the choice of the gram suffers, never the answer.
	gram := func(i int) string {
		return strings.ToLower(string(runes[i:min(i+2, len(runes))]))
	}
	if len(runes) < 3 {
		return 1, freq[gram(0)], rows, nil
	}
	at, least := 1, 2.0
	for i := 0; i+1 < len(runes); i++ {
		if f := freq[gram(i)]; f < least {
			at, least = i+1, f
		}
	}
	return at, least, rows, nil
}

// gramFrequencies are the gram statistics of the index and the rows of its table, read from
// pg_stats and pg_class when older than gramStatsAge; none before its table was first analyzed.
func (s *Store) gramFrequencies(ctx context.Context, index string) (map[string]float64, float64, error) {
	st := s.grams
	st.mu.Lock()
	defer st.mu.Unlock()
	if g, ok := st.indexes[index]; ok && time.Since(g.read) < gramStatsAge {
		return g.freq, g.rows, nil
	}
	var elems []string
	var freqs []float64
	var rows float64
	err := s.pool.QueryRow(ctx, `
		select coalesce((select most_common_elems::text::text[] from pg_stats
			where schemaname = current_schema() and tablename = $1), '{}'),
		coalesce((select most_common_elem_freqs::float8[] from pg_stats
			where schemaname = current_schema() and tablename = $1), '{}'),
		coalesce((select greatest(t.reltuples, 0)::float8 from pg_index i join pg_class t on t.oid = i.indrelid
			where i.indexrelid = to_regclass($1)), 0)`, index).Scan(&elems, &freqs, &rows)
	if err != nil {
		return nil, 0, fmt.Errorf("store: gram statistics: %w", err)
	}
	// The frequencies are those of the elements, then their least, greatest and null share.
	freq := make(map[string]float64, len(elems))
	for i, g := range elems {
		if i < len(freqs) {
			freq[g] = freqs[i]
		}
	}
	if st.indexes == nil {
		st.indexes = map[string]indexGrams{}
	}
	st.indexes[index] = indexGrams{read: time.Now(), freq: freq, rows: rows}
	return freq, rows, nil
}
