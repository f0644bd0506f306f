package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// SeedOrg writes the organisation's units and departments, updating names of existing ones.
// Parents come before children in org.Units' tree order, so it inserts in level order, top first.
func (s *Store) SeedOrg(ctx context.Context, org *definitions.Org) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// One seed or import at a time; and only what changed is written, since an upsert locks
		// its row as an update does, against the cases and tasks that reference it.
		if _, err := tx.Exec(ctx, `lock table org_units, departments in share row exclusive mode`); err != nil {
			return err
		}
		stored, err := readDirectory(ctx, tx)
		if err != nil {
			return err
		}
		units := map[string]definitions.OrgUnit{}
		for _, u := range stored.Units {
			units[u.Code] = u
		}
		for rank := len(definitions.OrgLevels) - 1; rank >= 0; rank-- {
			for _, u := range org.Units {
				if old, ok := units[u.Code]; u.Level.OrgRank() != rank || (ok && old == u) {
					continue
				}
				if err := saveUnit(ctx, tx, u); err != nil {
					return err
				}
			}
		}
		depts := map[string]definitions.Department{}
		for _, d := range stored.Departments {
			depts[d.Code] = d
		}
		for _, d := range org.Departments {
			if old, ok := depts[d.Code]; ok && old == d {
				continue
			}
			if err := saveDepartment(ctx, tx, d); err != nil {
				return err
			}
		}
		return nil
	})
}

// saveUnit creates or updates an org unit; its parent must exist.
func saveUnit(ctx context.Context, tx pgx.Tx, u definitions.OrgUnit) error {
	if _, err := tx.Exec(ctx, `
		insert into org_units (code, name, name_en, level, parent, number_prefix, grid)
		values ($1, $2, $3, $4, nullif($5, ''), nullif($6, ''), $7)
		on conflict (code) do update set name = excluded.name, name_en = excluded.name_en,
			level = excluded.level, parent = excluded.parent, number_prefix = excluded.number_prefix, grid = excluded.grid`,
		u.Code, u.Name, u.NameEN, u.Level, u.Parent, u.NumberPrefix, u.Grid); err != nil {
		return fmt.Errorf("store: org unit %s: %w", u.Code, err)
	}
	return nil
}

// saveDepartment creates or updates a department.
func saveDepartment(ctx context.Context, tx pgx.Tx, d definitions.Department) error {
	if _, err := tx.Exec(ctx, `
		insert into departments (code, name, name_en, mode, response_hours) values ($1, $2, $3, $4, $5)
		on conflict (code) do update set name = excluded.name, name_en = excluded.name_en,
			mode = excluded.mode, response_hours = excluded.response_hours`,
		d.Code, d.Name, d.NameEN, d.Mode, d.ResponseHours); err != nil {
		return fmt.Errorf("store: department %s: %w", d.Code, err)
	}
	return nil
}

// saveUser creates or updates a user and their further posts.
func saveUser(ctx context.Context, tx pgx.Tx, u onedoor.User) error {
	_, err := tx.Exec(ctx, `
		insert into users (id, name, role, org_unit, department) values ($1, $2, $3, nullif($4, ''), nullif($5, ''))
		on conflict (id) do update set name = excluded.name, role = excluded.role,
			org_unit = excluded.org_unit, department = excluded.department`,
		u.ID, u.Name, u.Role, u.OrgUnit, u.Department)
	if err != nil {
		return interpret(err, "user "+u.ID)
	}
	if _, err := tx.Exec(ctx, `delete from user_posts where user_id = $1`, u.ID); err != nil {
		return err
	}
	for i, p := range u.Posts {
		if _, err := tx.Exec(ctx, `insert into user_posts (user_id, n, role, org_unit, department)
			values ($1, $2, $3, nullif($4, ''), nullif($5, ''))`, u.ID, i+1, p.Role, p.OrgUnit, p.Department); err != nil {
			return interpret(err, "user "+u.ID)
		}
	}
	return nil
}

// userColumns reads a user with their further posts (as JSON, in order) from users u.
const userColumns = `u.id, u.name, u.role, coalesce(u.org_unit, ''), coalesce(u.department, ''),
	coalesce((select json_agg(json_build_object('role', p.role, 'org_unit', coalesce(p.org_unit, ''),
		'department', coalesce(p.department, '')) order by p.n) from user_posts p where p.user_id = u.id), '[]')`

