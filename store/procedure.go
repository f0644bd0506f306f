package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// SystemActor is who the store records as the author and publisher of the built-in procedures
// that LoadLibrary stores.
const SystemActor = "onedoor"

// ProcedureVersion is one stored version of a procedure: the definition, the YAML text it is
// written in, and who created, last edited, published and retired it. The row's version,
// status and valid_from are authoritative; the YAML's own lines for them are kept in step.
type ProcedureVersion struct {
	Procedure *definitions.Procedure
	// Owner is the code of the county whose own procedure this is; empty for a template every
	// county shares (a city's or province's, or a single-county deployment's).
	Owner string
	// Source is the YAML an administrator wrote, with its version, status and valid_from
	// settings rewritten to the stored ones (comments and layout are kept).
	Source      string
	CreatedBy   string
	CreatedAt   time.Time
	UpdatedBy   string
	UpdatedAt   time.Time
	PublishedBy string
	PublishedAt time.Time // zero while a draft
	RetiredBy   string
	RetiredAt   time.Time // zero unless retired
}

// Revision names the version's state: it changes with each save of a draft. An editor sends the
// revision it started from, so that a save over another administrator's is refused.
func (v ProcedureVersion) Revision() string {
	return strconv.FormatInt(v.UpdatedAt.UnixMicro(), 36)
}

// StaleError refuses a save of a draft someone else saved since the editor read it; Current is
// the draft as it is now.
type StaleError struct {
	Current ProcedureVersion
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("version %d of %s was saved by %s at %s after you opened it: your changes are not saved; compare them with theirs and save again",
		e.Current.Procedure.Version, e.Current.Procedure.Key, e.Current.UpdatedBy, e.Current.UpdatedAt.In(definitions.Shanghai).Format("2006-01-02 15:04:05"))
}

// versionRow is a procedure_versions row as pgx reads it.
type versionRow struct {
	Key         string     `db:"key"`
	Version     int        `db:"version"`
	Status      string     `db:"status"`
	ValidFrom   *time.Time `db:"valid_from"`
	Definition  []byte     `db:"definition"`
	Source      string     `db:"source"`
	CreatedBy   string     `db:"created_by"`
	CreatedAt   time.Time  `db:"created_at"`
	UpdatedBy   string     `db:"updated_by"`
	UpdatedAt   time.Time  `db:"updated_at"`
	PublishedBy *string    `db:"published_by"`
	PublishedAt *time.Time `db:"published_at"`
	RetiredBy   *string    `db:"retired_by"`
	RetiredAt   *time.Time `db:"retired_at"`
	Owner       *string    `db:"owner"`
}

const versionColumns = `key, version, status, valid_from, definition, source, created_by, created_at,
	updated_by, updated_at, published_by, published_at, retired_by, retired_at, owner`

func (r versionRow) domain() (ProcedureVersion, error) {
	var p definitions.Procedure
	if err := json.Unmarshal(r.Definition, &p); err != nil {
		return ProcedureVersion{}, fmt.Errorf("store: procedure %s version %d: %w", r.Key, r.Version, err)
	}
	// The columns win over the stored JSON: they are what the trigger guards.
	p.Key, p.Version, p.Status = r.Key, r.Version, definitions.Status(r.Status)
	p.ValidFrom = definitions.Date{}
	if r.ValidFrom != nil {
		y, m, d := r.ValidFrom.Date()
		p.ValidFrom = definitions.Date{Year: y, Month: m, Day: d}
	}
	v := ProcedureVersion{
		Procedure: &p, Source: r.Source,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, UpdatedBy: r.UpdatedBy, UpdatedAt: r.UpdatedAt,
	}
	if r.PublishedBy != nil {
		v.PublishedBy = *r.PublishedBy
	}
	if r.PublishedAt != nil {
		v.PublishedAt = *r.PublishedAt
	}
	if r.RetiredBy != nil {
		v.RetiredBy = *r.RetiredBy
	}
	if r.RetiredAt != nil {
		v.RetiredAt = *r.RetiredAt
	}
	if r.Owner != nil {
		v.Owner = *r.Owner
	}
	return v, nil
}

// querier is what both the pool and a transaction offer.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func queryVersions(ctx context.Context, q querier, sql string, args ...any) ([]ProcedureVersion, error) {
	return queryRows[versionRow](ctx, q, sql, args...)
}

// stored is a row as the database has it, turned into what the store answers.
type stored[T any] interface{ domain() (T, error) }

