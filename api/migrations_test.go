package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/internal/testenv"
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
