package api_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/auth"
	"github.com/onedoor/onedoor/demo"
)

// devAuth is a verifier of development tokens and a token for each demo user and each of the
// extra users, by user id.
func devAuth(t testing.TB, extra ...onedoor.User) (*auth.Verifier, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	v, err := auth.NewDevVerifier(dir)
	require.NoError(t, err)
	key, err := auth.DevKey(dir)
	require.NoError(t, err)
	tokens := map[string]string{}
	for _, u := range append(append([]onedoor.User{}, demo.Users...), extra...) {
		tokens[u.ID], err = auth.SignDev(key, u.ID, time.Hour)
		require.NoError(t, err)
	}
	return v, tokens
}
