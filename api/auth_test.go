package api_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/api"
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

// A valid token whose subject is in nobody's record in the directory is a 403 that says whom to
// ask for what, in the client's language.
func TestUnknownSubjectIsToldWhatToAskFor(t *testing.T) {
	t.Parallel()
	s := centerStore(t)
	dir := t.TempDir()
	v, err := auth.NewDevVerifier(dir)
	require.NoError(t, err)
	key, err := auth.DevKey(dir)
	require.NoError(t, err)
	token, err := auth.SignDev(key, "oidc|wang.wu", time.Hour)
	require.NoError(t, err)
	srv := httptest.NewServer((&api.Server{Store: s, Verifier: v, Logger: slog.New(slog.DiscardHandler)}).Handler())
	t.Cleanup(srv.Close)
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/v1/me", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept-Language", "zh-CN")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var problem map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&problem))
	require.Equal(t, http.StatusForbidden, resp.StatusCode, problem)
	require.Equal(t, "您以oidc|wang.wu的身份登录，但工作人员名录中没有此人：请联系管理员在“工作人员”中添加用户oidc|wang.wu，并设置角色和所属单位", problem["detail"])
}
