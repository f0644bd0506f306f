// Package cluster runs the production shape of OneDoor on one machine, for tests: the official,
// unmodified Temporal server (built by `make temporal` from go.temporal.io/server/cmd/server at
// the version in go.mod) as a process of its own on PostgreSQL, its schemas set up by Temporal's
// own SQL tool, and onedoor api and worker processes beside it.
package cluster

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/onedoor/onedoor/internal/freeport"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/types/known/durationpb"
)

// EnvBinaries names the folder holding the `server` and `sql` binaries that `make temporal`
// built; make test and make test-cluster set it.
const EnvBinaries = "ONEDOOR_TEMPORAL_BIN"

// Binaries are the official Temporal server and its SQL schema tool.
type Binaries struct {
	Server, SQL string
}

// FindBinaries finds the binaries in the folder $ONEDOOR_TEMPORAL_BIN.
func FindBinaries() (Binaries, error) {
	dir := os.Getenv(EnvBinaries)
	if dir == "" {
		return Binaries{}, fmt.Errorf("%s is not set: run `make test-cluster` (or `make test`), which builds the Temporal server once and sets it", EnvBinaries)
	}
	b := Binaries{Server: filepath.Join(dir, "server"), SQL: filepath.Join(dir, "sql")}
	for _, f := range []string{b.Server, b.SQL} {
		if _, err := os.Stat(f); err != nil {
			return b, fmt.Errorf("%s: %w (run `make temporal`)", f, err)
		}
	}
	return b, nil
}

// ModuleDir is the folder of the Temporal server module our go.mod names, in the module cache:
// it holds the PostgreSQL schemas matching the binaries.
func ModuleDir(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Dir}}", "go.temporal.io/server").Output()
	if err != nil {
		return "", fmt.Errorf("find the Temporal server module: %w", err)
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		return "", errors.New("the Temporal server module is not downloaded: run `go mod download go.temporal.io/server`")
	}
	return dir, nil
}

// Postgres says how Temporal reaches its PostgreSQL, as its superuser without a password.
type Postgres struct {
	Host string
	Port int
	User string
}

// SetupSchemas creates the databases temporal and temporal_visibility and sets up their schemas
// with Temporal's SQL tool, from the versioned schema files of the module in moduleDir.
func SetupSchemas(ctx context.Context, bins Binaries, moduleDir string, pg Postgres) error {
	for _, db := range []struct{ name, schema string }{{"temporal", "temporal"}, {"temporal_visibility", "visibility"}} {
		base := []string{"--plugin", "postgres12", "--ep", pg.Host, "-p", strconv.Itoa(pg.Port), "-u", pg.User, "--db", db.name}
		versioned := filepath.Join(moduleDir, "schema", "postgresql", "v12", db.schema, "versioned")
		for _, step := range [][]string{{"create"}, {"setup-schema", "-v", "0.0"}, {"update-schema", "-d", versioned}} {
			args := append(append([]string{}, base...), step...)
			if out, err := exec.CommandContext(ctx, bins.SQL, args...).CombinedOutput(); err != nil {
				return fmt.Errorf("temporal sql %s: %w\n%s", strings.Join(args, " "), err, out)
			}
		}
	}
	return nil
}

// TLS is the frontend's TLS: its certificate, and when ClientCA is set, mutual TLS with client
// certificates signed by that CA. Client and ClientKey are the certificate the server's own
// system worker presents to the frontend.
type TLS struct {
	CA, Cert, Key     string // the CA that signed the server's certificate, and that certificate
	ClientCA          string
	Client, ClientKey string
	ServerName        string
	RequireClientAuth bool
}

// Server is a running Temporal server process.
type Server struct {
	cmd     *exec.Cmd
	exited  chan struct{}
	Address string // frontend host:port
	LogPath string
}

