package api_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2/humatest"
	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/api"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/demo"
	"github.com/onedoor/onedoor/internal/testenv"
)

// tried is the step of a try-procedure answer with the id.
func tried(t *testing.T, body map[string]any, id string) map[string]any {
	t.Helper()
	for _, s := range body["steps"].([]any) {
		if m := s.(map[string]any); m["id"] == id {
			return m
		}
	}
	t.Fatalf("no step %s in %v", id, body["steps"])
	return nil
}

// offered is the outcome ids of a tried step by whether they are offered.
func offered(step map[string]any) map[string]bool {
	out := map[string]bool{}
	for _, o := range step["outcomes"].([]any) {
		m := o.(map[string]any)
		out[m["id"].(string)] = m["offered"].(bool)
	}
	return out
}

func TestTryProcedureRulesAPI(t *testing.T) {
	t.Parallel()
	p := newProcedureAPI(t)
	// The town's own, longer deadline for the answer: 10 calendar days.
	src := yamlOf(t, "api_try",
		"    divert: 'data.topic == \"labor\" ? [\"hrss\"] : [\"justice\"]'\n",
		"    divert: 'data.topic == \"labor\" ? [\"hrss\"] : [\"justice\"]'\n    deadlines:\n      handle: {amount: 10, unit: days, basis: 本镇要求}\n")
	sample := map[string]any{"topic": "labor", "complex": false}

	code, body := p.do(t, http.MethodPost, "/v1/procedures/try", "admin", map[string]any{
		"yaml": src, "org_unit": "galutu", "from": "2026-02-13", "data": sample,
	})
	require.Equal(t, http.StatusOK, code, body)
	require.Equal(t, "town", body["level"], "the org unit's level")
	require.Equal(t, "intake", body["start"])
	rules := body["rules"].(map[string]any)
	require.Equal(t, true, rules["first_visit"].(map[string]any)["answer"])
	require.Equal(t, "!data.complex", rules["first_visit"].(map[string]any)["rule"])
	require.Equal(t, true, rules["accept"].(map[string]any)["answer"])
	require.Equal(t, true, rules["accept"].(map[string]any)["default"], "the town has no accept rule")
	require.Equal(t, []any{"hrss"}, rules["divert"].(map[string]any)["departments"])
	require.Equal(t, false, rules["escalate"].(map[string]any)["answer"])

	// 1 working day from Friday 13 February 2026 is the make-up Saturday 14 February.
	accept := tried(t, body, "accept")
	require.Equal(t, map[string]any{"amount": float64(1), "unit": "workdays"}, accept["period"])
	require.Equal(t, "2026-02-14", accept["due"].(map[string]any)["last_day"])
	require.Equal(t, map[string]bool{"accept": true, "to_mediation": true, "to_legal_aid": true, "escalate": true}, offered(accept))
	// The town's 10 days end on 23 February, in the Spring Festival holiday: moved to the 24th.
	handle := tried(t, body, "handle")
	require.Equal(t, map[string]any{"amount": float64(10), "unit": "days"}, handle["period"])
	require.Equal(t, "本镇要求", handle["basis"])
	due := handle["due"].(map[string]any)
	require.Equal(t, "2026-02-24", due["last_day"])
	require.Contains(t, due["explanation"].(map[string]any)["summary"], "Civil Code Art.203")
	require.Equal(t, map[string]bool{"on_spot": true, "register": true}, offered(tried(t, body, "intake")))

	// At the banner: a complex criminal matter is not for the spot, goes to legal aid, and the
	// banner may not report up (level_rank < 3); the step keeps its own 3 working days.
	code, body = p.do(t, http.MethodPost, "/v1/procedures/try", "admin", map[string]any{
		"yaml": src, "level": "banner", "from": "2026-02-13", "data": map[string]any{"topic": "criminal", "complex": true},
	})
	require.Equal(t, http.StatusOK, code, body)
	rules = body["rules"].(map[string]any)
	require.Equal(t, false, rules["first_visit"].(map[string]any)["answer"])
	require.Equal(t, []any{"legal-aid"}, rules["divert"].(map[string]any)["departments"])
	intake := tried(t, body, "intake")
	require.Equal(t, map[string]bool{"on_spot": false, "register": true}, offered(intake))
	for _, o := range intake["outcomes"].([]any) {
		if m := o.(map[string]any); m["id"] == "on_spot" {
			require.Contains(t, m["reason"], "the banner level's first_visit rule (!data.complex) said no")
		}
	}
	require.False(t, offered(tried(t, body, "accept"))["escalate"])
	handle = tried(t, body, "handle")
	require.Equal(t, map[string]any{"amount": float64(3), "unit": "workdays"}, handle["period"])
	require.Equal(t, "2026-02-25", handle["due"].(map[string]any)["last_day"])

	// Refusals say where.
	for _, c := range []struct {
		name string
		body map[string]any
		loc  string
		msg  string
	}{
		{"a definition with a problem", map[string]any{"yaml": strings.Replace(src, "next: accept}", "next: acept}", 1), "level": "town", "from": "2026-02-13"},
			"steps[0].outcomes[1].next", `"acept"`},
		{"a value the form refuses", map[string]any{"yaml": src, "level": "town", "from": "2026-02-13", "data": map[string]any{"topic": "weather"}},
			"body.data.topic", "咨询领域"},
		{"a field not on the form", map[string]any{"yaml": src, "level": "town", "from": "2026-02-13", "data": map[string]any{"topc": "labor"}},
			"body.data.topc", `no field "topc"`},
		{"an unknown org unit", map[string]any{"yaml": src, "org_unit": "atlantis", "from": "2026-02-13"},
			"body.org_unit", `"atlantis"`},
		{"an org unit of another level", map[string]any{"yaml": src, "level": "village", "org_unit": "galutu", "from": "2026-02-13"},
			"body.org_unit", "galutu is a town unit"},
		{"no level", map[string]any{"yaml": src, "from": "2026-02-13"}, "body.level", "give a level"},
		{"a bad start", map[string]any{"yaml": src, "level": "town", "from": "13/02/2026"}, "body.from", "expected a date"},
	} {
		code, body := p.do(t, http.MethodPost, "/v1/procedures/try", "admin", c.body)
		require.Equal(t, http.StatusUnprocessableEntity, code, "%s: %v", c.name, body)
		require.Contains(t, errorsOf(body), c.loc, "%s: %v", c.name, body)
		require.Contains(t, errorsOf(body)[c.loc], c.msg, c.name)
	}
	code, _ = p.do(t, http.MethodPost, "/v1/procedures/try", "", map[string]any{"yaml": src, "level": "town", "from": "2026-02-13"})
	require.Equal(t, http.StatusUnauthorized, code)
}

