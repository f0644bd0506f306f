package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// OverrideVersion is one stored version of a county's override of a procedure template, with
// who created, edited and published it. Its columns (county, key, version, template, status) win
// over the stored definition's.
type OverrideVersion struct {
	Override    *definitions.Override
	CreatedBy   string
	CreatedAt   time.Time
	UpdatedBy   string
	UpdatedAt   time.Time
	PublishedBy string
	PublishedAt time.Time // zero while a draft
	// AdoptedFrom is the template version the county ran before this version was published; 0
	// for the county's first, when it had none.
	AdoptedFrom int
	RetiredAt   time.Time // zero unless retired
}

type overrideRow struct {
	County      string     `db:"county"`
	Key         string     `db:"key"`
	Version     int        `db:"version"`
	Template    int        `db:"template"`
	Status      string     `db:"status"`
	Definition  []byte     `db:"definition"`
	CreatedBy   string     `db:"created_by"`
	CreatedAt   time.Time  `db:"created_at"`
	UpdatedBy   string     `db:"updated_by"`
	UpdatedAt   time.Time  `db:"updated_at"`
	PublishedBy *string    `db:"published_by"`
	PublishedAt *time.Time `db:"published_at"`
	AdoptedFrom *int       `db:"adopted_from"`
	RetiredAt   *time.Time `db:"retired_at"`
}

const overrideColumns = `county, key, version, template, status, definition, created_by, created_at,
	updated_by, updated_at, published_by, published_at, adopted_from, retired_at`

func (r overrideRow) domain() (OverrideVersion, error) {
	var o definitions.Override
	if err := json.Unmarshal(r.Definition, &o); err != nil {
		return OverrideVersion{}, fmt.Errorf("store: override %s of %s version %d: %w", r.County, r.Key, r.Version, err)
	}
	o.County, o.Key, o.Version, o.Template, o.Status = r.County, r.Key, r.Version, r.Template, definitions.Status(r.Status)
	v := OverrideVersion{Override: &o, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, UpdatedBy: r.UpdatedBy, UpdatedAt: r.UpdatedAt}
	if r.PublishedBy != nil {
		v.PublishedBy = *r.PublishedBy
	}
	if r.PublishedAt != nil {
		v.PublishedAt = *r.PublishedAt
	}
	if r.AdoptedFrom != nil {
		v.AdoptedFrom = *r.AdoptedFrom
	}
	if r.RetiredAt != nil {
		v.RetiredAt = *r.RetiredAt
	}
	return v, nil
}

func queryOverrides(ctx context.Context, q querier, sql string, args ...any) ([]OverrideVersion, error) {
	return queryRows[overrideRow](ctx, q, sql, args...)
}

func queryOverride(ctx context.Context, q querier, what, sql string, args ...any) (OverrideVersion, error) {
	list, err := queryOverrides(ctx, q, sql, args...)
	if err != nil {
		return OverrideVersion{}, err
	}
	if len(list) == 0 {
		return OverrideVersion{}, onedoor.Errorf(onedoor.ENotFound, "%s not found", what)
	}
	return list[0], nil
}

func overrideName(county, key string, version int) string {
	if version == 0 {
		return fmt.Sprintf("override of procedure %s for %s", key, county)
	}
	return fmt.Sprintf("override of procedure %s for %s, version %d", key, county, version)
}

// Overrides is the latest version of every override of the counties (all when counties is nil),
// by county and key.
func (s *Store) Overrides(ctx context.Context, counties []string) ([]OverrideVersion, error) {
	return queryOverrides(ctx, s.pool, `select distinct on (county, key) `+overrideColumns+`
		from procedure_overrides where $1::text[] is null or county = any($1)
		order by county, key, version desc`, counties)
}