// Start writes a configuration for a single-process server (frontend, history, matching and
// worker services) on free loopback ports over the PostgreSQL databases SetupSchemas made, starts
// the server binary in dir and waits until its frontend answers.
func Start(ctx context.Context, bins Binaries, dir string, pg Postgres, t *TLS) (*Server, error) {
	ports, err := freeport.Loopback(9)
	if err != nil {
		return nil, err
	}
	dyn := filepath.Join(dir, "dynamicconfig.yaml")
	// The namespace cache refreshes every 10 s by default: a namespace registered by a test
	// (or an operator) would be unknown to the frontend for as long. Eager activities and the
	// transfer queue's read rate as docs/deployment.md asks of a production cluster.
	if err := os.WriteFile(dyn, []byte(`system.namespaceCacheRefreshInterval:
  - value: 1s
frontend.namespaceRPS.visibility:
  - value: 200
system.enableActivityEagerExecution:
  - value: true
history.transferProcessorMaxPollRPS:
  - value: 1000
`), 0o644); err != nil {
		return nil, err
	}
	tlsConf := ""
	if t != nil {
		tlsConf = fmt.Sprintf(`
  tls:
    frontend:
      server:
        certFile: %q
        keyFile: %q
        requireClientAuth: %t
        clientCaFiles: [%q]
      client:
        serverName: %q
        rootCaFiles: [%q]
    systemWorker:
      certFile: %q
      keyFile: %q
      client:
        serverName: %q
        rootCaFiles: [%q]`, t.Cert, t.Key, t.RequireClientAuth, t.ClientCA, t.ServerName, t.CA,
			t.Client, t.ClientKey, t.ServerName, t.CA)
	}
	datastore := func(db string, conns int) string {
		return fmt.Sprintf(`
      sql:
        pluginName: postgres12
        databaseName: %s
        connectAddr: "%s:%d"
        connectProtocol: tcp
        user: %q
        password: ""
        maxConns: %d
        maxIdleConns: %d
        maxConnLifetime: 1h`, db, pg.Host, pg.Port, pg.User, conns, conns)
	}
	logPath := filepath.Join(dir, "temporal.log")
	frontend := fmt.Sprintf("127.0.0.1:%d", ports[0])
	conf := fmt.Sprintf(`log:
  stdout: false
  outputFile: %q
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: 4
  datastores:
    default:%s
    visibility:%s
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1%s
services:
  frontend:
    rpc: {grpcPort: %d, membershipPort: %d, httpPort: %d, bindOnLocalHost: true}
  history:
    rpc: {grpcPort: %d, membershipPort: %d, bindOnLocalHost: true}
  matching:
    rpc: {grpcPort: %d, membershipPort: %d, bindOnLocalHost: true}
  worker:
    rpc: {grpcPort: %d, membershipPort: %d, bindOnLocalHost: true}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: %q
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: %q
  pollInterval: 10s
`, logPath, datastore("temporal", 10), datastore("temporal_visibility", 4), tlsConf,
		ports[0], ports[1], ports[2], ports[3], ports[4], ports[5], ports[6], ports[7], ports[8],
		frontend, dyn)
	confPath := filepath.Join(dir, "temporal.yaml")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		return nil, err
	}
	out, err := os.OpenFile(filepath.Join(dir, "temporal.out"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	defer out.Close()
	cmd := exec.Command(bins.Server, "--config-file", confPath, "--allow-no-auth", "start")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the Temporal server: %w", err)
	}
	s := &Server{cmd: cmd, exited: make(chan struct{}), Address: frontend, LogPath: logPath}
	go func() {
		_ = cmd.Wait()
		close(s.exited)
	}()
	return s, s.waitReady(ctx, dir, t)
}

// waitReady waits up to two minutes for the frontend to answer a health check.
func (s *Server) waitReady(ctx context.Context, dir string, t *TLS) error {
	var opts client.ConnectionOptions
	if t != nil {
		conf, err := ClientTLS(t.CA, t.Client, t.ClientKey, t.ServerName)
		if err != nil {
			return err
		}
		opts.TLS = conf
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		c, err := client.DialContext(ctx, client.Options{HostPort: s.Address, ConnectionOptions: opts, Logger: quiet{}})
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-s.exited:
			out, _ := os.ReadFile(filepath.Join(dir, "temporal.out"))
			log, _ := os.ReadFile(s.LogPath)
			return fmt.Errorf("the Temporal server exited while starting:\n%s\n%s", tail(string(out), 20), tail(string(log), 20))
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.Stop()
			return fmt.Errorf("the Temporal server did not answer within 2 minutes: %w", err)
		}
	}
}

// Stop stops the server (SIGTERM, SIGKILL after 20 s).
func (s *Server) Stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(20 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

// ClientTLS is the TLS configuration of a client trusting ca for serverName, presenting the
// certificate cert with key when both are set.
func ClientTLS(ca, cert, key, serverName string) (*tls.Config, error) {
	pool, err := certPool(ca)
	if err != nil {
		return nil, err
	}
	conf := &tls.Config{RootCAs: pool, ServerName: serverName, MinVersion: tls.VersionTLS12}
	if cert != "" {
		pair, err := tls.LoadX509KeyPair(cert, key)
		if err != nil {
			return nil, err
		}
		conf.Certificates = []tls.Certificate{pair}
	}
	return conf, nil
}

// RegisterNamespace registers the namespace (one day's retention) and waits until the frontend
// knows it.
func RegisterNamespace(ctx context.Context, c client.Client, namespace string) error {
	_, err := c.WorkflowService().RegisterNamespace(ctx, &workflowservice.RegisterNamespaceRequest{
		Namespace: namespace, WorkflowExecutionRetentionPeriod: durationpb.New(24 * time.Hour),
	})
	var exists *serviceerror.NamespaceAlreadyExists
	if err != nil && !errors.As(err, &exists) {
		return fmt.Errorf("register namespace %s: %w", namespace, err)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		_, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("namespace %s not usable after a minute: %w", namespace, err)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// quiet keeps the SDK's retry chatter out of the test output.
type quiet struct{}

func (quiet) Debug(string, ...any) {}
func (quiet) Info(string, ...any)  {}
func (quiet) Warn(string, ...any)  {}
func (quiet) Error(string, ...any) {}
