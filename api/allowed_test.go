package api_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// actionTypes are the types of an allowed-actions answer, in order.
func actionTypes(t *testing.T, body map[string]any) []string {
	t.Helper()
	var types []string
	for _, a := range body["actions"].([]any) {
		types = append(types, a.(map[string]any)["type"].(string))
	}
	return types
}

func action(body map[string]any, typ string) map[string]any {
	for _, a := range body["actions"].([]any) {
		if a := a.(map[string]any); a["type"] == typ {
			return a
		}
	}
	return nil
}

// The allowed actions answer what the workflow then accepts: the holder, a supervisor above, a
// clerk elsewhere in scope and an auditor each get their own list, with what to choose from.
func TestAllowedActions(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-sarula", petition())
	require.Equal(t, http.StatusCreated, status, c)
	path := "/v1/cases/" + c["number"].(string) + "/actions"

	status, holder := cs.do(t, http.MethodGet, path, "clerk-sarula", nil)
	require.Equal(t, http.StatusOK, status, holder)
	require.Equal(t, c["number"], holder["case"])
	require.Equal(t, []string{"complete", "escalate", "hand_down", "transfer", "divert", "note", "close", "delegate", "copy", "visit"}, actionTypes(t, holder))
	complete := action(holder, "complete")
	require.Equal(t, "t1", complete["task"])
	require.Equal(t, []any{"outcome"}, complete["needs"])
	var outcomes []string
	for _, o := range complete["outcomes"].([]any) {
		outcomes = append(outcomes, o.(map[string]any)["id"].(string))
	}
	require.Equal(t, []string{"on_spot", "register", "redirect", "escalate"}, outcomes)
	// The rules' refusals come in the client's language: at the town, a request is no first
	// visit to be handled on the spot.
	body := petition()
	body["data"].(map[string]any)["category"] = "request"
	status, town := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", body)
	require.Equal(t, http.StatusCreated, status, town)
	refusals := func(lang string) any {
		t.Helper()
		status, got := cs.do(t, http.MethodGet, "/v1/cases/"+town["number"].(string)+"/actions", "clerk-galutu", nil, "Accept-Language", lang)
		require.Equal(t, http.StatusOK, status, got)
		return action(got, "complete")["outcomes"].([]any)[0].(map[string]any)["refusals"]
	}
	require.Equal(t, []any{`the outcome "on_spot" is not available for this case: its condition at step "intake" (when: first_visit) said no, ` +
		`because the town level's first_visit rule (data.category == "proposal" && data.people < 5 && visits < 2) said no`}, refusals("en"))
	require.Equal(t, []any{`结果“on_spot”不适用于此案件：环节“intake”的条件（first_visit）不成立，` +
		`因为town层级的首访首办规则（data.category == "proposal" && data.people < 5 && visits < 2）不成立`}, refusals("zh-CN"))
	// The village has one group and three grids below it in the demo organisation; every
	// department may be asked for a report.
	require.Equal(t, []any{map[string]any{"code": "galutu-v01-g1", "name": "萨如拉社区第一社组"},
		map[string]any{"code": "galutu-v01-w1", "name": "萨如拉社区第1网格"},
		map[string]any{"code": "galutu-v01-w2", "name": "萨如拉社区第2网格"},
		map[string]any{"code": "galutu-v01-w3", "name": "萨如拉社区第3网格"}}, action(holder, "hand_down")["targets"])
	departments := action(holder, "divert")["departments"].([]any)
	require.True(t, slices.ContainsFunc(departments, func(d any) bool { return d.(map[string]any)["code"] == "justice" }))

	status, supervisor := cs.do(t, http.MethodGet, path, "supervisor-galutu", nil)
	require.Equal(t, http.StatusOK, status, supervisor)
	require.Contains(t, actionTypes(t, supervisor), "supervise")
	require.NotContains(t, actionTypes(t, supervisor), "complete")

	// The town's clerk sees the village's case but holds none of its tasks: a note or a visit only, and an
	// action not offered is refused.
	status, other := cs.do(t, http.MethodGet, path, "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, other)
	require.Equal(t, []string{"note", "visit"}, actionTypes(t, other))
	status, refused := cs.do(t, http.MethodPost, path, "clerk-galutu", map[string]any{"type": "escalate", "reason": "x"})
	require.Equal(t, http.StatusConflict, status, refused)

	status, auditor := cs.do(t, http.MethodGet, path, "auditor", nil)
	require.Equal(t, http.StatusOK, status, auditor)
	require.Empty(t, auditor["actions"])

	// Outside the scope the case does not exist.
	status, _ = cs.do(t, http.MethodGet, path, "justice-staff", nil)
	require.Equal(t, http.StatusNotFound, status)
}

// The API's list of action types is the action table's: link, which OneDoor sends itself, is not
// in it.
func TestActionTypesComeFromTheTable(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	status, doc := cs.do(t, http.MethodGet, "/openapi.json", "", nil)
	require.Equal(t, http.StatusOK, status)
	schema := doc["components"].(map[string]any)["schemas"].(map[string]any)["ActionInputBody"].(map[string]any)
	enum := schema["properties"].(map[string]any)["type"].(map[string]any)["enum"]
	require.Equal(t, []any{"complete", "escalate", "hand_down", "return", "transfer", "divert", "report", "acknowledge",
		"suspend", "resume", "extend", "supervise", "reply", "note", "close", "evaluate", "request_review",
		"withdraw", "send_back", "delegate", "delegate_result", "recall", "reassign", "copy", "find", "visit"}, enum)
}
