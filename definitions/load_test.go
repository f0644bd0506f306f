package definitions

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

type fixture struct {
	org  *Org
	yaml string
}

func setup(t *testing.T) fixture {
	t.Helper()
	org, err := DemoOrg()
	require.NoError(t, err)
	b, err := os.ReadFile("testdata/grassland.yaml")
	require.NoError(t, err)
	return fixture{org: org, yaml: string(b)}
}

func TestLoadExample(t *testing.T) {
	t.Parallel()
	f := setup(t)
	p, err := Load([]byte(f.yaml), f.org)
	require.NoError(t, err)
	require.Equal(t, "grassland_dispute", p.Key)
	require.Equal(t, "intake", p.StartStep())
	require.Equal(t, NewDate(2026, 1, 1), p.ValidFrom)
	c, err := p.Compile()
	require.NoError(t, err)

	env := &Env{Level: "village", Data: p.Form.Complete(map[string]any{"area_mu": 10.0, "households": 2})}
	ok, err := c.FirstVisit(LevelVillage, env)
	require.NoError(t, err)
	require.True(t, ok)
	ok, err = c.Escalate(LevelVillage, env)
	require.NoError(t, err)
	require.False(t, ok)
	env.Overdue = true
	ok, err = c.Escalate(LevelVillage, env)
	require.NoError(t, err)
	require.True(t, ok)
	depts, err := c.Divert(LevelTown, env)
	require.NoError(t, err)
	require.Equal(t, []string{"justice", "politics-law"}, depts)

	_, per, ok, err := c.Deadline("mediate", LevelVillage, env)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, Days(30), per)
	env.Data["households"] = 11
	_, per, _, err = c.Deadline("mediate", LevelVillage, env)
	require.NoError(t, err)
	require.Equal(t, Days(45), per)
	_, per, _, err = c.Deadline("mediate", LevelTown, env)
	require.NoError(t, err)
	require.Equal(t, Days(30), per, "the town's override wins")

	refusals, err := c.Complete("mediate", "agreed", env)
	require.NoError(t, err)
	require.Equal(t, []string{"事实与请求 must be filled in first"}, refusals)
	env.Level = "government"
	ok, err = c.Allowed("intake", "escalate", env)
	require.NoError(t, err)
	require.False(t, ok)
}

