package e2e

import (
	"net/http"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDevHonoursRateLimit: `onedoor dev` reads ONEDOOR_RATE_LIMIT like serve and api do, and a
// client making up a new token for every request is limited by its address.
func TestDevHonoursRateLimit(t *testing.T) {
	// Not parallel: the variable is set for the center started here only.
	t.Setenv("ONEDOOR_RATE_LIMIT", "1")
	bin, data := binary(t), dataFolder(t)
	c := startCenter(t, bin, data, freePort(t), freePort(t))
	defer func() {
		_ = c.cmd.Process.Signal(syscall.SIGTERM)
		_ = c.wait()
	}()
	got := map[int]int{}
	for i := range 20 {
		req, err := http.NewRequest(http.MethodGet, c.url+"/v1/tasks", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer made-up-"+string(rune('a'+i)))
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		got[resp.StatusCode]++
	}
	require.Positive(t, got[http.StatusTooManyRequests], "a limit of one a second, bursts of five: %v", got)
}
