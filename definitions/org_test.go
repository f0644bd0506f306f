package definitions

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDemoOrg(t *testing.T) {
	t.Parallel()
	org, err := DemoOrg()
	require.NoError(t, err)
	require.NoError(t, org.Check())
	// Wushen's units, counted by level, below its government unit.
	count := map[Level]int{}
	perTown := map[string]int{}
	for _, u := range org.Units {
		if county, _ := County(org.Chain(u.Code)); county.Code != "wushen-gov" {
			continue
		}
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
	for _, code := range []string{"wushen", "galutu", "galutu-v01", "galutu-v01-g1", "otog", "chengchuan", "ordos", "nmg"} {
		_, ok := org.Unit(code)
		require.True(t, ok, code)
	}
	_, ok := org.Department("justice")
	require.True(t, ok)
	require.Len(t, org.Departments, 10)

	// Two counties under the city, under the province; each numbers its own cases.
	chain := org.Chain("galutu-v01-g1")
	codes := make([]string, len(chain))
	for i, u := range chain {
		codes[i] = u.Code
	}
	require.Equal(t, []string{"galutu-v01-g1", "galutu-v01", "galutu", "wushen", "wushen-gov", "ordos", "nmg"}, codes)
	county, ok := County(chain)
	require.True(t, ok)
	require.Equal(t, "WS", county.NumberPrefix)
	county, ok = County(org.Chain("chengchuan-v01"))
	require.True(t, ok)
	require.Equal(t, "otog-gov", county.Code)
	require.Equal(t, "ETQ", county.NumberPrefix)
	_, ok = County(org.Chain("ordos"))
	require.False(t, ok, "the city is above every county")
	require.True(t, LevelCity.Above())
	require.False(t, LevelGovernment.Above())
	require.False(t, LevelCity.Valid(), "the city is no link of the chain")
}

func TestOrgCheckNumberPrefixes(t *testing.T) {
	t.Parallel()
	o := &Org{Units: []OrgUnit{
		{Code: "city", Name: "市", Level: LevelCity},
		{Code: "a", Name: "甲旗", Level: LevelGovernment, Parent: "city", NumberPrefix: "AQ"},
		{Code: "b", Name: "乙旗", Level: LevelGovernment, Parent: "city", NumberPrefix: "AQ"},
	}}
	require.EqualError(t, o.Check(), "units[2] (b): the number prefix AQ is already a's")
	o.Units[2].NumberPrefix = "bq"
	require.ErrorContains(t, o.Check(), "units[2] (b): the number_prefix \"bq\" must be 2 to 8 capital letters")
	o.Units[2].NumberPrefix = ""
	require.ErrorContains(t, o.Check(), "units[2] (b): each county of an organisation of several needs the number_prefix")
	o.Units[2].NumberPrefix = "BQ"
	o.Units[0].NumberPrefix = "SHI"
	require.ErrorContains(t, o.Check(), "units[0] (city): only a county's government unit has a number_prefix, not a city")
	o.Units[0].NumberPrefix = ""
	require.NoError(t, o.Check())
	o.Units = append(o.Units, OrgUnit{Code: "t", Name: "镇", Level: LevelTown, Parent: "city"})
	require.EqualError(t, o.Check(), "units[3] (t): a town's parent must be one level up, not a city")
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

func TestDemoOrgGrids(t *testing.T) {
	t.Parallel()
	org, err := DemoOrg()
	require.NoError(t, err)
	grids := map[string][]string{} // village → its grids
	for _, u := range org.Units {
		if !u.Grid {
			continue
		}
		require.Equal(t, LevelGroup, u.Level, u.Code)
		parent, ok := org.Unit(u.Parent)
		require.True(t, ok, u.Code)
		require.Equal(t, LevelVillage, parent.Level, u.Code)
		grids[u.Parent] = append(grids[u.Parent], u.Code)
	}
	require.Equal(t, []string{"galutu-v01-w1", "galutu-v01-w2", "galutu-v01-w3"}, grids["galutu-v01"])
	require.Len(t, grids["chengchuan-v02"], 2, "the second county has grids too")
	w1, _ := org.Unit("galutu-v01-w1")
	require.Equal(t, "萨如拉社区第1网格", w1.Name)
	g1, _ := org.Unit("galutu-v01-g1")
	require.False(t, g1.Grid, "a community group that is no grid stays one")
}

func TestOrgCheckGrids(t *testing.T) {
	t.Parallel()
	o := &Org{Units: []OrgUnit{
		{Code: "gov", Name: "旗", Level: LevelGovernment},
		{Code: "b", Name: "中心", Level: LevelBanner, Parent: "gov"},
		{Code: "t", Name: "镇", Level: LevelTown, Parent: "b"},
		{Code: "v", Name: "村", Level: LevelVillage, Parent: "t", Grid: true},
		{Code: "w", Name: "村第1网格", Level: LevelGroup, Parent: "v", Grid: true},
	}}
	require.EqualError(t, o.Check(), "units[3] (v): only a group-level unit below a village may be a grid, not a village")
	o.Units[3].Grid = false
	require.NoError(t, o.Check())
	require.NoError(t, CheckGrid(o.Units[4]))
}
