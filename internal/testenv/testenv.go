// Package testenv gives tests the real PostgreSQL and Temporal servers that `make test` starts
// (through `onedoor testenv`): a database per test package (DatabaseURL, Store) for tests that
// share a worker, a database of its own per test (OwnDatabaseURL, OwnStore) for tests that
// count or list rows, and a Temporal client.
package testenv

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"go.temporal.io/sdk/client"

	"github.com/onedoor/onedoor/store"
)

// Environment variables set by `onedoor testenv`.
const (
	EnvDatabase = "ONEDOOR_TEST_DATABASE_URL"
	EnvTemporal = "ONEDOOR_TEST_TEMPORAL_ADDRESS"
)

var (
	dbOnce sync.Once
	dbURL  string
	dbErr  error
)

func require(t testing.TB, env string) string {
	t.Helper()
	v := os.Getenv(env)
	if v == "" {
		t.Fatalf("%s is not set: run the tests with `make test` (or `bin/onedoor testenv -- go test ./...`), which starts PostgreSQL and Temporal", env)
	}
	return v
}

// DatabaseURL is the URL of this test package's own database, created and migrated on first use.
func DatabaseURL(t testing.TB) string {
	t.Helper()
	admin := require(t, EnvDatabase)
	dbOnce.Do(func() { dbURL, dbErr = createDatabase(admin, packageDatabase()) })
	if dbErr != nil {
		t.Fatalf("test database: %v", dbErr)
	}
	return dbURL
}

// packageDatabase is the name of the test binary's package database.
func packageDatabase() string {
	wd, _ := os.Getwd()
	return "test_" + regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(strings.ToLower(filepath.Base(wd)), "_")
}

// createDatabase makes a fresh database called name and migrates it.
func createDatabase(adminURL, name string) (string, error) {
	url, err := freshDatabase(adminURL, name)
	if err != nil {
		return "", err
	}
	ctx := context.Background()
	s, err := store.Open(ctx, url)
	if err != nil {
		return "", err
	}
	defer s.Close()
	if _, _, err := s.Migrate(ctx); err != nil {
		return "", err
	}
	return url, nil
}

var (
	tplOnce sync.Once
	tplName string
	tplErr  error
	tplMu   sync.Mutex // one copy of the template at a time: a copy needs it to itself
	ownSeq  int
)

// OwnDatabaseURL is the URL of a database of the test's own, migrated and empty, copied from a
// template migrated once per test package (CREATE DATABASE ... TEMPLATE: milliseconds, not a
// run of the migrations) and dropped when the test ends. A test on its own database sees no
// other test's rows, so it may count them and run in parallel with any other.
func OwnDatabaseURL(t testing.TB) string {
	t.Helper()
	admin := require(t, EnvDatabase)
	tplOnce.Do(func() {
		tplName = packageDatabase() + "_tpl"
		_, tplErr = createDatabase(admin, tplName)
	})
	if tplErr != nil {
		t.Fatalf("template database: %v", tplErr)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("test database: %v", err)
	}
	defer conn.Close(ctx)
	tplMu.Lock()
	ownSeq++
	name := fmt.Sprintf("%s_%d", packageDatabase(), ownSeq)
	ident := pgx.Identifier{name}.Sanitize()
	_, err = conn.Exec(ctx, "drop database if exists "+ident+" with (force)")
	if err == nil {
		_, err = conn.Exec(ctx, "create database "+ident+" template "+pgx.Identifier{tplName}.Sanitize())
	}
	tplMu.Unlock()
	if err != nil {
		t.Fatalf("test database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		if conn, err := pgx.Connect(ctx, admin); err == nil {
			_, _ = conn.Exec(ctx, "drop database if exists "+ident+" with (force)")
			_ = conn.Close(ctx)
		}
	})
	return databaseURL(conn.Config(), name)
}

// OwnStore opens a database of the test's own (OwnDatabaseURL); it is closed, then dropped, when
// the test ends.
func OwnStore(t testing.TB) *store.Store {
	t.Helper()
	url := OwnDatabaseURL(t)
	s, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// freshDatabase drops the database called name on the test cluster, creates it empty again and
// returns its URL.
func freshDatabase(adminURL, name string) (string, error) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	ident := pgx.Identifier{name}.Sanitize()
	if _, err := conn.Exec(ctx, "drop database if exists "+ident+" with (force)"); err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, "create database "+ident); err != nil {
		return "", err
	}
	return databaseURL(conn.Config(), name), nil
}

func databaseURL(cfg *pgx.ConnConfig, name string) string {
	return fmt.Sprintf("postgres://%s@%s:%d/%s?sslmode=disable", cfg.User, cfg.Host, cfg.Port, name)
}

// EmptyDatabase is the URL of a new, empty, unmigrated database called name, for a test that
// must not share the package's database (a migration race, a first start).
func EmptyDatabase(t testing.TB, name string) string {
	t.Helper()
	url, err := freshDatabase(require(t, EnvDatabase), name)
	if err != nil {
		t.Fatalf("database %s: %v", name, err)
	}
	return url
}

// Store opens this test package's database; it is closed when the test ends.
func Store(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), DatabaseURL(t))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// TemporalAddress is the address of the test Temporal server.
func TemporalAddress(t testing.TB) string {
	t.Helper()
	return require(t, EnvTemporal)
}

// Temporal is a client of the test Temporal server's default namespace, closed when the test ends.
func Temporal(t testing.TB) client.Client {
	t.Helper()
	c, err := client.Dial(client.Options{HostPort: TemporalAddress(t), Namespace: "default", Logger: QuietLogger{}})
	if err != nil {
		t.Fatalf("dial Temporal: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// QuietLogger drops the SDK's log lines; failures reach the test as errors.
type QuietLogger struct{}

// Debug drops the line.
func (QuietLogger) Debug(string, ...any) {}

// Info drops the line.
func (QuietLogger) Info(string, ...any) {}

// Warn drops the line.
func (QuietLogger) Warn(string, ...any) {}

// Error drops the line.
func (QuietLogger) Error(string, ...any) {}
