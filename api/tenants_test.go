package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/api"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/store"
)

// tenantUsers are the users beyond the demo ones that the isolation matrix needs: an auditor of
// the other county and one of the city.
var tenantUsers = []onedoor.User{
	{ID: "auditor-otog", Name: "鄂托克前旗审计员", Role: onedoor.RoleAuditor, OrgUnit: "otog"},
	{ID: "auditor-city", Name: "市审计员", Role: onedoor.RoleAuditor, OrgUnit: "ordos"},
}

// newTenantAPI is the API over a database of its own, so that counts (statistics, boards) are
// of this test's cases alone.
func newTenantAPI(t *testing.T) *readAPI {
	t.Helper()
	s := testenv.OwnStore(t)
	org, err := definitions.DemoOrg()
	require.NoError(t, err)
	_, err = s.LoadLibrary(context.Background(), org)
	require.NoError(t, err)
	return newReadAPIOn(t, s, tenantUsers)
}

// TestCountiesAreFencedOffFromEachOther is the isolation matrix over the demo platform's two
// counties, Wushen (乌审旗) and Otog Front (鄂托克前旗), under Ordos city: every reading endpoint,
// every role of either county and of the city. Nobody of one county sees anything of the other;
// the city's staff see both.
func TestCountiesAreFencedOffFromEachOther(t *testing.T) {
	t.Parallel()
	r := newTenantAPI(t)
	ctx := context.Background()
	token := "租户" + uuid.NewString()[:8]
	late := time.Now().Add(-80 * time.Hour)
	soon := time.Now().Add(72 * time.Hour)
	cases := map[string]onedoor.Case{
		"W": scopeCase(t, r.store, token, "galutu", "town", "justice", late),     // Wushen town, with the justice bureau, overdue
		"w": scopeCase(t, r.store, token, "wushen", "banner", "", soon),          // Wushen banner center
		"O": scopeCase(t, r.store, token, "chengchuan", "town", "justice", late), // Otog Front town, with its justice bureau, overdue
		"o": scopeCase(t, r.store, token, "otog", "banner", "", soon),            // Otog Front banner center
	}
	// A notice for each town's holders and each county's justice bureau.
	for _, name := range []string{"W", "O"} {
		c := cases[name]
		notes := []onedoor.Notification{
			{OrgUnit: c.OrgUnit, Role: "clerk", Kind: "overdue", CaseID: c.ID, TaskID: "t1", Message: token + " 已超期", At: time.Now()},
			{Department: "justice", Role: "department", Kind: "overdue", CaseID: c.ID, TaskID: "t2", Message: token + " 部门已超期", At: time.Now()},
		}
		require.NoError(t, r.store.SaveCase(ctx, c, nil, notes, store.AuditEntry{Seq: 3, At: time.Now(), Actor: "system", Action: "overdue"}))
	}
	// A procedure of each county's own.
	org, err := definitions.DemoOrg()
	require.NoError(t, err)
	owned := map[string]string{"W": "fence_ws_" + uuid.NewString()[:8], "O": "fence_etq_" + uuid.NewString()[:8]}
	for name, county := range map[string]string{"W": "wushen-gov", "O": "otog-gov"} {
		_, err := r.store.CreateProcedure(ctx, []byte(yamlOf(t, owned[name])), county, "admin-"+county)
		require.NoError(t, err)
		_, err = r.store.PublishProcedure(ctx, owned[name], 1, org, "admin-"+county)
		require.NoError(t, err)
	}

	for _, c := range []struct {
		user  string
		sees  string // the cases in scope: search, CSV, case page, timeline, statistics
		queue string // the cases with a task in the user's queue
		board string // the overdue cases on the supervision board; "-" for a role without boards
		bell  string // the cases of the user's notifications
	}{
		{"clerk-galutu", "W", "W", "-", "W"},
		{"clerk-chengchuan", "O", "O", "-", "O"},
		{"supervisor-banner", "Ww", "w", "W", ""},
		{"supervisor-otog", "Oo", "o", "O", ""},
		{"justice-staff", "W", "W", "-", "W"},
		{"justice-staff-otog", "O", "O", "-", "O"},
		{"admin-wushen", "Ww", "", "W", ""},
		{"admin-otog", "Oo", "", "O", ""},
		{"auditor", "Ww", "w", "W", ""}, // the queue of the unit: an auditor reads it, never acts
		{"auditor-otog", "Oo", "o", "O", ""},
		{"supervisor-city", "WwOo", "", "WO", ""},
		{"auditor-city", "WwOo", "", "WO", ""},
		{"admin", "WwOo", "", "WO", ""},
	} {
		t.Run(c.user, func(t *testing.T) {
			status, body := r.call(t, http.MethodGet, "/v1/cases?q="+url.QueryEscape(token), c.user, nil)
			require.Equal(t, http.StatusOK, status, body)
			got := numbers(body, "number")
			csv := r.api.Do(http.MethodGet, "/v1/cases.csv?q="+url.QueryEscape(token), "Authorization: Bearer "+r.tokens[c.user])
			require.Equal(t, http.StatusOK, csv.Code, csv.Body.String())
			for name, k := range cases {
				in := strings.Contains(c.sees, name)
				require.Equal(t, in, got[k.Number], "search: case %s", name)
				require.Equal(t, in, strings.Contains(csv.Body.String(), k.Number), "CSV: case %s", name)
				for _, path := range []string{"/v1/cases/" + k.Number, "/v1/cases/" + k.Number + "/timeline", "/v1/cases/" + k.Number + "/actions", "/v1/cases/" + k.Number + "/procedure"} {
					status, _ := r.call(t, http.MethodGet, path, c.user, nil)
					if in {
						require.NotEqual(t, http.StatusNotFound, status, "%s: case %s", path, name)
					} else {
						require.Equal(t, http.StatusNotFound, status, "%s: case %s", path, name)
					}
				}
				if !in {
					status, _ = r.call(t, http.MethodPost, "/v1/cases/"+k.Number+"/actions", c.user, map[string]any{"type": "note", "reason": "看一下"})
					require.Equal(t, http.StatusNotFound, status, "act: case %s", name)
					status, _ = r.call(t, http.MethodPost, "/v1/tasks/"+k.Number+"/t1/claim", c.user, nil)
					require.Equal(t, http.StatusNotFound, status, "claim: case %s", name)
				}
			}

			// Each county's own procedure: listed, read and effective for its county and those above.
			status, body = r.call(t, http.MethodGet, "/v1/procedures", c.user, nil)
			require.Equal(t, http.StatusOK, status, body)
			listed := fmt.Sprint(body["procedures"])
			for name, key := range owned {
				in := strings.Contains(c.sees, name)
				require.Equal(t, in, strings.Contains(listed, key), "procedures: %s", key)
				for _, path := range []string{"/v1/procedures/" + key + "/versions", "/v1/procedures/" + key + "/versions/1", "/v1/procedures/" + key + "/diff?from=1&to=1"} {
					status, _ := r.call(t, http.MethodGet, path, c.user, nil)
					if in {
						require.Equal(t, http.StatusOK, status, path)
					} else {
						require.Equal(t, http.StatusNotFound, status, path)
					}
				}
			}

			status, body = r.call(t, http.MethodGet, "/v1/tasks?limit=500", c.user, nil)
			require.Equal(t, http.StatusOK, status, body)
			got = numbers(body, "case_number")
			for name, k := range cases {
				require.Equal(t, strings.Contains(c.queue, name), got[k.Number], "queue: case %s", name)
			}

			status, body = r.call(t, http.MethodGet, "/v1/supervision/overdue", c.user, nil)
			if c.board == "-" {
				require.Equal(t, http.StatusForbidden, status, body)
			} else {
				require.Equal(t, http.StatusOK, status, body)
				onBoard := map[string]bool{}
				for _, g := range body["groups"].([]any) {
					for _, it := range g.(map[string]any)["items"].([]any) {
						onBoard[it.(map[string]any)["case_number"].(string)] = true
					}
				}
				for name, k := range cases {
					require.Equal(t, strings.Contains(c.board, name), onBoard[k.Number], "board: case %s", name)
				}
			}

			status, body = r.call(t, http.MethodGet, "/v1/notifications", c.user, nil)
			require.Equal(t, http.StatusOK, status, body)
			got = numbers(body, "case_number")
			for name, k := range cases {
				require.Equal(t, strings.Contains(c.bell, name), got[k.Number], "notifications: case %s", name)
			}

			// The unit pickers offer only units of the scope.
			status, body = r.call(t, http.MethodGet, "/v1/org/units", c.user, nil)
			require.Equal(t, http.StatusOK, status, body)
			county := map[string]bool{}
			for _, u := range body["units"].([]any) {
				switch code := u.(map[string]any)["code"].(string); {
				case code == "otog" || strings.HasPrefix(code, "chengchuan") || strings.HasPrefix(code, "aolezhaoqi"):
					county["O"] = true
				case code == "wushen" || strings.HasPrefix(code, "galutu") || strings.HasPrefix(code, "tuke"):
					county["W"] = true
				}
			}
			department := strings.HasPrefix(c.user, "justice-staff")
			require.Equal(t, strings.Contains(c.sees, "W") && !department, county["W"], "units of Wushen")
			require.Equal(t, strings.Contains(c.sees, "O") && !department, county["O"], "units of Otog Front")

			today := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
			status, body = r.call(t, http.MethodGet, "/v1/stats?from="+today+"&to="+today, c.user, nil)
			require.Equal(t, http.StatusOK, status, body)
			require.EqualValues(t, len(c.sees), body["received"], "statistics count the cases in scope")
		})
	}
}

