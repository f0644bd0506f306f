package api_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

func TestImportOrgThroughTheAPI(t *testing.T) {
	t.Parallel()
	r := newReadAPI(t)
	code := "imp-" + uuid.NewString()[:8]
	dir := map[string]any{
		"units": []any{map[string]any{"code": code, "name": "新镇", "level": "town", "parent": "wushen"}},
		"users": []any{map[string]any{"id": code + "-clerk", "name": "新镇受理员", "role": "clerk", "org_unit": code}},
	}
	status, body := r.call(t, http.MethodPost, "/v1/admin/org", "clerk-galutu", dir)
	require.Equal(t, http.StatusForbidden, status, body)

	status, body = r.call(t, http.MethodPost, "/v1/admin/org?dry_run=true", "admin", dir)
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, true, body["dry_run"])
	_, err := r.store.User(context.Background(), code+"-clerk")
	require.Equal(t, onedoor.ENotFound, onedoor.ErrorCode(err))

	status, body = r.call(t, http.MethodPost, "/v1/admin/org", "admin", dir)
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, []any{code}, body["units"].(map[string]any)["added"])
	require.Equal(t, []any{code + "-clerk"}, body["users"].(map[string]any)["added"])
	u, err := r.store.User(context.Background(), code+"-clerk")
	require.NoError(t, err)
	require.Equal(t, code, u.OrgUnit)

	status, body = r.call(t, http.MethodPost, "/v1/admin/org", "admin", dir)
	require.Equal(t, http.StatusOK, status, body)
	require.EqualValues(t, 1, body["users"].(map[string]any)["unchanged"], "importing again changes nothing")

	bad := map[string]any{"users": []any{map[string]any{"id": code + "-x", "name": "无名", "role": "clerk", "org_unit": "atlantis"}}}
	status, body = r.call(t, http.MethodPost, "/v1/admin/org", "admin", bad)
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	require.Contains(t, errorsOf(body), "body.users[0].org_unit")
}

func TestOrgUnitsAreThoseOfTheScope(t *testing.T) {
	t.Parallel()
	r := newReadAPI(t)
	codes := func(user string) []string {
		status, body := r.call(t, http.MethodGet, "/v1/org/units", user, nil)
		require.Equal(t, http.StatusOK, status, body)
		var out []string
		for _, u := range body["units"].([]any) {
			out = append(out, u.(map[string]any)["code"].(string))
		}
		return out
	}
	town := codes("clerk-galutu")
	require.Equal(t, "galutu", town[0], "the highest level first")
	require.Contains(t, town, "galutu-v01")
	require.NotContains(t, town, "wushen")
	all := codes("admin") // the city's
	require.Equal(t, "ordos", all[0])
	require.Contains(t, all, "otog")
	require.Greater(t, len(all), len(town))
	county := codes("admin-wushen")
	require.Equal(t, "wushen-gov", county[0])
	require.NotContains(t, county, "otog")
	require.Empty(t, codes("justice-staff"))
}

// A picker of colleagues offers the people of the caller's county, or of the case's, by a part
// of their id or name; a case the caller may not see is unknown.
func TestDirectoryOffersTheCountysPeople(t *testing.T) {
	t.Parallel()
	r := newReadAPI(t)
	ids := func(user, query string) []string {
		t.Helper()
		status, body := r.call(t, http.MethodGet, "/v1/org/users"+query, user, nil)
		require.Equal(t, http.StatusOK, status, body)
		var out []string
		for _, u := range body["users"].([]any) {
			out = append(out, u.(map[string]any)["id"].(string))
		}
		return out
	}
	wushen := ids("clerk-galutu", "?limit=100")
	require.Contains(t, wushen, "justice-staff")
	require.Contains(t, wushen, "clerk-sarula")
	require.NotContains(t, wushen, "clerk-chengchuan", "another county's people are not offered")
	require.NotContains(t, wushen, "admin", "nor the city's")
	require.Equal(t, []string{"hrss-staff"}, ids("clerk-galutu", "?q=HRSS"))
	require.Equal(t, []string{"clerk-sarula"}, ids("clerk-galutu", "?q="+url.QueryEscape("萨如拉社区调解")))
	require.Len(t, ids("clerk-galutu", "?limit=2"), 2)
	city := ids("admin", "?limit=100")
	require.Contains(t, city, "clerk-chengchuan")
	require.Contains(t, city, "clerk-galutu")

	status, body := r.call(t, http.MethodGet, "/v1/org/users?q=justice-staff", "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, "旗司法局", body["names"].(map[string]any)["departments"].(map[string]any)["justice"].(map[string]any)["name"])

	// On a case of Otog Front, its city supervisor is offered Otog Front's people.
	c := scopeCase(t, r.store, "directory", "chengchuan", definitions.LevelTown, "", time.Now().Add(48*time.Hour))
	onCase := ids("supervisor-city", "?limit=100&case="+c.Number)
	require.Contains(t, onCase, "clerk-chengchuan")
	require.NotContains(t, onCase, "clerk-galutu")
	status, _ = r.call(t, http.MethodGet, "/v1/org/users?case="+c.Number, "clerk-galutu", nil)
	require.Equal(t, http.StatusNotFound, status, "a case outside the scope is unknown")
}
