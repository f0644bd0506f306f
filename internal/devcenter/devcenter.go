// Package devcenter runs `onedoor dev` as a child process, on a PostgreSQL of the caller's, for the
// campaigns that load it or break it (internal/chaos, internal/storm): it keeps Temporal's state
// in its data folder, so a SIGKILL and a restart lose only what was in flight.
package devcenter

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/onedoor/onedoor/embedded/postgres"
	"github.com/onedoor/onedoor/internal/freeport"
)

// Center is one `onedoor dev` process, with no rate limit and no Temporal Web UI.
type Center struct {
	// Bin is the onedoor binary, Data the center's data folder, DatabaseURL its PostgreSQL and
	// LogPath where its output goes (appended to across restarts).
	Bin, Data, DatabaseURL, LogPath string
	APIPort, TemporalPort           int
	// Env is added to the process's environment, Args to its flags.
	Env, Args []string

	mu  sync.Mutex
	cmd *exec.Cmd
}

// Launch starts the center on free ports. A free port may be taken by another test's server
// before the center binds it: a center that exits while starting is started again on other
// ports, up to three times; logf says so.
func Launch(ctx context.Context, c *Center, logf func(format string, args ...any)) error {
	for attempt := 1; ; attempt++ {
		var err error
		if c.APIPort, err = freeport.One(); err != nil {
			return err
		}
		if c.TemporalPort, err = freeport.One(); err != nil {
			return err
		}
		logf("starting onedoor dev (log: %s)", c.LogPath)
		err = c.Start(ctx)
		if err == nil {
			return nil
		}
		if attempt == 3 || ctx.Err() != nil {
			return err
		}
		logf("onedoor dev did not start (%v): again on other ports", err)
	}
}

// URL is the API's base URL.
func (c *Center) URL() string { return fmt.Sprintf("http://127.0.0.1:%d", c.APIPort) }

// Pid is the running process's id, 0 when none runs.
func (c *Center) Pid() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cmd == nil {
		return 0
	}
	return c.cmd.Process.Pid
}

// Start starts the process and waits until it is ready (/healthz answers 200).
func (c *Center) Start(ctx context.Context) error {
	log, err := os.OpenFile(c.LogPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer log.Close()
	args := append([]string{"dev", "--data", c.Data, "--database-url", c.DatabaseURL,
		"--addr", fmt.Sprintf("127.0.0.1:%d", c.APIPort), "--temporal-port", strconv.Itoa(c.TemporalPort),
		"--rate-limit=-1", "--temporal-ui-port=-1"}, c.Args...)
	cmd := exec.Command(c.Bin, args...)
	cmd.Env = append(os.Environ(), c.Env...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start onedoor dev: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	c.mu.Lock()
	c.cmd = cmd
	c.mu.Unlock()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.URL()+"/healthz", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case err := <-exited:
			return fmt.Errorf("onedoor dev exited while starting (%v): see %s", err, c.LogPath)
		case <-ctx.Done():
			_ = cmd.Process.Kill()
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			return fmt.Errorf("onedoor dev was not ready within 2 minutes: see %s", c.LogPath)
		}
	}
}

// Kill ends the process with SIGKILL, as a power cut or the OOM killer would.
func (c *Center) Kill() {
	if cmd := c.take(); cmd != nil {
		_ = cmd.Process.Signal(syscall.SIGKILL)
		gone(cmd, 100) // the port is free once the process is gone
	}
}

// Stop ends the process cleanly, or with SIGKILL after 30 s.
func (c *Center) Stop() {
	if cmd := c.take(); cmd != nil {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		if !gone(cmd, 600) {
			_ = cmd.Process.Kill()
		}
	}
}

// take is the running process, which the center no longer holds.
func (c *Center) take() *exec.Cmd {
	c.mu.Lock()
	defer c.mu.Unlock()
	cmd := c.cmd
	c.cmd = nil
	return cmd
}

// gone waits up to tries × 50 ms for the process to exit, and reports whether it did.
func gone(cmd *exec.Cmd, tries int) bool {
	for range tries {
		if syscall.Kill(cmd.Process.Pid, 0) != nil {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// Token is what `onedoor token` prints for the user.
func (c *Center) Token(user string) (string, error) {
	out, err := exec.Command(c.Bin, "token", "--data", c.Data, "--user", user).Output()
	if err != nil {
		return "", fmt.Errorf("onedoor token --user %s: %w", user, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// httpClient bounds every call above the server's own 30 s deadline.
var httpClient = &http.Client{Timeout: 60 * time.Second}

// Do makes one call to the API with the bearer token (and the Idempotency-Key, when not empty)
// and returns its status and body.
func (c *Center) Do(ctx context.Context, method, path, token, key string, body any) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.URL()+path, r)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// Postgres starts a PostgreSQL cluster of a campaign's own in dir/postgres, which it creates
// reachable by the postgres system user (a campaign runs as root).
func Postgres(ctx context.Context, dir string) (*postgres.Cluster, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, err
	}
	return postgres.Start(ctx, filepath.Join(dir, "postgres"))
}
