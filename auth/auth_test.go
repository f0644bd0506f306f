package auth_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/auth"
)

func TestDevTokens(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	key, err := auth.DevKey(dir)
	require.NoError(t, err)
	again, err := auth.DevKey(dir)
	require.NoError(t, err)
	require.Equal(t, key, again, "the key is kept in the data folder")
	info, err := os.Stat(filepath.Join(dir, "dev-signing.key"))
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	v, err := auth.NewDevVerifier(dir)
	require.NoError(t, err)
	token, err := auth.SignDev(key, "clerk-galutu", time.Hour)
	require.NoError(t, err)
	sub, err := v.Verify(token)
	require.NoError(t, err)
	require.Equal(t, "clerk-galutu", sub)

	expired, err := auth.SignDev(key, "clerk-galutu", -time.Hour)
	require.NoError(t, err)
	_, err = v.Verify(expired)
	require.Equal(t, onedoor.EUnauthorized, onedoor.ErrorCode(err))

	other, err := auth.NewDevVerifier(t.TempDir())
	require.NoError(t, err)
	_, err = other.Verify(token)
	require.Equal(t, onedoor.EUnauthorized, onedoor.ErrorCode(err), "another data folder's key does not verify it")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "dev-signing.key"), []byte("not a key"), 0o600))
	_, err = auth.DevKey(dir)
	require.ErrorContains(t, err, "delete it to make a new one")
}

// TestJWKSVerifier checks the production path: tokens of an OpenID Connect issuer, verified
// against the key set it publishes.
func TestJWKSVerifier(t *testing.T) {
	t.Parallel()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	b64 := func(n *big.Int) string { return base64.RawURLEncoding.EncodeToString(n.FillBytes(make([]byte, 32))) }
	jwks := map[string]any{"keys": []map[string]any{{
		"kty": "EC", "crv": "P-256", "kid": "k1", "alg": "ES256", "use": "sig", "x": b64(key.X), "y": b64(key.Y),
	}}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(jwks)
	}))
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const issuer = "https://sso.wushen.example"
	v, err := auth.NewJWKSVerifier(ctx, issuer, srv.URL)
	require.NoError(t, err)
	sign := func(claims jwt.RegisteredClaims) string {
		tok := jwt.NewWithClaims(jwt.SigningMethodES256, claims)
		tok.Header["kid"] = "k1"
		s, err := tok.SignedString(key)
		require.NoError(t, err)
		return s
	}
	valid := jwt.RegisteredClaims{
		Issuer: issuer, Subject: "supervisor-banner", Audience: jwt.ClaimStrings{auth.Audience},
		ExpiresAt: jwt.NewNumericDate(time.Now().Add(time.Hour)),
	}
	sub, err := v.Verify(sign(valid))
	require.NoError(t, err)
	require.Equal(t, "supervisor-banner", sub)

	wrongIssuer := valid
	wrongIssuer.Issuer = "https://elsewhere.example"
	_, err = v.Verify(sign(wrongIssuer))
	require.Equal(t, onedoor.EUnauthorized, onedoor.ErrorCode(err))
	wrongAudience := valid
	wrongAudience.Audience = jwt.ClaimStrings{"another-app"}
	_, err = v.Verify(sign(wrongAudience))
	require.Equal(t, onedoor.EUnauthorized, onedoor.ErrorCode(err))
	noExpiry := valid
	noExpiry.ExpiresAt = nil
	_, err = v.Verify(sign(noExpiry))
	require.Equal(t, onedoor.EUnauthorized, onedoor.ErrorCode(err), "tokens must expire")

	_, err = auth.NewJWKSVerifier(ctx, "", srv.URL)
	require.Error(t, err)

	// onedoor dev given the issuer accepts its tokens beside the development key's; the
	// provider's verifier alone, production's, never accepts a development token.
	dir := t.TempDir()
	dev, err := auth.NewDevVerifier(dir)
	require.NoError(t, err)
	devKey, err := auth.DevKey(dir)
	require.NoError(t, err)
	devToken, err := auth.SignDev(devKey, "clerk-sarula", time.Hour)
	require.NoError(t, err)
	_, err = v.Verify(devToken)
	require.Equal(t, onedoor.EUnauthorized, onedoor.ErrorCode(err), "production accepted a development token")
	both := dev.Or(v)
	sub, err = both.Verify(devToken)
	require.NoError(t, err)
	require.Equal(t, "clerk-sarula", sub)
	sub, err = both.Verify(sign(valid))
	require.NoError(t, err)
	require.Equal(t, "supervisor-banner", sub)
	// The issuer picks the key; it does not vouch for the token.
	forged := valid
	forged.Issuer = auth.DevIssuer
	_, err = both.Verify(sign(forged))
	require.Equal(t, onedoor.EUnauthorized, onedoor.ErrorCode(err), "a provider's key signed a development token")
	_, err = both.Verify(sign(wrongIssuer))
	require.Equal(t, onedoor.EUnauthorized, onedoor.ErrorCode(err))
	_, err = both.Verify("not a token")
	require.Equal(t, onedoor.EUnauthorized, onedoor.ErrorCode(err))
}

// TestDevKeyRace: processes that start at once on a new data folder get the same key; the one
// that loses the race to create it reads the winner's (it used to fail with "file does not
// exist", found by staticcheck).
func TestDevKeyRace(t *testing.T) {
	t.Parallel()
	for range 20 {
		dir := t.TempDir()
		keys := make([]ed25519.PrivateKey, 8)
		errs := make([]error, 8)
		var wg sync.WaitGroup
		for i := range keys {
			wg.Go(func() { keys[i], errs[i] = auth.DevKey(dir) })
		}
		wg.Wait()
		for i := range keys {
			require.NoError(t, errs[i])
			require.True(t, keys[0].Equal(keys[i]))
		}
	}
}