func TestLoadProblems(t *testing.T) {
	t.Parallel()
	f := setup(t)
	for _, tc := range []struct {
		name string
		old  string // text of the example replaced …
		new  string // … by this
		want []string
	}{
		{"yaml syntax", "name: 草原边界纠纷调处", "name: [草原", []string{
			"line 5, column 1: the file is not valid YAML: ',' or ']' must be specified",
		}},
		{"unknown setting", "version: 1", "version: 1\ncolour: red", []string{
			`line 7, column 1: colour: "colour" is not a setting of this format here; check its spelling and indentation`,
		}},
		{"wrong kind of value", "version: 1", "version: one", []string{
			"line 6, column 10: version: this value has the wrong kind: expected a number, found text",
		}},
		{"missing key", "key: grassland_dispute\n", "", []string{
			"line 2, column 1: key: the procedure needs a key, a short code such as land_dispute",
		}},
		{"duplicate step id", "id: confirm", "id: mediate", []string{
			`line 41, column 40: steps[1].outcomes[0].next: the outcome "agreed" leads to step "confirm", which does not exist; use the id of a step or "end"`,
			`line 43, column 9: steps[2].id: the step id "mediate" is already used by steps[1]; each step needs its own id`,
		}},
		{"transition to a missing step", "next: confirm,", "next: confrim,", []string{
			`line 41, column 40: steps[1].outcomes[0].next: the outcome "agreed" leads to step "confrim", which does not exist; use the id of a step or "end"`,
			`line 43, column 5: steps[2]: the step "confirm" can never be reached from the start step "intake"; add an outcome that leads to it, or remove it`,
		}},
		{"no way to the end", "{id: done, name: 办结, next: end}", "{id: done, name: 办结, next: confirm}", []string{
			`line 43, column 5: steps[2]: from the step "confirm" the case can never be closed: no chain of outcomes leads to "end"`,
		}},
		{"unknown level", "assignee: {level: village, role: clerk}", "assignee: {level: province, role: clerk}", []string{
			`line 23, column 23: steps[0].assignee.level: "province" is not a level; use one of group, village, town, banner, government`,
		}},
		{"unknown role", "assignee: {level: village, role: clerk}", "assignee: {level: village, role: boss}", []string{
			`line 23, column 38: steps[0].assignee.role: "boss" is not a role that can hold a step; use one of clerk, supervisor, grid, department`,
		}},
		{"unknown department", "assignee: {department: justice}", "assignee: {department: jutsice}", []string{
			`line 45, column 28: steps[2].assignee.department: there is no department with the code "jutsice" in 鄂尔多斯市`,
		}},
		{"unknown department in a diversion", `"politics-law"`, `"politic-law"`, []string{
			`line 56, column 13: levels.town.divert: there is no department with the code "politic-law" in 鄂尔多斯市`,
		}},
		{"non-positive deadline", "deadline: {amount: 1, unit: workdays}", "deadline: {amount: 0, unit: workdays}", []string{
			"line 24, column 24: steps[0].deadline.amount: the deadline must be more than zero (got 0)",
		}},
		{"rule that does not answer yes or no", "first_visit: 'data.area_mu < 50 && data.households <= 2'", "first_visit: 'data.area_mu'", []string{
			"line 53, column 18: levels.village.first_visit: this rule must answer yes or no (true or false), but it gives a number",
		}},
		{"rule on a missing field", "escalate: 'overdue || data.households > 20'", "escalate: 'overdue || data.household > 20'", []string{
			`line 54, column 15: levels.village.escalate: the form has no field "household" (at character 17 of the rule); check the field names under form`,
		}},
		{"rule with mismatched types", "data.households > 10 ? days(45)", `data.households > "ten" ? days(45)`, []string{
			"line 34, column 13: steps[1].deadline.expr: the rule combines values that do not go together (invalid operation: > (mismatched types int and string)) (at character 17 of the rule)",
		}},
		{"deadline rule that gives no period", "data.households > 10 ? days(45) : days(30)", "data.households > 10 ? 45 : 30", []string{
			"line 34, column 13: steps[1].deadline.expr: this deadline rule must give a period such as days(15) or workdays(5), but it gives a number",
		}},
		{"now is not available", "escalate: 'overdue || data.households > 20'", "escalate: 'now() > 0'", []string{
			"line 54, column 15: levels.village.escalate: now() is not available in rules: use elapsed_hours, elapsed_days, remaining_hours or overdue (at character 1 of the rule)",
		}},
		{"steps a case cannot be sent back to", "required: [facts]", "required: [facts]\n    returnable: [intake, mediate, confirm, nowhere, intake]", []string{
			`line 40, column 26: steps[1].returnable[1]: the step "mediate" cannot send a case back to itself`,
			`line 40, column 35: steps[1].returnable[2]: the step "mediate" may send a case back to "confirm", but no chain of outcomes leads from "confirm" to "mediate": a case cannot have passed it`,
			`line 40, column 44: steps[1].returnable[3]: the step "mediate" may send a case back to "nowhere", which is not a step of the procedure`,
			`line 40, column 53: steps[1].returnable[4]: the step "mediate" lists "intake" twice`,
		}},
		{"unknown field required", "required: [facts]", "required: [fact]", []string{
			`line 39, column 16: steps[1].required[0]: the step "mediate" requires the field "fact", which is not on the form`,
		}},
		{"personal on a number", "type: integer, min: 1, max: 100000}", "type: integer, min: 1, max: 100000, personal: true}", []string{
			"line 16, column 83: form[3].personal: only a text field can be personal (masked), not one of type integer",
		}},
		{"unknown level in levels", "  town:\n", "  county:\n", []string{
			`line 55, column 3: levels.county: "county" is not a level; use one of group, village, town, banner, government`,
		}},
		{"several problems at once", "deadline: {amount: 1, unit: workdays}", "deadline: {amount: -1, unit: weeks}", []string{
			"line 24, column 24: steps[0].deadline.amount: the deadline must be more than zero (got -1)",
			`line 24, column 34: steps[0].deadline.unit: "weeks" is not a unit; use minutes, hours, days or workdays`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Contains(t, f.yaml, tc.old)
			_, err := Load([]byte(strings.Replace(f.yaml, tc.old, tc.new, 1)), f.org)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			got := make([]string, len(ve.Problems))
			for i, p := range ve.Problems {
				got[i] = p.String()
			}
			require.ElementsMatch(t, tc.want, got)
		})
	}
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	f := setup(t)
	p, err := Parse([]byte(f.yaml))
	require.NoError(t, err)
	b, err := json.Marshal(p)
	require.NoError(t, err)
	var q Procedure
	require.NoError(t, json.Unmarshal(b, &q))
	require.Equal(t, p, &q)
}

func FuzzParse(f *testing.F) {
	b, err := os.ReadFile("testdata/grassland.yaml")
	require.NoError(f, err)
	f.Add(b)
	f.Add([]byte(""))
	f.Add([]byte("key: [a, {b: c}]\nsteps: *x"))
	f.Add([]byte("- a\n- b"))
	f.Add([]byte("levels: {village: {deadlines: {x: {expr: 'days('}}}}"))
	org, err := DemoOrg()
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := Parse(src)
		if err != nil {
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			return
		}
		_ = p.Validate(org)
		_, _ = Load(src, org)
	})
}

