package e2e

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/prometheus/common/expfmt"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/taskqueue/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/onedoor/onedoor/auth"
	"github.com/onedoor/onedoor/lookup"
	"github.com/onedoor/onedoor/workflows"
)

// proc is one onedoor process of the cluster (api or worker), logging to a file of its own.
type proc struct {
	name, logPath string
	cmd           *exec.Cmd
	done          chan struct{}
}

// startProc starts `onedoor args...` with env added to ours.
func startProc(t *testing.T, bin, dir, name string, env []string, args ...string) *proc {
	t.Helper()
	p := &proc{name: name, logPath: filepath.Join(dir, name+".log"), done: make(chan struct{})}
	log, err := os.OpenFile(p.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	require.NoError(t, err)
	defer log.Close()
	p.cmd = exec.Command(bin, args...)
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout, p.cmd.Stderr = log, log
	require.NoError(t, p.cmd.Start())
	go func() {
		_ = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() { p.stop(t) })
	return p
}

// kill ends the process with SIGKILL and waits until it is gone.
func (p *proc) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// stop ends the process with SIGTERM (SIGKILL after 30 s) and reports how long it took.
func (p *proc) stop(t *testing.T) time.Duration {
	t0 := time.Now()
	select {
	case <-p.done:
		return 0
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		t.Logf("%s did not stop within 30 s of SIGTERM: killed", p.name)
		p.kill()
	}
	return time.Since(t0)
}

// logTail is the end of the process's log, for a failure message.
func (p *proc) logTail() string {
	b, _ := os.ReadFile(p.logPath)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > 30 {
		lines = lines[len(lines)-30:]
	}
	return strings.Join(lines, "\n")
}

// waitHealthy waits until the API at url answers /healthz with 200.
func (p *proc) waitHealthy(t *testing.T, url string) {
	t.Helper()
	exited := func() bool {
		select {
		case <-p.done:
			return true
		default:
			return false
		}
	}
	awaitHealthy(t, url, p.name, exited, p.logTail)
}

// awaitHealthy waits up to 90 s until the API at url answers /healthz with 200, failing the
// test with the process's log when it does not or when exited (if not nil) says it ended.
func awaitHealthy(t *testing.T, url, name string, exited func() bool, log func() string) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		if exited != nil && exited() {
			t.Fatalf("%s exited while starting:\n%s", name, log())
		}
		if resp, err := http.Get(url + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not healthy within 90 s:\n%s", name, log())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// waitPolling waits until the worker process polls the case task queue for workflow and
// activity tasks: the Temporal server then knows it by its identity (pid@host).
func (p *proc) waitPolling(t *testing.T, tc client.Client) {
	t.Helper()
	prefix := fmt.Sprintf("%d@", p.cmd.Process.Pid)
	deadline := time.Now().Add(90 * time.Second)
	for {
		select {
		case <-p.done:
			t.Fatalf("%s exited while starting:\n%s", p.name, p.logTail())
		default:
		}
		found := 0
		for _, kind := range []enumspb.TaskQueueType{enumspb.TASK_QUEUE_TYPE_WORKFLOW, enumspb.TASK_QUEUE_TYPE_ACTIVITY} {
			resp, err := tc.WorkflowService().DescribeTaskQueue(context.Background(), &workflowservice.DescribeTaskQueueRequest{
				Namespace: clusterNamespace, TaskQueue: &taskqueue.TaskQueue{Name: workflows.TaskQueue}, TaskQueueType: kind,
			})
			if err == nil {
				for _, poller := range resp.GetPollers() {
					if strings.HasPrefix(poller.GetIdentity(), prefix) {
						found++
						break
					}
				}
			}
		}
		if found == 2 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s does not poll the task queue after 90 s:\n%s", p.name, p.logTail())
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// issuer is the test's OpenID Connect issuer: an Ed25519 key published as a JWKS.
type issuer struct {
	key  ed25519.PrivateKey
	name string
	url  string // of the JWKS
}

func newIssuer(t *testing.T) *issuer {
	t.Helper()
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	jwks, err := json.Marshal(map[string]any{"keys": []map[string]string{{
		"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": "cluster-test",
		"x": base64.RawURLEncoding.EncodeToString(pub),
	}}})
	require.NoError(t, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(jwks)
	}))
	t.Cleanup(srv.Close)
	return &issuer{key: key, name: "https://idp.onedoor.test", url: srv.URL}
}

// token is a bearer token for the user, valid for an hour.
func (i *issuer) token(t *testing.T, user string) string {
	t.Helper()
	now := time.Now()
	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, jwt.RegisteredClaims{
		Issuer: i.name, Subject: user, Audience: jwt.ClaimStrings{auth.Audience},
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour)),
	})
	tok.Header["kid"] = "cluster-test"
	s, err := tok.SignedString(i.key)
	require.NoError(t, err)
	return s
}

