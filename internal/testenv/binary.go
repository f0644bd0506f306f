package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// Binary is the onedoor binary for tests that run it as a process: $ONEDOOR_BIN (make test sets
// it), else built once per test binary, statically linked as make build builds it.
func Binary(t testing.TB) string {
	t.Helper()
	if bin := os.Getenv("ONEDOOR_BIN"); bin != "" {
		return bin
	}
	built, err := buildOnce()
	if err != nil {
		t.Fatal(err)
	}
	return built
}

var buildOnce = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "onedoor-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "onedoor")
	// As make build does, so that the build cache serves both.
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "github.com/onedoor/onedoor/cmd/onedoor")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build onedoor: %w\n%s", err, out)
	}
	return bin, nil
})