// OverrideVersions is every version of the county's override of the procedure key, oldest first;
// none is not found.
func (s *Store) OverrideVersions(ctx context.Context, county, key string) ([]OverrideVersion, error) {
	list, err := queryOverrides(ctx, s.pool, `select `+overrideColumns+` from procedure_overrides
		where county = $1 and key = $2 order by version`, county, key)
	if err == nil && len(list) == 0 {
		return nil, onedoor.Errorf(onedoor.ENotFound, "%s not found", overrideName(county, key, 0))
	}
	return list, err
}

// Override is one version of the county's override of the procedure key.
func (s *Store) Override(ctx context.Context, county, key string, version int) (OverrideVersion, error) {
	return queryOverride(ctx, s.keyed, overrideName(county, key, version), `select `+overrideColumns+`
		from procedure_overrides where county = $1 and key = $2 and version = $3`, county, key, version)
}

// PublishedOverride is the version of the county's override of the procedure key that its new
// cases run on; not found when the county has none, and runs the procedure as published.
func (s *Store) PublishedOverride(ctx context.Context, county, key string) (OverrideVersion, error) {
	return queryOverride(ctx, s.keyed, "published "+overrideName(county, key, 0), `select `+overrideColumns+`
		from procedure_overrides where county = $1 and key = $2 and status = 'published'`, county, key)
}

// CreateOverride stores o as a new draft of the county's override of its procedure, numbered one
// above the highest existing version. A draft only has to name a stored template version; it is
// checked in full when published.
func (s *Store) CreateOverride(ctx context.Context, o *definitions.Override, by string) (OverrideVersion, error) {
	var out OverrideVersion
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := lockOverride(ctx, tx, o.County, o.Key); err != nil {
			return err
		}
		var latest int
		if err := tx.QueryRow(ctx, `select coalesce(max(version), 0) from procedure_overrides where county = $1 and key = $2`,
			o.County, o.Key).Scan(&latest); err != nil {
			return err
		}
		d := o.Clone()
		d.Version, d.Status = latest+1, definitions.StatusDraft
		def, err := json.Marshal(d)
		if err != nil {
			return err
		}
		out, err = queryOverride(ctx, tx, overrideName(d.County, d.Key, d.Version), `insert into procedure_overrides
			(county, key, version, template, status, definition, created_by, updated_by)
			values ($1, $2, $3, $4, 'draft', $5, $6, $6) returning `+overrideColumns,
			d.County, d.Key, d.Version, d.Template, def, by)
		return err
	})
	return out, procedureError(err, overrideName(o.County, o.Key, 0))
}

// UpdateOverride replaces the draft county/key/version with o (its county, key and version are
// the draft's). A published or retired version is frozen: updating it is a conflict.
func (s *Store) UpdateOverride(ctx context.Context, county, key string, version int, o *definitions.Override, by string) (OverrideVersion, error) {
	what := overrideName(county, key, version)
	var out OverrideVersion
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		stored, err := lockOverrideVersion(ctx, tx, county, key, version)
		if err != nil {
			return err
		}
		if stored.Override.Status != definitions.StatusDraft {
			return onedoor.Errorf(onedoor.EConflict, "%s is %s and cannot be edited: cases may run on it; start a new draft from it instead", what, stored.Override.Status)
		}
		d := o.Clone()
		d.County, d.Key, d.Version, d.Status = county, key, version, definitions.StatusDraft
		def, err := json.Marshal(d)
		if err != nil {
			return err
		}
		out, err = queryOverride(ctx, tx, what, `update procedure_overrides
			set template = $4, definition = $5, updated_by = $6, updated_at = now()
			where county = $1 and key = $2 and version = $3 returning `+overrideColumns,
			county, key, version, d.Template, def, by)
		return err
	})
	return out, procedureError(err, what)
}

