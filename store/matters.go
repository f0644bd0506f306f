package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/onedoor/onedoor/definitions"
)

// Matters are the matters a new case may be registered for, sorted: those of the published
// procedure versions, the built-in ones and any an administrator published a procedure for.
func (s *Store) Matters(ctx context.Context) ([]definitions.Matter, error) {
	rows, err := s.keyed.Query(ctx, `select distinct matter from procedure_versions
		where status = 'published' and matter <> '' order by matter`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[definitions.Matter])
}
