package store_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// TestOverrideVersions: a county's override versions are numbered per county and procedure, one
// is published at a time (the one before retired, its template recorded as adopted_from), a
// published one is frozen for the store and for the database itself, and the departments that
// work in a county are those with staff in it.
func TestOverrideVersions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, org, url := demoStore(t)
	require.NoError(t, s.SaveUsers(ctx, []onedoor.User{
		{ID: "otog-justice", Name: "x", Role: onedoor.RoleDepartment, Department: "justice", OrgUnit: "chengchuan"},
		{ID: "otog-hrss", Name: "y", Role: onedoor.RoleClerk, OrgUnit: "otog", Posts: []onedoor.Post{{Role: onedoor.RoleDepartment, Department: "hrss", OrgUnit: "otog"}}},
		{ID: "wushen-police", Name: "z", Role: onedoor.RoleDepartment, Department: "police", OrgUnit: "wushen"},
	}))
	const key = "store_override"
	for range 2 {
		v, err := s.CreateProcedure(ctx, procedureYAML(t, key), "", "admin")
		require.NoError(t, err)
		_, err = s.PublishProcedure(ctx, key, v.Procedure.Version, org, "admin")
		require.NoError(t, err)
	}

	accept := func(*definitions.Override, *definitions.Procedure) error { return nil }
	d1, err := s.CreateOverride(ctx, &definitions.Override{County: "otog-gov", Key: key, Template: 1}, "admin-otog")
	require.NoError(t, err)
	require.Equal(t, 1, d1.Override.Version)
	require.Equal(t, definitions.StatusDraft, d1.Override.Status)
	_, err = s.PublishedOverride(ctx, "otog-gov", key)
	require.Equal(t, onedoor.ENotFound, onedoor.ErrorCode(err), "a draft is not in force")
	p1, err := s.PublishOverride(ctx, "otog-gov", key, 1, accept, "admin-otog")
	require.NoError(t, err)
	require.Equal(t, 0, p1.AdoptedFrom)
	_, err = s.PublishOverride(ctx, "otog-gov", key, 1, accept, "admin-otog")
	require.Equal(t, onedoor.EConflict, onedoor.ErrorCode(err))
	_, err = s.UpdateOverride(ctx, "otog-gov", key, 1, &definitions.Override{Template: 2}, "admin-otog")
	require.Equal(t, onedoor.EConflict, onedoor.ErrorCode(err))

	d2, err := s.CreateOverride(ctx, &definitions.Override{County: "otog-gov", Key: key, Template: 2}, "admin-otog")
	require.NoError(t, err)
	require.Equal(t, 2, d2.Override.Version)
	p2, err := s.PublishOverride(ctx, "otog-gov", key, 2, accept, "admin-otog")
	require.NoError(t, err)
	require.Equal(t, 1, p2.AdoptedFrom, "adopting version 2 records the one the county ran before")
	cur, err := s.PublishedOverride(ctx, "otog-gov", key)
	require.NoError(t, err)
	require.Equal(t, 2, cur.Override.Version)
	old, err := s.Override(ctx, "otog-gov", key, 1)
	require.NoError(t, err)
	require.Equal(t, definitions.StatusRetired, old.Override.Status)
	list, err := s.Overrides(ctx, []string{"wushen-gov"})
	require.NoError(t, err)
	require.Empty(t, list, "Wushen has none")

	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer conn.Close(ctx)
	for _, sql := range []string{
		`update procedure_overrides set definition = jsonb_set(definition, '{form}', '[]') where key = $1 and version = 2`,
		`update procedure_overrides set template = 1 where key = $1 and version = 2`,
		`update procedure_overrides set status = 'draft' where key = $1 and version = 1`,
		`delete from procedure_overrides where key = $1`,
	} {
		_, err := conn.Exec(ctx, sql, key)
		require.ErrorContains(t, err, "cannot", sql)
	}

	depts, err := s.CountyDepartments(ctx, "otog-gov")
	require.NoError(t, err)
	require.Equal(t, []string{"hrss", "justice"}, depts)
}