// TestCountyNumbersAndAdministrators: each county numbers its cases with its own prefix; a
// county's administrator loads staff for their county only and changes nothing every county
// shares; the city's administrator does.
func TestCountyNumbersAndAdministrators(t *testing.T) {
	t.Parallel()
	r := newTenantAPI(t)

	// Units outside the administrator's county, shared departments and staff of the other county
	// are refused, every one located, and nothing is written.
	status, body := r.call(t, http.MethodPost, "/v1/admin/org", "admin-otog", map[string]any{
		"units": []map[string]any{
			{"code": "chengchuan-v03", "name": "新村", "level": "village", "parent": "chengchuan"},
			{"code": "galutu-v99", "name": "越界村", "level": "village", "parent": "galutu"},
			{"code": "galutu", "name": "嘎鲁图镇（改）", "level": "town", "parent": "wushen"},
		},
		"departments": []map[string]any{{"code": "otog-police", "name": "公安局", "mode": "resident"}},
		"users": []map[string]any{
			{"id": "clerk-new", "name": "新村调解员", "role": "clerk", "org_unit": "chengchuan-v03"},
			{"id": "clerk-galutu", "name": "挖人", "role": "clerk", "org_unit": "chengchuan"},
		},
	})
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	located := map[string]bool{}
	for _, e := range body["errors"].([]any) {
		located[e.(map[string]any)["location"].(string)] = true
	}
	require.Equal(t, map[string]bool{"body.units[1].parent": true, "body.units[2].code": true,
		"body.departments[0]": true, "body.users[1].id": true}, located)
	_, err := r.store.OrgUnit(context.Background(), "chengchuan-v03")
	require.Equal(t, onedoor.ENotFound, onedoor.ErrorCode(err), "nothing of a refused import is written")

	// Within the county it is an ordinary import.
	status, body = r.call(t, http.MethodPost, "/v1/admin/org", "admin-otog", map[string]any{
		"units": []map[string]any{{"code": "chengchuan-v03", "name": "新村", "level": "village", "parent": "chengchuan"}},
		"users": []map[string]any{{"id": "clerk-new", "name": "新村调解员", "role": "clerk", "org_unit": "chengchuan-v03"}},
	})
	require.Equal(t, http.StatusOK, status, body)

	// The templates are every county's: the city's administrator changes them, a county adjusts
	// them in its overrides.
	for _, u := range []string{"admin-otog", "admin-wushen"} {
		status, body = r.call(t, http.MethodPost, "/v1/procedures", u, map[string]any{"key": "consultation"})
		require.Equal(t, http.StatusForbidden, status, body)
		require.Contains(t, body["detail"], "a template every county shares")
	}
	status, body = r.call(t, http.MethodPost, "/v1/procedures", "admin", map[string]any{"yaml": yamlOf(t, "county_consultation")})
	require.Equal(t, http.StatusCreated, status, body)
	require.Nil(t, body["owner"], "the city's administrator writes templates")
	require.Contains(t, r.logged(), "a county administrator may not change procedures every county shares")

	// The city receives no matter: it supervises the counties.
	status, body = r.call(t, http.MethodPost, "/v1/cases", "supervisor-city", map[string]any{
		"matter": "mediation", "channel": "visit", "subject": "市里登记", "resident_name": "张三", "received_by": "ordos",
		"data": map[string]any{"facts": "x", "parties": "甲乙"},
	})
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	require.Equal(t, "body.received_by", body["errors"].([]any)[0].(map[string]any)["location"], fmt.Sprint(body))
}

