package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2/humatest"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/api"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/store"
)

// TestMigrationPlanRefusals: only an administrator plans, reads or applies a migration, and a
// plan that does not fit its versions is refused with each mistake at its field, before any case
// is looked at.
func TestMigrationPlanRefusals(t *testing.T) {
	p := newProcedureAPI(t)
	s := testenv.Store(t)
	org, err := definitions.DemoOrg()
	require.NoError(t, err)
	_, err = s.LoadLibrary(context.Background(), org)
	require.NoError(t, err)

	plan := map[string]any{"procedure": "petition", "from": 1, "to": 2}
	for _, user := range []string{"clerk-galutu", "supervisor-galutu", "auditor"} {
		code, body := p.do(t, http.MethodPost, "/v1/admin/migrations", user, plan)
		require.Equal(t, http.StatusForbidden, code, "%s: %v", user, body)
		code, _ = p.do(t, http.MethodGet, "/v1/admin/migrations/1", user, nil)
		require.Equal(t, http.StatusForbidden, code, user)
		code, _ = p.do(t, http.MethodPost, "/v1/admin/migrations/1/apply", user, nil)
		require.Equal(t, http.StatusForbidden, code, user)
	}
	code, _ := p.do(t, http.MethodPost, "/v1/admin/migrations", "", plan)
	require.Equal(t, http.StatusUnauthorized, code)

	code, body := p.do(t, http.MethodPost, "/v1/admin/migrations", "admin",
		map[string]any{"procedure": "petition", "from": 1, "to": 1, "steps": map[string]string{"nosuch": "accept"}})
	require.Equal(t, http.StatusUnprocessableEntity, code, body)
	errs := errorsOf(body)
	require.Contains(t, errs["body.to"], "the target version is the source version 1")
	require.Contains(t, errs["body.steps.nosuch"], `has no step "nosuch" to map`)

	code, body = p.do(t, http.MethodPost, "/v1/admin/migrations", "admin", map[string]any{"procedure": "petition", "from": 1, "to": 9})
	require.Equal(t, http.StatusUnprocessableEntity, code, body)
	require.Contains(t, errorsOf(body)["body.to"], "procedure petition has no version 9")

	code, body = p.do(t, http.MethodPost, "/v1/admin/migrations", "admin", map[string]any{"procedure": "nosuch", "from": 1, "to": 2})
	require.Equal(t, http.StatusUnprocessableEntity, code, body)
	require.Contains(t, errorsOf(body), "body.procedure")

	code, _ = p.do(t, http.MethodGet, "/v1/admin/migrations/999999", "admin", nil)
	require.Equal(t, http.StatusNotFound, code)
	code, _ = p.do(t, http.MethodPost, "/v1/admin/migrations/999999/apply", "admin", nil)
	require.Equal(t, http.StatusNotFound, code)
}