func scanUser(r pgx.Row) (onedoor.User, error) {
	var u onedoor.User
	err := r.Scan(&u.ID, &u.Name, &u.Role, &u.OrgUnit, &u.Department, &u.Posts)
	if len(u.Posts) == 0 {
		u.Posts = nil
	}
	return u, err
}

// DirectoryOf reads the org units with the codes, every department, and the people with a post
// at one of the units (in the directory's order: units top down, departments and users by
// code); every unit and person when codes is nil.
func (s *Store) DirectoryOf(ctx context.Context, codes []string) (onedoor.Directory, error) {
	var d onedoor.Directory
	var err error
	if d.Units, err = s.Units(ctx, codes == nil, codes); err != nil {
		return d, err
	}
	if d.Departments, err = s.Departments(ctx); err != nil {
		return d, err
	}
	rows, err := s.pool.Query(ctx, `select `+userColumns+` from users u
		where $1::text[] is null or u.org_unit = any($1)
			or exists (select 1 from user_posts p where p.user_id = u.id and p.org_unit = any($1))
		order by u.id`, codes)
	if err != nil {
		return d, err
	}
	d.Users, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (onedoor.User, error) { return scanUser(r) })
	return d, err
}

// CountyCount is how many counties the organisation has: its government-level units.
func (s *Store) CountyCount(ctx context.Context) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `select count(*) from org_units where level = 'government'`).Scan(&n)
	return n, err
}

// OrgUnit reads one org unit.
func (s *Store) OrgUnit(ctx context.Context, code string) (definitions.OrgUnit, error) {
	var u definitions.OrgUnit
	err := s.keyed.QueryRow(ctx, `select code, name, name_en, level, coalesce(parent, ''), coalesce(number_prefix, ''), grid from org_units where code = $1`, code).
		Scan(&u.Code, &u.Name, &u.NameEN, &u.Level, &u.Parent, &u.NumberPrefix, &u.Grid)
	return u, interpret(err, "org unit "+code)
}

// SaveUsers creates or updates users; those stored as they are given are not written.
func (s *Store) SaveUsers(ctx context.Context, users []onedoor.User) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		for _, u := range users {
			stored, err := scanUser(tx.QueryRow(ctx, `select `+userColumns+` from users u where u.id = $1`, u.ID))
			if err == nil && stored.Equal(u) {
				continue
			} else if err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
			if err := saveUser(ctx, tx, u); err != nil {
				return err
			}
		}
		return nil
	})
}

// User reads one user, with their posts.
func (s *Store) User(ctx context.Context, id string) (onedoor.User, error) {
	u, err := scanUser(s.keyed.QueryRow(ctx, `select `+userColumns+` from users u where u.id = $1`, id))
	return u, interpret(err, "user "+id)
}

// Directory lists the users working at the org units units whose id or name contains q (any
// when empty), by name then id, at most limit: the people a user picker offers.
func (s *Store) Directory(ctx context.Context, units []string, q string, limit int) ([]onedoor.User, error) {
	rows, err := s.pool.Query(ctx, `select `+userColumns+` from users u
		where u.org_unit = any($1)
		  and ($2 = '' or strpos(lower(u.id), lower($2)) > 0 or strpos(lower(u.name), lower($2)) > 0)
		order by u.name, u.id limit $3`, units, q, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (onedoor.User, error) { return scanUser(r) })
}

// UserNames are the names of the users with the ids (repeats and unknown ids ignored), by id.
func (s *Store) UserNames(ctx context.Context, ids []string) (map[string]string, error) {
	rows, err := s.pool.Query(ctx, `select id, name from users where id = any($1)`, ids)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	var id, name string
	_, err = pgx.ForEachRow(rows, []any{&id, &name}, func() error {
		names[id] = name
		return nil
	})
	return names, err
}

// Chain is the org unit with the code and its ancestors, bottom up: the way a case escalates.
func (s *Store) Chain(ctx context.Context, code string) ([]definitions.OrgUnit, error) {
	rows, err := s.keyed.Query(ctx, `
		with recursive up(code, name, name_en, level, parent, number_prefix, grid, depth) as (
			select code, name, name_en, level, parent, number_prefix, grid, 0 from org_units where code = $1
			union all
			select o.code, o.name, o.name_en, o.level, o.parent, o.number_prefix, o.grid, up.depth + 1
			from org_units o join up on o.code = up.parent
		)
		select code, name, name_en, level, coalesce(parent, ''), coalesce(number_prefix, ''), grid from up order by depth`, code)
	if err != nil {
		return nil, err
	}
	chain, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (definitions.OrgUnit, error) {
		var u definitions.OrgUnit
		err := r.Scan(&u.Code, &u.Name, &u.NameEN, &u.Level, &u.Parent, &u.NumberPrefix, &u.Grid)
		return u, err
	})
	if err == nil && len(chain) == 0 {
		return nil, onedoor.Errorf(onedoor.ENotFound, "org unit %s not found", code)
	}
	return chain, err
}

