package api

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/demo"
)

// TestAuthConfig checks that the workbench learns how to sign in before it has a token: the demo
// users in development, the provider and client id in production, and nothing made up when the
// center names no client id.
func TestAuthConfig(t *testing.T) {
	t.Parallel()
	provider := &OIDCClient{Issuer: "https://sso.example.gov.cn/realms/onedoor", ClientID: "onedoor-workbench"}
	for _, tc := range []struct {
		name string
		s    *Server
		want string
	}{
		{"production", &Server{OIDC: provider},
			`{"mode":"oidc","oidc":{"issuer":"https://sso.example.gov.cn/realms/onedoor","client_id":"onedoor-workbench","scope":"openid profile"}}`},
		{"production without a client id", &Server{}, `{"mode":"none"}`},
		{"dev", &Server{DevSignIn: &DevSignIn{Users: demo.Users}}, `{"mode":"dev"}`},
		{"dev with a provider", &Server{DevSignIn: &DevSignIn{Users: demo.Users}, OIDC: provider},
			`{"mode":"dev","oidc":{"issuer":"https://sso.example.gov.cn/realms/onedoor","client_id":"onedoor-workbench","scope":"openid profile"}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.s.Logger = slog.New(slog.DiscardHandler)
			w := httptest.NewRecorder()
			tc.s.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/v1/auth/config", nil)) // no token
			require.Equal(t, http.StatusOK, w.Code, w.Body.String())
			var got map[string]any
			require.NoError(t, json.Unmarshal(w.Body.Bytes(), &got))
			delete(got, "$schema")
			b, err := json.Marshal(got)
			require.NoError(t, err)
			require.JSONEq(t, tc.want, string(b))
		})
	}
}
