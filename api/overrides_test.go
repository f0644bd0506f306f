package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/definitions"
)

// publishTemplate publishes, as the city's administrator, the built-in petition procedure under a
// key of the test's own, so no other test's cases or overrides meet it; it returns the key.
func publishTemplate(t *testing.T, cs *caseServer) string {
	t.Helper()
	src, ok := definitions.LibrarySource("petition")
	require.True(t, ok)
	key := "tpl_" + strings.ReplaceAll(uuid.NewString()[:8], "-", "")
	yaml := strings.Replace(string(src), "key: petition", "key: "+key, 1)
	status, v := cs.do(t, http.MethodPost, "/v1/procedures", "admin", map[string]any{"yaml": yaml})
	require.Equal(t, http.StatusCreated, status, v)
	status, v = cs.do(t, http.MethodPost, "/v1/procedures/"+key+"/versions/1/publish", "admin", nil)
	require.Equal(t, http.StatusOK, status, v)
	return key
}

// publishTemplateV2 publishes, as the city's administrator, a second version of the template
// whose intake deadline is 12 days instead of 15 and whose close step has 20 days instead of 30.
func publishTemplateV2(t *testing.T, cs *caseServer, key string) {
	t.Helper()
	status, v := cs.do(t, http.MethodPost, "/v1/procedures", "admin", map[string]any{"key": key})
	require.Equal(t, http.StatusCreated, status, v)
	yaml := v["yaml"].(string)
	for _, edit := range [][2]string{
		{"deadline: {amount: 15, unit: days, basis: 信访工作条例第二十二条}", "deadline: {amount: 12, unit: days, basis: 信访工作条例第二十二条}"},
		{"deadline: {amount: 30, unit: days, basis: 信访工作条例第三十五条（复查请求期）}", "deadline: {amount: 20, unit: days, basis: 信访工作条例第三十五条（复查请求期）}"},
	} {
		require.Contains(t, yaml, edit[0])
		yaml = strings.Replace(yaml, edit[0], edit[1], 1)
	}
	status, v = cs.do(t, http.MethodPut, "/v1/procedures/"+key+"/versions/2", "admin", map[string]any{"yaml": yaml})
	require.Equal(t, http.StatusOK, status, v)
	status, v = cs.do(t, http.MethodPost, "/v1/procedures/"+key+"/versions/2/publish", "admin", nil)
	require.Equal(t, http.StatusOK, status, v)
}

// publishOverride writes and publishes a version of Otog Front's override of key as its
// administrator, and returns the published version.
func publishOverride(t *testing.T, cs *caseServer, key string, body map[string]any) map[string]any {
	t.Helper()
	base := "/v1/overrides/otog-gov/" + key + "/versions"
	status, v := cs.do(t, http.MethodPost, base, "admin-otog", body)
	require.Equal(t, http.StatusCreated, status, v)
	require.Equal(t, "draft", v["status"])
	require.Empty(t, v["problems"], "the draft can be published")
	status, v = cs.do(t, http.MethodPost, base+"/"+jsonNumber(v["version"])+"/publish", "admin-otog", nil)
	require.Equal(t, http.StatusOK, status, v)
	require.Equal(t, "published", v["status"])
	require.Equal(t, "admin-otog", v["published_by"])
	return v
}

// jsonNumber writes a number of a JSON answer as a path or query parameter.
func jsonNumber(v any) string { return strconv.Itoa(int(v.(float64))) }

// registerOn registers a petition of the template key as user and returns the case.
func registerOn(t *testing.T, cs *caseServer, user, key string, extra map[string]any) map[string]any {
	t.Helper()
	body := petition()
	body["procedure"] = key
	for k, v := range extra {
		body["data"].(map[string]any)[k] = v
	}
	status, c := cs.do(t, http.MethodPost, "/v1/cases", user, body)
	require.Equal(t, http.StatusCreated, status, c)
	return c
}