// TestCountyOwnProcedures: besides adopting the templates, a county publishes procedures of its
// own. Only its cases start on them; its staff and the levels above see them, the other county
// does not even find them; only its administrator changes them (the city's reads them), and they
// are no template a county could adopt.
func TestCountyOwnProcedures(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	key := "ws_own_" + strings.ReplaceAll(uuid.NewString()[:8], "-", "")
	path := "/v1/procedures/" + key

	status, body := cs.do(t, http.MethodPost, "/v1/procedures", "admin-wushen", map[string]any{"yaml": yamlOf(t, key)})
	require.Equal(t, http.StatusCreated, status, body)
	require.Equal(t, "wushen-gov", body["owner"])
	require.Equal(t, true, body["editable"])
	status, body = cs.do(t, http.MethodPost, path+"/versions/1/publish", "admin-wushen", nil)
	require.Equal(t, http.StatusOK, status, body)

	// Wushen's clerk starts a case on it; Otog Front's has no such procedure.
	consult := func(clerk string) map[string]any {
		return map[string]any{"matter": "consultation", "procedure": key, "channel": "visit", "subject": "本旗流程" + clerk, "resident_name": "乌云",
			"data": map[string]any{"name": "乌云", "topic": "land", "question": "草场承包期满如何续包"}}
	}
	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", consult("clerk-galutu"))
	require.Equal(t, http.StatusCreated, status, c)
	require.Equal(t, key, c["procedure_key"])
	status, body = cs.do(t, http.MethodPost, "/v1/cases", "clerk-chengchuan", consult("clerk-chengchuan"))
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	require.Equal(t, "body.procedure", body["errors"].([]any)[0].(map[string]any)["location"], fmt.Sprint(body))

	// Who sees it, and who may change it.
	listed := func(user string) map[string]any {
		t.Helper()
		status, body := cs.do(t, http.MethodGet, "/v1/procedures", user, nil)
		require.Equal(t, http.StatusOK, status, body)
		for _, p := range body["procedures"].([]any) {
			if p := p.(map[string]any); p["key"] == key {
				return p
			}
		}
		return nil
	}
	for user, editable := range map[string]bool{"admin-wushen": true, "clerk-galutu": false, "admin": false, "supervisor-city": false} {
		p := listed(user)
		require.NotNil(t, p, "%s sees Wushen's own procedure", user)
		require.Equal(t, "wushen-gov", p["owner"], user)
		require.Equal(t, editable, p["editable"], user)
		require.EqualValues(t, 1, p["in_force"], user)
		status, body := cs.do(t, http.MethodGet, path+"/versions/1", user, nil)
		require.Equal(t, http.StatusOK, status, body)
		require.Equal(t, editable, body["editable"], user)
	}
	for _, user := range []string{"admin-otog", "clerk-chengchuan"} {
		require.Nil(t, listed(user), "%s does not see Wushen's own procedure", user)
		for _, p := range []string{path + "/versions", path + "/versions/1", path + "/diff?from=1&to=1"} {
			status, body := cs.do(t, http.MethodGet, p, user, nil)
			require.Equal(t, http.StatusNotFound, status, "%s %s: %v", user, p, body)
		}
	}
	status, body = cs.do(t, http.MethodPost, "/v1/procedures", "admin-otog", map[string]any{"key": key})
	require.Equal(t, http.StatusNotFound, status, body)
	status, body = cs.do(t, http.MethodPost, path+"/versions/1/retire", "admin-otog", nil)
	require.Equal(t, http.StatusNotFound, status, body)
	status, body = cs.do(t, http.MethodPost, "/v1/procedures", "admin-otog", map[string]any{"yaml": yamlOf(t, key)})
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	require.Contains(t, fmt.Sprint(errorsOf(body)), "procedure "+key+" is the own procedure of wushen-gov; choose another key")
	status, body = cs.do(t, http.MethodPost, "/v1/procedures", "admin", map[string]any{"key": key})
	require.Equal(t, http.StatusForbidden, status, body)
	require.Contains(t, body["detail"], "the own procedure of wushen-gov")

	// Its administrator starts the next version and retires the first; it is no template.
	status, body = cs.do(t, http.MethodPost, "/v1/procedures", "admin-wushen", map[string]any{"key": key})
	require.Equal(t, http.StatusCreated, status, body)
	require.EqualValues(t, 2, body["version"])
	require.Equal(t, "wushen-gov", body["owner"])
	status, body = cs.do(t, http.MethodPost, "/v1/overrides/wushen-gov/"+key+"/versions", "admin-wushen", map[string]any{"template": 1})
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	require.Equal(t, "path.key", body["errors"].([]any)[0].(map[string]any)["location"], fmt.Sprint(body))
	status, body = cs.do(t, http.MethodPost, path+"/versions/1/retire", "admin-wushen", nil)
	require.Equal(t, http.StatusOK, status, body)
}

