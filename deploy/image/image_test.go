package main

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/internal/testenv"
)

// TestImageHoldsTheBinaryAndRunsAsNonroot: the image of the onedoor that make build made is one layer on nothing,
// run as the unprivileged user, with the binary, the CA bundle and the user's files in it; the
// binary in it is the one packed, statically linked, and runs; packing it again gives the same
// image, digest for digest.
func TestImageHoldsTheBinaryAndRunsAsNonroot(t *testing.T) {
	t.Parallel()
	bin := testenv.Binary(t)
	dir := t.TempDir()
	created := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	ref, err := name.NewTag("registry.example/onedoor:test")
	require.NoError(t, err)

	path := filepath.Join(dir, "onedoor.tar")
	img, err := Build(Options{Binary: bin, CA: "/etc/ssl/certs/ca-certificates.crt", Created: created}, filepath.Join(dir, "layer"))
	require.NoError(t, err)
	require.NoError(t, Write(path, ref, img))

	// What docker load reads: the tarball, named as asked.
	loaded, err := tarball.ImageFromPath(path, &ref)
	require.NoError(t, err)
	cfg, err := loaded.ConfigFile()
	require.NoError(t, err)
	require.Equal(t, "linux", cfg.OS)
	require.Equal(t, "amd64", cfg.Architecture)
	require.Equal(t, []string{"/usr/local/bin/onedoor"}, cfg.Config.Entrypoint)
	require.Equal(t, []string{"serve"}, cfg.Config.Cmd)
	require.Equal(t, "65532:65532", cfg.Config.User, "deploy/kubernetes runs it with runAsNonRoot and runAsUser 65532")
	require.Contains(t, cfg.Config.ExposedPorts, "8080/tcp")
	require.Contains(t, cfg.Config.ExposedPorts, "9464/tcp")
	require.True(t, cfg.Created.Time.Equal(created))
	layers, err := loaded.Layers()
	require.NoError(t, err)
	require.Len(t, layers, 1, "no base image")

	// The files, as a container sees them.
	files := map[string]*tar.Header{}
	var packed, passwd, certs []byte
	tr := tar.NewReader(mutate.Extract(loaded))
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		files[strings.TrimSuffix(h.Name, "/")] = h
		switch h.Name {
		case "usr/local/bin/onedoor":
			packed, err = io.ReadAll(tr)
		case "etc/passwd":
			passwd, err = io.ReadAll(tr)
		case "etc/ssl/certs/ca-certificates.crt":
			certs, err = io.ReadAll(tr)
		}
		require.NoError(t, err)
		require.True(t, h.ModTime.Equal(created), "%s has the image's time, for a reproducible digest", h.Name)
	}
	original, err := os.ReadFile(bin)
	require.NoError(t, err)
	require.Equal(t, sha256.Sum256(original), sha256.Sum256(packed), "the binary packed is bin/onedoor")
	require.EqualValues(t, 0o755, files["usr/local/bin/onedoor"].Mode)
	require.Contains(t, string(passwd), "nonroot:x:65532:65532:")
	require.True(t, bytes.Contains(certs, []byte("-----BEGIN CERTIFICATE-----")), "the CA bundle, for TLS to Temporal, PostgreSQL and the identity provider")
	require.Equal(t, 65532, files["home/nonroot"].Uid, "the user's working directory is theirs")
	require.EqualValues(t, 0o1777, files["tmp"].Mode)

	// It runs with nothing but itself: no C library, no interpreter.
	_, err = staticArch(bin)
	require.NoError(t, err)
	run := filepath.Join(dir, "onedoor")
	require.NoError(t, os.WriteFile(run, packed, 0o755))
	out, err := exec.Command(run, "--help").CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.Contains(t, string(out), "serve")

	// The same binary gives the same image.
	again, err := Build(Options{Binary: bin, CA: "/etc/ssl/certs/ca-certificates.crt", Created: created}, filepath.Join(dir, "layer2"))
	require.NoError(t, err)
	d1, err := img.Digest()
	require.NoError(t, err)
	d2, err := again.Digest()
	require.NoError(t, err)
	require.Equal(t, d1, d2)
	c1, err := loaded.ConfigName()
	require.NoError(t, err)
	c2, err := again.ConfigName()
	require.NoError(t, err)
	require.Equal(t, c1, c2, "the tarball holds the image built")
}

// TestImageRefusesWhatCannotRun: a dynamically linked binary would not start in an image with no
// C library, and a missing CA bundle would leave TLS without roots: both are refused, saying
// what to do, and no image is written.
func TestImageRefusesWhatCannotRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "bin", "onedoor-image.tar")

	dynamic, err := exec.LookPath("env") // a C program, as every Debian has
	require.NoError(t, err)
	err = run(out, "onedoor:test", "/etc/ssl/certs/ca-certificates.crt", "", dynamic)
	require.ErrorContains(t, err, "dynamically linked: build it with CGO_ENABLED=0")
	require.NoFileExists(t, out)

	err = run(out, "onedoor:test", filepath.Join(dir, "no-such-bundle.crt"), "", testenv.Binary(t))
	require.ErrorContains(t, err, "the CA bundle (-ca")
	require.NoFileExists(t, out)
	require.NoFileExists(t, out+".layer")

	err = run(out, "onedoor:test", "/etc/ssl/certs/ca-certificates.crt", "yesterday", testenv.Binary(t))
	require.ErrorContains(t, err, "-created \"yesterday\": not an RFC 3339 time")
	err = run(out, "Not A Tag!", "/etc/ssl/certs/ca-certificates.crt", "", testenv.Binary(t))
	require.ErrorContains(t, err, "-tag \"Not A Tag!\"")
	require.NoFileExists(t, out)
}