// TestDocsExample keeps the worked example of docs/procedures.md identical to the tested file.
func TestDocsExample(t *testing.T) {
	t.Parallel()
	f := setup(t)
	doc, err := os.ReadFile("../docs/procedures.md")
	require.NoError(t, err)
	require.Contains(t, string(doc), "```yaml\n"+f.yaml+"```")
}

// textPos is the line and column (1-based, in characters) where needle starts in src, found by
// searching the text, so that expected positions do not come from the code under test. The
// needle must occur once.
func textPos(t *testing.T, src, needle string) (int, int) {
	t.Helper()
	require.Equal(t, 1, strings.Count(src, needle), "%q must occur once", needle)
	before := src[:strings.Index(src, needle)]
	line := strings.Count(before, "\n") + 1
	col := utf8.RuneCountInString(before[strings.LastIndex(before, "\n")+1:]) + 1
	return line, col
}

// where formats a problem the way Problem.String does, at the start of needle (plus offset
// characters, to point past a key at its value).
func where(t *testing.T, src, needle string, offset int, path, msg string) string {
	t.Helper()
	line, col := textPos(t, src, needle)
	return fmt.Sprintf("line %d, column %d: %s: %s", line, col+offset, path, msg)
}

func loadProblems(t *testing.T, src string, org *Org) []string {
	t.Helper()
	_, err := Load([]byte(src), org)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	got := make([]string, len(ve.Problems))
	for i, p := range ve.Problems {
		got[i] = p.String()
	}
	return got
}

// edit applies the replacements to src, each of whose old text must occur once.
func edit(t *testing.T, src string, pairs ...string) string {
	t.Helper()
	for i := 0; i < len(pairs); i += 2 {
		require.Equal(t, 1, strings.Count(src, pairs[i]), "%q must occur once", pairs[i])
		src = strings.Replace(src, pairs[i], pairs[i+1], 1)
	}
	return src
}

const kindList = "resolved, mediated_success, mediated_failure, withdrawn, transferred, refused, terminated, not_accepted"

// Settings that are not part of the format and values of the wrong kind are reported at every
// depth, all in one answer and together with the problems of meaning, each where it is written.
func TestLoadReportsEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	f := setup(t)
	src := edit(t, f.yaml,
		"version: 1", "version: one",
		"status: draft", "status: draft\ncolour: red",
		"deadline: {amount: 1, unit: workdays}", "deadline: {amount: many, unit: workdays}",
		"      max_extensions: 1", "      max_extensions: 1\n      colour: blue",
		"required: [facts]", "required: facts",
		"{level: village, role: clerk}", "{level: village, role: boss}",
		"kind: not_accepted}", "kind: rejected}",
	)
	want := []string{
		where(t, src, "one\n", 0, "version", "this value has the wrong kind: expected a number, found text"),
		where(t, src, "colour: red", 0, "colour", `"colour" is not a setting of this format here; check its spelling and indentation`),
		where(t, src, "boss", 0, "steps[0].assignee.role", `"boss" is not a role that can hold a step; use one of clerk, supervisor, grid, department`),
		where(t, src, "many", 0, "steps[0].deadline.amount", "this value has the wrong kind: expected a number, found text"),
		where(t, src, "rejected", 0, "steps[0].outcomes[3].kind", `"rejected" is not a kind of outcome; use one of accepted, `+kindList),
		where(t, src, "colour: blue", 0, "steps[1].deadline.colour", `"colour" is not a setting of this format here; check its spelling and indentation`),
		where(t, src, "facts\n", 0, "steps[1].required", "this value has the wrong kind: expected a list, found text"),
	}
	require.Equal(t, want, loadProblems(t, src, f.org), "every problem, in file order")

	// Parse, which does not check meaning, reports the same problems of shape, all of them.
	_, err := Parse([]byte(src))
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	require.Len(t, ve.Problems, 5, "all but the role and the kind, which are problems of meaning")
}

func TestLoadMisspeltSetting(t *testing.T) {
	t.Parallel()
	f := setup(t)
	src := edit(t, f.yaml, "steps:\n", "setps:\n", "next: confirm,", "nxet: confirm,")
	require.Equal(t, []string{
		// That the procedure has no steps is not said again; what is inside the misspelt
		// section is checked as steps, so its own misspelling shows. The town's deadline
		// override still names a step there is none of.
		where(t, src, "setps", 0, "setps", `"setps" is not a setting of this format here; check its spelling and indentation (did you mean "steps"?)`),
		where(t, src, "nxet", 0, "setps[1].outcomes[0].nxet", `"nxet" is not a setting of this format here; check its spelling and indentation (did you mean "next"?)`),
		where(t, src, "mediate: {amount: 30", 0, "levels.town.deadlines.mediate", `there is no step "mediate" to override the deadline of`),
	}, loadProblems(t, src, f.org))
}