// TestSupervisionFromTheCity: cases registered in both counties carry their county's number
// prefix; the city supervisor, a supervisor above both, issues a supervision order on the
// Wushen case and it reaches the Wushen town clerk's stream and the case; the Otog Front town
// hears nothing of it. Escalation stops at a county's government: the city is above the chain.
func TestSupervisionFromTheCity(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	wushen := cs.stream(t, "clerk-galutu", "")
	otog := cs.stream(t, "clerk-chengchuan", "")

	status, w := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
	require.Equal(t, http.StatusCreated, status, w)
	require.Regexp(t, `^WS-PET-\d{4}-\d{6}$`, w["number"])
	status, o := cs.do(t, http.MethodPost, "/v1/cases", "clerk-chengchuan", petition())
	require.Equal(t, http.StatusCreated, status, o)
	require.Regexp(t, `^ETQ-PET-\d{4}-\d{6}$`, o["number"])

	// Neither county's clerk reaches the other's case.
	status, _ = cs.do(t, http.MethodGet, "/v1/cases/"+o["number"].(string), "clerk-galutu", nil)
	require.Equal(t, http.StatusNotFound, status)
	status, _ = cs.do(t, http.MethodGet, "/v1/cases/"+w["number"].(string), "clerk-chengchuan", nil)
	require.Equal(t, http.StatusNotFound, status)

	// The city supervisor may supervise both: the server offers it.
	for _, c := range []map[string]any{w, o} {
		status, body := cs.do(t, http.MethodGet, "/v1/cases/"+c["number"].(string)+"/actions", "supervisor-city", nil)
		require.Equal(t, http.StatusOK, status, body)
		require.Contains(t, fmt.Sprint(body["actions"]), "supervise")
	}
	status, body := cs.do(t, http.MethodPost, "/v1/cases/"+w["number"].(string)+"/actions", "supervisor-city",
		map[string]any{"type": "supervise", "reason": "市督办：限期答复", "extension": map[string]any{"amount": 2, "unit": "workdays"}})
	require.Equal(t, http.StatusOK, status, body)
	require.NotEmpty(t, body["supervision"], "the case carries the order")

	e := nextNotification(t, wushen, w["number"])
	require.Equal(t, "supervision", e.data["kind"])
	require.Equal(t, w["number"], e.data["case_number"])
	noNotification(t, otog, w["number"], "the other county is not addressed")

	// A Wushen banner government case cannot climb to the city.
	status, g := cs.do(t, http.MethodPost, "/v1/cases", "admin-wushen", petition())
	require.Equal(t, http.StatusCreated, status, g)
	status, body = cs.do(t, http.MethodGet, "/v1/cases/"+g["number"].(string)+"/actions", "supervisor-city", nil)
	require.Equal(t, http.StatusOK, status, body)
	require.NotContains(t, fmt.Sprint(body["actions"]), "escalate", "the city is above the chain")
}

