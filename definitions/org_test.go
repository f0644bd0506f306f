package definitions

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestWushenOrg(t *testing.T) {
	t.Parallel()
	org, err := WushenOrg()
	require.NoError(t, err)
	require.NoError(t, org.Check())
	count := map[Level]int{}
	perTown := map[string]int{}
	for _, u := range org.Units {
		count[u.Level]++
		if u.Level == LevelVillage {
			perTown[u.Parent]++
		}
	}
	require.Equal(t, 1, count[LevelGovernment])
	require.Equal(t, 1, count[LevelBanner])
	require.Equal(t, 6, count[LevelTown])
	require.Equal(t, 76, count[LevelVillage])
	require.Len(t, perTown, 6)
	require.Positive(t, count[LevelGroup])
	for _, code := range []string{"wushen", "galutu", "galutu-v01", "galutu-v01-g1"} {
		_, ok := org.Unit(code)
		require.True(t, ok, code)
	}
	_, ok := org.Department("justice")
	require.True(t, ok)
	require.Len(t, org.Departments, 10)
}

func TestOrgCheckNamesTheBadField(t *testing.T) {
	t.Parallel()
	o := &Org{
		Units:       []OrgUnit{{Code: "x", Level: LevelTown}},
		Departments: []Department{{Code: "d", Name: "部门", Mode: "sometimes"}},
	}
	require.EqualError(t, o.Check(), "units[0].name is required")
	o.Units[0].Name = "某镇"
	require.EqualError(t, o.Check(), `departments[0].mode must be one of resident, rotating, on_call, not "sometimes"`)
	o.Departments[0].Mode = StationOnCall
	o.Departments[0].ResponseHours = -1
	require.EqualError(t, o.Check(), "departments[0].response_hours must be at least 0")
	o.Departments[0].ResponseHours = 24
	require.NoError(t, o.Check())
}
