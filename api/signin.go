package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// OIDCClient is how the workbench signs in at the organisation's OpenID Connect provider: as a
// public client (no secret, which a browser could not keep) by authorization code with PKCE.
type OIDCClient struct {
	// Issuer is the provider's issuer URL, the iss of the tokens the API accepts; the workbench
	// reads the provider's endpoints from its discovery document.
	Issuer string
	// ClientID is the workbench's public client id at the provider.
	ClientID string
}

// OIDCScope is what the workbench asks the provider for.
const OIDCScope = "openid profile"

// Sign-in modes of GET /v1/auth/config.
const (
	SignInDev  = "dev"  // the demo users of `onedoor dev`, by /v1/dev/token
	SignInOIDC = "oidc" // the organisation's OpenID Connect provider
	SignInNone = "none" // no way for the workbench: the API only accepts tokens obtained elsewhere
)

// OIDCConfig tells the workbench where and as whom to sign in at the provider.
type OIDCConfig struct {
	Issuer   string `json:"issuer" format:"uri" example:"https://sso.example.gov.cn/realms/onedoor" doc:"Issuer URL of the OpenID Connect provider; its discovery document is at issuer + /.well-known/openid-configuration."`
	ClientID string `json:"client_id" example:"onedoor-workbench" doc:"Public client id of the workbench at the provider (no secret: authorization code with PKCE S256)."`
	Scope    string `json:"scope" example:"openid profile" doc:"Scopes to request."`
}

// AuthConfigOutput is the body of GET /v1/auth/config.
type AuthConfigOutput struct {
	Body struct {
		Mode string      `json:"mode" enum:"dev,oidc,none" doc:"How the workbench signs in: dev, the demo users of onedoor dev (GET /v1/dev/users, POST /v1/dev/token); oidc, at the OpenID Connect provider below; none, the workbench cannot sign in here (set ONEDOOR_OIDC_CLIENT_ID)."`
		OIDC *OIDCConfig `json:"oidc,omitempty" doc:"The provider, when the center accepts its tokens and names the workbench's client id; onedoor dev offers it beside the demo users when it is given an issuer."`
	}
}

func (s *Server) registerAuthConfig(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "get-auth-config",
		Method:      http.MethodGet,
		Path:        "/v1/auth/config",
		Summary:     "How to sign in",
		Description: "How the workbench signs in at this center, asked before anyone has a token: the demo users of " +
			"`onedoor dev`, or the organisation's OpenID Connect provider (authorization code with PKCE, as a public client). " +
			"Needs no token.",
		Tags: []string{"Users"},
	}, func(context.Context, *struct{}) (*AuthConfigOutput, error) {
		out := &AuthConfigOutput{}
		switch {
		case s.DevSignIn != nil:
			out.Body.Mode = SignInDev
		case s.OIDC != nil:
			out.Body.Mode = SignInOIDC
		default:
			out.Body.Mode = SignInNone
		}
		if s.OIDC != nil {
			out.Body.OIDC = &OIDCConfig{Issuer: s.OIDC.Issuer, ClientID: s.OIDC.ClientID, Scope: OIDCScope}
		}
		return out, nil
	})
}