// TestSeveralPosts: the head of Galutu's justice office is a clerk at the town's window and on
// the justice bureau's staff. Their queue holds the tasks of both posts, each saying its post;
// they act in each without naming it, and the audit log names the post of each action; masking
// follows the post; a post they do not hold is refused.
func TestSeveralPosts(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	const dual = "justice-galutu"
	act := func(number, user string, action map[string]any) map[string]any {
		t.Helper()
		status, out := cs.do(t, http.MethodPost, "/v1/cases/"+number+"/actions", user, action)
		require.Equal(t, http.StatusOK, status, out)
		return out
	}
	// A: a petition at the town's window. B: one the town diverted to the justice bureau.
	status, a := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
	require.Equal(t, http.StatusCreated, status, a)
	body := petition()
	body["data"].(map[string]any)["category"] = "request"
	status, b := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", body)
	require.Equal(t, http.StatusCreated, status, b)
	bn := b["number"].(string)
	act(bn, "clerk-galutu", map[string]any{"type": "complete", "outcome": "register"})
	act(bn, "clerk-galutu", map[string]any{"type": "complete", "outcome": "accept"})
	diverted := act(bn, "clerk-galutu", map[string]any{"type": "complete", "outcome": "divert", "departments": []string{"justice"}})
	var justiceTask string
	for _, task := range diverted["tasks"].([]any) {
		if task := task.(map[string]any); task["status"] == "open" && task["department"] == "justice" {
			justiceTask = task["id"].(string)
		}
	}
	require.NotEmpty(t, justiceTask)

	status, queue := cs.do(t, http.MethodGet, "/v1/tasks?limit=500", dual, nil)
	require.Equal(t, http.StatusOK, status, queue)
	posts := map[string]string{}
	for _, it := range queue["items"].([]any) {
		it := it.(map[string]any)
		posts[it["case_number"].(string)+"/"+it["task"].(map[string]any)["id"].(string)] = it["post"].(string)
	}
	aTask := a["tasks"].([]any)[0].(map[string]any)["id"].(string)
	require.Equal(t, "clerk@galutu", posts[a["number"].(string)+"/"+aTask], "the window's task, in the clerk's post")
	require.Equal(t, "department:justice@wushen", posts[bn+"/"+justiceTask], "the bureau's task, in the department's post")

	// The department's post is offered the report; acting without naming a post takes each in
	// the post that may.
	status, offers := cs.do(t, http.MethodGet, "/v1/cases/"+bn+"/actions", dual, nil)
	require.Equal(t, http.StatusOK, status, offers)
	offered := map[string]string{}
	for _, o := range offers["actions"].([]any) {
		o := o.(map[string]any)
		if task, _ := o["task"].(string); task == justiceTask {
			offered[o["type"].(string)] = o["post"].(string)
		}
	}
	require.Equal(t, "department:justice@wushen", offered["complete"], "%v", offers)
	act(a["number"].(string), dual, map[string]any{"type": "complete", "outcome": "register"})
	act(bn, dual, map[string]any{"type": "complete", "task": justiceTask, "outcome": "take"})

	for number, post := range map[string]string{a["number"].(string): "clerk@galutu", bn: "department:justice@wushen"} {
		status, timeline := cs.do(t, http.MethodGet, "/v1/cases/"+number+"/timeline", "supervisor-galutu", nil)
		require.Equal(t, http.StatusOK, status, timeline)
		entries := timeline["entries"].([]any)
		var last map[string]any
		for _, e := range entries {
			if e := e.(map[string]any); e["actor"] == dual {
				last = e
			}
		}
		require.NotNil(t, last, "the dual-post user's action is in %s's audit log", number)
		require.Equal(t, post, last["post"], "the audit names the post")
	}

	// Masking follows the post: the bureau's staff see the resident's phone masked, the window
	// does not.
	get := func(post string) (int, map[string]any) {
		req := httptest.NewRequest(http.MethodGet, "/v1/cases/"+bn, nil)
		req.Header.Set("Authorization", "Bearer "+cs.tokens[dual])
		if post != "" {
			req.Header.Set(api.PostHeader, post)
		}
		rec := httptest.NewRecorder()
		cs.handler.ServeHTTP(rec, req)
		var out map[string]any
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
		return rec.Code, out
	}
	status, asBureau := get("department:justice@wushen")
	require.Equal(t, http.StatusOK, status, asBureau)
	require.Equal(t, "138****8000", asBureau["data"].(map[string]any)["phone"])
	status, asWindow := get("clerk@galutu")
	require.Equal(t, http.StatusOK, status, asWindow)
	require.Equal(t, "13800138000", asWindow["data"].(map[string]any)["phone"])
	// Who am I says the post acted in, and the others.
	req := httptest.NewRequest(http.MethodGet, "/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+cs.tokens[dual])
	req.Header.Set(api.PostHeader, "department:justice@wushen")
	rec := httptest.NewRecorder()
	cs.handler.ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var me map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &me))
	require.Equal(t, "department", me["role"])
	require.Equal(t, "justice", me["department"])
	require.Equal(t, []any{map[string]any{"role": "clerk", "org_unit": "galutu"}}, me["posts"])
	require.Equal(t, "嘎鲁图镇", me["names"].(map[string]any)["units"].(map[string]any)["galutu"].(map[string]any)["name"],
		"the other posts' units are named, for a post switcher")

	status, refused := get("supervisor@wushen")
	require.Equal(t, http.StatusForbidden, status, refused)
	require.Contains(t, refused["detail"], "holds no post supervisor@wushen")
}