// openTask is the case's open task of the step.
func openTask(t *testing.T, c map[string]any, step string) map[string]any {
	t.Helper()
	for _, x := range c["tasks"].([]any) {
		task := x.(map[string]any)
		if task["step"] == step && task["status"] != "done" {
			return task
		}
	}
	require.Failf(t, "no open task", "step %s: %v", step, c["tasks"])
	return nil
}

// dueAfter is when a period of amount days counted from the case's receipt ends on the
// calendar of user's county, as the calendar endpoint counts it.
func dueAfter(t *testing.T, cs *caseServer, user string, c map[string]any, amount int) time.Time {
	t.Helper()
	q := url.Values{"from": {c["received_at"].(string)}, "amount": {jsonNumber(float64(amount))}, "unit": {"days"}}
	status, due := cs.do(t, http.MethodGet, "/v1/calendar/due?"+q.Encode(), user, nil)
	require.Equal(t, http.StatusOK, status, due)
	return parseTime(t, due["at"])
}

func parseTime(t *testing.T, v any) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, v.(string))
	require.NoError(t, err)
	return at
}

// TestCountyOverrideChangesItsCasesOnly: Otog Front (鄂托克前旗) shortens the intake and acceptance
// deadlines of a city template and adds a field; its cases run on the effective procedure, Wushen's
// on the template; a case keeps the effective procedure it started on when the override changes.
func TestCountyOverrideChangesItsCasesOnly(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	key := publishTemplate(t, cs)

	v1 := publishOverride(t, cs, key, map[string]any{"template": 1,
		"deadlines": map[string]any{"intake": map[string]any{"amount": 5, "unit": "days"}, "accept": map[string]any{"amount": 10, "unit": "days"}},
		"diversion": map[string]any{"land": []string{"justice"}},
		"form":      []map[string]any{{"name": "grassland_no", "label": "草场证号", "type": "text"}}})
	require.Nil(t, v1["adopted_from"], "the county's first override")
	effective := v1["effective"].(map[string]any)
	require.EqualValues(t, 1, effective["version"], "the effective procedure is the template version it adopts")

	// The registration form asks for what the county's cases start on: Otog's with its field.
	fields := func(clerk string) (int, string) {
		t.Helper()
		status, e := cs.do(t, http.MethodGet, "/v1/procedures/"+key+"/effective", clerk, nil)
		require.Equal(t, http.StatusOK, status, e)
		names := []string{}
		for _, f := range e["procedure"].(map[string]any)["form"].([]any) {
			names = append(names, f.(map[string]any)["name"].(string))
		}
		return int(e["override_version"].(float64)), strings.Join(names, ",")
	}
	ov, names := fields("clerk-otog")
	require.Equal(t, 1, ov)
	require.Contains(t, names, "grassland_no")
	ov, names = fields("clerk-banner")
	require.Equal(t, 0, ov)
	require.NotContains(t, names, "grassland_no")

	otog := registerOn(t, cs, "clerk-otog", key, map[string]any{"grassland_no": "鄂前草证0012"})
	require.EqualValues(t, 1, otog["procedure_version"])
	require.EqualValues(t, 1, otog["override_version"])
	status, cp := cs.do(t, http.MethodGet, "/v1/cases/"+otog["number"].(string)+"/procedure", "clerk-otog", nil)
	require.Equal(t, http.StatusOK, status, cp)
	require.Contains(t, fmt.Sprint(cp["procedure"].(map[string]any)["form"]), "grassland_no", "the case's procedure has its county's field")
	require.True(t, parseTime(t, openTask(t, otog, "intake")["due_at"]).Equal(dueAfter(t, cs, "clerk-otog", otog, 5)),
		"Otog's intake is due after its 5 days")

	wushen := registerOn(t, cs, "clerk-banner", key, nil)
	require.EqualValues(t, 1, wushen["procedure_version"])
	require.Nil(t, wushen["override_version"], "Wushen has no override")
	require.True(t, parseTime(t, openTask(t, wushen, "intake")["due_at"]).Equal(dueAfter(t, cs, "clerk-banner", wushen, 15)),
		"Wushen's intake is due after the template's 15 days")
	// Otog's added field is not Wushen's.
	body := petition()
	body["procedure"] = key
	body["data"].(map[string]any)["grassland_no"] = "x"
	status, problem := cs.do(t, http.MethodPost, "/v1/cases", "clerk-banner", body)
	require.Equal(t, http.StatusUnprocessableEntity, status, problem)

	// Otog shortens acceptance further; the case already running keeps its 10 days.
	v2 := publishOverride(t, cs, key, map[string]any{"template": 1,
		"deadlines": map[string]any{"intake": map[string]any{"amount": 5, "unit": "days"}, "accept": map[string]any{"amount": 7, "unit": "days"}}})
	require.EqualValues(t, 1, v2["adopted_from"])
	status, old := cs.do(t, http.MethodGet, "/v1/overrides/otog-gov/"+key+"/versions/1", "admin-otog", nil)
	require.Equal(t, http.StatusOK, status, old)
	require.Equal(t, "retired", old["status"], "one version is published at a time")

	status, moved := cs.do(t, http.MethodPost, "/v1/cases/"+otog["number"].(string)+"/actions", "clerk-otog",
		map[string]any{"type": "complete", "outcome": "register", "data": map[string]any{"grassland_no": "鄂前草证0013"}})
	require.Equal(t, http.StatusOK, status, moved)
	status, got := cs.do(t, http.MethodGet, "/v1/cases/"+otog["number"].(string), "clerk-otog", nil)
	require.Equal(t, http.StatusOK, status, got)
	require.EqualValues(t, 1, got["override_version"])
	require.True(t, parseTime(t, openTask(t, got, "accept")["due_at"]).Equal(dueAfter(t, cs, "clerk-otog", otog, 10)),
		"the running case keeps the 10 days it started with, not the 7 of the new override version")

	newer := registerOn(t, cs, "clerk-otog", key, nil)
	require.EqualValues(t, 2, newer["override_version"])

	// A land matter goes where each county's diversion says: Otog's table sends it to its justice
	// bureau alone, Wushen follows the template's banner rule (justice and the political-legal committee).
	require.Equal(t, []string{"justice"}, divertedTo(t, cs, "clerk-otog", otog["number"].(string), "accept"))
	require.Equal(t, []string{"justice", "politics-law"}, divertedTo(t, cs, "clerk-banner", wushen["number"].(string), "intake"))
}

