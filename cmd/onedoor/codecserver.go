package main

import (
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"go.temporal.io/sdk/converter"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/auth"
	"github.com/onedoor/onedoor/codec"
	"github.com/onedoor/onedoor/store"
)

// codecPath is where the API serves Temporal's remote codec protocol (POST /codec/decode and
// /codec/encode): the Temporal Web UI, pointed at it, shows operators the cases' payloads in
// clear, which Temporal itself never holds.
const codecPath = "/codec/"

// route is an extra handler the API's server mounts beside the API.
type route struct {
	pattern string
	handler http.Handler
}

// codecRoute serves the codec to administrators only: a decoded payload is a resident's personal
// data, whatever case it belongs to. Every use is logged with the user. Browsers may call it from
// the origins listed (the Temporal UI's), which must then pass the user's access token.
func codecRoute(pc *codec.Codec, v *auth.Verifier, s *store.Store, origins []string, logger *slog.Logger) route {
	inner := converter.NewPayloadCodecHTTPHandler(pc)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if origin := r.Header.Get("Origin"); origin != "" && slices.Contains(origins, origin) {
			w.Header().Set("Access-Control-Allow-Origin", origin)
			w.Header().Set("Access-Control-Allow-Credentials", "true")
			w.Header().Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Namespace")
			w.Header().Set("Access-Control-Allow-Methods", "POST, OPTIONS")
			w.Header().Add("Vary", "Origin")
		}
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || token == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="onedoor"`)
			http.Error(w, "a bearer token is required", http.StatusUnauthorized)
			return
		}
		id, err := v.Verify(token)
		if err != nil {
			http.Error(w, "invalid bearer token", http.StatusUnauthorized)
			return
		}
		user, err := s.User(r.Context(), id)
		if err != nil {
			http.Error(w, "unknown user", http.StatusUnauthorized)
			return
		}
		if user.Role != onedoor.RoleAdmin {
			http.Error(w, "only administrators may decode payloads", http.StatusForbidden)
			return
		}
		logger.Info("payload codec used", "user", user.ID, "path", r.URL.Path, "namespace", r.Header.Get("X-Namespace"))
		inner.ServeHTTP(w, r)
	})
	return route{pattern: codecPath, handler: h}
}