// Children are the org units directly below the one with the code, by code: where a case
// may be handed down to.
func (s *Store) Children(ctx context.Context, code string) ([]definitions.OrgUnit, error) {
	rows, err := s.pool.Query(ctx, `select code, name, name_en, level, coalesce(parent, ''), coalesce(number_prefix, ''), grid from org_units
		where parent = $1 order by code`, code)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (definitions.OrgUnit, error) {
		var u definitions.OrgUnit
		err := r.Scan(&u.Code, &u.Name, &u.NameEN, &u.Level, &u.Parent, &u.NumberPrefix, &u.Grid)
		return u, err
	})
}

// Units are the org units with the codes (every one when all is set), the highest level first,
// then by code.
func (s *Store) Units(ctx context.Context, all bool, codes []string) ([]definitions.OrgUnit, error) {
	rows, err := s.pool.Query(ctx, `select code, name, name_en, level, coalesce(parent, ''), coalesce(number_prefix, ''), grid from org_units
		where $1 or code = any($2)
		order by array_position(array['province', 'city', 'government', 'banner', 'town', 'village', 'group'], level::text), code`, all, codes)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (definitions.OrgUnit, error) {
		var u definitions.OrgUnit
		err := r.Scan(&u.Code, &u.Name, &u.NameEN, &u.Level, &u.Parent, &u.NumberPrefix, &u.Grid)
		return u, err
	})
}

// Org is the organisation as stored: every unit and department. Procedures are validated
// against it.
func (s *Store) Org(ctx context.Context) (*definitions.Org, error) {
	units, err := s.Units(ctx, true, nil)
	if err != nil {
		return nil, err
	}
	departments, err := s.Departments(ctx)
	if err != nil {
		return nil, err
	}
	return &definitions.Org{Units: units, Departments: departments}, nil
}

// Department reads one department.
func (s *Store) Department(ctx context.Context, code string) (definitions.Department, error) {
	var d definitions.Department
	err := s.keyed.QueryRow(ctx, `select code, name, name_en, mode, response_hours from departments where code = $1`, code).
		Scan(&d.Code, &d.Name, &d.NameEN, &d.Mode, &d.ResponseHours)
	return d, interpret(err, "department "+code)
}

// Departments reads every department, by code.
func (s *Store) Departments(ctx context.Context) ([]definitions.Department, error) {
	rows, err := s.keyed.Query(ctx, `select code, name, name_en, mode, response_hours from departments order by code`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (definitions.Department, error) {
		var d definitions.Department
		err := r.Scan(&d.Code, &d.Name, &d.NameEN, &d.Mode, &d.ResponseHours)
		return d, err
	})
}

// ImportCounts is what an import did to one kind of record: the codes (or ids) it added and
// changed, and how many it found already as the file says.
type ImportCounts struct {
	Added     []string `json:"added" doc:"Codes (ids for users) of the records added."`
	Changed   []string `json:"changed" doc:"Codes (ids for users) of the records updated."`
	Unchanged int      `json:"unchanged" doc:"Records of the file already stored as it says."`
}

// count files a record of the directory: added when not stored, changed when stored otherwise,
// unchanged when stored as it is. It reports whether the record must be written.
func count[T comparable](c *ImportCounts, stored map[string]T, key string, x T) bool {
	return countBy(c, stored, key, x, func(a, b T) bool { return a == b })
}

// countBy is count for records compared by equal.
func countBy[T any](c *ImportCounts, stored map[string]T, key string, x T, equal func(T, T) bool) bool {
	old, ok := stored[key]
	switch {
	case ok && equal(old, x):
		c.Unchanged++
		return false
	case ok:
		c.Changed = append(c.Changed, key)
	default:
		c.Added = append(c.Added, key)
	}
	return true
}

// ImportReport is what an import of a directory did, or in a dry run would do.
type ImportReport struct {
	Units       ImportCounts `json:"units"`
	Departments ImportCounts `json:"departments"`
	Users       ImportCounts `json:"users"`
	DryRun      bool         `json:"dry_run,omitempty" doc:"Nothing was written: the report says what the import would do."`
}

