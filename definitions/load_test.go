package definitions

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

type fixture struct {
	org  *Org
	yaml string
}

func setup(t *testing.T) fixture {
	t.Helper()
	org, err := WushenOrg()
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
			`line 7, column 1: "colour" is not a setting of this format here; check its spelling and indentation`,
		}},
		{"wrong kind of value", "version: 1", "version: one", []string{
			"line 6, column 10: this value has the wrong kind: expected a number, found text",
		}},
		{"missing key", "key: grassland_dispute\n", "", []string{
			"line 2, column 1: key: the procedure needs a key, a short code such as land_dispute",
		}},
		{"duplicate step id", "id: confirm", "id: mediate", []string{
			`line 41, column 40: steps[1].outcomes[0].next: the outcome "agreed" leads to step "confirm", which does not exist; use the id of a step or "end"`,
			`line 43, column 9: steps[2].id: the step id "mediate" is already used by steps[1]; each step needs its own id`,
		}},
		{"transition to a missing step", "next: confirm}", "next: confrim}", []string{
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
			`line 45, column 28: steps[2].assignee.department: there is no department with the code "jutsice" in 乌审旗`,
		}},
		{"unknown department in a diversion", `"politics-law"`, `"politic-law"`, []string{
			`line 56, column 13: levels.town.divert: there is no department with the code "politic-law" in 乌审旗`,
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
	org, err := WushenOrg()
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