// divertedTo moves the case as user from the step it is at (intake or accept) through acceptance
// and diversion with the divert rule's choice, and returns the departments of its department_check tasks.
func divertedTo(t *testing.T, cs *caseServer, user, number, from string) []string {
	t.Helper()
	moves := []string{"register", "accept", "divert"}
	if from == "accept" {
		moves = moves[1:]
	}
	var c map[string]any
	for _, outcome := range moves {
		var status int
		status, c = cs.do(t, http.MethodPost, "/v1/cases/"+number+"/actions", user, map[string]any{"type": "complete", "outcome": outcome})
		require.Equal(t, http.StatusOK, status, c)
	}
	status, c := cs.do(t, http.MethodGet, "/v1/cases/"+number, user, nil)
	require.Equal(t, http.StatusOK, status, c)
	var out []string
	for _, x := range c["tasks"].([]any) {
		if task := x.(map[string]any); task["step"] == "department_check" {
			out = append(out, task["department"].(string))
		}
	}
	slices.Sort(out)
	return out
}

// TestOverrideRefusals: a county may not lengthen a deadline past the template's, divert to a
// department that does not work in it, or touch another county's override; the city reads every
// county's and writes none.
func TestOverrideRefusals(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	key := publishTemplate(t, cs)
	base := "/v1/overrides/otog-gov/" + key + "/versions"

	status, draft := cs.do(t, http.MethodPost, base, "admin-otog", map[string]any{"template": 1,
		"deadlines":       map[string]any{"handle": map[string]any{"amount": 90, "unit": "days"}},
		"level_deadlines": map[string]any{"village": map[string]any{"handle": map[string]any{"amount": 20, "unit": "days"}}},
		"diversion":       map[string]any{"labor": []string{"hrss"}},
		"form":            []map[string]any{{"name": "phone", "label": "电话", "type": "text"}}})
	require.Equal(t, http.StatusCreated, status, draft)
	require.Len(t, draft["problems"], 4, "a draft is stored with its problems listed")

	status, problem := cs.do(t, http.MethodPost, base+"/1/publish", "admin-otog", nil)
	require.Equal(t, http.StatusUnprocessableEntity, status, problem)
	errs := errorsOf(problem)
	require.Contains(t, errs["deadlines.handle.amount"], "longer than the template's 60 days")
	require.Contains(t, errs["deadlines.handle.amount"], "信访工作条例第三十四条")
	require.Contains(t, errs["level_deadlines.village.handle.amount"], "longer than the template's 15 days")
	require.Contains(t, errs["diversion.labor[0]"], `"hrss" does not work in this county`)
	require.Contains(t, errs["form[0].name"], "already has the field")
	status, still := cs.do(t, http.MethodGet, base+"/1", "admin-otog", nil)
	require.Equal(t, http.StatusOK, status, still)
	require.Equal(t, "draft", still["status"], "nothing half-published")
	require.Nil(t, registerOn(t, cs, "clerk-otog", key, nil)["override_version"], "Otog still runs the template")

	// Wushen's administrator: Otog's overrides do not exist for them.
	status, problem = cs.do(t, http.MethodGet, base+"/1", "admin-wushen", nil)
	require.Equal(t, http.StatusNotFound, status, problem)
	status, problem = cs.do(t, http.MethodPut, base+"/1", "admin-wushen", map[string]any{"template": 1})
	require.Equal(t, http.StatusNotFound, status, problem)
	status, problem = cs.do(t, http.MethodPost, base+"/1/publish", "admin-wushen", nil)
	require.Equal(t, http.StatusNotFound, status, problem)
	status, list := cs.do(t, http.MethodGet, "/v1/overrides?county=otog-gov", "admin-wushen", nil)
	require.Equal(t, http.StatusOK, status, list)
	require.Empty(t, list["overrides"])
	// The city reads every county's, writes none; a clerk reads none.
	status, got := cs.do(t, http.MethodGet, base+"/1", "admin", nil)
	require.Equal(t, http.StatusOK, status, got)
	status, list = cs.do(t, http.MethodGet, "/v1/overrides?county=otog-gov", "admin", nil)
	require.Equal(t, http.StatusOK, status, list)
	require.NotEmpty(t, list["overrides"])
	status, problem = cs.do(t, http.MethodPost, base+"/1/publish", "admin", nil)
	require.Equal(t, http.StatusForbidden, status, problem)
	status, problem = cs.do(t, http.MethodGet, base+"/1", "clerk-otog", nil)
	require.Equal(t, http.StatusForbidden, status, problem)

	// Fixed, it publishes.
	status, fixed := cs.do(t, http.MethodPut, base+"/1", "admin-otog", map[string]any{"template": 1,
		"deadlines": map[string]any{"handle": map[string]any{"amount": 45, "unit": "days"}},
		"diversion": map[string]any{"labor": []string{"justice"}}})
	require.Equal(t, http.StatusOK, status, fixed)
	require.Empty(t, fixed["problems"])
	status, pub := cs.do(t, http.MethodPost, base+"/1/publish", "admin-otog", nil)
	require.Equal(t, http.StatusOK, status, pub)
	status, problem = cs.do(t, http.MethodPut, base+"/1", "admin-otog", map[string]any{"template": 1})
	require.Equal(t, http.StatusConflict, status, problem)
}