// errDryRun rolls back the transaction of a dry run.
var errDryRun = errors.New("dry run")

// ImportDirectory adds the directory's org units, departments and users and updates those that
// changed, in one transaction: it checks the whole directory against what is stored first
// (Directory.Check) and writes nothing when anything is wrong, answering EInvalid with every
// problem. Importing the same directory again changes nothing. Records absent from d are kept.
// With dryRun it reports what it would do and writes nothing.
func (s *Store) ImportDirectory(ctx context.Context, d onedoor.Directory, dryRun bool) (ImportReport, error) {
	var rep ImportReport
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rep = ImportReport{DryRun: dryRun}
		// One import at a time, and no unit or user changing under the check.
		if _, err := tx.Exec(ctx, `lock table org_units, departments, users in share row exclusive mode`); err != nil {
			return err
		}
		stored, err := readDirectory(ctx, tx)
		if err != nil {
			return err
		}
		if problems := d.Check(stored); len(problems) > 0 {
			msg := "the directory has 1 problem; nothing was imported"
			if len(problems) != 1 {
				msg = fmt.Sprintf("the directory has %d problems; nothing was imported", len(problems))
			}
			return &onedoor.Error{Code: onedoor.EInvalid, Message: msg, Fields: problems}
		}
		problems, err := openWorkProblems(ctx, tx, d, stored)
		if err != nil {
			return err
		}
		if len(problems) > 0 {
			return &onedoor.Error{Code: onedoor.EInvalid, Message: "the directory would leave open tasks without their holder; nothing was imported", Fields: problems}
		}
		units := map[string]definitions.OrgUnit{}
		for _, u := range stored.Units {
			units[u.Code] = u
		}
		// Parents before children: the file's units by level, top first.
		for rank := len(definitions.OrgLevels) - 1; rank >= 0; rank-- {
			for _, u := range d.Units {
				if u.Level.OrgRank() != rank {
					continue
				}
				if !count(&rep.Units, units, u.Code, u) {
					continue
				}
				if err := saveUnit(ctx, tx, u); err != nil {
					return err
				}
			}
		}
		depts := map[string]definitions.Department{}
		for _, x := range stored.Departments {
			depts[x.Code] = x
		}
		for _, x := range d.Departments {
			if !count(&rep.Departments, depts, x.Code, x) {
				continue
			}
			if err := saveDepartment(ctx, tx, x); err != nil {
				return err
			}
		}
		users := map[string]onedoor.User{}
		for _, u := range stored.Users {
			users[u.ID] = u
		}
		for _, u := range d.Users {
			if !countBy(&rep.Users, users, u.ID, u, onedoor.User.Equal) {
				continue
			}
			if err := saveUser(ctx, tx, u); err != nil {
				return err
			}
		}
		if dryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	for _, c := range []*ImportCounts{&rep.Units, &rep.Departments, &rep.Users} {
		c.Added, c.Changed = nonNil(c.Added), nonNil(c.Changed)
	}
	return rep, err
}

// openWorkProblems refuses the changes of d that would orphan open tasks: a stored unit moved to
// another parent or level while it holds open tasks (its cases escalate along the chain they
// were registered on), and a person who loses a post while holding open tasks, claimed or
// delegated to them (nobody could act on those). Renames and new records are always fine.
func openWorkProblems(ctx context.Context, tx pgx.Tx, d onedoor.Directory, stored onedoor.Directory) ([]onedoor.FieldError, error) {
	var out []onedoor.FieldError
	units := map[string]definitions.OrgUnit{}
	for _, u := range stored.Units {
		units[u.Code] = u
	}
	for i, u := range d.Units {
		old, ok := units[u.Code]
		field := ""
		switch {
		case !ok:
		case old.Level != u.Level:
			field = "level"
		case old.Parent != u.Parent:
			field = "parent"
		}
		if field == "" {
			continue
		}
		n, some, err := openTasks(ctx, tx, `t.org_unit = $1`, u.Code)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			out = append(out, onedoor.FieldError{Path: fmt.Sprintf("units[%d].%s", i, field), Message: fmt.Sprintf(
				"%s holds %d open tasks (%s): their cases escalate along the chain they were registered on; finish them before moving the unit", u.Code, n, some)})
		}
	}
	users := map[string]onedoor.User{}
	for _, u := range stored.Users {
		users[u.ID] = u
	}
	for i, u := range d.Users {
		old, ok := users[u.ID]
		if !ok {
			continue
		}
		field := lostPost(old, u)
		if field == "" {
			continue
		}
		n, some, err := openTasks(ctx, tx, `(exists (select 1 from task_claims k where k.case_id = t.case_id and k.task_id = t.id and k.user_id = $1)
			or t.detail->>'delegate' = $1)`, u.ID)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			out = append(out, onedoor.FieldError{Path: fmt.Sprintf("users[%d].%s", i, field), Message: fmt.Sprintf(
				"%s holds %d open tasks (%s): hand them over (release, reassign or recall them) before changing their posts", u.ID, n, some)})
		}
	}
	return out, nil
}

