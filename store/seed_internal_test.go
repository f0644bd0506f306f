package store

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/definitions"
)

// TestSeedCaseDependsOnSeedAndIndexOnly: case i of a seed is the same whether the run began at
// case 1 or resumed just before it, which is what lets a run cut short go on where it stopped.
func TestSeedCaseDependsOnSeedAndIndexOnly(t *testing.T) {
	t.Parallel()
	org, err := definitions.DemoOrg()
	require.NoError(t, err)
	o := SeedOptions{Seed: 5, Org: org, Now: time.Date(2026, time.June, 1, 0, 0, 0, 0, definitions.Shanghai)}
	whole, err := newSeeder(o)
	require.NoError(t, err)
	resumed, err := newSeeder(o)
	require.NoError(t, err)
	type drawn struct{ c, tasks, audit any }
	var want []drawn
	for i := 1; i <= 40; i++ {
		c, tasks, audit := whole.next(i)
		if i > 25 {
			want = append(want, drawn{c, tasks, audit})
		}
	}
	for i := 26; i <= 40; i++ {
		c, tasks, audit := resumed.next(i)
		require.Equal(t, want[i-26], drawn{c, tasks, audit}, "case %d", i)
	}
	other, err := newSeeder(SeedOptions{Seed: 6, Org: org, Now: o.Now})
	require.NoError(t, err)
	c, _, _ := other.next(26)
	require.NotEqual(t, want[0].c, c, "another seed draws other cases")
}