// PublishOverride publishes the draft county/key/version: the template version it adopts must be
// published, and check (definitions.CheckOverride with the county's organisation) must accept the
// draft against it. The county's version published before is retired: new cases of the county run
// on the new one, running cases keep theirs. Publishing anything but a draft is a conflict.
func (s *Store) PublishOverride(ctx context.Context, county, key string, version int,
	check func(o *definitions.Override, template *definitions.Procedure) error, by string) (OverrideVersion, error) {
	what := overrideName(county, key, version)
	var out OverrideVersion
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := lockOverride(ctx, tx, county, key); err != nil {
			return err
		}
		stored, err := lockOverrideVersion(ctx, tx, county, key, version)
		if err != nil {
			return err
		}
		o := stored.Override
		if o.Status != definitions.StatusDraft {
			return onedoor.Errorf(onedoor.EConflict, "%s is %s; only a draft can be published", what, o.Status)
		}
		tpl, err := queryVersion(ctx, tx, versionName(key, o.Template), `select `+versionColumns+`
			from procedure_versions where key = $1 and version = $2`, key, o.Template)
		if err != nil {
			return err
		}
		if tpl.Owner != "" {
			return &definitions.ValidationError{Problems: []definitions.Problem{{Path: "template",
				Message: fmt.Sprintf("%s is the own procedure of %s, not a template: its county changes it itself", key, tpl.Owner)}}}
		}
		if tpl.Procedure.Status != definitions.StatusPublished {
			return &definitions.ValidationError{Problems: []definitions.Problem{{Path: "template",
				Message: fmt.Sprintf("version %d of %s is %s; a county adopts a published template version", o.Template, key, tpl.Procedure.Status)}}}
		}
		if err := check(o, tpl.Procedure); err != nil {
			return err
		}
		var before *int
		if err := tx.QueryRow(ctx, `select template from procedure_overrides where county = $1 and key = $2 and status = 'published'`,
			county, key).Scan(&before); err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if _, err := tx.Exec(ctx, `update procedure_overrides
			set status = 'retired', definition = jsonb_set(definition, '{status}', '"retired"'), retired_at = now()
			where county = $1 and key = $2 and status = 'published'`, county, key); err != nil {
			return err
		}
		pub := o.Clone()
		pub.Status = definitions.StatusPublished
		def, err := json.Marshal(pub)
		if err != nil {
			return err
		}
		out, err = queryOverride(ctx, tx, what, `update procedure_overrides
			set status = 'published', definition = $4, published_by = $5, published_at = now(), adopted_from = $6,
				updated_by = $5, updated_at = now()
			where county = $1 and key = $2 and version = $3 returning `+overrideColumns,
			county, key, version, def, by, before)
		return err
	})
	return out, procedureError(err, what)
}

// CountyDepartments are the codes of the departments that work in the county whose top unit is
// county: those with staff (a department post) at a unit of its subtree. A case of the county
// diverted to another would wait for staff it cannot reach, since department staff are fenced to
// their county.
func (s *Store) CountyDepartments(ctx context.Context, county string) ([]string, error) {
	rows, err := s.pool.Query(ctx, `
		with recursive down(code) as (
			select code from org_units where code = $1
			union all
			select o.code from org_units o join down on o.parent = down.code
		)
		select department from users where role = 'department' and department is not null and org_unit in (select code from down)
		union
		select department from user_posts where role = 'department' and department is not null and org_unit in (select code from down)
		order by 1`, county)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// lockOverride serialises the writers of one county's override of one procedure.
func lockOverride(ctx context.Context, tx pgx.Tx, county, key string) error {
	_, err := tx.Exec(ctx, `select pg_advisory_xact_lock(hashtextextended('onedoor.override.' || $1 || '.' || $2, 0))`, county, key)
	return err
}

func lockOverrideVersion(ctx context.Context, tx pgx.Tx, county, key string, version int) (OverrideVersion, error) {
	return queryOverride(ctx, tx, overrideName(county, key, version), `select `+overrideColumns+`
		from procedure_overrides where county = $1 and key = $2 and version = $3 for update`, county, key, version)
}
