package store

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"
)

// gramStats are the shares of the cases each common gram is in, as ANALYZE last counted them in
// the statistics of the index cases_grams (036_case_grams.sql), read again at most every
// gramStatsAge.
type gramStats struct {
	mu   sync.Mutex
	read time.Time
	freq map[string]float64
}

const gramStatsAge = 10 * time.Minute

// rarestGram is the rune position (1-based) in q of the gram of it the search asks the index
// for: of its two-character grams, the one the fewest cases have (a gram the statistics do not
// list is rarer than any they do; the first of equals). One gram, not all: the planner takes the
// grams of a word for independent, multiplies their shares, and so would read a common phrase
// (草场边界: 草场, 场边 and 边界 go together) from the index as if it were rare, where reading the
// newest cases finds a page at once; one gram's share it knows. A query of one character is its
// gram, at 1.
func (s *Store) rarestGram(ctx context.Context, q string) (int, error) {
	runes := []rune(strings.TrimSpace(q))
	if len(runes) < 3 {
		return 1, nil
	}
	freq, err := s.gramFrequencies(ctx)
	if err != nil {
		return 0, err
	}
	at, least := 1, 2.0
	for i := 0; i+1 < len(runes); i++ {
		// PostgreSQL lower-cases one character at a time too; where the two disagree on an
		// unusual character only the choice of the gram suffers, never the answer.
		g := string([]rune{unicode.ToLower(runes[i]), unicode.ToLower(runes[i+1])})
		if f := freq[g]; f < least {
			at, least = i+1, f
		}
	}
	return at, nil
}

// gramFrequencies are the gram statistics, read from pg_stats when older than gramStatsAge;
// none before the cases were first analyzed.
func (s *Store) gramFrequencies(ctx context.Context) (map[string]float64, error) {
	st := s.grams
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.freq != nil && time.Since(st.read) < gramStatsAge {
		return st.freq, nil
	}
	var elems []string
	var freqs []float64
	err := s.pool.QueryRow(ctx, `
		select coalesce((select most_common_elems::text::text[] from pg_stats
			where schemaname = current_schema() and tablename = 'cases_grams'), '{}'),
		coalesce((select most_common_elem_freqs::float8[] from pg_stats
			where schemaname = current_schema() and tablename = 'cases_grams'), '{}')`).Scan(&elems, &freqs)
	if err != nil {
		return nil, fmt.Errorf("store: gram statistics: %w", err)
	}
	// The frequencies are those of the elements, then their least, greatest and null share.
	freq := make(map[string]float64, len(elems))
	for i, g := range elems {
		if i < len(freqs) {
			freq[g] = freqs[i]
		}
	}
	st.freq, st.read = freq, time.Now()
	return freq, nil
}
