// Package blob keeps the bytes of attachments (papers: petition letters, photos, ID copies)
// outside PostgreSQL and outside Temporal, behind one interface with two adapters: a folder
// (Dir, for `onedoor dev` and single-node installs) and S3-compatible object storage (S3, for
// production). The database keeps what an attachment is (name, size, type, checksum); a blob
// store keeps only bytes under a key.
package blob

import (
	"context"
	"io"
	"strings"

	"github.com/onedoor/onedoor"
)

// Store keeps bytes under keys. Keys are slash-separated paths of letters, digits, '-', '_'
// and '.', without empty, "." or ".." elements (cases/<case id>/<attachment id>).
type Store interface {
	// Put stores size bytes read from r under key, replacing what the key held. r is read from
	// its start and may be read twice (S3 signs the payload's hash before sending it). A Put
	// that fails leaves the key as it was.
	Put(ctx context.Context, key string, r io.ReadSeeker, size int64, contentType string) error
	// Get opens the bytes under key; an onedoor.ENotFound error when there are none.
	Get(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes the bytes under key; a key that holds none is no error.
	Delete(ctx context.Context, key string) error
}

// checkKey refuses a key that is not a clean relative path of safe characters: a key made from
// a request's input can then never name a file outside a Dir's folder.
func checkKey(key string) error {
	if key == "" || len(key) > 512 {
		return onedoor.Errorf(onedoor.EInvalid, "blob key %q: empty or longer than 512 bytes", key)
	}
	for _, part := range strings.Split(key, "/") {
		if part == "" || part == "." || part == ".." {
			return onedoor.Errorf(onedoor.EInvalid, "blob key %q: empty, . or .. element", key)
		}
		for _, r := range part {
			ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'
			if !ok {
				return onedoor.Errorf(onedoor.EInvalid, "blob key %q: character %q", key, r)
			}
		}
	}
	return nil
}
