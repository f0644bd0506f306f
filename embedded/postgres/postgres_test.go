package postgres_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/embedded/postgres"
)

// folder is a data folder the postgres system user can reach when the tests run as root.
func folder(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "onedoor-pg-")
	require.NoError(t, err)
	require.NoError(t, os.Chmod(dir, 0o755))
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return filepath.Join(dir, "postgres")
}

func query(t *testing.T, c *postgres.Cluster) int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	require.NoError(t, err)
	defer conn.Close(ctx)
	var n int
	require.NoError(t, conn.QueryRow(ctx, "select 40 + 2").Scan(&n))
	return n
}

// TestClusterSurvivesACrash starts a cluster, adopts it from a second start as a restarted
// process would, stops it, then leaves a stale pid file behind as a crash does: the next start
// must still work.
func TestClusterSurvivesACrash(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := folder(t)
	c, err := postgres.Start(ctx, dir)
	require.NoError(t, err)
	require.Equal(t, 42, query(t, c))

	adopted, err := postgres.Start(ctx, dir)
	require.NoError(t, err)
	require.Equal(t, c.Port(), adopted.Port(), "a running server is adopted, not started twice")
	require.NoError(t, c.Stop(ctx))
	require.NoFileExists(t, filepath.Join(dir, "postmaster.pid"))

	// pid 1 is alive but no postgres: the file is stale.
	stale := fmt.Sprintf("1\n%s\n0\n%d\n\n127.0.0.1\n0 0\nready\n", dir, c.Port())
	require.NoError(t, os.WriteFile(filepath.Join(dir, "postmaster.pid"), []byte(stale), 0o600))
	again, err := postgres.Start(ctx, dir)
	require.NoError(t, err)
	t.Cleanup(func() { _ = again.Stop(context.Background()) })
	require.Equal(t, 42, query(t, again))
}

// TestClosedFolder starts a cluster inside a folder only its owner may enter (MkdirTemp makes
// it 0700): as root the postgres user cannot reach it, which is explained; as a normal user the
// server runs as that user and starts.
func TestClosedFolder(t *testing.T) {
	t.Parallel()
	dir, err := os.MkdirTemp("", "onedoor-pg-closed-")
	require.NoError(t, err)
	defer os.RemoveAll(dir)
	c, err := postgres.Start(context.Background(), filepath.Join(dir, "postgres"))
	if os.Geteuid() == 0 {
		require.ErrorContains(t, err, "cannot reach the cluster")
		require.NoDirExists(t, filepath.Join(dir, "postgres"), "nothing half-made is left")
		return
	}
	require.NoError(t, err)
	defer c.Stop(context.Background())
	require.Equal(t, 42, query(t, c))
}
