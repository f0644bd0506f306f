package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestDevServesTheTemporalUI: `onedoor dev` serves the Temporal Web UI beside the workbench,
// pointed at its embedded Temporal, where a developer finds a case's workflow; its payloads stay
// sealed there (the resident's phone is not in the history the UI reads).
func TestDevServesTheTemporalUI(t *testing.T) {
	t.Parallel()
	bin, data := binary(t), dataFolder(t)
	apiPort, uiPort := freePort(t), freePort(t)
	c := startCenterCmd(t, exec.Command(bin, "dev", "--data", data, "--addr", fmt.Sprintf("127.0.0.1:%d", apiPort),
		"--temporal-port", "0", "--temporal-ui-port", strconv.Itoa(uiPort)), apiPort)
	defer func() {
		_ = c.cmd.Process.Kill()
		_ = c.wait()
	}()
	require.Contains(t, c.log.String(), fmt.Sprintf("Temporal UI: http://127.0.0.1:%d/namespaces/default/workflows", uiPort))
	ui := fmt.Sprintf("http://127.0.0.1:%d", uiPort)
	get := func(path string) string {
		t.Helper()
		resp, err := http.Get(ui + path)
		require.NoError(t, err, path)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s: %s", path, b)
		return string(b)
	}
	require.Contains(t, get("/namespaces/default/workflows"), "<html", "the UI's page")
	require.Contains(t, get("/api/v1/namespaces"), `"name": "default"`, "the UI reads the embedded Temporal")

	const phone = "13912345678"
	status, k := c.request(t, http.MethodPost, "/v1/cases", token(t, bin, data, "clerk-galutu"), map[string]any{
		"matter": "consultation", "channel": "visit", "subject": "法律咨询（界面）", "resident_name": "王五",
		"data": map[string]any{"name": "王五", "phone": phone, "topic": "land", "question": "土地承包经营权流转合同怎么签？"},
	})
	require.Equal(t, http.StatusCreated, status, k)
	workflow := "case-" + k["id"].(string)
	var list string
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(time.Second) {
		list = get("/api/v1/namespaces/default/workflows")
		if strings.Contains(list, workflow) || time.Now().After(deadline) {
			break
		}
	}
	require.Contains(t, list, workflow, "the case's workflow is listed in the UI")
	history := get("/api/v1/namespaces/default/workflows/" + workflow + "/history")
	var h map[string]any
	require.NoError(t, json.Unmarshal([]byte(history), &h), history)
	require.NotEmpty(t, h["history"], history)
	require.NotContains(t, history, phone, "payloads are sealed in the history the UI reads")
}
