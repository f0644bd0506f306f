package chaos

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// center is the `onedoor dev` process under attack: it keeps Temporal's state in its data
// folder and reaches PostgreSQL through the campaign's proxy, so a SIGKILL and a restart lose
// only what was in flight.
type center struct {
	bin, data, dbURL, logPath string
	apiPort, temporalPort     int
	mirrorFaults              float64

	mu  sync.Mutex
	cmd *exec.Cmd
}

// url is the API's base URL.
func (c *center) url() string { return fmt.Sprintf("http://127.0.0.1:%d", c.apiPort) }

// start starts the process and waits until it is ready (/healthz answers 200).
func (c *center) start(ctx context.Context) error {
	log, err := os.OpenFile(c.logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer log.Close()
	cmd := exec.Command(c.bin, "dev", "--data", c.data, "--database-url", c.dbURL,
		"--addr", fmt.Sprintf("127.0.0.1:%d", c.apiPort), "--temporal-port", strconv.Itoa(c.temporalPort),
		"--rate-limit=-1", "--temporal-ui-port=-1")
	cmd.Env = append(os.Environ(), fmt.Sprintf("ONEDOOR_FAULT_MIRROR=%g", c.mirrorFaults))
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
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.url()+"/healthz", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case err := <-exited:
			return fmt.Errorf("onedoor dev exited while starting (%v): see %s", err, c.logPath)
		case <-ctx.Done():
			_ = cmd.Process.Kill()
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			return fmt.Errorf("onedoor dev was not ready within 2 minutes: see %s", c.logPath)
		}
	}
}

// kill ends the process with SIGKILL, as a power cut or the OOM killer would.
func (c *center) kill() {
	if cmd := c.take(); cmd != nil {
		_ = cmd.Process.Signal(syscall.SIGKILL)
		gone(cmd, 100) // the port is free once the process is gone
	}
}

// stop ends the process cleanly, or with SIGKILL after 30 s.
func (c *center) stop() {
	if cmd := c.take(); cmd != nil {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		if !gone(cmd, 600) {
			_ = cmd.Process.Kill()
		}
	}
}

// take is the running process, which the center no longer holds.
func (c *center) take() *exec.Cmd {
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

// token is what `onedoor token` prints for the user.
func (c *center) token(user string) (string, error) {
	out, err := exec.Command(c.bin, "token", "--data", c.data, "--user", user).Output()
	if err != nil {
		return "", fmt.Errorf("onedoor token --user %s: %w", user, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// mirrorFaultsInjected counts the mirror faults the process logged, before and after writing.
func (c *center) mirrorFaultsInjected() (before, after int) {
	b, err := os.ReadFile(c.logPath)
	if err != nil {
		return 0, 0
	}
	for line := range strings.Lines(string(b)) {
		if !strings.Contains(line, "mirror fault injected") {
			continue
		}
		if strings.Contains(line, "when=before") {
			before++
		} else {
			after++
		}
	}
	return before, after
}
