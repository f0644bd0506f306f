package api_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// locations are the locations of a problem's errors.
func locations(problem map[string]any) []string {
	var out []string
	errs, _ := problem["errors"].([]any)
	for _, e := range errs {
		out = append(out, e.(map[string]any)["location"].(string))
	}
	return out
}

// cursor is an opaque cursor made of any JSON text.
func cursor(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// TestClientMistakesAreNot500 sends the mistakes that answered 500: cursors made up or damaged,
// dates no calendar reaches, a deadline beyond the year 9999.
func TestClientMistakesAreNot500(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t, unlimited)
	id := uuid.NewString()
	cursors := []string{
		"!!!", "bm90LWEtY3Vyc29y", cursor("null"), cursor("{}"), cursor("[]"), cursor(`"x"`), cursor("42"),
		cursor(`{"t":"2026-01-01T00:00:00Z"}`),
		cursor(`{"t":"2026-01-01T00:00:00Z","i":""}`),
		cursor(`{"t":"2026-01-01T00:00:00Z","i":"x"}`),
		cursor(`{"t":"2026-01-01T00:00:00Z","i":"urn:uuid:` + id + `"}`),
		cursor(`{"t":"2026-01-01T00:00:00Z","i":"` + strings.ReplaceAll(id, "-", "") + `"}`),
		cursor(`{"t":"2026-01-01T00:00:00Z","i":"` + strings.ToUpper(id) + `"}`),
		cursor(`{"t":"yesterday","i":"` + id + `"}`),
		cursor(`{"t":"0001-01-01T00:00:00Z","i":"` + id + `"}`),
		cursor(`{"t":1,"i":"` + id + `"}`),
		cursor(`{"d":null}`),
		cursor(`{"c":"` + id + `","t":"t\u00001"}`),
		cursor(`{"d":"2026-01-01T00:00:00Z","c":"nope","t":"t1"}`),
		cursor(`{"a":"2026-01-01T00:00:00Z","c":"` + id + `","s":1,"n":1099511627776}`),
		cursor(`{"a":"2026-01-01T00:00:00Z","c":"` + id + `","s":1e30,"n":1}`),
		cursor(`{"a":"2026-01-01T00:00:00Z","c":"","s":1,"n":1}`),
		cursor(`{"a":"2026-01-01T00:00:00Z","c":"` + id + `","s":-1,"n":-2147483649}`),
		cursor(`{"t":"2026-01-01T00:00:00Z","i":"` + id + `"`),
		cursor("\xff\xfe"),
	}
	for _, list := range []string{"/v1/cases", "/v1/tasks", "/v1/notifications"} {
		for i, c := range cursors {
			t.Run(fmt.Sprintf("%s cursor %d", list, i), func(t *testing.T) {
				status, problem := cs.do(t, http.MethodGet, list+"?cursor="+url.QueryEscape(c), "clerk-galutu", nil)
				require.Equal(t, http.StatusUnprocessableEntity, status, "%s: %v", c, problem)
				require.Equal(t, []string{"query.cursor"}, locations(problem))
			})
		}
	}
	// A good cursor still pages.
	for range 2 {
		status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
		require.Equal(t, http.StatusCreated, status, c)
	}
	status, page := cs.do(t, http.MethodGet, "/v1/cases?limit=1", "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, page)
	status, page = cs.do(t, http.MethodGet, "/v1/cases?limit=1&cursor="+page["next"].(string), "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, page)

	for _, tc := range []struct {
		path     string
		location string
	}{
		{"/v1/stats?from=0001-01-01", "query.from"},
		{"/v1/stats?to=9999-12-31", "query.to"},
		{"/v1/stats?from=1899-12-31", "query.from"},
		{"/v1/cases?received_from=0001-01-01", "query.received_from"},
		{"/v1/cases.csv?received_to=9999-12-31", "query.received_to"},
		{"/v1/calendar/due?from=9999-12-31&amount=100000&unit=workdays", "query.amount"},
		{"/v1/calendar/due?from=9999-12-31&amount=10&unit=workdays", "query.from"},
		{"/v1/calendar/due?from=9999-12-31T23:00:00Z&amount=3660&unit=hours", "query.from"},
		{"/v1/calendar/due?from=0001-01-01&amount=1&unit=days", "query.from"},
		{"DELETE /v1/calendar/holidays/0000-01-01?region=x", "path.date"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			method, path, ok := strings.Cut(tc.path, " ")
			if !ok {
				method, path = http.MethodGet, tc.path
			}
			status, problem := cs.do(t, method, path, "admin", nil)
			require.Equal(t, http.StatusUnprocessableEntity, status, problem)
			require.Contains(t, locations(problem), tc.location, problem)
		})
	}
	// The far ends of what is allowed are counted.
	for _, path := range []string{
		"/v1/calendar/due?from=2999-12-31&amount=3660&unit=workdays",
		"/v1/calendar/due?from=2999-12-31T23:59:00%2B08:00&amount=3660&unit=hours",
		"/v1/calendar/due?from=1900-01-01&amount=1&unit=days",
		"/v1/stats?from=1900-01-01&to=2999-12-31",
	} {
		status, body := cs.do(t, http.MethodGet, path, "admin", nil)
		require.Equal(t, http.StatusOK, status, "%s: %v", path, body)
	}

}
