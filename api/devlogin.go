package api

import (
	"context"
	"crypto/ed25519"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/auth"
)

// DevSignIn lets anyone sign in as one of Users with a click: the workbench's sign-in page of
// `onedoor dev`. Only `onedoor dev` sets it; `serve` and `api` never offer these operations.
type DevSignIn struct {
	// Key signs the tokens: the data folder's development key, the one `onedoor token` uses.
	Key ed25519.PrivateKey
	// Users are those one may sign in as, in the order the page lists them.
	Users []onedoor.User
	// TTL is how long a token lasts; 12 hours when 0.
	TTL time.Duration
}

// DevUsersOutput lists the users of the development sign-in.
type DevUsersOutput struct {
	Body struct {
		Users []Profile `json:"users"`
	}
}

// DevTokenInput names the user to sign in as.
type DevTokenInput struct {
	Body struct {
		User string `json:"user" maxLength:"64" example:"clerk-sarula" doc:"Id of a demo user."`
	}
}

// DevTokenOutput is a token for the user.
type DevTokenOutput struct {
	Body struct {
		Token     string    `json:"token" doc:"Bearer token for the user."`
		ExpiresAt time.Time `json:"expires_at"`
		User      Profile   `json:"user"`
	}
}

func (s *Server) registerDevSignIn(api huma.API) {
	d := s.DevSignIn
	huma.Register(api, huma.Operation{
		OperationID: "list-dev-users",
		Method:      http.MethodGet,
		Path:        "/v1/dev/users",
		Summary:     "Demo users to sign in as (onedoor dev only)",
		Description: "The demo users of a development center, with their roles and units. Only `onedoor dev` serves this.",
		Tags:        []string{"Development"},
	}, func(ctx context.Context, _ *struct{}) (*DevUsersOutput, error) {
		out := &DevUsersOutput{}
		out.Body.Users = make([]Profile, 0, len(d.Users))
		for _, u := range d.Users {
			p, err := s.profile(ctx, u)
			if err != nil {
				return nil, err
			}
			out.Body.Users = append(out.Body.Users, p)
		}
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "create-dev-token",
		Method:      http.MethodPost,
		Path:        "/v1/dev/token",
		Summary:     "Sign in as a demo user (onedoor dev only)",
		Description: "A bearer token for a demo user, signed with the data folder's development key as `onedoor token` signs. " +
			"Only `onedoor dev` serves this.",
		Tags:   []string{"Development"},
		Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *DevTokenInput) (*DevTokenOutput, error) {
		for _, u := range d.Users {
			if u.ID != in.Body.User {
				continue
			}
			ttl := d.TTL
			if ttl <= 0 {
				ttl = 12 * time.Hour
			}
			token, err := auth.SignDev(d.Key, u.ID, ttl)
			if err != nil {
				return nil, s.internal(ctx, err)
			}
			p, err := s.profile(ctx, u)
			if err != nil {
				return nil, err
			}
			out := &DevTokenOutput{}
			out.Body.Token, out.Body.ExpiresAt, out.Body.User = token, time.Now().Add(ttl).UTC(), p
			return out, nil
		}
		return nil, huma.Error404NotFound("no demo user " + in.Body.User)
	})
}