// queryRows reads rows of R by column name and turns each into a T.
func queryRows[R stored[T], T any](ctx context.Context, q querier, sql string, args ...any) ([]T, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[R])
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(list))
	for _, r := range list {
		v, err := r.domain()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func queryVersion(ctx context.Context, q querier, what string, sql string, args ...any) (ProcedureVersion, error) {
	list, err := queryVersions(ctx, q, sql, args...)
	if err != nil {
		return ProcedureVersion{}, err
	}
	if len(list) == 0 {
		return ProcedureVersion{}, onedoor.Errorf(onedoor.ENotFound, "%s not found", what)
	}
	return list[0], nil
}

func versionName(key string, version int) string {
	return fmt.Sprintf("procedure %s version %d", key, version)
}

// Procedures is the latest version of every procedure, drafts included, ordered by key.
func (s *Store) Procedures(ctx context.Context) ([]ProcedureVersion, error) {
	return queryVersions(ctx, s.pool, `select distinct on (key) `+versionColumns+`
		from procedure_versions order by key, version desc`)
}

// RunningCases is how many open cases run on each version of each procedure, by key and
// version; a version no open case runs on is absent. Procedures are shared by every county, so
// the count is over all of them.
func (s *Store) RunningCases(ctx context.Context) (map[string]map[int]int, error) {
	rows, err := s.pool.Query(ctx, `select procedure_key, procedure_version, count(*) from cases
		where status = 'open' group by procedure_key, procedure_version`)
	if err != nil {
		return nil, err
	}
	out := map[string]map[int]int{}
	var key string
	var version, n int
	_, err = pgx.ForEachRow(rows, []any{&key, &version, &n}, func() error {
		if out[key] == nil {
			out[key] = map[int]int{}
		}
		out[key][version] = n
		return nil
	})
	return out, err
}

// ProcedureVersions is every version of the procedure key, oldest first; a key with no version
// is not found.
func (s *Store) ProcedureVersions(ctx context.Context, key string) ([]ProcedureVersion, error) {
	list, err := queryVersions(ctx, s.pool, `select `+versionColumns+` from procedure_versions
		where key = $1 order by version`, key)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, onedoor.Errorf(onedoor.ENotFound, "procedure %s not found", key)
	}
	return list, nil
}

// ProcedureVersion is one version of the procedure key.
func (s *Store) ProcedureVersion(ctx context.Context, key string, version int) (ProcedureVersion, error) {
	return queryVersion(ctx, s.keyed, versionName(key, version), `select `+versionColumns+`
		from procedure_versions where key = $1 and version = $2`, key, version)
}

// ProcedureOwner is the county whose own procedure key is, empty for a template every county
// shares; a key with no version is not found.
func (s *Store) ProcedureOwner(ctx context.Context, key string) (string, error) {
	var owner *string
	err := s.keyed.QueryRow(ctx, `select owner from procedure_versions where key = $1 limit 1`, key).Scan(&owner)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", onedoor.Errorf(onedoor.ENotFound, "procedure %s not found", key)
	}
	if err != nil || owner == nil {
		return "", err
	}
	return *owner, nil
}

// CurrentProcedure is the version of the procedure key that a case of the county started at at
// runs on: the latest published version valid on that day (definitions.Current), of a template
// or of the county's own procedure; another county's own procedure is not the county's to start.
// None is not found. An empty county takes templates only. The database picks the version by
// definitions.Current's order, so that a registration reads and decodes one definition however
// many versions were published before it (each about 10 KB).
func (s *Store) CurrentProcedure(ctx context.Context, key, county string, at time.Time) (*definitions.Procedure, error) {
	list, err := queryVersions(ctx, s.keyed, `select `+versionColumns+` from procedure_versions
		where key = $1 and status = 'published' and valid_from <= $2::date
			and (owner is null or owner = $3)
		order by valid_from desc, version desc limit 1`, key, definitions.DateOf(at).String(), county)
	if err != nil {
		return nil, err
	}
	procs := make([]*definitions.Procedure, len(list))
	for i, v := range list {
		procs[i] = v.Procedure
	}
	p, ok := definitions.Current(procs, at)
	if !ok {
		return nil, onedoor.Errorf(onedoor.ENotFound, "no published version of procedure %s is valid on %s", key, definitions.DateOf(at))
	}
	return p, nil
}

