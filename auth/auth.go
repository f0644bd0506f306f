// Package auth issues and verifies the bearer tokens of OneDoor's API. In production tokens come
// from the organisation's OpenID Connect issuer and are verified against its JWKS; in
// development `onedoor token` signs them with a key kept in the data folder.
package auth

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"

	"github.com/onedoor/onedoor"
)

// DevIssuer is the issuer of tokens signed with the development key.
const DevIssuer = "onedoor-dev"

// Audience is the audience every token must name.
const Audience = "onedoor"

// devKeyFile is where the development signing key lives in the data folder.
const devKeyFile = "dev-signing.key"

// Verifier checks bearer tokens and returns the user id (the token's subject).
type Verifier struct {
	keyfunc jwt.Keyfunc
	issuer  string
	methods []string
	// either, when set, are the verifiers of several issuers, each token checked by its own (Or).
	either []*Verifier
}

// Or is a verifier of the tokens of v's issuer and of w's, each token checked by the verifier of
// the issuer it names. Only `onedoor dev` combines its development key with a provider's JWKS;
// production verifies the provider's tokens alone, so a development token is never accepted there.
func (v *Verifier) Or(w *Verifier) *Verifier {
	return &Verifier{either: append(v.all(), w.all()...)}
}

func (v *Verifier) all() []*Verifier {
	if v.either != nil {
		return v.either
	}
	return []*Verifier{v}
}

// Verify checks a token's signature, issuer, audience and expiry, and returns its subject.
func (v *Verifier) Verify(token string) (string, error) {
	if v.either != nil {
		// The issuer read before the signature is checked only picks the key to check it with;
		// the chosen verifier checks the issuer again, signed.
		claims := jwt.RegisteredClaims{}
		if _, _, err := jwt.NewParser().ParseUnverified(token, &claims); err != nil {
			return "", &onedoor.Error{Code: onedoor.EUnauthorized, Message: "invalid bearer token: " + err.Error(), Err: err}
		}
		for _, w := range v.either {
			if w.issuer == claims.Issuer {
				return w.Verify(token)
			}
		}
		return "", onedoor.Errorf(onedoor.EUnauthorized, "invalid bearer token: issuer %q is not accepted", claims.Issuer)
	}
	claims := jwt.RegisteredClaims{}
	_, err := jwt.ParseWithClaims(token, &claims, v.keyfunc,
		jwt.WithValidMethods(v.methods), jwt.WithIssuer(v.issuer), jwt.WithAudience(Audience),
		jwt.WithExpirationRequired(), jwt.WithLeeway(30*time.Second))
	if err != nil {
		return "", &onedoor.Error{Code: onedoor.EUnauthorized, Message: "invalid bearer token: " + err.Error(), Err: err}
	}
	if claims.Subject == "" {
		return "", onedoor.Errorf(onedoor.EUnauthorized, "invalid bearer token: no subject")
	}
	return claims.Subject, nil
}

// NewDevVerifier verifies tokens signed with the data folder's development key, creating the
// key on first use.
func NewDevVerifier(dataDir string) (*Verifier, error) {
	key, err := DevKey(dataDir)
	if err != nil {
		return nil, err
	}
	pub := key.Public()
	return &Verifier{
		keyfunc: func(*jwt.Token) (any, error) { return pub, nil },
		issuer:  DevIssuer,
		methods: []string{jwt.SigningMethodEdDSA.Alg()},
	}, nil
}

// NewJWKSVerifier verifies tokens from an OpenID Connect issuer whose keys are published at
// jwksURL; the key set is fetched in the background and refreshed as the issuer rotates keys.
func NewJWKSVerifier(ctx context.Context, issuer, jwksURL string) (*Verifier, error) {
	if issuer == "" || jwksURL == "" {
		return nil, errors.New("auth: both the issuer and the JWKS URL are required")
	}
	k, err := keyfunc.NewDefaultCtx(ctx, []string{jwksURL})
	if err != nil {
		return nil, fmt.Errorf("auth: JWKS %s: %w", jwksURL, err)
	}
	return &Verifier{keyfunc: k.Keyfunc, issuer: issuer, methods: []string{"RS256", "ES256", "EdDSA"}}, nil
}

// DevKey loads the data folder's development signing key, creating it on first use.
func DevKey(dataDir string) (ed25519.PrivateKey, error) {
	path := filepath.Join(dataDir, devKeyFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		seed := make([]byte, ed25519.SeedSize)
		if _, err := rand.Read(seed); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(dataDir, 0o755); err != nil {
			return nil, fmt.Errorf("auth: data folder: %w", err)
		}
		// Written whole to a file of its own, then linked into place, which fails when the key
		// exists: when two processes start at once, one key wins and the other reads it, whole.
		tmp, ferr := os.CreateTemp(dataDir, ".dev-signing-*")
		if ferr != nil {
			return nil, fmt.Errorf("auth: create a key in %s: %w", dataDir, ferr)
		}
		_, ferr = tmp.WriteString(hex.EncodeToString(seed) + "\n")
		if cerr := tmp.Close(); ferr == nil {
			ferr = cerr
		}
		if ferr == nil {
			ferr = os.Chmod(tmp.Name(), 0o600)
		}
		if ferr == nil {
			ferr = os.Link(tmp.Name(), path)
		}
		_ = os.Remove(tmp.Name())
		if ferr == nil {
			return ed25519.NewKeyFromSeed(seed), nil
		}
		if !errors.Is(ferr, os.ErrExist) {
			return nil, fmt.Errorf("auth: write %s: %w", path, ferr)
		}
		// The other process's key: read it (the outer err, still "not exist", is replaced).
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("auth: read %s: %w", path, err)
	}
	seed, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("auth: %s is not a signing key; delete it to make a new one", path)
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// SignDev signs a development token for the user, valid for ttl.
func SignDev(key ed25519.PrivateKey, userID string, ttl time.Duration) (string, error) {
	now := time.Now()
	claims := jwt.RegisteredClaims{
		Issuer:    DevIssuer,
		Subject:   userID,
		Audience:  jwt.ClaimStrings{Audience},
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
	}
	return jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims).SignedString(key)
}
