package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestConferenceOnTwoCasesWithThreeDepartments: the banner's supervisor convenes a conference
// (会商研判) on two mediations with three departments; both cases wait for it with their clocks
// stopped, the invited are reminded; once held, its three decisions are three department tasks
// with their due dates, and its minutes, attendance and decisions are in both cases' timelines.
func TestConferenceOnTwoCasesWithThreeDepartments(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	// Two disputes at the mediator's step (调解), whose deadline may be suspended.
	a, b := referToCourt(t, cs, 101, false), referToCourt(t, cs, 102, false)
	at := time.Now().Add(48 * time.Hour).Truncate(time.Second)
	body := map[string]any{
		"title": "跨部门草场纠纷会商", "at": at.Format(time.RFC3339), "place": "旗综治中心三楼会议室",
		"cases": []string{a, b}, "departments": []string{"justice", "hrss", "housing"}, "stop_clock": true,
		"remind_before_hours": 720, // more than the time left: the reminder goes at once
	}

	// Only a supervisor convenes; bad input is named where it is.
	status, out := cs.do(t, http.MethodPost, "/v1/conferences", "clerk-banner", body)
	require.Equal(t, http.StatusForbidden, status, out)
	bad := map[string]any{"title": "会商", "at": time.Now().Add(-time.Hour).Format(time.RFC3339), "place": "会议室",
		"cases": []string{a, "WS-MED-0000-999999", a}, "departments": []string{"justice", "nobody"}}
	status, out = cs.do(t, http.MethodPost, "/v1/conferences", "supervisor-banner", bad)
	require.Equal(t, http.StatusUnprocessableEntity, status, out)
	require.ElementsMatch(t, []string{"body.at", "body.cases[1]", "body.cases[2]", "body.departments[1]"}, locations(out), out)
	// A town's supervisor may not put the banner's cases to a conference.
	status, out = cs.do(t, http.MethodPost, "/v1/conferences", "supervisor-galutu", body)
	require.Equal(t, http.StatusUnprocessableEntity, status, out)
	require.ElementsMatch(t, []string{"body.cases[0]", "body.cases[1]"}, locations(out), out)

	status, conf := cs.do(t, http.MethodPost, "/v1/conferences", "supervisor-banner", body)
	require.Equal(t, http.StatusCreated, status, conf)
	id := conf["id"].(string)
	require.Equal(t, "scheduled", conf["status"])
	require.Equal(t, "wushen", conf["org_unit"])
	require.Len(t, conf["cases"], 2)
	require.Len(t, conf["invitees"], 3)

	// Both cases wait for it, their mediation's clock stopped.
	for _, number := range []string{a, b} {
		c := cs.caseOf(t, number)
		confs := c["conferences"].([]any)
		require.Len(t, confs, 1)
		require.Equal(t, id, confs[0].(map[string]any)["id"])
		require.Equal(t, "scheduled", confs[0].(map[string]any)["status"])
		handle := lastTask(t, c, "handle")
		require.Equal(t, true, handle["suspended"], "the mediation's clock stops until the conference: %v", handle)
	}
	// The invited departments are reminded (the time to remind has come), once per case.
	require.Eventually(t, func() bool {
		status, out := cs.do(t, http.MethodGet, "/v1/notifications?limit=500", "justice-staff", nil)
		require.Equal(t, http.StatusOK, status, out)
		n := 0
		for _, it := range out["items"].([]any) {
			if strings.Contains(fmt.Sprint(it.(map[string]any)["message"]), "会商研判「跨部门草场纠纷会商」") {
				n++
			}
		}
		return n == 2
	}, 20*time.Second, 200*time.Millisecond, "the justice bureau is reminded of the conference on each case")

	// A town's supervisor does not see the banner's conference.
	status, out = cs.do(t, http.MethodGet, "/v1/conferences/"+id, "supervisor-galutu", nil)
	require.Equal(t, http.StatusNotFound, status, out)

	// Held: three decisions, three tasks with due dates.
	hold := map[string]any{
		"minutes": "各方通报情况；司法局牵头，人社局核实务工工资，住建局核查房屋。",
		"attendance": []map[string]any{
			{"department": "justice", "attended": true, "attendee": "张科长"},
			{"department": "hrss", "attended": true},
			{"department": "housing", "attended": false},
		},
		"decisions": []map[string]any{
			{"case": a, "department": "justice", "task": "牵头组织联合调解", "due": map[string]any{"amount": 5, "unit": "workdays"}, "lead": true},
			{"case": a, "department": "hrss", "task": "核实拖欠工资", "due": map[string]any{"amount": 10, "unit": "days"}},
			{"case": b, "department": "housing", "task": "核查房屋权属", "due": map[string]any{"amount": 3, "unit": "workdays"}},
		},
	}
	badHold := map[string]any{"minutes": "纪要", "attendance": []map[string]any{{"department": "police", "attended": true}},
		"decisions": []map[string]any{{"case": "WS-MED-0000-999999", "department": "justice", "task": "x", "due": map[string]any{"amount": 1, "unit": "days"}},
			{"case": a, "department": "justice", "task": "核实"}}}
	status, out = cs.do(t, http.MethodPost, "/v1/conferences/"+id+"/hold", "supervisor-banner", badHold)
	require.Equal(t, http.StatusUnprocessableEntity, status, out)
	require.ElementsMatch(t, []string{"body.attendance[0].department", "body.decisions[0].case", "body.decisions[1].due"}, locations(out), out)
	status, held := cs.do(t, http.MethodPost, "/v1/conferences/"+id+"/hold", "supervisor-banner", hold)
	require.Equal(t, http.StatusOK, status, held)
	require.Equal(t, "held", held["status"])
	decisions := held["decisions"].([]any)
	require.Len(t, decisions, 3)
	for _, d := range decisions {
		require.NotEmpty(t, d.(map[string]any)["task_id"], "each decision names the task it opened: %v", d)
		require.NotEmpty(t, d.(map[string]any)["due_at"], d)
	}
	status, out = cs.do(t, http.MethodPost, "/v1/conferences/"+id+"/hold", "supervisor-banner", hold)
	require.Equal(t, http.StatusConflict, status, out)

	var opened []map[string]any
	for _, number := range []string{a, b} {
		c := cs.caseOf(t, number)
		require.Equal(t, "held", c["conferences"].([]any)[0].(map[string]any)["status"])
		require.NotEqual(t, true, lastTask(t, c, "handle")["suspended"], "the clock runs again once the conference is held")
		for _, task := range c["tasks"].([]any) {
			task := task.(map[string]any)
			if strings.HasPrefix(fmt.Sprint(task["name"]), "会商交办：") {
				require.Equal(t, "open", task["status"])
				require.NotEmpty(t, task["due_at"], "a decided task is due: %v", task)
				opened = append(opened, task)
			}
		}
		status, tl := cs.do(t, http.MethodGet, "/v1/cases/"+number+"/timeline", "supervisor-banner", nil)
		require.Equal(t, http.StatusOK, status, tl)
		var text string
		for _, e := range tl["entries"].([]any) {
			if e.(map[string]any)["action"] == "conference" {
				text += fmt.Sprint(e.(map[string]any)["reason"]) + "\n"
			}
		}
		require.Contains(t, text, "定于", "the timeline has the conference as scheduled")
		require.Contains(t, text, "纪要：各方通报情况", "the minutes")
		require.Contains(t, text, "出席：旗人力资源和社会保障局、旗司法局（张科长）；缺席：旗住房和城乡建设局", "the attendance")
		if number == a {
			require.Contains(t, text, "旗司法局牵头：牵头组织联合调解，5个工作日内办结")
			require.Contains(t, text, "旗人力资源和社会保障局：核实拖欠工资，10日内办结")
		} else {
			require.Contains(t, text, "旗住房和城乡建设局：核查房屋权属，3个工作日内办结")
		}
	}
	require.Len(t, opened, 3, "three decisions, three tasks")
	departments := map[string]bool{}
	for _, task := range opened {
		departments[task["department"].(string)] = true
	}
	require.Equal(t, map[string]bool{"justice": true, "hrss": true, "housing": true}, departments)

	// The justice bureau's staff report on their task as on any diverted one.
	status, out = cs.do(t, http.MethodPost, "/v1/cases/"+a+"/actions", "justice-staff",
		map[string]any{"type": "report", "task": opened[0]["id"], "result": "已组织联合调解"})
	require.Equal(t, http.StatusOK, status, out)

	status, list := cs.do(t, http.MethodGet, "/v1/conferences", "supervisor-banner", nil)
	require.Equal(t, http.StatusOK, status, list)
	var listed map[string]any
	for _, it := range list["items"].([]any) {
		if it.(map[string]any)["id"] == id {
			listed = it.(map[string]any)
		}
	}
	require.NotNil(t, listed, "the conference is in the banner's list")
	require.Equal(t, "held", listed["status"])
	require.Contains(t, listed["invitees"], map[string]any{"department": "justice", "attended": true, "attendee": "张科长"})
}