// CreateProcedure stores the YAML src as a new draft of the procedure it names: version 1 of
// a new key, or one above the highest existing version of a known one. The YAML's version and
// status are replaced by the draft's. A draft only has to be readable; it is validated in full
// when published, so the caller may show its problems without refusing to save it. owner is the
// county whose own procedure it is, empty for a template; a known key of another owner is a
// conflict (every version of a key has one owner).
func (s *Store) CreateProcedure(ctx context.Context, src []byte, owner, by string) (ProcedureVersion, error) {
	p, err := definitions.Parse(src)
	if err != nil {
		return ProcedureVersion{}, err
	}
	if err := checkKey(p, src); err != nil {
		return ProcedureVersion{}, err
	}
	var out ProcedureVersion
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := lockProcedure(ctx, tx, p.Key); err != nil {
			return err
		}
		var latest int
		var was *string
		if err := tx.QueryRow(ctx, `select coalesce(max(version), 0), min(owner) from procedure_versions where key = $1`, p.Key).Scan(&latest, &was); err != nil {
			return err
		}
		if latest > 0 && (was == nil) != (owner == "") || was != nil && *was != owner {
			msg := fmt.Sprintf("procedure %s is a template every county shares; choose another key", p.Key)
			if was != nil {
				msg = fmt.Sprintf("procedure %s is the own procedure of %s; choose another key", p.Key, *was)
			}
			return definitions.LocateSettings(&definitions.ValidationError{Problems: []definitions.Problem{{Path: "key", Message: msg}}}, src)
		}
		p.Version, p.Status = latest+1, definitions.StatusDraft
		out, err = insertVersion(ctx, tx, p, definitions.Stamp(string(src), p), owner, by, nil)
		return err
	})
	return out, procedureError(err, "procedure "+p.Key)
}

// NewProcedureDraft starts a new draft of the procedure key copied from its version from (the
// latest when from is 0), numbered one above the highest version and without valid_from
// (definitions.Edit).
func (s *Store) NewProcedureDraft(ctx context.Context, key string, from int, by string) (ProcedureVersion, error) {
	var out ProcedureVersion
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := lockProcedure(ctx, tx, key); err != nil {
			return err
		}
		versions, err := queryVersions(ctx, tx, `select `+versionColumns+` from procedure_versions where key = $1 order by version`, key)
		if err != nil {
			return err
		}
		if len(versions) == 0 {
			return onedoor.Errorf(onedoor.ENotFound, "procedure %s not found", key)
		}
		base := versions[len(versions)-1]
		if from != 0 {
			i := slices.IndexFunc(versions, func(v ProcedureVersion) bool { return v.Procedure.Version == from })
			if i < 0 {
				return onedoor.Errorf(onedoor.ENotFound, "%s not found", versionName(key, from))
			}
			base = versions[i]
		}
		procs := make([]*definitions.Procedure, len(versions))
		for i, v := range versions {
			procs[i] = v.Procedure
		}
		d := definitions.Edit(base.Procedure, procs)
		// Editing a draft would reuse it; asking for a new draft always gets a new number.
		d.Version, d.Status, d.ValidFrom = definitions.Latest(procs)+1, definitions.StatusDraft, definitions.Date{}
		out, err = insertVersion(ctx, tx, d, definitions.Stamp(base.Source, d), base.Owner, by, nil)
		return err
	})
	return out, procedureError(err, "procedure "+key)
}

// UpdateProcedure replaces the draft key/version with the YAML src. The YAML's version and
// status are replaced by the draft's; a different key is refused. A published or retired
// version is frozen: updating it is a conflict. A revision other than the draft's (someone saved
// it since the editor read it) is refused with a *StaleError; an empty one is not checked.
func (s *Store) UpdateProcedure(ctx context.Context, key string, version int, src []byte, by, revision string) (ProcedureVersion, error) {
	next, err := definitions.Parse(src)
	if err != nil {
		return ProcedureVersion{}, err
	}
	var out ProcedureVersion
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		stored, err := lockVersion(ctx, tx, key, version)
		if err != nil {
			return err
		}
		if stored.Procedure.Status != definitions.StatusDraft {
			return frozen(stored.Procedure)
		}
		if revision != "" && revision != stored.Revision() {
			return &StaleError{Current: stored}
		}
		next.Version, next.Status = version, definitions.StatusDraft
		if err := definitions.CheckUpdate(stored.Procedure, next); err != nil {
			return definitions.LocateSettings(err, src)
		}
		def, err := json.Marshal(next)
		if err != nil {
			return err
		}
		out, err = queryVersion(ctx, tx, versionName(key, version), `update procedure_versions
			set valid_from = $3::date, matter = $4, name = $5, definition = $6, source = $7,
				updated_by = $8, updated_at = now()
			where key = $1 and version = $2 returning `+versionColumns,
			key, version, dateParam(next.ValidFrom), next.Matter, next.Name, def, definitions.Stamp(string(src), next), by)
		return err
	})
	return out, procedureError(err, versionName(key, version))
}

