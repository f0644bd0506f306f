package api

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/onedoor/onedoor/demo"
)

// TestWebRoutes checks what the workbench may and may not answer beside the API: it needs
// neither PostgreSQL nor Temporal, since none of these requests reach a handler that uses them.
func TestWebRoutes(t *testing.T) {
	t.Parallel()
	h := (&Server{Logger: slog.New(slog.DiscardHandler)}).Handler()
	for _, tc := range []struct {
		method, path string
		status       int
		typ          string
	}{
		{http.MethodGet, "/", 0, "text/html"}, // 200 with the app, 404 with the page saying to build it
		{http.MethodGet, "/queue", 0, "text/html"},
		{http.MethodGet, "/openapi.json", http.StatusOK, "application/openapi+json"},
		{http.MethodGet, "/docs", http.StatusOK, "text/html"},
		{http.MethodGet, "/livez", http.StatusOK, "application/json"},
		// Unknown API paths stay 404s, never the app's HTML.
		{http.MethodGet, "/v1/nothing-here", http.StatusNotFound, "text/plain"},
		{http.MethodGet, "/v1", http.StatusNotFound, "text/plain"},
		// The development sign-in exists only when the dev command asks for it.
		{http.MethodGet, "/v1/dev/users", http.StatusNotFound, "text/plain"},
		{http.MethodPost, "/v1/dev/token", http.StatusMethodNotAllowed, ""},
		{http.MethodGet, "/v1/tasks", http.StatusUnauthorized, "application/problem+json"},
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(tc.method, tc.path, nil))
		if tc.status != 0 && w.Code != tc.status || tc.status == 0 && w.Code != http.StatusOK && w.Code != http.StatusNotFound {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.path, w.Code, tc.status)
		}
		if got := w.Header().Get("Content-Type"); !strings.HasPrefix(got, tc.typ) {
			t.Errorf("%s %s: Content-Type %q, want %s", tc.method, tc.path, got, tc.typ)
		}
	}
}

func TestDevSignInRegistered(t *testing.T) {
	t.Parallel()
	h := (&Server{Logger: slog.New(slog.DiscardHandler), DevSignIn: &DevSignIn{Users: demo.Users}}).Handler()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/v1/dev/token", strings.NewReader(`{"user":"nobody"}`)))
	if w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "no demo user nobody") {
		t.Errorf("POST /v1/dev/token for an unknown user: %d %s", w.Code, w.Body)
	}
	w = httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/openapi.json", nil))
	if !strings.Contains(w.Body.String(), `"/v1/dev/token"`) {
		t.Error("the OpenAPI document of a dev server lacks /v1/dev/token")
	}
}
