package api_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// 字段权限: a step's rights on form fields are checked when the procedure is saved (a field not
// on the form, a right that does not exist, a required field made hidden, each at its path),
// offered with each action, enforced when an action sends data (a read-only or hidden field is
// refused at its path, nothing changed), and a hidden field is left out of the case and its
// timeline for the step's holder, not for a supervisor.
func TestFieldRightsPerStep(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	const accept = "  - id: accept\n    name: 受理\n"
	bad := yamlOf(t, "rights_bad", "matter: consultation", "matter: rights_bad",
		accept, accept+"    fields: {nope: readonly, question: sometimes}\n",
		"    required: [answer]\n", "    required: [answer]\n    fields: {answer: hidden}\n")
	status, body := cs.do(t, http.MethodPost, "/v1/procedures/validate", "admin", map[string]any{"yaml": bad})
	require.Equal(t, http.StatusOK, status, body)
	problems := map[string]string{}
	for _, p := range body["problems"].([]any) {
		m := p.(map[string]any)
		problems[m["path"].(string)] = m["message"].(string)
	}
	require.Contains(t, problems["steps[1].fields.nope"], `the field "nope", which is not on the form`)
	require.Contains(t, problems["steps[1].fields.question"], `"sometimes" is not a field right`)
	require.Contains(t, problems["steps[3].fields.answer"], "which it makes hidden")
	require.Len(t, problems, 3, problems)

	src := yamlOf(t, "rights_demo", "matter: consultation", "matter: rights_demo", "name: 法律咨询", "name: 字段权限咨询",
		accept, accept+"    fields: {question: readonly, phone: hidden, answer: required}\n")
	status, body = cs.do(t, http.MethodPost, "/v1/procedures", "admin", map[string]any{"yaml": src})
	require.Equal(t, http.StatusCreated, status, body)
	require.Empty(t, body["problems"])
	version := strconv.Itoa(int(body["version"].(float64)))
	status, body = cs.do(t, http.MethodPost, "/v1/procedures/rights_demo/versions/"+version+"/publish", "admin", nil)
	require.Equal(t, http.StatusOK, status, body)

	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", map[string]any{"matter": "rights_demo", "channel": "visit",
		"subject": "草场纠纷咨询", "resident_name": "张三",
		"data": map[string]any{"name": "张三", "phone": "13800138000", "topic": "land", "question": "邻居占用草场，如何维权？"}})
	require.Equal(t, http.StatusCreated, status, c)
	number := c["number"].(string)
	path := "/v1/cases/" + number + "/actions"
	status, c = cs.do(t, http.MethodPost, path, "clerk-galutu", map[string]any{"type": "complete", "outcome": "register"})
	require.Equal(t, http.StatusOK, status, c)
	require.Equal(t, "accept", c["step"])
	require.NotContains(t, c["data"], "phone", "the answer to the action hides what the new step hides")

	// The offers say the rights at the step.
	_, offered := cs.do(t, http.MethodGet, path, "clerk-galutu", nil)
	require.Equal(t, map[string]any{"question": "readonly", "phone": "hidden", "answer": "required"}, action(offered, "complete")["fields"])
	// An outcome whose step wants a field still empty is offered with that field to fill in,
	// not refused: the clerk fills it in the same action.
	for _, o := range action(offered, "complete")["outcomes"].([]any) {
		o := o.(map[string]any)
		require.Equal(t, []any{"answer"}, o["missing"], o)
		require.Empty(t, o["refusals"], o)
	}

	// Data for a read-only or a hidden field is refused at its path, and nothing changes.
	status, refused := cs.do(t, http.MethodPost, path, "clerk-galutu", map[string]any{"type": "complete", "outcome": "accept",
		"data": map[string]any{"question": "改写的问题", "phone": "13900139000", "answer": "可依法协商"}})
	require.Equal(t, http.StatusUnprocessableEntity, status, refused)
	errs := errorsOf(refused)
	require.Contains(t, errs["body.data.question"], "read-only at step accept")
	require.Contains(t, errs["body.data.phone"], "hidden at step accept")
	require.Len(t, errs, 2)
	// The required field must be there before the step completes.
	status, refused = cs.do(t, http.MethodPost, path, "clerk-galutu", map[string]any{"type": "complete", "outcome": "accept"})
	require.Equal(t, http.StatusConflict, status, refused)
	require.Contains(t, refused["detail"], "解答意见 must be filled in first")

	// The holder of the step does not see the hidden field, in the case or its timeline; the
	// supervisor, who does not hold it, does.
	status, got := cs.do(t, http.MethodGet, "/v1/cases/"+number, "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, got)
	require.NotContains(t, got["data"], "phone")
	require.Equal(t, "邻居占用草场，如何维权？", got["data"].(map[string]any)["question"])
	status, timeline := cs.do(t, http.MethodGet, "/v1/cases/"+number+"/timeline", "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, timeline)
	for _, e := range timeline["entries"].([]any) {
		if after, ok := e.(map[string]any)["after"].(map[string]any); ok {
			require.NotContains(t, after["data"], "phone")
		}
	}
	status, got = cs.do(t, http.MethodGet, "/v1/cases/"+number, "supervisor-galutu", nil)
	require.Equal(t, http.StatusOK, status, got)
	require.Equal(t, "13800138000", got["data"].(map[string]any)["phone"])

	status, c = cs.do(t, http.MethodPost, path, "clerk-galutu", map[string]any{"type": "complete", "outcome": "accept", "data": map[string]any{"answer": "可先协商，协商不成申请调解"}})
	require.Equal(t, http.StatusOK, status, c)
	require.Equal(t, "divert", c["step"])
	require.Equal(t, "13800138000", c["data"].(map[string]any)["phone"], "the next step does not hide it")
}