// PublishProcedure publishes the draft key/version: definitions.Publish validates and compiles
// it against org, and it becomes valid from its valid_from, or from today (Asia/Shanghai) when
// it has none. A definition with problems is refused with a *definitions.ValidationError whose
// problems carry their line and column in the stored YAML. Publishing anything but a draft is a
// conflict.
func (s *Store) PublishProcedure(ctx context.Context, key string, version int, org *definitions.Org, by string) (ProcedureVersion, error) {
	var out ProcedureVersion
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		stored, err := lockVersion(ctx, tx, key, version)
		if err != nil {
			return err
		}
		if stored.Procedure.Status != definitions.StatusDraft {
			return onedoor.Errorf(onedoor.EConflict, "%s is %s; only a draft can be published", versionName(key, version), stored.Procedure.Status)
		}
		today := definitions.DateOf(s.Clock())
		pub, err := definitions.Publish(stored.Procedure, org, today)
		if err != nil {
			return publishProblems(err, []byte(definitions.Stamp(stored.Source, publishedLike(stored.Procedure, today))), org)
		}
		def, err := json.Marshal(pub)
		if err != nil {
			return err
		}
		out, err = queryVersion(ctx, tx, versionName(key, version), `update procedure_versions
			set status = 'published', valid_from = $3::date, definition = $4, source = $5,
				published_by = $6, published_at = now(), updated_by = $6, updated_at = now()
			where key = $1 and version = $2 returning `+versionColumns,
			key, version, dateParam(pub.ValidFrom), def, definitions.Stamp(stored.Source, pub), by)
		return err
	})
	return out, procedureError(err, versionName(key, version))
}

// RetireProcedure retires the published version key/version: new cases stop using it, the
// cases running on it finish on it. Retiring anything but a published version is a conflict.
func (s *Store) RetireProcedure(ctx context.Context, key string, version int, by string) (ProcedureVersion, error) {
	var out ProcedureVersion
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		stored, err := lockVersion(ctx, tx, key, version)
		if err != nil {
			return err
		}
		r, err := definitions.Retire(stored.Procedure)
		if err != nil {
			return onedoor.Errorf(onedoor.EConflict, "%s is %s; only a published version can be retired", versionName(key, version), stored.Procedure.Status)
		}
		out, err = queryVersion(ctx, tx, versionName(key, version), `update procedure_versions
			set status = 'retired', definition = jsonb_set(definition, '{status}', '"retired"'), source = $3,
				retired_by = $4, retired_at = now()
			where key = $1 and version = $2 returning `+versionColumns,
			key, version, definitions.Stamp(stored.Source, r), by)
		return err
	})
	return out, procedureError(err, versionName(key, version))
}

// LoadLibrary stores and publishes every built-in procedure (definitions.LibraryKeys) whose key
// has no version yet, validated against org, and returns the keys it stored. It is meant for
// every start: a key an administrator already has, even as a draft, is left alone, and
// processes starting at once take turns on each key's lock, so each built-in is stored once.
func (s *Store) LoadLibrary(ctx context.Context, org *definitions.Org) ([]string, error) {
	type builtIn struct {
		p   *definitions.Procedure
		src string
	}
	var lib []builtIn
	for _, key := range definitions.LibraryKeys {
		src, ok := definitions.LibrarySource(key)
		if !ok {
			return nil, fmt.Errorf("store: built-in procedure %s is missing", key)
		}
		p, err := definitions.Load(src, org)
		if err != nil {
			return nil, fmt.Errorf("store: built-in procedure %s: %w", key, err)
		}
		if p.Status != definitions.StatusPublished {
			if p, err = definitions.Publish(p.Clone(), org, definitions.DateOf(s.Clock())); err != nil {
				return nil, fmt.Errorf("store: built-in procedure %s: %w", key, err)
			}
		}
		lib = append(lib, builtIn{p, definitions.Stamp(string(src), p)})
	}
	var loaded []string
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		loaded = nil
		for _, b := range lib {
			// Keys are locked in the same order by every caller, so two starts cannot deadlock.
			if err := lockProcedure(ctx, tx, b.p.Key); err != nil {
				return err
			}
			var exists bool
			if err := tx.QueryRow(ctx, `select exists (select 1 from procedure_versions where key = $1)`, b.p.Key).Scan(&exists); err != nil {
				return err
			}
			if exists {
				continue
			}
			if _, err := insertVersion(ctx, tx, b.p, b.src, "", SystemActor, &b.p.ValidFrom); err != nil {
				return err
			}
			loaded = append(loaded, b.p.Key)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: load built-in procedures: %w", err)
	}
	return loaded, nil
}

