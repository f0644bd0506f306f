// Package postgres runs a private PostgreSQL cluster in a folder of its own, for development
// and tests, with the server binaries installed on the machine (initdb, pg_ctl, postgres).
//
// PostgreSQL refuses to run as root; when OneDoor runs as root (as it does on CI machines) the
// cluster folder is given to the `postgres` system user and the binaries run as that user.
package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/onedoor/onedoor/internal/freeport"
)

// Cluster is a private PostgreSQL cluster.
type Cluster struct {
	dir   string // the cluster's data folder (PGDATA)
	port  int
	runAs *user.User // nil: run as ourselves
	bin   string     // folder of initdb and pg_ctl
	ours  bool       // we started the server, so Stop stops it
}

// Start creates the cluster in dir on first use and starts it on a free loopback port. A server
// left running on dir by a process that died is adopted; a stale pid file is removed.
func Start(ctx context.Context, dir string) (*Cluster, error) {
	c, err := newCluster(dir)
	if err != nil {
		return nil, err
	}
	abs := c.dir
	if _, err := os.Stat(filepath.Join(abs, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if err := c.initdb(ctx); err != nil {
			return nil, err
		}
	}
	if port, ok := c.running(ctx); ok {
		c.port = port
		return c, nil
	}
	c.removeStalePid()
	if c.port, err = freeport.One(); err != nil {
		return nil, err
	}
	logFile := filepath.Join(abs, "server.log")
	if err := c.run(ctx, "pg_ctl", "start", "-D", abs, "-w", "-t", "120", "-l", logFile,
		"-o", "-p "+strconv.Itoa(c.port)); err != nil {
		tail, _ := os.ReadFile(logFile)
		return nil, fmt.Errorf("postgres: start: %w\n%s", err, lastLines(tail, 15))
	}
	c.ours = true
	return c, nil
}

// Running finds the server of `onedoor dev` running on the cluster in dir, without starting one:
// for commands run beside the center, such as `onedoor check --data DIR`.
func Running(ctx context.Context, dir string) (*Cluster, error) {
	c, err := newCluster(dir)
	if err != nil {
		return nil, err
	}
	port, ok := c.running(ctx)
	if !ok {
		return nil, fmt.Errorf("postgres: no server runs on %s: start the center (onedoor dev) or set DATABASE_URL", c.dir)
	}
	c.port = port
	return c, nil
}

// newCluster is the cluster in dir, with the server binaries found and, when we are root, the
// postgres system user to run them as.
func newCluster(dir string) (*Cluster, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: abs}
	if c.bin, err = findBinaries(); err != nil {
		return nil, err
	}
	if os.Geteuid() == 0 {
		if c.runAs, err = user.Lookup("postgres"); err != nil {
			return nil, fmt.Errorf("postgres: running as root needs a 'postgres' system user to run the server as: %w", err)
		}
	}
	return c, nil
}

// URL is the connection string of the cluster's database named db, as the superuser.
func (c *Cluster) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// Port is the TCP port the server listens on.
func (c *Cluster) Port() int { return c.port }

// Stop shuts the server down (fast mode: open sessions are ended, the data is safe).
func (c *Cluster) Stop(ctx context.Context) error {
	if _, ok := c.running(ctx); !ok {
		return nil
	}
	return c.run(ctx, "pg_ctl", "stop", "-D", c.dir, "-m", "fast", "-w", "-t", "60")
}

func (c *Cluster) initdb(ctx context.Context) error {
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return fmt.Errorf("postgres: create %s: %w", c.dir, err)
	}
	if c.runAs != nil {
		err := c.chown(c.dir)
		if err == nil {
			err = reachable(filepath.Dir(c.dir))
		}
		if err != nil {
			_ = os.Remove(c.dir) // empty still: the next start must not take it for a cluster
			return err
		}
	}
	if err := c.run(ctx, "initdb", "-D", c.dir, "-U", "postgres", "--auth=trust",
		"--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions"); err != nil {
		// Leave nothing half-made behind: the next start would take it for a cluster.
		_ = os.RemoveAll(c.dir)
		return fmt.Errorf("postgres: initdb: %w", err)
	}
	// Only loopback TCP: no socket in a system folder that may not exist or be writable.
	conf := "\n# OneDoor private cluster\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\nmax_connections = 200\n"
	f, err := os.OpenFile(filepath.Join(c.dir, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("postgres: configure: %w", err)
	}
	defer f.Close()
	_, err = f.WriteString(conf)
	return err
}

// running reports whether a server runs on the cluster folder, and its port.
func (c *Cluster) running(ctx context.Context) (int, bool) {
	if c.run(ctx, "pg_ctl", "status", "-D", c.dir) != nil {
		return 0, false
	}
	pid, err := os.ReadFile(filepath.Join(c.dir, "postmaster.pid"))
	if err != nil {
		return 0, false
	}
	// Line 4 of postmaster.pid is the port.
	lines := strings.Split(string(pid), "\n")
	if len(lines) < 4 {
		return 0, false
	}
	port, err := strconv.Atoi(strings.TrimSpace(lines[3]))
	return port, err == nil
}

// removeStalePid removes a postmaster.pid whose process is gone or is no postgres: after a crash
// the pid may belong to another program, and postgres would then refuse to start.
func (c *Cluster) removeStalePid() {
	path := filepath.Join(c.dir, "postmaster.pid")
	b, err := os.ReadFile(path)
	if err != nil {
		return
	}
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	if err != nil {
		_ = os.Remove(path)
		return
	}
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil || !strings.HasPrefix(strings.TrimSpace(string(comm)), "postgres") {
		_ = os.Remove(path)
	}
}

func (c *Cluster) run(ctx context.Context, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, filepath.Join(c.bin, name), args...)
	// Our own process group: a Ctrl-C at the terminal reaches us, and we stop the server in order.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if c.runAs != nil {
		uid, _ := strconv.Atoi(c.runAs.Uid)
		gid, _ := strconv.Atoi(c.runAs.Gid)
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		cmd.Dir = c.runAs.HomeDir
		cmd.Env = append(os.Environ(), "HOME="+c.runAs.HomeDir, "USER=postgres")
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w: %s", name, args[0], err, strings.TrimSpace(out.String()))
	}
	return nil
}

func (c *Cluster) chown(path string) error {
	uid, _ := strconv.Atoi(c.runAs.Uid)
	gid, _ := strconv.Atoi(c.runAs.Gid)
	if err := os.Chown(path, uid, gid); err != nil {
		return fmt.Errorf("postgres: give %s to the postgres user: %w", path, err)
	}
	return nil
}

// reachable checks that the postgres user can pass through every folder above the cluster.
func reachable(dir string) error {
	for d := dir; ; d = filepath.Dir(d) {
		st, err := os.Stat(d)
		if err != nil {
			return fmt.Errorf("postgres: %w", err)
		}
		if st.Mode().Perm()&0o001 == 0 {
			return fmt.Errorf("postgres: the postgres user cannot reach the cluster through %s (mode %v): make it searchable (chmod o+x) or choose another data folder", d, st.Mode().Perm())
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}

// findBinaries finds initdb and pg_ctl on PATH or in Debian's versioned folders.
func findBinaries() (string, error) {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if _, err := exec.LookPath("initdb"); err == nil {
			return filepath.Dir(p), nil
		}
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(matches) > 0 {
		return filepath.Dir(matches[len(matches)-1]), nil
	}
	return "", errors.New("postgres: initdb and pg_ctl not found on PATH nor in /usr/lib/postgresql/*/bin: install the PostgreSQL server, or set DATABASE_URL")
}

func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
