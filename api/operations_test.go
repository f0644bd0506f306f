package api_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor"
)

// The task operations of issue 16 through the real API and workflow: delegate and its result,
// withdraw (refused once the next holder claimed the task), send back to an earlier step, and
// reassign within the unit, each with its refusals, which change nothing.
func TestTaskOperationsThroughTheAPI(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	store := centerStore(t)
	second := onedoor.User{ID: "clerk-galutu-2", Name: "嘎鲁图镇受理员二", Role: onedoor.RoleClerk, OrgUnit: "galutu"}
	require.NoError(t, store.SaveUsers(context.Background(), []onedoor.User{second}))
	body := petition()
	body["data"].(map[string]any)["category"] = "request"
	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", body)
	require.Equal(t, http.StatusCreated, status, c)
	number := c["number"].(string)
	path := "/v1/cases/" + number + "/actions"
	act := func(user string, want int, action map[string]any) map[string]any {
		t.Helper()
		status, out := cs.do(t, http.MethodPost, path, user, action)
		require.Equal(t, want, status, out)
		return out
	}
	step := func() string {
		t.Helper()
		status, out := cs.do(t, http.MethodGet, "/v1/cases/"+number, "clerk-galutu", nil)
		require.Equal(t, http.StatusOK, status, out)
		return out["step"].(string)
	}
	queue := func(user, filter string) []map[string]any {
		t.Helper()
		status, out := cs.do(t, http.MethodGet, "/v1/tasks?limit=500&status="+filter, user, nil)
		require.Equal(t, http.StatusOK, status, out)
		var items []map[string]any
		for _, it := range out["items"].([]any) {
			if it := it.(map[string]any); it["case_number"] == number {
				items = append(items, it)
			}
		}
		return items
	}

	// 委派: offered to the holder; a colleague of another unit and an unknown user are refused.
	_, offered := cs.do(t, http.MethodGet, path, "clerk-galutu", nil)
	require.Contains(t, actionTypes(t, offered), "delegate")
	require.NotContains(t, actionTypes(t, offered), "send_back", "intake may send nothing back")
	refused := act("clerk-galutu", http.StatusConflict, map[string]any{"type": "delegate", "user": "clerk-sarula", "reason": "核实"})
	require.Contains(t, refused["detail"], "clerk-sarula is not of clerk of galutu")
	refused = act("clerk-galutu", http.StatusUnprocessableEntity, map[string]any{"type": "delegate", "user": "nobody", "reason": "核实"})
	require.Equal(t, "body.user", refused["errors"].([]any)[0].(map[string]any)["location"])
	out := act("clerk-galutu", http.StatusOK, map[string]any{"type": "delegate", "user": "supervisor-galutu", "reason": "核实来访人身份"})
	require.Equal(t, "supervisor-galutu", out["tasks"].([]any)[0].(map[string]any)["delegate"])
	require.Len(t, queue("supervisor-galutu", "delegated"), 1, "the delegate's queue shows it")
	require.Empty(t, queue("clerk-galutu", "delegated"))
	act("clerk-galutu", http.StatusConflict, map[string]any{"type": "complete", "outcome": "register"})
	_, offered = cs.do(t, http.MethodGet, path, "supervisor-galutu", nil)
	require.Contains(t, actionTypes(t, offered), "delegate_result")
	act("supervisor-galutu", http.StatusOK, map[string]any{"type": "delegate_result", "result": "身份已核实"})
	require.Empty(t, queue("supervisor-galutu", "delegated"))

	// 收回委派: the holder takes a delegation back before its result; only the delegate hears of
	// the delegation and of its recall, not the rest of the unit.
	act("clerk-galutu", http.StatusOK, map[string]any{"type": "delegate", "user": "justice-galutu", "reason": "再核实住址"})
	require.Len(t, queue("justice-galutu", "delegated"), 1)
	act("justice-galutu", http.StatusConflict, map[string]any{"type": "recall"})
	_, offered = cs.do(t, http.MethodGet, path, "clerk-galutu", nil)
	require.Contains(t, actionTypes(t, offered), "recall")
	act("clerk-galutu", http.StatusOK, map[string]any{"type": "recall", "reason": "已自行核实"})
	require.Empty(t, queue("justice-galutu", "delegated"), "it left the delegate's queue")
	refused = act("clerk-galutu", http.StatusConflict, map[string]any{"type": "recall"})
	require.Contains(t, refused["detail"], "is not delegated")
	kinds := func(user string) []string {
		t.Helper()
		status, out := cs.do(t, http.MethodGet, "/v1/notifications?limit=200", user, nil)
		require.Equal(t, http.StatusOK, status, out)
		var kinds []string
		for _, it := range out["items"].([]any) {
			if it := it.(map[string]any); it["case_number"] == number {
				kinds = append(kinds, it["kind"].(string))
			}
		}
		return kinds
	}
	require.ElementsMatch(t, []string{"delegated", "delegation_recalled"}, kinds("justice-galutu"))
	require.ElementsMatch(t, []string{"delegated"}, kinds("supervisor-galutu"), "supervisor-galutu's own delegation only")
	require.ElementsMatch(t, []string{"delegate_result"}, kinds("clerk-galutu"), "the holder hears the result, not the delegations")

	// 撤回: by the clerk who registered, not by anyone else.
	act("clerk-galutu", http.StatusOK, map[string]any{"type": "complete", "outcome": "register"})
	_, offered = cs.do(t, http.MethodGet, path, "clerk-galutu", nil)
	require.Contains(t, actionTypes(t, offered), "withdraw")
	act("supervisor-galutu", http.StatusConflict, map[string]any{"type": "withdraw"})
	out = act("clerk-galutu", http.StatusOK, map[string]any{"type": "withdraw", "reason": "登记有误"})
	require.Equal(t, "intake", out["step"])
	// Once the next holder claimed the new task, the withdraw is refused and nothing changes.
	out = act("clerk-galutu", http.StatusOK, map[string]any{"type": "complete", "outcome": "register"})
	next := ""
	for _, task := range out["tasks"].([]any) {
		if task := task.(map[string]any); task["status"] == "open" {
			next = task["id"].(string)
		}
	}
	status, claim := cs.do(t, http.MethodPost, "/v1/tasks/"+number+"/"+next+"/claim", "supervisor-galutu", nil)
	require.Equal(t, http.StatusOK, status, claim)
	refused = act("clerk-galutu", http.StatusConflict, map[string]any{"type": "withdraw"})
	require.Contains(t, refused["detail"], "claimed by supervisor-galutu")
	require.Equal(t, "accept", step())
	status, _ = cs.do(t, http.MethodPost, "/v1/tasks/"+number+"/"+next+"/release", "supervisor-galutu", nil)
	require.Equal(t, http.StatusOK, status)

	// 退回: to a step the procedure allows and the case passed, with a reason.
	_, offered = cs.do(t, http.MethodGet, path, "clerk-galutu", nil)
	require.Equal(t, []any{"intake"}, action(offered, "send_back")["steps"])
	refused = act("clerk-galutu", http.StatusConflict, map[string]any{"type": "send_back", "step": "handle", "reason": "x"})
	require.Contains(t, refused["detail"], "may send a case back to intake only")
	act("clerk-galutu", http.StatusUnprocessableEntity, map[string]any{"type": "send_back", "step": "intake"})
	require.Equal(t, "accept", step())
	out = act("clerk-galutu", http.StatusOK, map[string]any{"type": "send_back", "step": "intake", "reason": "身份信息不全"})
	require.Equal(t, "intake", out["step"])

	// 转办: a supervisor gives the task to another clerk of the unit, claimed on their behalf.
	act("clerk-galutu", http.StatusConflict, map[string]any{"type": "reassign", "user": "clerk-galutu-2", "reason": "休假"})
	act("supervisor-galutu", http.StatusConflict, map[string]any{"type": "reassign", "user": "clerk-sarula", "reason": "休假"})
	out = act("supervisor-galutu", http.StatusOK, map[string]any{"type": "reassign", "user": "clerk-galutu-2", "reason": "原承办人休假"})
	tasks := out["tasks"].([]any)
	require.Equal(t, "clerk-galutu-2", tasks[len(tasks)-1].(map[string]any)["assignee"])
	claimed := queue("supervisor-galutu", "claimed")
	require.Len(t, claimed, 1)
	require.Equal(t, "clerk-galutu-2", claimed[0]["claimed_by"])

	// 已办: the tasks the clerk completed, with where the case stands now; 我发起的: the cases the
	// clerk registered, which the supervisor did not.
	status, done := cs.do(t, http.MethodGet, "/v1/tasks/done?limit=500", "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, done)
	var mine []map[string]any
	for _, it := range done["items"].([]any) {
		if it := it.(map[string]any); it["case_number"] == number {
			mine = append(mine, it)
		}
	}
	require.NotEmpty(t, mine)
	require.Equal(t, "intake", mine[0]["case_step"])
	require.Equal(t, "clerk-galutu", mine[0]["task"].(map[string]any)["closed_by"])
	cases := func(user string) []string {
		t.Helper()
		status, out := cs.do(t, http.MethodGet, "/v1/cases?mine=true&limit=500", user, nil)
		require.Equal(t, http.StatusOK, status, out)
		var numbers []string
		for _, c := range out["items"].([]any) {
			numbers = append(numbers, c.(map[string]any)["number"].(string))
		}
		return numbers
	}
	require.Contains(t, cases("clerk-galutu"), number)
	require.NotContains(t, cases("supervisor-galutu"), number)

	// Each operation is in the audit log.
	status, audit := cs.do(t, http.MethodGet, "/v1/cases/"+number+"/timeline", "supervisor-galutu", nil)
	require.Equal(t, http.StatusOK, status, audit)
	var actions []string
	for _, e := range audit["entries"].([]any) {
		actions = append(actions, e.(map[string]any)["action"].(string))
	}
	for _, a := range []string{"delegate", "delegate_result", "withdraw", "send_back", "reassign"} {
		require.True(t, slices.Contains(actions, a), "%s in %v", a, actions)
	}
}

// 抄送: the holder copies a case to a user of a village and to a village's unit; they read that
// case and its timeline, masked, and never act on it or claim its tasks; a user it was not
// copied to still does not see it; the copied list says what is unread.
func TestCopyForInformation(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
	require.Equal(t, http.StatusCreated, status, c)
	number := c["number"].(string)
	path := "/v1/cases/" + number + "/actions"
	see := func(user string) int {
		t.Helper()
		status, _ := cs.do(t, http.MethodGet, "/v1/cases/"+number, user, nil)
		return status
	}
	copied := func(user, query string) []map[string]any {
		t.Helper()
		status, out := cs.do(t, http.MethodGet, "/v1/tasks/copied?limit=500"+query, user, nil)
		require.Equal(t, http.StatusOK, status, out)
		var items []map[string]any
		for _, it := range out["items"].([]any) {
			if it := it.(map[string]any); it["case_number"] == number {
				items = append(items, it)
			}
		}
		return items
	}
	require.Equal(t, http.StatusNotFound, see("clerk-sarula"))
	require.Equal(t, http.StatusNotFound, see("secretary-chagan"))

	// Offered to the holder; unknown recipients and those of another county are refused where
	// the request names them.
	_, offered := cs.do(t, http.MethodGet, path, "clerk-galutu", nil)
	require.Equal(t, []any{"copy_to"}, action(offered, "copy")["needs"])
	status, refused := cs.do(t, http.MethodPost, path, "clerk-galutu", map[string]any{"type": "copy", "copy_to": map[string]any{"users": []string{"clerk-sarula", "clerk-chengchuan"}}})
	require.Equal(t, http.StatusUnprocessableEntity, status, refused)
	require.Equal(t, "body.copy_to.users[1]", refused["errors"].([]any)[0].(map[string]any)["location"])
	status, refused = cs.do(t, http.MethodPost, path, "clerk-galutu", map[string]any{"type": "copy", "copy_to": map[string]any{"units": []string{"nowhere"}}})
	require.Equal(t, http.StatusUnprocessableEntity, status, refused)
	require.Equal(t, "body.copy_to.units[0]", refused["errors"].([]any)[0].(map[string]any)["location"])
	status, refused = cs.do(t, http.MethodPost, path, "clerk-galutu", map[string]any{"type": "copy"})
	require.Equal(t, http.StatusUnprocessableEntity, status, refused)
	status, refused = cs.do(t, http.MethodPost, path, "clerk-sarula", map[string]any{"type": "copy", "copy_to": map[string]any{"users": []string{"clerk-galutu"}}})
	require.Equal(t, http.StatusNotFound, status, refused, "outside the scope the case does not exist")

	status, out := cs.do(t, http.MethodPost, path, "clerk-galutu", map[string]any{"type": "copy", "reason": "请村里知悉",
		"copy_to": map[string]any{"users": []string{"clerk-sarula"}, "units": []string{"galutu-v08"}}})
	require.Equal(t, http.StatusOK, status, out)
	require.Len(t, out["copies"], 2)
	status, refused = cs.do(t, http.MethodPost, path, "supervisor-galutu", map[string]any{"type": "copy", "copy_to": map[string]any{"users": []string{"clerk-sarula"}}})
	require.Equal(t, http.StatusConflict, status, refused)
	require.Contains(t, refused["detail"], "already copied to clerk-sarula")

	// The recipients read the case, masked, and its timeline; they are offered nothing, and an
	// action or a claim is refused.
	for _, user := range []string{"clerk-sarula", "secretary-chagan"} {
		status, got := cs.do(t, http.MethodGet, "/v1/cases/"+number, user, nil)
		require.Equal(t, http.StatusOK, status, got)
		require.NotEqual(t, "13800138000", got["data"].(map[string]any)["phone"], "a copy's reader sees personal numbers masked")
		status, _ = cs.do(t, http.MethodGet, "/v1/cases/"+number+"/timeline", user, nil)
		require.Equal(t, http.StatusOK, status)
		_, offered = cs.do(t, http.MethodGet, path, user, nil)
		require.Empty(t, offered["actions"], user)
		status, refused = cs.do(t, http.MethodPost, path, user, map[string]any{"type": "note", "reason": "已阅"})
		require.Equal(t, http.StatusForbidden, status, refused)
		status, refused = cs.do(t, http.MethodPost, "/v1/tasks/"+number+"/t1/claim", user, nil)
		require.Equal(t, http.StatusForbidden, status, refused)
	}
	// Someone it was not copied to still does not see it.
	require.Equal(t, http.StatusNotFound, see("justice-staff"))
	require.Equal(t, http.StatusNotFound, see("clerk-chengchuan"))
	require.Empty(t, copied("justice-staff", ""))

	// 抄送我的: unread until marked read; the unit's copy shows for the unit's staff.
	items := copied("clerk-sarula", "&unread=true")
	require.Len(t, items, 1)
	require.Equal(t, "clerk-galutu", items[0]["by"])
	require.Equal(t, "请村里知悉", items[0]["reason"])
	require.Nil(t, items[0]["read_at"])
	units := copied("secretary-chagan", "")
	require.Len(t, units, 1)
	require.Equal(t, "galutu-v08", units[0]["to_unit"])
	status, read := cs.do(t, http.MethodPost, "/v1/tasks/copied/"+number+"/read", "clerk-sarula", nil)
	require.Equal(t, http.StatusOK, status, read)
	require.Empty(t, copied("clerk-sarula", "&unread=true"))
	require.NotNil(t, copied("clerk-sarula", "")[0]["read_at"])
	require.Len(t, copied("secretary-chagan", "&unread=true"), 1, "each reader reads for themselves")
	status, _ = cs.do(t, http.MethodPost, "/v1/tasks/copied/"+number+"/read", "justice-staff", nil)
	require.Equal(t, http.StatusNotFound, status)

	// The copy is in the audit log, and the recipients' units are notified.
	status, audit := cs.do(t, http.MethodGet, "/v1/cases/"+number+"/timeline", "supervisor-galutu", nil)
	require.Equal(t, http.StatusOK, status, audit)
	var actions []string
	for _, e := range audit["entries"].([]any) {
		actions = append(actions, e.(map[string]any)["action"].(string))
	}
	require.Contains(t, actions, "copy")
	status, notes := cs.do(t, http.MethodGet, "/v1/notifications?limit=500", "clerk-sarula", nil)
	require.Equal(t, http.StatusOK, status, notes)
	require.True(t, slices.ContainsFunc(notes["items"].([]any), func(n any) bool {
		n2 := n.(map[string]any)
		return n2["kind"] == "copied" && strings.Contains(n2["message"].(string), number)
	}), notes)
}
