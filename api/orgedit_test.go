package api_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// Administrators edit the organisation and the staff through the API: a county's administrator
// sees and changes their county only; renames always go through; a change that would leave open
// tasks without their holder is refused at its field, naming the tasks.
func TestOrganisationAndStaffEditing(t *testing.T) {
	t.Parallel()
	cs := newCaseServerOn(t, ownCenterStore(t)) // it changes the organisation: a database of its own
	codes := func(user string) (units, users []string) {
		t.Helper()
		status, d := cs.do(t, http.MethodGet, "/v1/admin/org", user, nil)
		require.Equal(t, http.StatusOK, status, d)
		for _, u := range d["units"].([]any) {
			units = append(units, u.(map[string]any)["code"].(string))
		}
		for _, u := range d["users"].([]any) {
			users = append(users, u.(map[string]any)["id"].(string))
		}
		require.NotEmpty(t, d["departments"])
		return units, users
	}
	units, users := codes("admin-wushen")
	require.Contains(t, units, "galutu")
	require.NotContains(t, units, "otog", "a county's administrator sees their county")
	require.Contains(t, users, "clerk-galutu")
	require.NotContains(t, users, "clerk-otog")
	units, _ = codes("admin")
	require.Contains(t, units, "otog")
	status, _ := cs.do(t, http.MethodGet, "/v1/admin/org", "clerk-galutu", nil)
	require.Equal(t, http.StatusForbidden, status)

	// A new village under a town, then renamed.
	village := map[string]any{"name": "巴音敖包嘎查", "level": "village", "parent": "galutu"}
	status, added := cs.do(t, http.MethodPut, "/v1/admin/org/units/galutu-v99", "admin-wushen", village)
	require.Equal(t, http.StatusOK, status, added)
	require.Equal(t, "galutu", added["parent"])
	village["name"] = "巴音敖包嘎查村"
	status, renamed := cs.do(t, http.MethodPut, "/v1/admin/org/units/galutu-v99", "admin-wushen", village)
	require.Equal(t, http.StatusOK, status, renamed)
	require.Equal(t, "巴音敖包嘎查村", renamed["name"])
	units, _ = codes("admin-wushen")
	require.Contains(t, units, "galutu-v99")
	// Adding only (If-None-Match: *) never overwrites a unit of the same code.
	status, refused := cs.do(t, http.MethodPut, "/v1/admin/org/units/galutu", "admin-wushen", village, "If-None-Match", "*")
	require.Equal(t, http.StatusPreconditionFailed, status, refused)
	require.Contains(t, errorsOf(refused), "path.code")
	status, _ = cs.do(t, http.MethodPut, "/v1/admin/org/units/galutu-v97", "admin-wushen", village, "If-None-Match", "*")
	require.Equal(t, http.StatusOK, status)
	// Refused at their fields: a level that does not fit the parent, a parent of another county.
	status, refused = cs.do(t, http.MethodPut, "/v1/admin/org/units/galutu-v98", "admin-wushen",
		map[string]any{"name": "错层", "level": "group", "parent": "galutu"})
	require.Equal(t, http.StatusUnprocessableEntity, status, refused)
	require.Contains(t, errorsOf(refused), "body.parent")
	status, refused = cs.do(t, http.MethodPut, "/v1/admin/org/units/otog-v99", "admin-wushen",
		map[string]any{"name": "别旗的村", "level": "village", "parent": otogTown(t, cs)})
	require.Equal(t, http.StatusUnprocessableEntity, status, refused)
	require.Contains(t, errorsOf(refused), "body.parent")
	// A grid (网格) is a group-level unit below a village, marked so; a village is none.
	status, grid := cs.do(t, http.MethodPut, "/v1/admin/org/units/galutu-v99-w1", "admin-wushen",
		map[string]any{"name": "巴音敖包嘎查村第1网格", "level": "group", "parent": "galutu-v99", "grid": true})
	require.Equal(t, http.StatusOK, status, grid)
	require.Equal(t, true, grid["grid"])
	status, refused = cs.do(t, http.MethodPut, "/v1/admin/org/units/galutu-v99", "admin-wushen",
		map[string]any{"name": "巴音敖包嘎查村", "level": "village", "parent": "galutu", "grid": true})
	require.Equal(t, http.StatusUnprocessableEntity, status, refused)
	require.Contains(t, errorsOf(refused), "body.grid")

	// An on-call department's response hours: every county's, so the city's to change.
	dept := map[string]any{"name": "林草局", "mode": "on_call", "response_hours": 12}
	status, refused = cs.do(t, http.MethodPut, "/v1/admin/org/departments/forestry", "admin-wushen", dept)
	require.Equal(t, http.StatusUnprocessableEntity, status, refused)
	status, saved := cs.do(t, http.MethodPut, "/v1/admin/org/departments/forestry", "admin", dept)
	require.Equal(t, http.StatusOK, status, saved)
	dept["response_hours"] = 4
	status, saved = cs.do(t, http.MethodPut, "/v1/admin/org/departments/forestry", "admin", dept)
	require.Equal(t, http.StatusOK, status, saved)
	require.EqualValues(t, 4, saved["response_hours"])

	// A clerk holding a claimed task keeps their post until they hand it over.
	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
	require.Equal(t, http.StatusCreated, status, c)
	number := c["number"].(string)
	status, claimed := cs.do(t, http.MethodPost, "/v1/tasks/"+number+"/t1/claim", "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, claimed)
	clerk := map[string]any{"name": "嘎鲁图镇受理员 Galutu town clerk", "role": "clerk", "org_unit": "galutu-v99"}
	status, refused = cs.do(t, http.MethodPut, "/v1/admin/users/clerk-galutu", "admin-wushen", clerk, "Accept-Language", "zh-CN")
	require.Equal(t, http.StatusUnprocessableEntity, status, refused)
	require.Equal(t, "clerk-galutu有1项未办结的任务（"+number+" t1）：请先交出这些任务（退回、改派或收回委派），再调整其岗位", errorsOf(refused)["body.org_unit"])
	clerk["org_unit"], clerk["name"] = "galutu", "嘎鲁图镇受理员"
	status, kept := cs.do(t, http.MethodPut, "/v1/admin/users/clerk-galutu", "admin-wushen", clerk)
	require.Equal(t, http.StatusOK, status, kept, "a rename is no change of post")
	require.Equal(t, "嘎鲁图镇受理员", kept["name"])
	// A new person at the new village.
	status, person := cs.do(t, http.MethodPut, "/v1/admin/users/clerk-bayan", "admin-wushen",
		map[string]any{"name": "巴音受理员", "role": "clerk", "org_unit": "galutu-v99"})
	require.Equal(t, http.StatusOK, status, person)
	_, users = codes("admin-wushen")
	require.Contains(t, users, "clerk-bayan")

	// The town holds the open task: it stays where it is in the chain.
	status, refused = cs.do(t, http.MethodPut, "/v1/admin/org/units/galutu", "admin",
		map[string]any{"name": "嘎鲁图镇", "level": "town", "parent": otogBanner(t, cs)})
	require.Equal(t, http.StatusUnprocessableEntity, status, refused)
	require.Contains(t, errorsOf(refused)["body.parent"], number+" t1")
}

// otogTown and otogBanner are units of Otog Front, the demo's other county.
func otogTown(t *testing.T, cs *caseServer) string { return otogUnit(t, cs, "town") }

func otogBanner(t *testing.T, cs *caseServer) string { return otogUnit(t, cs, "banner") }

func otogUnit(t *testing.T, cs *caseServer, level string) string {
	t.Helper()
	status, d := cs.do(t, http.MethodGet, "/v1/admin/org", "admin-otog", nil)
	require.Equal(t, http.StatusOK, status, d)
	for _, u := range d["units"].([]any) {
		if u := u.(map[string]any); u["level"] == level {
			return u["code"].(string)
		}
	}
	t.Fatalf("Otog Front has no %s", level)
	return ""
}
