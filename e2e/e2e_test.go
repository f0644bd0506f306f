// Package e2e tests the built onedoor binary as a user runs it.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/onedoor/onedoor/codec"
	"github.com/onedoor/onedoor/internal/freeport"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/workflows"
)

// binary is the onedoor binary under test.
func binary(t *testing.T) string { return testenv.Binary(t) }

// freePort is a loopback port nobody listens on now, outside the kernel's ephemeral range.
func freePort(t *testing.T) int {
	t.Helper()
	port, err := freeport.One()
	require.NoError(t, err)
	return port
}

// center is one `onedoor dev` process.
type center struct {
	cmd  *exec.Cmd
	log  *bytes.Buffer
	url  string
	done chan struct{} // closed when the process has exited, with its error in err
	err  error
}

// wait waits for the process to exit and returns how it did.
func (c *center) wait() error {
	<-c.done
	return c.err
}

func startCenter(t *testing.T, bin, data string, apiPort, temporalPort int) *center {
	t.Helper()
	return startCenterCmd(t, exec.Command(bin, "dev", "--data", data, "--addr", fmt.Sprintf("127.0.0.1:%d", apiPort),
		"--temporal-port", strconv.Itoa(temporalPort), "--temporal-ui-port=-1"), apiPort)
}

// startCenterCmd starts cmd, an `onedoor dev` listening on apiPort, and waits until it is healthy.
func startCenterCmd(t *testing.T, cmd *exec.Cmd, apiPort int) *center {
	t.Helper()
	var log bytes.Buffer
	cmd.Env = append(os.Environ(), "DATABASE_URL=") // the private cluster, as a new user gets
	cmd.Stdout, cmd.Stderr = &log, &log
	require.NoError(t, cmd.Start())
	c := &center{cmd: cmd, log: &log, url: fmt.Sprintf("http://127.0.0.1:%d", apiPort), done: make(chan struct{})}
	go func() {
		c.err = cmd.Wait()
		close(c.done)
	}()
	deadline := time.Now().Add(90 * time.Second)
	for {
		select {
		case <-c.done:
			t.Fatalf("onedoor dev exited while starting (%v):\n%s", c.err, log.String())
		default:
		}
		resp, err := http.Get(c.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return c
			}
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("onedoor dev did not become healthy:\n%s", log.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (c *center) request(t *testing.T, method, path, token string, body any) (int, map[string]any) {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest(method, c.url+path, bytes.NewReader(b))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out
}

// dataFolder is a data folder for a center, which the postgres system user can reach; the
// PostgreSQL a killed center left running is stopped when the test ends.
func dataFolder(t *testing.T) string {
	t.Helper()
	data, err := os.MkdirTemp("", "onedoor-e2e-")
	require.NoError(t, err)
	require.NoError(t, os.Chmod(data, 0o755))
	t.Cleanup(func() {
		stopOrphanPostgres(data)
		time.Sleep(time.Second)
		_ = os.RemoveAll(data)
	})
	return data
}

// token is what `onedoor token` prints for the user.
func token(t *testing.T, bin, data, user string) string {
	t.Helper()
	out, err := exec.Command(bin, "token", "--data", data, "--user", user).Output()
	require.NoError(t, err)
	return strings.TrimSpace(string(out))
}

// stopOrphanPostgres stops a PostgreSQL left running by a killed center.
func stopOrphanPostgres(data string) {
	b, err := os.ReadFile(filepath.Join(data, "postgres", "postmaster.pid"))
	if err != nil {
		return
	}
	if pid, err := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0]); err == nil {
		_ = syscall.Kill(pid, syscall.SIGTERM)
	}
}

// TestTimersFireAfterKill publishes a procedure with deadlines in minutes from receipt, registers
// a case at a village received 45 s before, kills the center at once, starts it again, and
// watches the case escalate to the town and then the banner by itself: the timer set before the
// crash fired after it, and the chain went on.
func TestTimersFireAfterKill(t *testing.T) {
	t.Parallel()
	bin, data := binary(t), dataFolder(t)
	apiPort, temporalPort := freePort(t), freePort(t)
	first := startCenter(t, bin, data, apiPort, temporalPort)
	admin, clerk := token(t, bin, data, "admin"), token(t, bin, data, "clerk-sarula")

	src, err := os.ReadFile("testdata/received-minutes.yaml")
	require.NoError(t, err)
	status, draft := first.request(t, http.MethodPost, "/v1/procedures", admin, map[string]any{"yaml": string(src)})
	require.Equal(t, http.StatusCreated, status, draft)
	status, published := first.request(t, http.MethodPost, "/v1/procedures/received-minutes/versions/1/publish", admin, nil)
	require.Equal(t, http.StatusOK, status, published)

	status, c := first.request(t, http.MethodPost, "/v1/cases", clerk, map[string]any{
		"matter": "mediation", "procedure": "received-minutes", "channel": "visit", "subject": "邻里纠纷",
		"resident_name": "李四", "data": map[string]any{"facts": "噪音扰民"},
		"received_at": time.Now().Add(-45 * time.Second), "late_reason": "来访登记后补录",
	})
	require.Equal(t, http.StatusCreated, status, c)
	require.Equal(t, "village", c["level"])
	require.NoError(t, first.cmd.Process.Signal(syscall.SIGKILL))
	_ = first.wait()

	second := startCenter(t, bin, data, apiPort, temporalPort)
	defer func() {
		_ = second.cmd.Process.Signal(syscall.SIGTERM)
		_ = second.wait()
	}()
	supervisor := token(t, bin, data, "supervisor-banner")
	deadline := time.Now().Add(4 * time.Minute)
	var got map[string]any
	for time.Now().Before(deadline) {
		status, got = second.request(t, http.MethodGet, "/v1/cases/"+c["number"].(string), supervisor, nil)
		require.Equal(t, http.StatusOK, status, got)
		if got["level"] == "banner" {
			break
		}
		time.Sleep(2 * time.Second)
	}
	require.Equal(t, "banner", got["level"], "the case climbed while nobody acted")
	require.Equal(t, "wushen", got["org_unit"])
	require.EqualValues(t, 2, got["escalations"])
	tasks := got["tasks"].([]any)
	require.Len(t, tasks, 3)
	for i, level := range []string{"village", "town", "banner"} {
		require.Equal(t, level, tasks[i].(map[string]any)["level"])
	}
}

// TestNothingLostOnKill registers cases, kills the center with SIGKILL, starts it again on the
// same data folder, and finds every case with its workflow still running.
func TestNothingLostOnKill(t *testing.T) {
	t.Parallel()
	bin, data := binary(t), dataFolder(t)
	apiPort, temporalPort := freePort(t), freePort(t)

	first := startCenter(t, bin, data, apiPort, temporalPort)
	clerk := token(t, bin, data, "clerk-galutu")

	var cases []map[string]any
	for i := range 5 {
		status, c := first.request(t, http.MethodPost, "/v1/cases", clerk, map[string]any{
			"matter": "petition", "channel": "visit", "subject": fmt.Sprintf("事项 %d", i), "resident_name": "张三",
			"data": map[string]any{
				"petitioner": "张三", "phone": "13800138000", "channel": "visit", "category": "request",
				"topic": "land", "people": 1, "facts": "邻居占用草场，多次协商未果。",
			},
		})
		require.Equal(t, http.StatusCreated, status, c)
		cases = append(cases, c)
	}

	require.NoError(t, first.cmd.Process.Signal(syscall.SIGKILL))
	_ = first.wait()

	second := startCenter(t, bin, data, apiPort, temporalPort)
	keys, err := codec.DevKeys(data) // the center's payloads are sealed with its data folder's keys
	require.NoError(t, err)
	pc, err := codec.New(keys)
	require.NoError(t, err)
	tc, err := client.Dial(client.Options{HostPort: fmt.Sprintf("127.0.0.1:%d", temporalPort), DataConverter: pc.DataConverter()})
	require.NoError(t, err)
	defer tc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, c := range cases {
		status, got := second.request(t, http.MethodGet, "/v1/cases/"+c["number"].(string), clerk, nil)
		require.Equal(t, http.StatusOK, status, got)
		require.Equal(t, c["id"], got["id"])

		wid := "case-" + c["id"].(string)
		desc, err := tc.DescribeWorkflowExecution(ctx, wid, "")
		require.NoError(t, err)
		require.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING, desc.GetWorkflowExecutionInfo().GetStatus())
		v, err := tc.QueryWorkflow(ctx, wid, "", workflows.QueryState)
		require.NoError(t, err, "the workflow answers after the restart")
		var st workflows.CaseState
		require.NoError(t, v.Get(&st))
		require.Equal(t, c["number"], st.Case.Number)
	}

	// A clean stop takes PostgreSQL down with it.
	require.NoError(t, second.cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, second.wait(), second.log.String())
	require.NoFileExists(t, filepath.Join(data, "postgres", "postmaster.pid"))
	require.Contains(t, second.log.String(), "PostgreSQL stopped")
}
