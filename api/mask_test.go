package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/api"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/store"
)

// publishContactProcedure publishes a consultation procedure of an administrator's own whose
// phone field is called contact_phone and which marks the resident's address personal.
func publishContactProcedure(t *testing.T, s *store.Store) string {
	t.Helper()
	ctx := context.Background()
	key := "contact_" + strings.ReplaceAll(uuid.NewString()[:8], "-", "")
	src := yamlOf(t, key, "  - {name: phone, label: 联系电话, label_en: Phone, type: phone}",
		"  - {name: contact_phone, label: 联系电话, type: phone}\n  - {name: home_address, label: 住址, type: text, personal: true}")
	v, err := s.CreateProcedure(ctx, []byte(src), "", "admin")
	require.NoError(t, err)
	org, err := definitions.DemoOrg()
	require.NoError(t, err)
	_, err = s.PublishProcedure(ctx, key, v.Procedure.Version, org, "admin")
	require.NoError(t, err)
	return key
}

// TestMaskingFollowsTheFormNotTheName: a phone field named contact_phone and a field marked
// personal are masked for grid workers and auditors in every answer that carries case data.
func TestMaskingFollowsTheFormNotTheName(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	v, tokens := devAuth(t, readUsers...)
	cs := newCaseServer(t, func(s *api.Server) { s.Verifier = v })
	cs.tokens = tokens
	s := testenv.Store(t)
	require.NoError(t, s.SaveUsers(ctx, readUsers))
	key := publishContactProcedure(t, s)

	const phone, address = "13912345678", "嘎鲁图镇萨如拉社区幸福小区3号楼"
	subject := "住址咨询" + uuid.NewString()[:8]
	body := map[string]any{"matter": "consultation", "procedure": key, "channel": "grid", "subject": subject, "resident_name": "乌云",
		"data": map[string]any{"name": "乌云", "contact_phone": phone, "home_address": address, "topic": "family", "question": "赡养老人的义务"}}
	clear := func(t *testing.T, what string, data any) {
		t.Helper()
		b, err := json.Marshal(data)
		require.NoError(t, err)
		require.NotContains(t, string(b), phone, what)
		require.NotContains(t, string(b), "幸福小区", what)
	}
	masked := func(t *testing.T, what string, data any) {
		t.Helper()
		clear(t, what, data)
		m := data.(map[string]any)
		require.Equal(t, "139****5678", m["contact_phone"], what)
		require.Equal(t, "嘎鲁图镇********区3号楼", m["home_address"], what)
		require.Equal(t, "乌云", m["name"], what+": a field that is not personal is shown")
	}

	status, c := cs.do(t, http.MethodPost, "/v1/cases", "grid-sarula", body)
	require.Equal(t, http.StatusCreated, status, c)
	masked(t, "create as a grid worker", c["data"])
	number := c["number"].(string)

	status, got := cs.do(t, http.MethodPost, "/v1/cases/"+number+"/actions", "grid-sarula", map[string]any{"type": "note", "reason": "已电话联系"})
	require.Equal(t, http.StatusOK, status, got)
	masked(t, "action as a grid worker", got["data"])

	status, got = cs.do(t, http.MethodGet, "/v1/cases/"+number, "clerk-sarula", nil)
	require.Equal(t, http.StatusOK, status, got)
	require.Equal(t, phone, got["data"].(map[string]any)["contact_phone"], "a clerk sees the numbers")
	require.Equal(t, address, got["data"].(map[string]any)["home_address"])

	for _, user := range []string{"auditor", "grid-sarula"} {
		status, got = cs.do(t, http.MethodGet, "/v1/cases/"+number, user, nil)
		require.Equal(t, http.StatusOK, status, got)
		masked(t, "case as "+user, got["data"])

		status, got = cs.do(t, http.MethodGet, "/v1/cases?q="+url.QueryEscape(subject), user, nil)
		require.Equal(t, http.StatusOK, status, got)
		require.Len(t, got["items"], 1)
		masked(t, "search as "+user, got["items"].([]any)[0].(map[string]any)["data"])

		status, got = cs.do(t, http.MethodGet, "/v1/cases/"+number+"/timeline", user, nil)
		require.Equal(t, http.StatusOK, status, got)
		clear(t, "timeline as "+user, got)
		require.Contains(t, fmt.Sprint(got), "139****5678", "the snapshots keep the masked number")

		req, err := http.NewRequest(http.MethodGet, cs.url+"/v1/cases.csv?q="+url.QueryEscape(subject), nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+cs.tokens[user])
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		csv, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode, string(csv))
		require.Contains(t, string(csv), number)
		clear(t, "CSV as "+user, string(csv))
	}
}