// apiClient sends requests to the API nodes, moving to another node when one does not answer.
type apiClient struct {
	nodes  []string // base URLs
	tokens map[string]string
	http   *http.Client

	mu      sync.Mutex
	calls   []call // every POST, answered or not
	retries int    // requests sent again, with their key, after no answer or a 5xx
}

// call is one POST a client made: when it began, how long until its final answer, and that.
type call struct {
	path   string
	start  time.Time
	took   time.Duration
	status int
}

// slowest is the longest call begun in [from, to), and how many began then.
func (c *apiClient) slowest(from, to time.Time) (time.Duration, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var most time.Duration
	n := 0
	for _, k := range c.calls {
		if !k.start.Before(from) && k.start.Before(to) {
			most = max(most, k.took)
			n++
		}
	}
	return most, n
}

// send posts body to path on node first (then the others in turn) with the Idempotency-Key,
// retrying for up to two minutes while no node answers or the answer is a 5xx or 429. It returns
// the last status (0: no answer), its body, and how long the call took from the first try.
func (c *apiClient) send(ctx context.Context, first int, method, path, user, key string, body any) (int, []byte, time.Duration) {
	b, _ := json.Marshal(body)
	t0 := time.Now()
	giveUp := t0.Add(2 * time.Minute)
	for try := 0; ; try++ {
		node := c.nodes[(first+try)%len(c.nodes)]
		req, _ := http.NewRequestWithContext(ctx, method, node+path, bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+c.tokens[user])
		req.Header.Set("Content-Type", "application/json")
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		status, answer := 0, []byte(nil)
		if resp, err := c.http.Do(req); err == nil {
			status = resp.StatusCode
			answer, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		transient := status == 0 || status >= 500 || status == http.StatusTooManyRequests
		if !transient || time.Now().After(giveUp) || ctx.Err() != nil {
			if method == http.MethodPost {
				c.mu.Lock()
				c.calls = append(c.calls, call{path: path, start: t0, took: time.Since(t0), status: status})
				c.mu.Unlock()
			}
			return status, answer, time.Since(t0)
		}
		c.mu.Lock()
		c.retries++
		c.mu.Unlock()
		time.Sleep(200 * time.Millisecond)
	}
}

// lookupKey is a new key of the resident lookup, as an operator makes one.
func lookupKey(t *testing.T) string {
	t.Helper()
	k, err := lookup.NewKeyText()
	require.NoError(t, err)
	return k
}

// metricsAddr is a free loopback address for a process's metrics listener.
func metricsAddr(t *testing.T) string {
	return fmt.Sprintf("127.0.0.1:%d", freePort(t))
}

// series is one sample of a scraped metric: a counter's or gauge's value, a histogram's count.
type series struct {
	name   string
	labels map[string]string
	value  float64
}

// scrape reads the Prometheus text exposition at addr's /metrics.
func scrape(t *testing.T, addr string) []series {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	require.NoError(t, err, addr)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, addr)
	var parser expfmt.TextParser
	families, err := parser.TextToMetricFamilies(resp.Body)
	require.NoError(t, err, addr)
	var out []series
	for name, f := range families {
		for _, m := range f.GetMetric() {
			s := series{name: name, labels: map[string]string{}}
			for _, l := range m.GetLabel() {
				s.labels[l.GetName()] = l.GetValue()
			}
			switch {
			case m.Counter != nil:
				s.value = m.GetCounter().GetValue()
			case m.Gauge != nil:
				s.value = m.GetGauge().GetValue()
			case m.Histogram != nil:
				s.value = float64(m.GetHistogram().GetSampleCount())
			default:
				continue
			}
			out = append(out, s)
		}
	}
	return out
}

// total sums the series of the metric name whose labels include want.
func total(ss []series, name string, want map[string]string) float64 {
	var sum float64
	for _, s := range ss {
		if s.name != name {
			continue
		}
		match := true
		for k, v := range want {
			match = match && s.labels[k] == v
		}
		if match {
			sum += s.value
		}
	}
	return sum
}