// procedureError is interpret plus the refusals of the procedure_versions_frozen trigger,
// which are conflicts: the store checks first, so they only reach a writer that did not.
func procedureError(err error, what string) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "P0001" {
		return onedoor.Errorf(onedoor.EConflict, "%s", pgErr.Message)
	}
	return interpret(err, what)
}

// lockProcedure serialises the writers of one key until the transaction ends, so two drafts
// never get the same number.
func lockProcedure(ctx context.Context, tx pgx.Tx, key string) error {
	_, err := tx.Exec(ctx, `select pg_advisory_xact_lock(hashtextextended('onedoor.procedure.' || $1, 0))`, key)
	return err
}

// lockVersion reads a version for update.
func lockVersion(ctx context.Context, tx pgx.Tx, key string, version int) (ProcedureVersion, error) {
	return queryVersion(ctx, tx, versionName(key, version), `select `+versionColumns+` from procedure_versions
		where key = $1 and version = $2 for update`, key, version)
}

// insertVersion writes a new version of the owner's procedure (empty for a template); published
// (its valid_from) is set for a version stored already published, which only LoadLibrary does.
func insertVersion(ctx context.Context, tx pgx.Tx, p *definitions.Procedure, src, owner, by string, published *definitions.Date) (ProcedureVersion, error) {
	def, err := json.Marshal(p)
	if err != nil {
		return ProcedureVersion{}, err
	}
	var publishedBy *string
	if published != nil {
		publishedBy = &by
	}
	v, err := queryVersion(ctx, tx, versionName(p.Key, p.Version), `insert into procedure_versions
		(key, version, status, valid_from, matter, name, definition, source, created_by, updated_by,
			published_by, published_at, owner)
		values ($1, $2, $3, $4::date, $5, $6, $7, $8, $9, $9, $10, case when $10::text is null then null else now() end, nullif($11, ''))
		on conflict (key, version) do nothing
		returning `+versionColumns,
		p.Key, p.Version, p.Status, dateParam(p.ValidFrom), p.Matter, p.Name, def, src, by, publishedBy, owner)
	if onedoor.ErrorCode(err) == onedoor.ENotFound {
		return v, onedoor.Errorf(onedoor.EConflict, "%s already exists", versionName(p.Key, p.Version))
	}
	return v, err
}

func dateParam(d definitions.Date) *string {
	if d.IsZero() {
		return nil
	}
	s := d.String()
	return &s
}

// frozen is the conflict of editing a version that is no longer a draft.
func frozen(p *definitions.Procedure) error {
	return onedoor.Errorf(onedoor.EConflict, "%s is %s and cannot be edited: cases may run on it; start a new draft from it instead",
		versionName(p.Key, p.Version), p.Status)
}

// publishedLike is p as Publish would write it on the day today, for locating its problems in
// the YAML.
func publishedLike(p *definitions.Procedure, today definitions.Date) *definitions.Procedure {
	c := p.Clone()
	c.Status = definitions.StatusPublished
	if c.ValidFrom.IsZero() {
		c.ValidFrom = today
	}
	return c
}

// checkKey refuses a definition whose key is missing or malformed, which must be right before
// anything is stored under it; the other problems of a draft wait for publishing.
func checkKey(p *definitions.Procedure, src []byte) error {
	var ve *definitions.ValidationError
	if !errors.As(p.Validate(nil), &ve) {
		return nil
	}
	var ps []definitions.Problem
	for _, pr := range ve.Problems {
		if pr.Path == "key" {
			ps = append(ps, pr)
		}
	}
	if len(ps) == 0 {
		return nil
	}
	return definitions.LocateSettings(&definitions.ValidationError{Problems: ps}, src)
}

// publishProblems is the error of publishing the YAML src: definitions.Load finds the same
// problems as definitions.Publish and also gives each its line and column.
func publishProblems(err error, src []byte, org *definitions.Org) error {
	var ve *definitions.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	if _, lerr := definitions.Load(src, org); errors.As(lerr, &ve) {
		return lerr
	}
	return err
}
