package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestSIGTERMFinishesTheRequestInFlight: a registration whose body is still arriving when the
// center gets SIGTERM is answered 201 (its workflow runs on the center's own worker, which stops
// only after the API); no new connection is accepted meanwhile; an open event stream is ended
// rather than waited for; the process then exits cleanly, well within the 10 s the API is given.
// The requests are known to be in flight by the center's own metrics.
func TestSIGTERMFinishesTheRequestInFlight(t *testing.T) {
	t.Parallel()
	bin, data := binary(t), dataFolder(t)
	metrics := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	c := startCenterWith(t, bin, data, freePort(t), freePort(t), "--metrics-addr", metrics)
	clerk := token(t, bin, data, "clerk-galutu")

	body, err := json.Marshal(map[string]any{
		"matter": "petition", "channel": "visit", "subject": "草场边界纠纷", "resident_name": "张三",
		"data": map[string]any{
			"petitioner": "张三", "phone": "13800138000", "channel": "visit", "category": "request",
			"topic": "land", "people": 1, "facts": "邻居占用草场，多次协商未果。",
		},
	})
	require.NoError(t, err)
	pr, pw := io.Pipe()
	req, err := http.NewRequest(http.MethodPost, c.url+"/v1/cases", pr)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+clerk)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Request-Id", "drain-1")
	type answer struct {
		status int
		body   string
		err    error
	}
	answered := make(chan answer, 1)
	go func() {
		resp, err := (&http.Client{Transport: &http.Transport{}}).Do(req)
		if err != nil {
			answered <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		answered <- answer{status: resp.StatusCode, body: string(b), err: err}
	}()
	// A workbench listening for notifications: its stream lasts as long as it does.
	streamReq, err := http.NewRequest(http.MethodGet, c.url+"/v1/events", nil)
	require.NoError(t, err)
	streamReq.Header.Set("Authorization", "Bearer "+clerk)
	streamResp, err := (&http.Client{Transport: &http.Transport{}}).Do(streamReq)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, streamResp.StatusCode)
	streamEnded := make(chan error, 1)
	go func() {
		_, err := io.Copy(io.Discard, streamResp.Body)
		streamEnded <- err
	}()

	half := len(body) / 2
	_, err = pw.Write(body[:half])
	require.NoError(t, err)
	resp, err := http.Get("http://" + metrics + "/livez")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "the metrics listener answers liveness too")
	require.Eventually(t, func() bool { return scrapeGauge(metrics, "onedoor_http_requests_in_flight") == 2 },
		10*time.Second, 20*time.Millisecond, "the registration and the stream are in flight")

	require.NoError(t, c.cmd.Process.Signal(syscall.SIGTERM))
	stopping := time.Now()
	// The listener closes at once: a new client is refused while the old one is served.
	require.Eventually(t, func() bool {
		resp, err := http.Get(c.url + "/livez")
		if err == nil {
			resp.Body.Close()
		}
		return err != nil
	}, 5*time.Second, 20*time.Millisecond, "no new connection after SIGTERM")
	select {
	case a := <-answered:
		t.Fatalf("answered before the body was complete: %+v", a)
	default:
	}

	_, err = pw.Write(body[half:])
	require.NoError(t, err)
	require.NoError(t, pw.Close())
	a := <-answered
	require.NoError(t, a.err)
	require.Equal(t, http.StatusCreated, a.status, a.body)
	require.Contains(t, a.body, `"number"`)

	select {
	case err := <-streamEnded:
		require.NoError(t, err, "the stream ends cleanly")
	case <-time.After(5 * time.Second):
		t.Fatal("the event stream was not ended by the shutdown")
	}
	require.NoError(t, c.wait(), c.log.String())
	require.Less(t, time.Since(stopping), 8*time.Second, "nothing waited for the API's 10 s")
	log := c.log.String()
	require.NotContains(t, log, "API stopped before its requests finished")
	api, worker := strings.Index(log, "API stopped"), strings.Index(log, "worker stopping")
	require.Positive(t, api, log)
	require.Greater(t, worker, api, "the worker stops after the API has answered its requests")
	require.Contains(t, log, "PostgreSQL stopped")
}

// startCenterWith is startCenter with more flags for `onedoor dev`.
func startCenterWith(t *testing.T, bin, data string, apiPort, temporalPort int, flags ...string) *center {
	t.Helper()
	c := startCenterCmd(t, exec.Command(bin, append([]string{"dev", "--data", data, "--addr", fmt.Sprintf("127.0.0.1:%d", apiPort),
		"--temporal-port", strconv.Itoa(temporalPort), "--temporal-ui-port=-1"}, flags...)...), apiPort)
	return c
}

// scrapeGauge is the value of an unlabelled series at http://addr/metrics, -1 when unreadable.
func scrapeGauge(addr, name string) float64 {
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err == nil {
				return f
			}
		}
	}
	return -1
}
