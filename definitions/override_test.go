package definitions_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/definitions"
)

func petitionTemplate(t *testing.T) (*definitions.Procedure, *definitions.Org) {
	t.Helper()
	org, err := definitions.DemoOrg()
	require.NoError(t, err)
	src, ok := definitions.LibrarySource("petition")
	require.True(t, ok)
	p, err := definitions.Load(src, org)
	require.NoError(t, err)
	return p, org
}

func overrideProblems(t *testing.T, err error) map[string]string {
	t.Helper()
	var ve *definitions.ValidationError
	require.True(t, errors.As(err, &ve), "want a *ValidationError, got %v", err)
	out := map[string]string{}
	for _, p := range ve.Problems {
		out[p.Path] = p.Message
	}
	return out
}

func TestOverrideShortensDivertsAndAddsFields(t *testing.T) {
	tpl, org := petitionTemplate(t)
	o := &definitions.Override{County: "otog-gov", Key: "petition", Template: tpl.Version, Version: 1, Status: definitions.StatusDraft,
		Deadlines:      map[string]definitions.Period{"intake": definitions.Days(5)},
		LevelDeadlines: map[definitions.Level]map[string]definitions.Period{"town": {"handle": definitions.Days(20)}},
		Diversion:      map[string][]string{"land": {"justice"}},
		Form:           definitions.Form{{Name: "grassland_no", Label: "草场证号", Type: definitions.FieldText}},
	}
	require.NoError(t, definitions.CheckOverride(o, tpl, org, func(d string) bool { return d == "justice" }))

	eff := definitions.Apply(tpl, o)
	require.Equal(t, 5, eff.DeadlineAt("intake", "village").Amount)
	require.Equal(t, 15, tpl.DeadlineAt("intake", "village").Amount, "the template is not touched")
	town := eff.DeadlineAt("handle", "town")
	require.Equal(t, 20, town.Amount)
	require.True(t, town.Extendable, "the template's extension rules of the level stay")
	require.Equal(t, 15, eff.DeadlineAt("handle", "village").Amount, "another level's own deadline stays the template's")
	require.Contains(t, eff.Levels["town"].Divert, `{"land":["justice"]}[data.topic] ?? (`)
	require.Contains(t, eff.Levels["government"].Divert, `["petition-bureau", "politics-law"]`)
	_, ok := eff.Form.Field("grassland_no")
	require.True(t, ok)
	require.Len(t, eff.Form, len(tpl.Form)+1)
	require.NoError(t, eff.Validate(org))
	require.Equal(t, tpl, definitions.Apply(tpl, nil))
}

func TestOverrideBeyondTheTemplateIsRefusedWithEveryProblem(t *testing.T) {
	tpl, org := petitionTemplate(t)
	o := &definitions.Override{County: "otog-gov", Key: "petition", Template: tpl.Version, Version: 1, Status: definitions.StatusDraft,
		Deadlines: map[string]definitions.Period{
			"handle":  definitions.Days(90),      // the statutory 60 days of Art.34
			"divert":  definitions.Days(1),       // counted in workdays
			"missing": definitions.Days(1),       // no such step
			"intake":  {Amount: 0, Unit: "days"}, // not a deadline
		},
		LevelDeadlines: map[definitions.Level]map[string]definitions.Period{"village": {"handle": definitions.Days(16)}, "moon": {"handle": definitions.Days(1)}},
		Diversion:      map[string][]string{"land": {"hrss", "justice"}, "weather": {"justice"}},
		Form: definitions.Form{
			{Name: "phone", Label: "电话", Type: definitions.FieldText},
			{Name: "Bad Name", Label: "x", Type: definitions.FieldText},
		},
	}
	ps := overrideProblems(t, definitions.CheckOverride(o, tpl, org, func(d string) bool { return d == "justice" }))
	require.Contains(t, ps["deadlines.handle.amount"], "longer than the template's 60 days")
	require.Contains(t, ps["deadlines.handle.amount"], "信访工作条例第三十四条")
	require.Contains(t, ps["deadlines.divert.unit"], "workdays")
	require.Contains(t, ps["deadlines.missing"], "no step")
	require.Contains(t, ps["deadlines.intake.amount"], "more than zero")
	require.Contains(t, ps["level_deadlines.village.handle.amount"], "longer than the template's 15 days")
	require.Contains(t, ps["level_deadlines.moon"], "not a level")
	require.Contains(t, ps["diversion.land[0]"], `"hrss" does not work in this county`)
	require.NotContains(t, ps, "diversion.land[1]")
	require.Contains(t, ps["diversion.weather"], "not a value of the template's topic field")
	require.Contains(t, ps["form[0].name"], "already has the field")
	require.Contains(t, ps["form[1].name"], "may only use lowercase")
}

func TestOverrideOfATemplateWithoutTopicsHasNoDiversion(t *testing.T) {
	org, err := definitions.DemoOrg()
	require.NoError(t, err)
	src, ok := definitions.LibrarySource("notarization")
	require.True(t, ok)
	tpl, err := definitions.Load(src, org)
	require.NoError(t, err)
	o := &definitions.Override{Key: "notarization", Template: tpl.Version + 1, Diversion: map[string][]string{"x": {"notary"}}}
	ps := overrideProblems(t, definitions.CheckOverride(o, tpl, org, nil))
	require.Contains(t, ps["diversion"], "no choice field")
	require.Contains(t, ps["template"], "not version")
}

// A template may lock parts: a county may then change only the others.
func TestTemplateLocksParts(t *testing.T) {
	tpl, org := petitionTemplate(t)
	tpl.Locked = []definitions.OverridePart{definitions.PartDeadlines, definitions.PartForm}
	require.NoError(t, tpl.Validate(org))
	justice := func(d string) bool { return d == "justice" }
	o := &definitions.Override{County: "otog-gov", Key: "petition", Template: tpl.Version, Version: 1, Status: definitions.StatusDraft,
		Deadlines:      map[string]definitions.Period{"intake": definitions.Days(5)},
		LevelDeadlines: map[definitions.Level]map[string]definitions.Period{"town": {"handle": definitions.Days(20)}},
		Diversion:      map[string][]string{"land": {"justice"}},
		Form:           definitions.Form{{Name: "grassland_no", Label: "草场证号", Type: definitions.FieldText}},
	}
	ps := overrideProblems(t, definitions.CheckOverride(o, tpl, org, justice))
	require.Contains(t, ps["deadlines"], "locks its deadlines")
	require.Contains(t, ps["level_deadlines"], "locks its deadlines")
	require.Contains(t, ps["form"], "locks its form")
	require.NotContains(t, ps, "diversion", "the diversion table is not locked")
	require.Len(t, ps, 3)

	o.Deadlines, o.LevelDeadlines, o.Form = nil, nil, nil
	require.NoError(t, definitions.CheckOverride(o, tpl, org, justice))

	tpl.Locked = []definitions.OverridePart{"deadlines", "steps", "deadlines"}
	ps = overrideProblems(t, tpl.Validate(org))
	require.Contains(t, ps["locked[1]"], `"steps" is not a part a county may change; use one of deadlines, diversion, form`)
	require.Contains(t, ps["locked[2]"], "listed twice")
}
