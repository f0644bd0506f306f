package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// SeedOrg writes the organisation's units and departments, updating names of existing ones.
// Parents come before children in org.Units' tree order, so it inserts in level order, top first.
func (s *Store) SeedOrg(ctx context.Context, org *definitions.Org) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		for rank := len(definitions.Levels) - 1; rank >= 0; rank-- {
			for _, u := range org.Units {
				if u.Level.Rank() != rank {
					continue
				}
				var parent *string
				if u.Parent != "" {
					parent = &u.Parent
				}
				if _, err := tx.Exec(ctx, `
					insert into org_units (code, name, name_en, level, parent) values ($1, $2, $3, $4, $5)
					on conflict (code) do update set name = excluded.name, name_en = excluded.name_en,
						level = excluded.level, parent = excluded.parent`,
					u.Code, u.Name, u.NameEN, u.Level, parent); err != nil {
					return fmt.Errorf("store: org unit %s: %w", u.Code, err)
				}
			}
		}
		for _, d := range org.Departments {
			if _, err := tx.Exec(ctx, `
				insert into departments (code, name, name_en, mode, response_hours) values ($1, $2, $3, $4, $5)
				on conflict (code) do update set name = excluded.name, name_en = excluded.name_en,
					mode = excluded.mode, response_hours = excluded.response_hours`,
				d.Code, d.Name, d.NameEN, d.Mode, d.ResponseHours); err != nil {
				return fmt.Errorf("store: department %s: %w", d.Code, err)
			}
		}
		return nil
	})
}

// OrgUnit reads one org unit.
func (s *Store) OrgUnit(ctx context.Context, code string) (definitions.OrgUnit, error) {
	var u definitions.OrgUnit
	err := s.pool.QueryRow(ctx, `select code, name, name_en, level, coalesce(parent, '') from org_units where code = $1`, code).
		Scan(&u.Code, &u.Name, &u.NameEN, &u.Level, &u.Parent)
	return u, interpret(err, "org unit "+code)
}

// SaveUsers creates or updates users.
func (s *Store) SaveUsers(ctx context.Context, users []onedoor.User) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		for _, u := range users {
			if _, err := tx.Exec(ctx, `
				insert into users (id, name, role, org_unit, department) values ($1, $2, $3, nullif($4, ''), nullif($5, ''))
				on conflict (id) do update set name = excluded.name, role = excluded.role,
					org_unit = excluded.org_unit, department = excluded.department`,
				u.ID, u.Name, u.Role, u.OrgUnit, u.Department); err != nil {
				return interpret(err, "user "+u.ID)
			}
		}
		return nil
	})
}

// User reads one user.
func (s *Store) User(ctx context.Context, id string) (onedoor.User, error) {
	var u onedoor.User
	err := s.pool.QueryRow(ctx, `select id, name, role, coalesce(org_unit, ''), coalesce(department, '') from users where id = $1`, id).
		Scan(&u.ID, &u.Name, &u.Role, &u.OrgUnit, &u.Department)
	return u, interpret(err, "user "+id)
}

// Chain is the org unit with the code and its ancestors, bottom up: the way a case escalates.
func (s *Store) Chain(ctx context.Context, code string) ([]definitions.OrgUnit, error) {
	rows, err := s.pool.Query(ctx, `
		with recursive up(code, name, name_en, level, parent, depth) as (
			select code, name, name_en, level, parent, 0 from org_units where code = $1
			union all
			select o.code, o.name, o.name_en, o.level, o.parent, up.depth + 1
			from org_units o join up on o.code = up.parent
		)
		select code, name, name_en, level, coalesce(parent, '') from up order by depth`, code)
	if err != nil {
		return nil, err
	}
	chain, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (definitions.OrgUnit, error) {
		var u definitions.OrgUnit
		err := r.Scan(&u.Code, &u.Name, &u.NameEN, &u.Level, &u.Parent)
		return u, err
	})
	if err == nil && len(chain) == 0 {
		return nil, onedoor.Errorf(onedoor.ENotFound, "org unit %s not found", code)
	}
	return chain, err
}

// Department reads one department.
func (s *Store) Department(ctx context.Context, code string) (definitions.Department, error) {
	var d definitions.Department
	err := s.pool.QueryRow(ctx, `select code, name, name_en, mode, response_hours from departments where code = $1`, code).
		Scan(&d.Code, &d.Name, &d.NameEN, &d.Mode, &d.ResponseHours)
	return d, interpret(err, "department "+code)
}

// Departments reads every department, by code.
func (s *Store) Departments(ctx context.Context) ([]definitions.Department, error) {
	rows, err := s.pool.Query(ctx, `select code, name, name_en, mode, response_hours from departments order by code`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (definitions.Department, error) {
		var d definitions.Department
		err := r.Scan(&d.Code, &d.Name, &d.NameEN, &d.Mode, &d.ResponseHours)
		return d, err
	})
}
