package blob_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/blob"
)

// storeContract is what every adapter must do: bytes back as they went in, a missing key
// not-found, an overwrite whole, a delete final and idempotent, keys that could escape refused.
func storeContract(t *testing.T, st blob.Store) {
	ctx := context.Background()
	big := make([]byte, 3<<20+17) // beyond one network buffer and the SDK's small-body paths
	_, err := rand.Read(big)
	require.NoError(t, err)

	key := "cases/0b6f7c1e-1111-4a53-9a3e-7f0d2f3c9a10/a1"
	require.NoError(t, st.Put(ctx, key, bytes.NewReader(big), int64(len(big)), "application/pdf"))
	require.Equal(t, big, read(t, st, key))

	// An overwrite replaces the whole blob, a shorter one included.
	require.NoError(t, st.Put(ctx, key, strings.NewReader("信访件"), int64(len("信访件")), "text/plain"))
	require.Equal(t, []byte("信访件"), read(t, st, key))

	// A reader already read to its end is read again from its start.
	r := bytes.NewReader([]byte("again"))
	_, _ = io.ReadAll(r)
	require.NoError(t, st.Put(ctx, "cases/x/again", r, 5, "text/plain"))
	require.Equal(t, []byte("again"), read(t, st, "cases/x/again"))

	_, err = st.Get(ctx, "cases/x/missing")
	require.Equal(t, onedoor.ENotFound, onedoor.ErrorCode(err), "%v", err)

	require.NoError(t, st.Delete(ctx, key))
	_, err = st.Get(ctx, key)
	require.Equal(t, onedoor.ENotFound, onedoor.ErrorCode(err), "%v", err)
	require.NoError(t, st.Delete(ctx, key), "deleting a missing blob is no error")

	for _, bad := range []string{"", "../etc/passwd", "cases/../../x", "/abs", "cases//x", "cases/x y", "cases/附件"} {
		err := st.Put(ctx, bad, strings.NewReader("x"), 1, "text/plain")
		require.Equal(t, onedoor.EInvalid, onedoor.ErrorCode(err), "key %q: %v", bad, err)
	}
}

func read(t *testing.T, st blob.Store, key string) []byte {
	t.Helper()
	rc, err := st.Get(context.Background(), key)
	require.NoError(t, err)
	defer rc.Close()
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	return b
}

func TestDir(t *testing.T) {
	t.Parallel()
	st, err := blob.NewDir(t.TempDir() + "/attachments")
	require.NoError(t, err)
	storeContract(t, st)
}

// TestS3 runs the adapter against an S3 server on loopback: gofakes3, an in-process S3
// implementation serving the real HTTP protocol (no MinIO or SeaweedFS build can be had quickly
// here). The SDK signs and sends real S3 requests; gofakes3 does not check the signatures.
func TestS3(t *testing.T) {
	t.Parallel()
	backend := s3mem.New()
	require.NoError(t, backend.CreateBucket("onedoor"))
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	cfg := blob.S3Config{Endpoint: srv.URL, Bucket: "onedoor", AccessKey: "test", SecretKey: "test-secret", PathStyle: true}
	st, err := blob.NewS3(context.Background(), cfg)
	require.NoError(t, err)
	storeContract(t, st)

	cfg.Bucket = "absent"
	_, err = blob.NewS3(context.Background(), cfg)
	require.ErrorContains(t, err, "bucket absent", "a missing bucket is found at start, not at the first upload")
}
