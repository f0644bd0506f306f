package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/store"
)

// directoryYAML is a small banner as an operator writes it: a government, its center, a town
// with a village, a department and one user of each kind.
const directoryYAML = `
units:
  - {code: hq-gov, name: 某某旗人民政府, level: government}
  - {code: hq, name: 某某旗综治中心, name_en: Banner center, level: banner, parent: hq-gov}
  - {code: hq-t1, name: 东镇, level: town, parent: hq}
  - {code: hq-t1-v1, name: 东村, level: village, parent: hq-t1}
departments:
  - {code: hq-justice, name: 司法局, mode: resident}
  - {code: hq-police, name: 公安局, mode: on_call, response_hours: 2}
users:
  - {id: admin@hq, name: 管理员, role: admin, org_unit: hq}
  - {id: clerk-t1, name: 东镇受理员, role: clerk, org_unit: hq-t1}
  - {id: grid-v1, name: 东村网格员, role: grid, org_unit: hq-t1-v1}
  - {id: justice-1, name: 司法局工作人员, role: department, department: hq-justice}
`

// TestImportDirectoryIntoAFreshDatabase: a database that `onedoor migrate` made has procedures
// but no organisation or staff; importing the operator's file adds them, the same file again
// changes nothing, an edited one changes what was edited, and a file with mistakes is refused
// whole with every mistake located.
func TestImportDirectoryIntoAFreshDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := store.Open(ctx, testenv.EmptyDatabase(t, "org_import"))
	require.NoError(t, err)
	defer s.Close()
	_, _, err = s.Migrate(ctx)
	require.NoError(t, err)
	_, err = s.User(ctx, "clerk-t1")
	require.Equal(t, onedoor.ENotFound, onedoor.ErrorCode(err), "a fresh database has no staff")

	d, err := onedoor.ParseDirectory([]byte(directoryYAML))
	require.NoError(t, err)
	dry, err := s.ImportDirectory(ctx, d, true)
	require.NoError(t, err)
	require.True(t, dry.DryRun)
	require.Len(t, dry.Users.Added, 4)
	_, err = s.User(ctx, "clerk-t1")
	require.Equal(t, onedoor.ENotFound, onedoor.ErrorCode(err), "a dry run writes nothing")

	rep, err := s.ImportDirectory(ctx, d, false)
	require.NoError(t, err)
	require.Equal(t, []string{"hq-gov", "hq", "hq-t1", "hq-t1-v1"}, rep.Units.Added, "parents first")
	require.ElementsMatch(t, []string{"hq-justice", "hq-police"}, rep.Departments.Added)
	require.ElementsMatch(t, []string{"admin@hq", "clerk-t1", "grid-v1", "justice-1"}, rep.Users.Added)
	u, err := s.User(ctx, "justice-1")
	require.NoError(t, err)
	require.Equal(t, onedoor.User{ID: "justice-1", Name: "司法局工作人员", Role: onedoor.RoleDepartment, Department: "hq-justice"}, u)
	chain, err := s.Chain(ctx, "hq-t1-v1")
	require.NoError(t, err)
	require.Len(t, chain, 4)
	root, err := s.IsRoot(ctx, "hq-gov")
	require.NoError(t, err)
	require.True(t, root)

	again, err := s.ImportDirectory(ctx, d, false)
	require.NoError(t, err)
	require.Equal(t, store.ImportReport{
		Units:       store.ImportCounts{Added: []string{}, Changed: []string{}, Unchanged: 4},
		Departments: store.ImportCounts{Added: []string{}, Changed: []string{}, Unchanged: 2},
		Users:       store.ImportCounts{Added: []string{}, Changed: []string{}, Unchanged: 4},
	}, again, "the same file again changes nothing")

	// A later file names only what changed and what is new.
	d2, err := onedoor.ParseDirectory([]byte(`
users:
  - {id: clerk-t1, name: 东镇受理员, role: supervisor, org_unit: hq-t1}
  - {id: clerk-v1, name: 东村调解员, role: clerk, org_unit: hq-t1-v1}
`))
	require.NoError(t, err)
	rep, err = s.ImportDirectory(ctx, d2, false)
	require.NoError(t, err)
	require.Equal(t, []string{"clerk-t1"}, rep.Users.Changed)
	require.Equal(t, []string{"clerk-v1"}, rep.Users.Added)
	u, err = s.User(ctx, "clerk-t1")
	require.NoError(t, err)
	require.Equal(t, onedoor.RoleSupervisor, u.Role)

	bad, err := onedoor.ParseDirectory([]byte(`
units:
  - {code: hq-t2, name: 西镇, level: town, parent: hq-t1}
  - {code: hq-t2-v1, name: 西村, level: village, parent: hq-t9}
  - {code: hq-t1, name: 东镇, level: village, parent: hq-t2}
departments:
  - {code: hq-hrss, name: 人社局, mode: sometimes}
users:
  - {id: clerk-t2, name: 西镇受理员, role: clerk, org_unit: hq-t2}
  - {id: clerk-x, name: 无名, role: boss}
  - {id: staff-x, name: 某局, role: department}
  - {id: clerk-t2, name: 重复, role: clerk, org_unit: hq-t1}
`))
	require.NoError(t, err)
	_, err = s.ImportDirectory(ctx, bad, false)
	var e *onedoor.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, onedoor.EInvalid, e.Code)
	got := map[string]string{}
	for _, f := range e.Fields {
		got[f.Path] = f.Message
	}
	require.Contains(t, got, "units[0].parent", "a town's parent must be a banner")
	require.Contains(t, got, "units[1].parent", "an unknown parent")
	require.Contains(t, got, "units[2].level", "the stored village below hq-t1 must stay one level down")
	require.Contains(t, got, "departments[0].mode")
	require.Contains(t, got, "users[1].role")
	require.Contains(t, got, "users[2].department")
	require.Contains(t, got, "users[3].id")
	_, err = s.User(ctx, "clerk-t2")
	require.Equal(t, onedoor.ENotFound, onedoor.ErrorCode(err), "nothing of a file with problems is written")
	_, err = s.OrgUnit(ctx, "hq-t2")
	require.Equal(t, onedoor.ENotFound, onedoor.ErrorCode(err))

	_, err = onedoor.ParseDirectory([]byte("units:\n  - {code: x, name: y, level: town, colour: red}\n"))
	require.Equal(t, onedoor.EInvalid, onedoor.ErrorCode(err), "an unknown setting is refused")
}

