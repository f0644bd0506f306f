package api

import (
	"net/http"
	"strings"

	"github.com/onedoor/onedoor/web"
)

// webHandler serves the workbench at every path the API does not own. A path under /v1 that
// no operation answers stays a plain 404, so a client with a wrong URL never gets the app's HTML.
func webHandler() http.Handler {
	app := web.Handler(web.Dist())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1" || strings.HasPrefix(r.URL.Path, "/v1/") {
			http.NotFound(w, r)
			return
		}
		app.ServeHTTP(w, r)
	})
}