// TestMigrationPlansList: GET /v1/admin/migrations lists the plans within the administrator's
// scope, newest first, each with its progress counted from its cases, a page at a time; a county's
// administrator sees their county's plans only.
func TestMigrationPlansList(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := ownCenterStore(t)
	v, tokens := devAuth(t)
	_, tapi := humatest.New(t, api.Config())
	(&api.Server{Store: s, Verifier: v, Logger: slog.New(slog.DiscardHandler)}).Register(tapi)
	p := &procedureAPI{api: tapi, tokens: tokens}

	const key = "api_mig_list"
	code, body := p.do(t, http.MethodPost, "/v1/procedures", "admin", map[string]any{"yaml": yamlOf(t, key)})
	require.Equal(t, http.StatusCreated, code, body)
	code, body = p.do(t, http.MethodPost, "/v1/procedures/"+key+"/versions/1/publish", "admin", nil)
	require.Equal(t, http.StatusOK, code, body)
	code, body = p.do(t, http.MethodPost, "/v1/procedures", "admin", map[string]any{"key": key})
	require.Equal(t, http.StatusCreated, code, body)
	code, body = p.do(t, http.MethodPut, "/v1/procedures/"+key+"/versions/2", "admin", map[string]any{"yaml": yamlOf(t, key,
		"name: 法律咨询", "name: 法律咨询（新）", "valid_from: 2025-01-01", "valid_from: 2026-07-01")})
	require.Equal(t, http.StatusOK, code, body)
	code, body = p.do(t, http.MethodPost, "/v1/procedures/"+key+"/versions/2/publish", "admin", nil)
	require.Equal(t, http.StatusOK, code, body)

	// Three running cases in Galutu on version 1. Each runs on an override version of its county,
	// which a plan leaves with the reason before asking any workflow (this test runs none).
	now := time.Now()
	var cases []onedoor.Case
	for i := range 3 {
		c := onedoor.Case{ID: uuid.NewString(), Matter: "consultation", Status: onedoor.StatusOpen, Step: "handle", Level: definitions.LevelTown,
			OrgUnit: "galutu", ReceivedBy: "galutu", Channel: onedoor.ChannelVisit, Subject: fmt.Sprintf("迁移列表 %d", i), ResidentName: "王五",
			ProcedureKey: key, ProcedureVersion: 1, OverrideVersion: 1, CreatedBy: "test", ReceivedAt: now, UpdatedAt: now}
		c, err := s.RegisterCase(ctx, c, nil, "ML-CON-2026", store.AuditEntry{Seq: 1, At: now, Actor: "test", Action: "register"})
		require.NoError(t, err)
		cases = append(cases, c)
	}
	plan := map[string]any{"procedure": key, "from": 1, "to": 2}
	code, body = p.do(t, http.MethodPost, "/v1/admin/migrations", "admin-wushen", plan)
	require.Equal(t, http.StatusCreated, code, body)
	wushenLeft := int64(body["id"].(float64))
	require.EqualValues(t, 3, body["progress"].(map[string]any)["left"], body)

	// In Chinese, the reasons of the cases left and the refusals of a bad plan.
	resp := p.api.Do(http.MethodGet, fmt.Sprintf("/v1/admin/migrations/%d", wushenLeft), "Authorization: Bearer "+tokens["admin-wushen"], "Accept-Language: zh-CN")
	require.Equal(t, http.StatusOK, resp.Code, resp.Body.String())
	require.Contains(t, resp.Body.String(), "案件按本旗县对模板的调整第1版办理")
	resp = p.api.Do(http.MethodPost, "/v1/admin/migrations", "Authorization: Bearer "+tokens["admin-wushen"], "Accept-Language: zh-CN",
		map[string]any{"procedure": key, "from": 1, "to": 1, "steps": map[string]string{"handle": "nosuch"}})
	require.Equal(t, http.StatusUnprocessableEntity, resp.Code, resp.Body.String())
	var refusal map[string]any
	require.NoError(t, json.Unmarshal(resp.Body.Bytes(), &refusal))
	require.Contains(t, errorsOf(refusal)["body.to"], "目标版本与源版本都是第1版")
	require.Contains(t, errorsOf(refusal)["body.steps.handle"], "没有环节“nosuch”，不能把handle映射到它")

	// A plan of Wushen's moved half-way: one case moved, one failed, one pending.
	half, err := s.CreateMigrationPlan(ctx, store.MigrationPlan{Plan: definitions.MigrationPlan{Procedure: key, From: 1, To: 2},
		County: "wushen-gov", CreatedBy: "admin-wushen"}, []store.MigrationItem{
		{CaseID: cases[0].ID, Number: cases[0].Number, Status: store.ItemPending, Step: "handle"},
		{CaseID: cases[1].ID, Number: cases[1].Number, Status: store.ItemPending, Step: "handle"},
		{CaseID: cases[2].ID, Number: cases[2].Number, Status: store.ItemPending, Step: "handle"},
	})
	require.NoError(t, err)
	_, err = s.StartMigration(ctx, half.ID, "admin-wushen")
	require.NoError(t, err)
	claimed, err := s.MigrateBatch(ctx, half.ID, 2, func(items []store.MigrationItem) ([]store.MigrationResult, error) {
		return []store.MigrationResult{
			{CaseID: items[0].CaseID, Status: store.ItemMoved, TargetStep: "handle"},
			{CaseID: items[1].CaseID, Status: store.ItemFailed, Reason: "unreachable"},
		}, nil
	})
	require.NoError(t, err)
	require.Equal(t, 2, claimed)

	// Otog Front's administrator plans too: none of the cases is theirs.
	code, body = p.do(t, http.MethodPost, "/v1/admin/migrations", "admin-otog", plan)
	require.Equal(t, http.StatusCreated, code, body)
	otog := int64(body["id"].(float64))

	type listed struct {
		ID       int64  `json:"id"`
		Name     string `json:"name"`
		County   string `json:"county"`
		Status   string `json:"status"`
		Progress struct {
			Total, Pending, Moved, Left, Failed int
		} `json:"progress"`
	}
	list := func(user, query string) (int, []listed, string, map[string]any) {
		t.Helper()
		code, body := p.do(t, http.MethodGet, "/v1/admin/migrations"+query, user, nil)
		if code != http.StatusOK {
			return code, nil, "", body
		}
		b, err := json.Marshal(body["items"])
		require.NoError(t, err)
		var items []listed
		require.NoError(t, json.Unmarshal(b, &items))
		next, _ := body["next"].(string)
		return code, items, next, body
	}
	ids := func(items []listed) []int64 {
		out := make([]int64, len(items))
		for i, it := range items {
			out[i] = it.ID
		}
		return out
	}

	code, all, next, body := list("admin", "")
	require.Equal(t, http.StatusOK, code, body)
	require.Empty(t, next)
	require.Equal(t, []int64{otog, half.ID, wushenLeft}, ids(all), "newest first, every county's for the city's administrator")
	require.Equal(t, "法律咨询（新）", all[0].Name, "the name of the target version")
	require.Equal(t, "otog-gov", all[0].County)
	require.Equal(t, "planned", all[0].Status)
	require.Zero(t, all[0].Progress.Total)
	require.Equal(t, "applying", all[1].Status)
	require.Equal(t, 3, all[1].Progress.Total)
	require.Equal(t, 1, all[1].Progress.Pending)
	require.Equal(t, 1, all[1].Progress.Moved)
	require.Equal(t, 1, all[1].Progress.Failed)
	require.Zero(t, all[1].Progress.Left)
	require.Equal(t, 3, all[2].Progress.Left)
	require.Equal(t, 3, all[2].Progress.Total)

	// A page at a time.
	var paged []int64
	query := "?limit=1"
	for range 5 {
		code, items, next, body := list("admin", query)
		require.Equal(t, http.StatusOK, code, body)
		require.Len(t, items, 1)
		paged = append(paged, items[0].ID)
		if next == "" {
			break
		}
		query = "?limit=1&cursor=" + next
	}
	require.Equal(t, ids(all), paged)

	code, mine, _, body := list("admin-wushen", "")
	require.Equal(t, http.StatusOK, code, body)
	require.Equal(t, []int64{half.ID, wushenLeft}, ids(mine), "a county's administrator sees their county's plans only")
	code, mine, _, body = list("admin-otog", "")
	require.Equal(t, http.StatusOK, code, body)
	require.Equal(t, []int64{otog}, ids(mine))

	// What the list shows, the plan's page shows: the city's administrator reads a county's plan,
	// the other county's administrator does not find it.
	code, body = p.do(t, http.MethodGet, fmt.Sprintf("/v1/admin/migrations/%d", half.ID), "admin", nil)
	require.Equal(t, http.StatusOK, code, body)
	code, body = p.do(t, http.MethodGet, fmt.Sprintf("/v1/admin/migrations/%d", half.ID), "admin-otog", nil)
	require.Equal(t, http.StatusNotFound, code, body)

	for _, user := range []string{"clerk-galutu", "supervisor-galutu", "auditor"} {
		code, _, _, body := list(user, "")
		require.Equal(t, http.StatusForbidden, code, "%s: %v", user, body)
	}
	code, _, _, body = list("admin", "?cursor=bm9wZQ")
	require.Equal(t, http.StatusUnprocessableEntity, code, body)
	require.Contains(t, errorsOf(body), "query.cursor")
}
