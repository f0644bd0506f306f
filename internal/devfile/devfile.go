// Package devfile keeps the secrets `onedoor dev` makes on first start in its data folder.
package devfile

import (
	"errors"
	"fmt"
	"os"
)

// ReadOrCreate reads the file at path. When there is none, it first writes what create returns,
// readable by its owner only and never over a file another process wrote meanwhile (whose
// content is then read instead): a secret made on first start and kept across restarts.
func ReadOrCreate(path string, create func() (string, error)) ([]byte, error) {
	b, err := os.ReadFile(path)
	if !errors.Is(err, os.ErrNotExist) {
		return b, err
	}
	text, err := create()
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err == nil {
		_, err = f.WriteString(text)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil && !errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return os.ReadFile(path)
}