// TestCountyHolidays: a county's administrator adds a regional holiday for their county; its
// cases count with it, the other county's do not, and neither sees the other's additions. The
// other county's administrator can neither add one for it nor remove it; the city's adds one for
// a county it names, which must be a county.
func TestCountyHolidays(t *testing.T) {
	t.Parallel()
	r := newTenantAPI(t)
	due := func(user string) string {
		t.Helper()
		status, out := r.call(t, http.MethodGet, "/v1/calendar/due?from=2026-07-06&amount=5&unit=workdays", user, nil)
		require.Equal(t, http.StatusOK, status, out)
		return out["last_day"].(string)
	}
	regional := func(user string) int {
		t.Helper()
		status, out := r.call(t, http.MethodGet, "/v1/calendar/holidays", user, nil)
		require.Equal(t, http.StatusOK, status, out)
		return len(out["regional"].([]any))
	}
	naadam := map[string]any{"date": "2026-07-09", "name": "那达慕大会", "name_en": "Naadam", "region": "乌审旗"}
	status, added := r.call(t, http.MethodPost, "/v1/calendar/holidays", "admin-wushen", naadam)
	require.Equal(t, http.StatusCreated, status, added)
	require.Equal(t, "wushen-gov", added["county"], "a county's administrator adds for their county")
	require.Equal(t, "2026-07-14", due("clerk-galutu"))
	require.Equal(t, "2026-07-13", due("clerk-chengchuan"), "the other county works that day")
	require.Equal(t, 1, regional("clerk-galutu"))
	require.Equal(t, 0, regional("clerk-chengchuan"))
	require.Equal(t, 1, regional("admin"), "the city sees every county's")

	status, body := r.call(t, http.MethodPost, "/v1/calendar/holidays", "admin-otog", map[string]any{
		"date": "2026-07-10", "name": "那达慕大会", "region": "乌审旗二", "county": "wushen-gov"})
	require.Equal(t, http.StatusForbidden, status, body)
	status, _ = r.call(t, http.MethodDelete, "/v1/calendar/holidays/2026-07-09?region=乌审旗", "admin-otog", nil)
	require.Equal(t, http.StatusNotFound, status, "not the county's to remove")
	status, body = r.call(t, http.MethodPost, "/v1/calendar/holidays", "admin", map[string]any{
		"date": "2026-07-10", "name": "某节", "region": "城川", "county": "chengchuan"})
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	require.Equal(t, "body.county", body["errors"].([]any)[0].(map[string]any)["location"])
	status, body = r.call(t, http.MethodPost, "/v1/calendar/holidays", "admin", map[string]any{
		"date": "2026-07-10", "name": "某节", "region": "鄂托克前旗", "county": "otog-gov"})
	require.Equal(t, http.StatusCreated, status, body)
	require.Equal(t, "2026-07-14", due("clerk-chengchuan"))

	status, _ = r.call(t, http.MethodDelete, "/v1/calendar/holidays/2026-07-09?region=乌审旗", "admin-wushen", nil)
	require.Equal(t, http.StatusNoContent, status)
	require.Equal(t, "2026-07-13", due("clerk-galutu"))
}