// TestHoldsAgreesWithTheSubtree: the one-statement check that a unit's subtree holds a case's
// units answers as the subtree itself does, for every unit of the demo banner against every pair
// of a holder and a receiver (or none), the root holding everything.
func TestHoldsAgreesWithTheSubtree(t *testing.T) {
	t.Parallel()
	s := setup(t)
	ctx := context.Background()
	org, err := s.Org(ctx)
	require.NoError(t, err)
	require.Greater(t, len(org.Units), 10)
	codes := make([]string, len(org.Units))
	for i, u := range org.Units {
		codes[i] = u.Code
	}
	holding := 0
	for n, u := range org.Units {
		sub, err := s.Subtree(ctx, u.Code)
		require.NoError(t, err)
		root, err := s.IsRoot(ctx, u.Code)
		require.NoError(t, err)
		// Every third unit as the holder, alone and with a receiver elsewhere in the banner.
		for i := n % 3; i < len(codes); i += 3 {
			held := codes[i]
			for _, received := range []string{"", codes[(i*7+1)%len(codes)]} {
				want := root || slices.Contains(sub, held) || (received != "" && slices.Contains(sub, received))
				got, err := s.Holds(ctx, u.Code, held, received)
				require.NoError(t, err)
				require.Equal(t, want, got, "does %s hold %s (received by %q)?", u.Code, held, received)
				if got {
					holding++
				}
			}
		}
	}
	require.Positive(t, holding)
	got, err := s.Holds(ctx, "no-such-unit", codes[0])
	require.NoError(t, err)
	require.False(t, got, "an unknown unit holds nothing")
}
