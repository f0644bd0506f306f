package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/codec"
	"github.com/onedoor/onedoor/demo"
	"github.com/onedoor/onedoor/internal/cluster"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/store"
)

// TestImageRunsInPodman runs the image `make image` writes in a real container engine, as
// production runs it: loaded into podman, `migrate` then `serve` (the API and a worker), against
// PostgreSQL and Temporal outside the container. The process in it runs as the unprivileged
// user, answers a registration (its worker runs the workflow), and stops cleanly on the engine's
// SIGTERM, as PID 1 of its container.
func TestImageRunsInPodman(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	bin, dir := binary(t), t.TempDir()
	var nonce [4]byte
	_, _ = rand.Read(nonce[:])
	id := hex.EncodeToString(nonce[:])
	tag, name := "localhost/onedoor-e2e:"+id, "onedoor-e2e-"+id

	tarball := filepath.Join(dir, "onedoor-image.tar")
	out, err := exec.Command("go", "run", "../deploy/image", "-o", tarball, "-tag", tag, bin).CombinedOutput()
	require.NoError(t, err, "make image's packer:\n%s", out)
	podman(t, "load", "-i", tarball)
	t.Cleanup(func() { _, _ = podmanOut("rmi", "--force", tag) })

	// A namespace and a database of the test's own: another test's worker on the shared test
	// server never takes this one's workflows.
	namespace := "image-" + id
	require.NoError(t, cluster.RegisterNamespace(ctx, testenv.Temporal(t), namespace))
	dbURL := testenv.OwnDatabaseURL(t)
	keys, err := codec.NewKeyLine("2026-1", codec.AES256GCM)
	require.NoError(t, err)
	idp := newIssuer(t)
	apiPort := freePort(t)
	url := fmt.Sprintf("http://127.0.0.1:%d", apiPort)
	env := []string{
		"DATABASE_URL=" + dbURL, "TEMPORAL_ADDRESS=" + testenv.TemporalAddress(t), "TEMPORAL_NAMESPACE=" + namespace,
		"ONEDOOR_CODEC_KEYS=" + keys, "ONEDOOR_JWT_ISSUER=" + idp.name, "ONEDOOR_JWKS_URL=" + idp.url,
		"ONEDOOR_LOOKUP_KEY=" + lookupKey(t), "ONEDOOR_ADDR=" + strings.TrimPrefix(url, "http://"), "ONEDOOR_RATE_LIMIT=-1",
	}
	run := func(detached bool, args ...string) []string {
		a := append([]string{"run"}, containerFlags()...)
		if detached {
			a = append(a, "--detach", "--name", name)
		} else {
			a = append(a, "--rm")
		}
		// The test's PostgreSQL, Temporal and identity provider listen on loopback.
		a = append(a, "--network", "host")
		for _, e := range env {
			a = append(a, "--env", e)
		}
		return append(append(a, tag), args...)
	}

	// A release's first step, in the image: the namespace gets its search attributes.
	podman(t, run(false, "migrate", "--register-search-attributes")...)
	s, err := store.Open(ctx, dbURL)
	require.NoError(t, err)
	require.NoError(t, demo.Load(ctx, s)) // the staff of the demo organisation
	s.Close()

	// The image's default command: serve.
	podman(t, run(true)...)
	t.Cleanup(func() { _, _ = podmanOut("rm", "--force", "--time", "0", name) })
	logs := func() string { out, _ := podmanOut("logs", name); return out }
	awaitHealthy(t, url, "the container", nil, logs)

	// The process is the unprivileged user of the image, not root.
	pid := strings.TrimSpace(podman(t, "inspect", "--format", "{{.State.Pid}}", name))
	status, err := os.ReadFile("/proc/" + pid + "/status")
	require.NoError(t, err)
	require.Regexp(t, `(?m)^Uid:\s+65532\s+65532\s+65532\s+65532$`, string(status))

	// A registration: the API in the container starts the workflow, the worker beside it runs it.
	api := &apiClient{nodes: []string{url}, tokens: map[string]string{"clerk-galutu": idp.token(t, "clerk-galutu")}, http: &http.Client{Timeout: 30 * time.Second}}
	code, answer, _ := api.send(ctx, 0, http.MethodPost, "/v1/cases", "clerk-galutu", "image-"+id, map[string]any{
		"matter": "petition", "channel": "visit", "subject": "草场边界纠纷（容器）", "resident_name": "张三",
		"data": map[string]any{"petitioner": "张三", "phone": phoneOf(1), "id_number": residentID(1), "channel": "visit",
			"category": "request", "topic": "land", "people": 1, "facts": "邻居占用草场，多次协商未果。"},
	})
	require.Equal(t, http.StatusCreated, code, "%s\n%s", answer, logs())
	require.Contains(t, string(answer), `"status":"open"`)

	// The engine's stop is a SIGTERM to PID 1: the process drains and exits 0 within the grace.
	podman(t, "stop", "--time", "30", name)
	exit := strings.TrimSpace(podman(t, "inspect", "--format", "{{.State.ExitCode}}", name))
	require.Equal(t, "0", exit, "the container's exit code after podman stop\n%s", logs())
	require.Contains(t, logs(), "API stopped")
	require.Contains(t, logs(), "worker stopped")
}

// containerFlags are what `podman run` needs beyond its defaults on a host that forbids raising
// a resource limit (these test machines): podman's defaults for root (a million open files, four
// million processes) exceed the host's hard limits and the container would not start, so it gets
// the test's own open-file limit and a process limit no Go server comes near.
func containerFlags() []string {
	var files syscall.Rlimit
	_ = syscall.Getrlimit(syscall.RLIMIT_NOFILE, &files)
	return []string{"--ulimit", fmt.Sprintf("nofile=%d:%d", files.Cur, files.Cur), "--ulimit", "nproc=4096:4096"}
}

// podman runs podman and fails the test with its output when it fails. The runtime is runc: it
// runs on the hybrid cgroup layout of hosts like these (Debian 12's crun refuses it).
func podman(t *testing.T, args ...string) string {
	t.Helper()
	out, err := podmanOut(args...)
	require.NoError(t, err, "podman %s:\n%s", strings.Join(args, " "), out)
	return out
}

func podmanOut(args ...string) (string, error) {
	var b bytes.Buffer
	cmd := exec.Command("podman", append([]string{"--runtime", "runc"}, args...)...)
	cmd.Stdout, cmd.Stderr = &b, &b
	err := cmd.Run()
	return b.String(), err
}