// TestTemplateVersionReachesACountyWhenItAdoptsIt: the city's template v2 runs at once in Wushen,
// which has no override, but not in Otog Front until its override adopts it, after the diff.
func TestTemplateVersionReachesACountyWhenItAdoptsIt(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	key := publishTemplate(t, cs)
	publishOverride(t, cs, key, map[string]any{"template": 1,
		"deadlines": map[string]any{"intake": map[string]any{"amount": 5, "unit": "days"}}})
	publishTemplateV2(t, cs, key)

	require.EqualValues(t, 2, registerOn(t, cs, "clerk-banner", key, nil)["procedure_version"], "Wushen runs the version in force")
	before := registerOn(t, cs, "clerk-otog", key, nil)
	require.EqualValues(t, 1, before["procedure_version"], "Otog runs the version it adopted")

	status, list := cs.do(t, http.MethodGet, "/v1/overrides", "admin-otog", nil)
	require.Equal(t, http.StatusOK, status, list)
	var item map[string]any
	for _, x := range list["overrides"].([]any) {
		if x.(map[string]any)["key"] == key {
			item = x.(map[string]any)
		}
	}
	require.NotNil(t, item)
	require.EqualValues(t, 1, item["template"])
	require.EqualValues(t, 2, item["template_in_force"], "the list shows a newer template version to adopt")

	status, diff := cs.do(t, http.MethodGet, "/v1/overrides/otog-gov/"+key+"/adoption?template=2", "admin-otog", nil)
	require.Equal(t, http.StatusOK, status, diff)
	require.EqualValues(t, 1, diff["from"])
	require.EqualValues(t, 2, diff["to"])
	paths := func(list any) []string {
		var out []string
		for _, c := range list.([]any) {
			out = append(out, c.(map[string]any)["path"].(string))
		}
		return out
	}
	require.Contains(t, paths(diff["template_changes"]), "steps[id=intake].deadline.amount")
	require.Contains(t, paths(diff["template_changes"]), "steps[id=close].deadline.amount")
	require.NotContains(t, paths(diff["effective_changes"]), "steps[id=intake].deadline.amount", "Otog's own 5 days stay")
	require.Contains(t, paths(diff["effective_changes"]), "steps[id=close].deadline.amount")
	require.Empty(t, diff["problems"])

	adopted := publishOverride(t, cs, key, map[string]any{"template": 2,
		"deadlines": map[string]any{"intake": map[string]any{"amount": 5, "unit": "days"}}})
	require.EqualValues(t, 1, adopted["adopted_from"])
	after := registerOn(t, cs, "clerk-otog", key, nil)
	require.EqualValues(t, 2, after["procedure_version"])
	require.EqualValues(t, 2, after["override_version"])
	status, old := cs.do(t, http.MethodGet, "/v1/cases/"+before["number"].(string), "clerk-otog", nil)
	require.Equal(t, http.StatusOK, status, old)
	require.EqualValues(t, 1, old["procedure_version"], "the case registered before keeps its version")
}

