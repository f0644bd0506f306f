package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/lookup"
)

// PutResidentKeys records the keyed hashes of a case's resident identifiers, by which the
// resident's other matters are found (lookup). Recording them again changes nothing.
func (s *Store) PutResidentKeys(ctx context.Context, caseID string, keys []lookup.Hashed) error {
	if len(keys) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	for _, k := range keys {
		b.Queue(`insert into resident_keys (case_id, kind, key) values ($1, $2, $3) on conflict do nothing`,
			caseID, string(k.Kind), k.Hash)
	}
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return interpret(err, "case "+caseID)
	}
	return nil
}

// ResidentMatch is a case of the resident a lookup found, with the identifiers it was found by.
type ResidentMatch struct {
	Case      onedoor.Case
	MatchedBy []lookup.Kind
}

// MaxResidentMatches bounds the cases one lookup returns: the resident's newest.
const MaxResidentMatches = 50

// ResidentCases are the cases in the scope whose resident identifiers have one of the keyed
// hashes, newest received first, at most MaxResidentMatches, each with the kinds of identifier
// that matched. A hash matches only the same identifier under the same key: never a neighbour.
func (s *Store) ResidentCases(ctx context.Context, sc Scope, keys []lookup.Hashed) ([]ResidentMatch, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	hashes := make([][]byte, len(keys))
	for i, k := range keys {
		hashes[i] = k.Hash
	}
	q := &query{}
	h := q.arg(hashes)
	q.where("c.id in (select case_id from resident_keys where key = any(" + h + "))")
	q.scopeCases(sc)
	rows, err := s.pool.Query(ctx, `select `+caseColumns+`, c.visits, c.links,
			array(select distinct rk.kind from resident_keys rk where rk.case_id = c.id and rk.key = any(`+h+`) order by rk.kind)
		from cases c where `+q.sql()+` order by c.received_at desc, c.id desc limit `+q.arg(MaxResidentMatches), q.args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (ResidentMatch, error) {
		var m ResidentMatch
		var visits int
		var links []onedoor.Link
		var kinds []string
		c, err := scanCaseWith(r, &visits, &links, &kinds)
		if err != nil {
			return m, fmt.Errorf("store: resident lookup: %w", err)
		}
		m.Case, m.Case.Visits, m.Case.Links = c, visits, links
		for _, k := range kinds {
			m.MatchedBy = append(m.MatchedBy, lookup.Kind(k))
		}
		return m, nil
	})
}
