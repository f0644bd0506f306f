package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A clerk's workbench asks in Chinese and gets every message in Chinese, with the same stable
// code an English client gets.
func TestMessagesInTheClientsLanguage(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	zh := []string{"Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8"}

	// A form check: a bad phone number and a bad resident ID, each under its field.
	body := petition()
	data := body["data"].(map[string]any)
	data["phone"], data["id_number"] = "12345", "110105194912310021"
	status, problem := cs.do(t, http.MethodPost, "/v1/cases", "clerk-sarula", body, zh...)
	require.Equal(t, http.StatusUnprocessableEntity, status, problem)
	require.Equal(t, "输入有误", problem["title"])
	require.Equal(t, "填写的内容不符合流程表单的要求", problem["detail"])
	require.Equal(t, "data.not_fit", problem["code"])
	byLocation := map[string]map[string]any{}
	for _, e := range problem["errors"].([]any) {
		byLocation[e.(map[string]any)["location"].(string)] = e.(map[string]any)
	}
	require.Equal(t, "联系电话不是有效的电话号码（11位手机号，或带区号的固定电话）", byLocation["body.data.phone"]["message"])
	require.Equal(t, "data.phone", byLocation["body.data.phone"]["code"])
	require.Equal(t, "data.resident_id", byLocation["body.data.id_number"]["code"])
	require.True(t, strings.HasPrefix(byLocation["body.data.id_number"]["message"].(string), "身份证号不是有效的18位居民身份证号码"))

	// The schema's own checks.
	long := petition()
	long["subject"] = strings.Repeat("长", 201)
	status, problem = cs.do(t, http.MethodPost, "/v1/cases", "clerk-sarula", long, zh...)
	require.Equal(t, http.StatusUnprocessableEntity, status, problem)
	e := problem["errors"].([]any)[0].(map[string]any)
	require.Equal(t, "body.subject", e["location"])
	require.Equal(t, "长度不能超过200", e["message"])
	require.Equal(t, "schema.max_length", e["code"])

	// A refusal of the case workflow.
	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-sarula", petition())
	require.Equal(t, http.StatusCreated, status, c)
	path := "/v1/cases/" + c["number"].(string) + "/actions"
	status, problem = cs.do(t, http.MethodPost, path, "clerk-galutu", map[string]any{"type": "escalate", "reason": "x"}, zh...)
	require.Equal(t, http.StatusConflict, status, problem)
	require.Equal(t, "与案件当前状态不符", problem["title"])
	require.Equal(t, "只有案件任务的办理人或督办员可以流转案件", problem["detail"])
	require.Equal(t, "action.may_not_move", problem["code"])

	// The same in English, with the same code; no header means English.
	status, problem = cs.do(t, http.MethodPost, path, "clerk-galutu", map[string]any{"type": "escalate", "reason": "x"})
	require.Equal(t, http.StatusConflict, status, problem)
	require.Equal(t, "only the holder of the case's task or a supervisor may move it", problem["detail"])
	require.Equal(t, "action.may_not_move", problem["code"])

	// An input the workflow refuses is located at its field, for the form to show it there.
	status, problem = cs.do(t, http.MethodPost, path, "clerk-sarula", map[string]any{"type": "escalate"}, zh...)
	require.Equal(t, http.StatusUnprocessableEntity, status, problem)
	require.Equal(t, "action.escalate_reason", problem["code"])
	require.Equal(t, []any{map[string]any{"code": "action.escalate_reason", "message": "上报须说明理由", "location": "body.reason"}}, problem["errors"])

	// Signing in is asked for in Chinese too.
	status, problem = cs.do(t, http.MethodGet, "/v1/tasks", "", nil, zh...)
	require.Equal(t, http.StatusUnauthorized, status, problem)
	require.Equal(t, "auth.token_required", problem["code"])
	require.Contains(t, problem["detail"], "请先登录")
}