// A start that names no step is reported, and the steps no case could reach are reported in
// the same answer, from the first step listed, where a case would start without start.
func TestLoadUnknownStartStillFindsUnreachableSteps(t *testing.T) {
	t.Parallel()
	f := setup(t)
	src := edit(t, f.yaml,
		"valid_from: 2026-01-01\n", "valid_from: 2026-01-01\nstart: intak\n",
		"next: confirm, kind: mediated_success}", "next: end, kind: mediated_success}",
	)
	require.Equal(t, []string{
		where(t, src, "intak\n", 0, "start", `the start step "intak" does not exist`),
		where(t, src, "- id: confirm", 2, "steps[2]", `the step "confirm" can never be reached from the first step "intake" (standing in for the start step, which does not exist); add an outcome that leads to it, or remove it`),
	}, loadProblems(t, src, f.org))
}

// Every outcome that closes a case says how it ended, or every way to it passes one that does.
func TestLoadOutcomeKinds(t *testing.T) {
	t.Parallel()
	f := setup(t)
	src := edit(t, f.yaml,
		"next: end, kind: mediated_failure}", "next: end}",
		"kind: not_accepted}", "kind: accepted}",
		// confirm's done has no kind, and is still fine: agreed, the only way to it, has one.
	)
	require.Equal(t, []string{
		where(t, src, "accepted}\n  - id: mediate", 0, "steps[0].outcomes[3].kind", `the outcome "decline" closes the case, so it cannot be of kind accepted; use the result it ends with: one of `+kindList),
		where(t, src, "{id: failed", 1, "steps[1].outcomes[1].kind", `the outcome "failed" closes the case, but a case can come to it without any outcome saying how it ended; give it a kind: one of `+kindList),
	}, loadProblems(t, src, f.org))

	// When agreed no longer says the mediation succeeded, done is reached undecided.
	src = edit(t, f.yaml, "next: confirm, kind: mediated_success}", "next: confirm}")
	require.Equal(t, []string{
		where(t, src, "{id: done", 1, "steps[2].outcomes[0].kind", `the outcome "done" closes the case, but a case can come to it without any outcome saying how it ended; give it a kind: one of `+kindList),
	}, loadProblems(t, src, f.org))
}

// A refused outcome names the rule that said no: its own condition, and the level's
// first_visit rule when the condition asks for it.
func TestUnavailableOutcomeNamesTheRule(t *testing.T) {
	t.Parallel()
	f := setup(t)
	p, err := Load([]byte(f.yaml), f.org)
	require.NoError(t, err)
	c, err := p.Compile()
	require.NoError(t, err)
	// 80 mu is not under 50: the village's first_visit rule says no, so env.FirstVisit is false.
	env := &Env{Level: "village", Data: p.Form.Complete(map[string]any{"area_mu": 80, "households": 2, "facts": "草场边界争议十余年"})}
	refusals, err := c.Complete("intake", "on_spot", env)
	require.NoError(t, err)
	require.Equal(t, []string{`the outcome "on_spot" is not available for this case: its condition at step "intake" (when: first_visit) said no, because the village level's first_visit rule (data.area_mu < 50 && data.households <= 2) said no`}, refusals)

	env.Level = "town"
	refusals, err = c.Complete("intake", "on_spot", env)
	require.NoError(t, err)
	require.Equal(t, []string{`the outcome "on_spot" is not available for this case: its condition at step "intake" (when: first_visit) said no, because the town level has no first_visit rule, which means no`}, refusals)

	env.Level = "government"
	refusals, err = c.Complete("intake", "escalate", env)
	require.NoError(t, err)
	require.Equal(t, []string{`the outcome "escalate" is not available for this case: its condition at step "intake" (when: level != "government") said no`}, refusals)
}

// A procedure's own matter is spelt like a key, so that the API, which takes matters by that
// pattern, can register its cases.
func TestLoadMatterSpelling(t *testing.T) {
	t.Parallel()
	f := setup(t)
	src := strings.Replace(f.yaml, "matter: mediation", "matter: Land Dispute", 1)
	_, err := Load([]byte(src), f.org)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	require.Len(t, ve.Problems, 1, ve.Problems)
	require.Equal(t, "matter", ve.Problems[0].Path)
	require.Equal(t, 3, ve.Problems[0].Line)
}