// lostPost names the field of the first post old holds and u no longer does: "role",
// "org_unit" or "department" for the first post, "posts" for another; empty when u keeps them all.
func lostPost(old, u onedoor.User) string {
	kept := map[onedoor.Post]bool{}
	for _, p := range u.AllPosts() {
		kept[p] = true
	}
	for i, p := range old.AllPosts() {
		switch {
		case kept[p]:
		case i > 0:
			return "posts"
		case p.Role != u.Role:
			return "role"
		case p.OrgUnit != u.OrgUnit:
			return "org_unit"
		default:
			return "department"
		}
	}
	return ""
}

// openTasks counts the open tasks matching where ($1 its argument) and names the first three,
// as "WS-XF-2026-000001 t2".
func openTasks(ctx context.Context, tx pgx.Tx, where string, arg string) (int, string, error) {
	var n int
	var some []string
	err := tx.QueryRow(ctx, `select count(*), coalesce((array_agg(c.number || ' ' || t.id order by t.opened_at))[1:3], '{}')
		from tasks t join cases c on c.id = t.case_id where t.status = 'open' and `+where, arg).Scan(&n, &some)
	return n, strings.Join(some, ", "), err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// readDirectory reads every stored org unit, department and user.
func readDirectory(ctx context.Context, tx pgx.Tx) (onedoor.Directory, error) {
	var d onedoor.Directory
	rows, err := tx.Query(ctx, `select code, name, name_en, level, coalesce(parent, ''), coalesce(number_prefix, ''), grid from org_units`)
	if err != nil {
		return d, err
	}
	d.Units, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (definitions.OrgUnit, error) {
		var u definitions.OrgUnit
		err := r.Scan(&u.Code, &u.Name, &u.NameEN, &u.Level, &u.Parent, &u.NumberPrefix, &u.Grid)
		return u, err
	})
	if err != nil {
		return d, err
	}
	rows, err = tx.Query(ctx, `select code, name, name_en, mode, response_hours from departments`)
	if err != nil {
		return d, err
	}
	d.Departments, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (definitions.Department, error) {
		var x definitions.Department
		err := r.Scan(&x.Code, &x.Name, &x.NameEN, &x.Mode, &x.ResponseHours)
		return x, err
	})
	if err != nil {
		return d, err
	}
	rows, err = tx.Query(ctx, `select `+userColumns+` from users u`)
	if err != nil {
		return d, err
	}
	d.Users, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (onedoor.User, error) { return scanUser(r) })
	return d, err
}

// Name is how an org unit or a department is called, in Chinese and in English; the level for
// an org unit.
type Name struct {
	Name   string            `json:"name"`
	NameEN string            `json:"name_en,omitempty"`
	Level  definitions.Level `json:"level,omitempty" doc:"The org unit's level; absent for a department."`
}

// Names are the names of the org units and departments a response mentions by code, so that a
// reader shows 嘎鲁图镇 rather than galutu. A code that names nothing is absent.
type Names struct {
	Units       map[string]Name `json:"units" doc:"By org unit code."`
	Departments map[string]Name `json:"departments" doc:"By department code."`
}

// NamesOf reads the names of the org units and departments with the codes (empty codes and
// repeats are ignored), in one round trip.
func (s *Store) NamesOf(ctx context.Context, units, departments []string) (Names, error) {
	names := Names{Units: map[string]Name{}, Departments: map[string]Name{}}
	rows, err := s.pool.Query(ctx, `
		select true, code, name, name_en, level from org_units where code = any($1)
		union all
		select false, code, name, name_en, '' from departments where code = any($2)`, units, departments)
	if err != nil {
		return names, err
	}
	var unit bool
	var code string
	var n Name
	_, err = pgx.ForEachRow(rows, []any{&unit, &code, &n.Name, &n.NameEN, &n.Level}, func() error {
		if unit {
			names.Units[code] = n
		} else {
			names.Departments[code] = n
		}
		return nil
	})
	return names, err
}
