package definitions_test

import (
	"errors"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/definitions"
)

func migrationVersions(t *testing.T) (v1, v2 *definitions.Procedure) {
	t.Helper()
	org, err := definitions.DemoOrg()
	require.NoError(t, err)
	load := func(file string) *definitions.Procedure {
		src, err := os.ReadFile("../migration/testdata/" + file)
		require.NoError(t, err)
		p, err := definitions.Load(src, org)
		require.NoError(t, err)
		p.Status = definitions.StatusPublished
		return p
	}
	return load("migtest-v1.yaml"), load("migtest-v2.yaml")
}

func problems(t *testing.T, err error) map[string]string {
	t.Helper()
	var ve *definitions.ValidationError
	require.True(t, errors.As(err, &ve), "a validation error: %v", err)
	out := map[string]string{}
	for _, p := range ve.Problems {
		out[p.Path] = p.Message
	}
	return out
}

func TestMigrationPlanCheck(t *testing.T) {
	t.Parallel()
	v1, v2 := migrationVersions(t)
	ok := definitions.MigrationPlan{Procedure: "migtest", From: 1, To: 2, Steps: map[string]string{"verify": "check"}}
	require.NoError(t, ok.Check(v1, v2))

	bad := definitions.MigrationPlan{Procedure: "migtest", From: 1, To: 2, Steps: map[string]string{"nosuch": "intake", "verify": "gone"}}
	got := problems(t, bad.Check(v1, v2))
	require.Contains(t, got["steps.nosuch"], `version 1 of migtest has no step "nosuch" to map`)
	require.Contains(t, got["steps.verify"], `version 2 of migtest has no step "gone" to map verify to`)

	same := definitions.MigrationPlan{Procedure: "migtest", From: 1, To: 1}
	require.Contains(t, problems(t, same.Check(v1, v1))["to"], "the target version is the source version 1")

	empty := definitions.MigrationPlan{}
	got = problems(t, empty.Check(nil, nil))
	require.Contains(t, got, "procedure")
	require.Contains(t, got, "from")
	require.Contains(t, got, "to")

	draft := *v2
	draft.Status = definitions.StatusDraft
	require.Contains(t, problems(t, ok.Check(v1, &draft))["to"], "is draft: cases move to a published version only")
}

func TestMigrationPlanLand(t *testing.T) {
	t.Parallel()
	_, v2 := migrationVersions(t)
	plan := definitions.MigrationPlan{Procedure: "migtest", From: 1, To: 2, Steps: map[string]string{"verify": "check"}}

	landed, unmapped := plan.Land([]string{"intake", "intake"}, v2)
	require.Empty(t, unmapped)
	require.Equal(t, []definitions.Landing{{From: "intake", To: "intake"}}, landed, "an unchanged id maps itself, once")

	landed, unmapped = plan.Land([]string{"verify"}, v2)
	require.Empty(t, unmapped)
	require.Equal(t, []definitions.Landing{{From: "verify", To: "check"}}, landed)

	landed, unmapped = plan.Land([]string{"review", "intake"}, v2)
	require.Equal(t, []string{"review"}, unmapped)
	require.Equal(t, []definitions.Landing{{From: "review"}, {From: "intake", To: "intake"}}, landed)
	require.Equal(t, "step review has no step in version 2 and the plan maps it nowhere", plan.Unmapped(unmapped))

	// A mapping wins over the same id.
	plan.Steps["intake"] = "check"
	landed, _ = plan.Land([]string{"intake"}, v2)
	require.Equal(t, "check", landed[0].To)
}
