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
// it), else built once per test binary from ../cmd/onedoor, which is where it is from a package
// one folder below the module's root (e2e, migration).
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
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/onedoor").CombinedOutput(); err != nil {
		return "", fmt.Errorf("build onedoor: %w\n%s", err, out)
	}
	return bin, nil
})
