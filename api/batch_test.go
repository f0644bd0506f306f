package api_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// 批量办理: a batchable outcome, a claim and a note applied to five tasks, one of which is not
// the clerk's: each is applied or refused on its own, the answer says which, and the batch is
// idempotent as a whole. An outcome the procedure does not mark batchable is refused per task,
// and one that needs a written opinion cannot be marked so.
func TestBatchWithOneInvalidCaseAmongFive(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	bad := yamlOf(t, "batch_bad", "matter: consultation", "matter: batch_bad",
		"{id: answered, name: 已答复, name_en: Answered, next: close, kind: resolved}", "{id: answered, name: 已答复, name_en: Answered, next: close, kind: resolved, batchable: true}")
	status, body := cs.do(t, http.MethodPost, "/v1/procedures/validate", "admin", map[string]any{"yaml": bad})
	require.Equal(t, http.StatusOK, status, body)
	require.Len(t, body["problems"], 1, body)
	problem := body["problems"].([]any)[0].(map[string]any)
	require.Equal(t, "steps[3].outcomes[0].batchable", problem["path"])
	require.Contains(t, problem["message"], "requires fields (answer)")

	src := yamlOf(t, "batch_demo", "matter: consultation", "matter: batch_demo", "name: 法律咨询", "name: 批量咨询",
		"{id: register, name: 登记, name_en: Register, next: accept}", "{id: register, name: 登记, name_en: Register, next: accept, batchable: true}")
	status, body = cs.do(t, http.MethodPost, "/v1/procedures", "admin", map[string]any{"yaml": src})
	require.Equal(t, http.StatusCreated, status, body)
	status, body = cs.do(t, http.MethodPost, "/v1/procedures/batch_demo/versions/"+strconv.Itoa(int(body["version"].(float64)))+"/publish", "admin", nil)
	require.Equal(t, http.StatusOK, status, body)
	register := func(user string) string {
		t.Helper()
		status, c := cs.do(t, http.MethodPost, "/v1/cases", user, map[string]any{"matter": "batch_demo", "channel": "visit",
			"subject": "咨询", "resident_name": "张三", "data": map[string]any{"name": "张三", "topic": "land", "question": "草场承包如何续期？"}})
		require.Equal(t, http.StatusCreated, status, c)
		return c["number"].(string)
	}
	var cases []string
	for i := range 5 {
		user := "clerk-galutu"
		if i == 2 {
			user = "clerk-sarula" // the village's case: in the town clerk's scope, not in their queue
		}
		cases = append(cases, register(user))
	}
	tasks := func(task string) []map[string]any {
		var out []map[string]any
		for _, n := range cases {
			out = append(out, map[string]any{"case": n, "task": task})
		}
		return out
	}
	batch := func(key string, req map[string]any, lang ...string) (int, map[string]any) {
		t.Helper()
		header := []string{"Idempotency-Key", key}
		if len(lang) > 0 {
			header = append(header, "Accept-Language", lang[0])
		}
		return cs.do(t, http.MethodPost, "/v1/tasks/batch", "clerk-galutu", req, header...)
	}
	results := func(out map[string]any) []map[string]any {
		var rs []map[string]any
		for _, r := range out["results"].([]any) {
			rs = append(rs, r.(map[string]any))
		}
		return rs
	}

	// An outcome not marked batchable is refused for every task, and nothing moves.
	status, out := batch("k0", map[string]any{"operation": "complete", "outcome": "on_spot", "tasks": tasks("t1")})
	require.Equal(t, http.StatusOK, status, out)
	require.EqualValues(t, 0, out["applied"])
	for _, r := range results(out) {
		require.EqualValues(t, http.StatusConflict, r["status"], r)
	}
	require.Contains(t, results(out)[0]["problem"].(map[string]any)["detail"], "the outcome on_spot of step intake is not batchable")

	req := map[string]any{"operation": "complete", "outcome": "register", "reason": "批量登记", "tasks": tasks("t1")}
	status, out = batch("k1", req, "zh-CN")
	require.Equal(t, http.StatusOK, status, out)
	require.EqualValues(t, 4, out["applied"])
	require.EqualValues(t, 1, out["refused"])
	for i, r := range results(out) {
		require.Equal(t, cases[i], r["case"])
		if i == 2 {
			require.EqualValues(t, http.StatusConflict, r["status"], r)
			require.Contains(t, r["problem"].(map[string]any)["detail"], "由clerk of galutu-v01办理", "the refusal in the request's language: %v", r)
			require.Equal(t, "action.not_holder", r["problem"].(map[string]any)["code"])
			continue
		}
		require.EqualValues(t, http.StatusOK, r["status"], r)
		require.Equal(t, "accept", r["step"])
	}

	// The retry gets the first answer and moves nothing again; the key with another batch is refused.
	status, again := batch("k1", req, "zh-CN")
	require.Equal(t, http.StatusOK, status, again)
	require.Equal(t, out, again)
	status, c := cs.do(t, http.MethodGet, "/v1/cases/"+cases[0], "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, c)
	require.Len(t, c["tasks"], 2, "completed once: intake done, accept open")
	other := map[string]any{"operation": "complete", "outcome": "register", "tasks": tasks("t1")[:1]}
	status, refused := batch("k1", other)
	require.Equal(t, http.StatusUnprocessableEntity, status, refused)
	require.Contains(t, errorsOf(refused), "header.Idempotency-Key")

	// The whole request is checked first: a note needs its text, a task is named once.
	status, refused = batch("k2", map[string]any{"operation": "note", "tasks": tasks("t2")})
	require.Equal(t, http.StatusUnprocessableEntity, status, refused)
	require.Contains(t, errorsOf(refused), "body.reason")
	status, refused = batch("k3", map[string]any{"operation": "claim", "tasks": append(tasks("t2"), tasks("t2")[0])})
	require.Equal(t, http.StatusUnprocessableEntity, status, refused)
	require.Contains(t, errorsOf(refused), "body.tasks[5]")

	// Claims: the four accept tasks are the clerk's; the village's case has no t2.
	status, out = batch("k4", map[string]any{"operation": "claim", "tasks": tasks("t2")})
	require.Equal(t, http.StatusOK, status, out)
	require.EqualValues(t, 4, out["applied"])
	for i, r := range results(out) {
		if i == 2 {
			require.NotEqualValues(t, http.StatusOK, r["status"], r)
			continue
		}
		require.Equal(t, "clerk-galutu", r["claimed_by"])
	}

	// Notes: on every case the clerk may see, the village's included.
	status, out = batch("k5", map[string]any{"operation": "note", "reason": "已电话告知", "tasks": tasks("t2")})
	require.Equal(t, http.StatusOK, status, out)
	require.EqualValues(t, 5, out["applied"], out)
	status, timeline := cs.do(t, http.MethodGet, "/v1/cases/"+cases[2]+"/timeline", "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, timeline)
	entries := timeline["entries"].([]any)
	last := entries[len(entries)-1].(map[string]any)
	require.Equal(t, "note", last["action"])
	require.Equal(t, "已电话告知", last["reason"])
}