// The departments a county's diversion table may name: those with staff at one of its units.
func TestCountyDepartments(t *testing.T) {
	t.Parallel()
	cs := newCaseServerOn(t, ownCenterStore(t)) // no other test's staff
	codes := func(county string) []string {
		t.Helper()
		status, v := cs.do(t, http.MethodGet, "/v1/org/departments?county="+url.QueryEscape(county), "admin-otog", nil)
		require.Equal(t, http.StatusOK, status, v)
		var out []string
		for _, d := range v["departments"].([]any) {
			out = append(out, d.(map[string]any)["code"].(string))
		}
		return out
	}
	require.Equal(t, []string{"justice"}, codes("otog-gov"), "Otog Front has justice staff only")
	wushen := codes("wushen-gov")
	require.Contains(t, wushen, "justice")
	require.Contains(t, wushen, "hrss")
	require.NotContains(t, wushen, "court", "no court staff are stationed in Wushen")
	status, v := cs.do(t, http.MethodGet, "/v1/org/departments", "admin-otog", nil)
	require.Equal(t, http.StatusOK, status, v)
	require.Greater(t, len(v["departments"].([]any)), len(wushen), "without county, every department")
	for _, county := range []string{"galutu", "nowhere"} {
		status, v := cs.do(t, http.MethodGet, "/v1/org/departments?county="+county, "admin-otog", nil)
		require.Equal(t, http.StatusUnprocessableEntity, status, v)
		require.Contains(t, v["errors"].([]any)[0].(map[string]any)["location"], "query.county")
	}
}
