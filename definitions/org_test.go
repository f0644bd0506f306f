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