// TestConferenceCancelledStartsTheClocksAgain: a cancelled conference lets its cases' clocks run.
func TestConferenceCancelledStartsTheClocksAgain(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	a := referToCourt(t, cs, 103, false)
	status, conf := cs.do(t, http.MethodPost, "/v1/conferences", "supervisor-banner", map[string]any{
		"title": "会商", "at": time.Now().Add(72 * time.Hour).Format(time.RFC3339), "place": "会议室",
		"cases": []string{a}, "departments": []string{"justice"}, "stop_clock": true,
	})
	require.Equal(t, http.StatusCreated, status, conf)
	require.Equal(t, true, lastTask(t, cs.caseOf(t, a), "handle")["suspended"])
	status, out := cs.do(t, http.MethodPost, "/v1/conferences/"+conf["id"].(string)+"/cancel", "supervisor-banner",
		map[string]any{"reason": "当事人已和解"})
	require.Equal(t, http.StatusOK, status, out)
	require.Equal(t, "cancelled", out["status"])
	c := cs.caseOf(t, a)
	require.Equal(t, "cancelled", c["conferences"].([]any)[0].(map[string]any)["status"])
	require.NotEqual(t, true, lastTask(t, c, "handle")["suspended"])
	status, out = cs.do(t, http.MethodPost, "/v1/conferences/"+conf["id"].(string)+"/hold", "supervisor-banner",
		map[string]any{"minutes": "纪要", "attendance": []any{}, "decisions": []any{}})
	require.Equal(t, http.StatusConflict, status, out)
}

// caseOf is the case as the banner's supervisor reads it.
func (cs *caseServer) caseOf(t *testing.T, number string) map[string]any {
	t.Helper()
	status, c := cs.do(t, http.MethodGet, "/v1/cases/"+number, "supervisor-banner", nil)
	require.Equal(t, http.StatusOK, status, c)
	return c
}

// lastTask is the case's last task at the step.
func lastTask(t *testing.T, c map[string]any, step string) map[string]any {
	t.Helper()
	var last map[string]any
	for _, task := range c["tasks"].([]any) {
		if task.(map[string]any)["step"] == step {
			last = task.(map[string]any)
		}
	}
	require.NotNil(t, last, "no task at step %s", step)
	return last
}
