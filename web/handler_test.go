package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func get(t *testing.T, h http.Handler, path string) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	return w
}

func TestHandler(t *testing.T) {
	t.Parallel()
	h := Handler(fstest.MapFS{
		"index.html":            {Data: []byte("<!doctype html><div id=root></div>")},
		"assets/index-Ab12.js":  {Data: []byte("console.log(1)")},
		"assets/index-Cd34.css": {Data: []byte("body{}")},
		"favicon.svg":           {Data: []byte("<svg/>")},
		"assets/fonts/.keep":    {Data: nil},
	})
	for _, tc := range []struct {
		path, body, cache, typ string
		status                 int
	}{
		{"/", "id=root", cacheRevalidate, "text/html", http.StatusOK},
		{"/index.html", "id=root", cacheRevalidate, "text/html", http.StatusOK},
		// History fallback: the app's own routes get index.html.
		{"/queue", "id=root", cacheRevalidate, "text/html", http.StatusOK},
		{"/cases/WS-PET-2026-000001", "id=root", cacheRevalidate, "text/html", http.StatusOK},
		{"/../../etc/passwd", "id=root", cacheRevalidate, "text/html", http.StatusOK},
		{"/assets/index-Ab12.js", "console.log(1)", cacheImmutable, "text/javascript", http.StatusOK},
		{"/assets/index-Cd34.css", "body{}", cacheImmutable, "text/css", http.StatusOK},
		{"/favicon.svg", "<svg/>", cacheRevalidate, "image/svg+xml", http.StatusOK},
		// A chunk that is not there is a 404, never the app in its place.
		{"/assets/index-Gone.js", "404", "", "text/plain", http.StatusNotFound},
		{"/assets/fonts", "404", "", "text/plain", http.StatusNotFound},
	} {
		w := get(t, h, tc.path)
		if w.Code != tc.status || !strings.Contains(w.Body.String(), tc.body) {
			t.Errorf("GET %s: %d %q, want %d with %q", tc.path, w.Code, w.Body.String(), tc.status, tc.body)
		}
		if got := w.Header().Get("Cache-Control"); got != tc.cache {
			t.Errorf("GET %s: Cache-Control %q, want %q", tc.path, got, tc.cache)
		}
		if got := w.Header().Get("Content-Type"); !strings.HasPrefix(got, tc.typ) {
			t.Errorf("GET %s: Content-Type %q, want %s", tc.path, got, tc.typ)
		}
	}
}

func TestHandlerNotBuilt(t *testing.T) {
	t.Parallel()
	h := Handler(fstest.MapFS{})
	for _, path := range []string{"/", "/queue", "/index.html"} {
		w := get(t, h, path)
		if w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "make web") {
			t.Errorf("GET %s: %d %q, want the page saying to run make web", path, w.Code, w.Body.String())
		}
		if got := w.Header().Get("Cache-Control"); got != cacheRevalidate {
			t.Errorf("GET %s: Cache-Control %q, want %q", path, got, cacheRevalidate)
		}
	}
}

// TestDist checks that the embedded folder opens, built or not.
func TestDist(t *testing.T) {
	t.Parallel()
	w := get(t, Handler(Dist()), "/")
	if w.Code != http.StatusOK && w.Code != http.StatusNotFound {
		t.Fatalf("GET /: %d", w.Code)
	}
}
