package definitions

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestVersions(t *testing.T) {
	t.Parallel()
	f := setup(t)
	v1, err := Parse([]byte(f.yaml))
	require.NoError(t, err)
	v1.ValidFrom = Date{}

	pub1, err := Publish(v1, f.org, NewDate(2026, 1, 10))
	require.NoError(t, err)
	require.Equal(t, StatusPublished, pub1.Status)
	require.Equal(t, NewDate(2026, 1, 10), pub1.ValidFrom)
	require.Equal(t, StatusDraft, v1.Status, "the draft itself is not changed")

	_, err = Publish(pub1, f.org, NewDate(2026, 1, 10))
	require.Error(t, err)

	// editing a published version makes a new draft
	edited := pub1.Clone()
	edited.Steps[1].Deadline.Expr = "days(20)"
	var ve *ValidationError
	require.ErrorAs(t, CheckUpdate(pub1, edited), &ve)
	require.Equal(t, "steps[id=mediate].deadline.expr", ve.Problems[0].Path)
	require.Contains(t, ve.Problems[0].Message, "version 1 is published and cannot be edited")

	v2 := Edit(pub1, []*Procedure{pub1})
	require.Equal(t, 2, v2.Version)
	require.Equal(t, StatusDraft, v2.Status)
	v2.Steps[1].Deadline.Expr = "days(20)"
	v2.Steps = append(v2.Steps, Step{ID: "archive", Name: "归档", Assignee: Assignee{Role: RoleClerk}, Outcomes: []Outcome{{ID: "done", Name: "完成", Next: EndStep}}})
	v2.Steps[1].Outcomes[1].Next = "archive"
	require.NoError(t, CheckUpdate(Edit(pub1, nil), v2))
	require.Equal(t, v2, Edit(v2, nil), "a draft is edited as it is")

	require.Equal(t, []Change{
		{Path: "status", Kind: Changed, Old: "published", New: "draft"},
		{Path: "steps[id=mediate].deadline.expr", Kind: Changed, Old: "data.households > 10 ? days(45) : days(30)", New: "days(20)"},
		{Path: "steps[id=mediate].outcomes[id=failed].next", Kind: Changed, Old: "end", New: "archive"},
		{Path: "steps[id=archive]", Kind: Added, New: toGeneric(v2).(map[string]any)["steps"].([]any)[3]},
		{Path: "valid_from", Kind: Changed, Old: "2026-01-10", New: ""},
		{Path: "version", Kind: Changed, Old: 1.0, New: 2.0},
	}, Diff(pub1, v2))

	v2.ValidFrom = NewDate(2026, 3, 1)
	pub2, err := Publish(v2, f.org, NewDate(2026, 2, 20))
	require.NoError(t, err)
	all := []*Procedure{pub1, pub2, Edit(pub2, []*Procedure{pub1, pub2})}
	cur, ok := Current(all, at(2026, 2, 28, 23, 59))
	require.True(t, ok)
	require.Equal(t, 1, cur.Version)
	cur, _ = Current(all, at(2026, 3, 1, 0, 0))
	require.Equal(t, 2, cur.Version)
	require.Equal(t, 3, all[2].Version)
	_, ok = Current(all, at(2025, 12, 31, 0, 0))
	require.False(t, ok)

	ret, err := Retire(pub2)
	require.NoError(t, err)
	require.NoError(t, CheckUpdate(pub2, ret))
	cur, _ = Current([]*Procedure{pub1, ret}, at(2026, 3, 2, 0, 0))
	require.Equal(t, 1, cur.Version)
	_, err = Retire(ret)
	require.Error(t, err)
	require.False(t, CanTransition(StatusRetired, StatusPublished))
}
