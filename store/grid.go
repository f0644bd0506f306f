package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/onedoor/onedoor"
)

// GridSource is a grid system (网格化管理系统) that posts grid events: its code, its name and the
// org units below which its grids lie. Its token is kept only as a SHA-256.
type GridSource struct {
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Units     []string  `json:"units"`
	CreatedAt time.Time `json:"created_at"`
}

// GridEvent is one event a source posted, as first received: the source's id of it, the
// SHA-256 of its body, and the case it became (whose id is derived from the two ids, so that a
// repeated post names the same case before that case exists).
type GridEvent struct {
	Source     string
	EventID    string
	BodyHash   []byte
	CaseID     string
	Grid       string
	Kind       string
	Latitude   *float64
	Longitude  *float64
	ReceivedAt time.Time
}

// AddGridSource records a grid source with the SHA-256 of its token. A source of the same code
// is an EConflict: a token is never replaced behind its system's back.
func (s *Store) AddGridSource(ctx context.Context, src GridSource, tokenHash []byte) (GridSource, error) {
	err := s.pool.QueryRow(ctx, `insert into grid_sources (code, name, token_hash, units) values ($1, $2, $3, $4)
		returning created_at`, src.Code, src.Name, tokenHash, src.Units).Scan(&src.CreatedAt)
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "23505" && pg.ConstraintName == "grid_sources_pkey" {
		return src, onedoor.Errorf(onedoor.EConflict, "grid source %s exists already", src.Code)
	}
	return src, interpret(err, "grid source "+src.Code)
}

// GridSourceByToken is the source whose token has the SHA-256 hash; ENotFound for none.
func (s *Store) GridSourceByToken(ctx context.Context, hash []byte) (GridSource, error) {
	var src GridSource
	err := s.pool.QueryRow(ctx, `select code, name, units, created_at from grid_sources where token_hash = $1`, hash).
		Scan(&src.Code, &src.Name, &src.Units, &src.CreatedAt)
	return src, interpret(err, "grid source")
}

// GridSources are every grid source, by code.
func (s *Store) GridSources(ctx context.Context) ([]GridSource, error) {
	rows, err := s.pool.Query(ctx, `select code, name, units, created_at from grid_sources order by code`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (GridSource, error) {
		var src GridSource
		err := r.Scan(&src.Code, &src.Name, &src.Units, &src.CreatedAt)
		return src, err
	})
}

// RecordGridEvent records the event the first time its source posts it and reports whether this
// call did; otherwise it returns the event as first recorded, whose body hash the caller compares.
// Two posts racing both get the one row: the primary key (source, event id) decides.
func (s *Store) RecordGridEvent(ctx context.Context, e GridEvent) (GridEvent, bool, error) {
	var first GridEvent
	var added bool
	err := s.pool.QueryRow(ctx, `
		with added as (
			insert into grid_events (source, event_id, body_hash, case_id, grid, kind, latitude, longitude)
			values ($1, $2, $3, $4, $5, $6, $7, $8)
			on conflict do nothing
			returning true, source, event_id, body_hash, case_id::text, grid, kind, latitude, longitude, received_at)
		select * from added
		union all
		select false, source, event_id, body_hash, case_id::text, grid, kind, latitude, longitude, received_at
		from grid_events where source = $1 and event_id = $2
		limit 1`, e.Source, e.EventID, e.BodyHash, e.CaseID, e.Grid, e.Kind, e.Latitude, e.Longitude).
		Scan(&added, &first.Source, &first.EventID, &first.BodyHash, &first.CaseID, &first.Grid, &first.Kind,
			&first.Latitude, &first.Longitude, &first.ReceivedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		// A racing post inserted the row after this statement's snapshot was taken: the insert
		// waited for it and did nothing, and the select could not see it yet. A new statement can.
		err = s.pool.QueryRow(ctx, `select source, event_id, body_hash, case_id::text, grid, kind, latitude, longitude, received_at
			from grid_events where source = $1 and event_id = $2`, e.Source, e.EventID).
			Scan(&first.Source, &first.EventID, &first.BodyHash, &first.CaseID, &first.Grid, &first.Kind,
				&first.Latitude, &first.Longitude, &first.ReceivedAt)
	}
	return first, added, interpret(err, "grid event")
}

// GridEventOf is the event of the source with its id; ENotFound for none.
func (s *Store) GridEventOf(ctx context.Context, source, eventID string) (GridEvent, error) {
	var e GridEvent
	err := s.pool.QueryRow(ctx, `select source, event_id, body_hash, case_id::text, grid, kind, latitude, longitude, received_at
		from grid_events where source = $1 and event_id = $2`, source, eventID).
		Scan(&e.Source, &e.EventID, &e.BodyHash, &e.CaseID, &e.Grid, &e.Kind, &e.Latitude, &e.Longitude, &e.ReceivedAt)
	return e, interpret(err, "grid event "+eventID)
}