// TestTryProcedureAgreesWithACase registers a real case and asks the trial about the same
// procedure, unit, data and moment: the first task's due date is the trial's, to the second.
func TestTryProcedureAgreesWithACase(t *testing.T) {
	t.Parallel()
	cs := newCaseServerOn(t, ownCenterStore(t))
	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
	require.Equal(t, http.StatusCreated, status, c)
	task := c["tasks"].([]any)[0].(map[string]any)

	src, ok := definitions.LibrarySource("petition")
	require.True(t, ok)
	status, body := cs.do(t, http.MethodPost, "/v1/procedures/try", "admin", map[string]any{
		"yaml": string(src), "org_unit": c["org_unit"], "from": c["received_at"], "data": petition()["data"],
	})
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, c["step"], body["start"])
	step := tried(t, body, task["step"].(string))
	caseDue, err := time.Parse(time.RFC3339, task["due_at"].(string))
	require.NoError(t, err)
	trialDue, err := time.Parse(time.RFC3339, step["due"].(map[string]any)["at"].(string))
	require.NoError(t, err)
	require.True(t, caseDue.Equal(trialDue), "case %v, trial %v", caseDue, trialDue)

	// The list counts the open case on the version it runs on.
	status, list := cs.do(t, http.MethodGet, "/v1/procedures", "admin", nil)
	require.Equal(t, http.StatusOK, status, list)
	for _, it := range list["procedures"].([]any) {
		m := it.(map[string]any)
		want := 0
		if m["key"] == "petition" {
			want = 1
		}
		require.EqualValues(t, want, m["running"], m["key"])
	}
	status, versions := cs.do(t, http.MethodGet, "/v1/procedures/petition/versions", "admin", nil)
	require.Equal(t, http.StatusOK, status, versions)
	require.EqualValues(t, 1, versions["versions"].([]any)[0].(map[string]any)["running"])
}

// BenchmarkValidateLargestProcedure is the studio's check while typing: the largest built-in
// procedure's YAML through POST /v1/procedures/validate (in process, without the network), one
// call at a time as an editor sends them.
func BenchmarkValidateLargestProcedure(b *testing.B) {
	s := testenv.Store(b)
	require.NoError(b, demo.Load(context.Background(), s))
	v, tokens := devAuth(b)
	_, tapi := humatest.New(b, api.Config())
	(&api.Server{Store: s, Verifier: v, Logger: slog.New(slog.DiscardHandler), RateLimit: -1}).Register(tapi)
	var largest []byte
	for _, key := range []string{"petition", "mediation", "legal_aid", "notarization", "consultation"} {
		src, ok := definitions.LibrarySource(key)
		require.True(b, ok)
		if len(src) > len(largest) {
			largest = src
		}
	}
	body := map[string]any{"yaml": string(largest)}
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		resp := tapi.Post("/v1/procedures/validate", "Authorization: Bearer "+tokens["admin"], body)
		times = append(times, time.Since(start))
		if resp.Code != http.StatusOK || !strings.Contains(resp.Body.String(), `"valid":true`) {
			b.Fatalf("validate: %d %s", resp.Code, resp.Body.String())
		}
	}
	latencies(b, times)
	b.ReportMetric(float64(len(largest)), "yaml-bytes")
}
