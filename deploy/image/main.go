// Command image packs a statically linked onedoor binary into a container image, with no Docker
// engine and no base image to pull: one layer holds the binary, the CA certificates it needs for
// TLS to Temporal, PostgreSQL and the identity provider, and an unprivileged user. The image is
// written as a tarball that `docker load`, `podman load` and `crane push` read.
//
//	go run ./deploy/image -o bin/onedoor-image.tar -tag registry.example/onedoor:1.4 bin/onedoor
//
// The same binary gives the same image, byte for byte: every file's time is -created
// (SOURCE_DATE_EPOCH when set, else the Unix epoch), as reproducible builds expect.
package main

import (
	"archive/tar"
	"debug/elf"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// Where the image keeps what it holds, and who runs it.
const (
	binaryPath = "/usr/local/bin/onedoor"
	caPath     = "/etc/ssl/certs/ca-certificates.crt"
	// UID and GID of the unprivileged user the processes run as (deploy/kubernetes asks for it:
	// runAsNonRoot, runAsUser 65532), the distroless images' "nonroot".
	nonroot = 65532
	home    = "/home/nonroot"
)

// Options say what to pack and how to name it.
type Options struct {
	Binary  string    // a statically linked onedoor for Linux
	CA      string    // the CA bundle to copy into the image
	Created time.Time // the image's and every file's time
}

func main() {
	out := flag.String("o", "bin/onedoor-image.tar", "the image tarball to write")
	tag := flag.String("tag", "onedoor:latest", "the image's name and tag in the tarball (what docker load names it)")
	ca := flag.String("ca", "/etc/ssl/certs/ca-certificates.crt", "the CA certificate bundle to copy into the image (Debian's package ca-certificates)")
	created := flag.String("created", "", "the image's creation time, RFC 3339 (default: SOURCE_DATE_EPOCH, else the Unix epoch)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: go run ./deploy/image [flags] [bin/onedoor]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if err := run(*out, *tag, *ca, *created, flag.Arg(0)); err != nil {
		fmt.Fprintln(os.Stderr, "image:", err)
		os.Exit(1)
	}
}

func run(out, tag, ca, created, bin string) error {
	if bin == "" {
		bin = "bin/onedoor"
	}
	ref, err := name.NewTag(tag)
	if err != nil {
		return fmt.Errorf("-tag %q: %w", tag, err)
	}
	at, err := creationTime(created)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	layer := out + ".layer"
	defer os.Remove(layer)
	img, err := Build(Options{Binary: bin, CA: ca, Created: at}, layer)
	if err != nil {
		return err
	}
	if err := Write(out, ref, img); err != nil {
		return err
	}
	digest, err := img.Digest()
	if err != nil {
		return err
	}
	fmt.Printf("%s: %s %s\nload it with: docker load -i %[1]s (or podman load, or crane push %[1]s <registry>/onedoor:<tag>)\n", out, ref, digest)
	return nil
}

// creationTime is the -created flag, else SOURCE_DATE_EPOCH, else the Unix epoch.
func creationTime(flagValue string) (time.Time, error) {
	if flagValue != "" {
		t, err := time.Parse(time.RFC3339, flagValue)
		if err != nil {
			return t, fmt.Errorf("-created %q: not an RFC 3339 time such as 2026-11-28T10:00:00Z", flagValue)
		}
		return t.UTC(), nil
	}
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q: not a number of seconds", s)
		}
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Unix(0, 0).UTC(), nil
}

// Build makes the image: one layer on nothing, run as the unprivileged user, `onedoor serve` by
// default (`api`, `worker` or `migrate` as the container's arguments). The layer's files are
// written to the file at layer, which the image reads until it is written out.
func Build(o Options, layer string) (v1.Image, error) {
	arch, err := staticArch(o.Binary)
	if err != nil {
		return nil, err
	}
	layerFile, err := os.Create(layer)
	if err != nil {
		return nil, err
	}
	err = writeLayer(layerFile, o)
	if cerr := layerFile.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	l, err := tarball.LayerFromFile(layer)
	if err != nil {
		return nil, err
	}
	img, err := mutate.Append(empty.Image, mutate.Addendum{Layer: l, History: v1.History{
		Created: v1.Time{Time: o.Created}, CreatedBy: "go run ./deploy/image", Comment: "onedoor, CA certificates, user nonroot",
	}})
	if err != nil {
		return nil, err
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cfg = cfg.DeepCopy()
	cfg.Architecture, cfg.OS = arch, "linux"
	cfg.Created = v1.Time{Time: o.Created}
	cfg.Config.Entrypoint = []string{binaryPath}
	cfg.Config.Cmd = []string{"serve"}
	cfg.Config.User = fmt.Sprintf("%d:%d", nonroot, nonroot)
	cfg.Config.WorkingDir = home
	cfg.Config.Env = []string{"PATH=/usr/local/bin", "HOME=" + home}
	// The API (ONEDOOR_ADDR in deploy/kubernetes) and the metrics (ONEDOOR_METRICS_ADDR).
	cfg.Config.ExposedPorts = map[string]struct{}{"8080/tcp": {}, "9464/tcp": {}}
	cfg.Config.Labels = map[string]string{
		"org.opencontainers.image.title":       "onedoor",
		"org.opencontainers.image.description": "OneDoor: the workflow engine of a county's comprehensive governance center",
	}
	img, err = mutate.ConfigFile(img, cfg)
	if err != nil {
		return nil, err
	}
	// Media types of the OCI image spec, which every current runtime and registry reads.
	return mutate.MediaType(img, "application/vnd.oci.image.manifest.v1+json"), nil
}

// Write writes the image as a tarball named ref, into the file at path only once it is whole.
func Write(path string, ref name.Tag, img v1.Image) error {
	tmp := path + ".partial"
	if err := tarball.WriteToFile(tmp, ref, img); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return os.Rename(tmp, path)
}

// staticArch checks that the binary is a statically linked Linux executable, which runs in an
// image that has no C library, and returns its architecture as the image config names it.
func staticArch(path string) (string, error) {
	f, err := elf.Open(path)
	if err != nil {
		return "", fmt.Errorf("%s: not a Linux executable: %w", path, err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return "", fmt.Errorf("%s is dynamically linked: build it with CGO_ENABLED=0, as make build does", path)
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		return "", fmt.Errorf("%s needs %v: build it with CGO_ENABLED=0, as make build does", path, libs)
	}
	switch f.Machine {
	case elf.EM_X86_64:
		return "amd64", nil
	case elf.EM_AARCH64:
		return "arm64", nil
	}
	return "", fmt.Errorf("%s is built for %s: amd64 and arm64 are packed", path, f.Machine)
}

// writeLayer writes the layer's files: the directories, the user, the CA bundle and the binary.
func writeLayer(w io.Writer, o Options) error {
	tw := tar.NewWriter(w)
	dir := func(path string, mode int64, owner int) error {
		return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: path + "/", Mode: mode, Uid: owner, Gid: owner,
			ModTime: o.Created, Format: tar.FormatPAX})
	}
	file := func(path string, mode int64, size int64, body io.Reader) error {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: path, Mode: mode, Size: size,
			ModTime: o.Created, Format: tar.FormatPAX}); err != nil {
			return err
		}
		_, err := io.Copy(tw, body)
		return err
	}
	text := func(path, body string) error {
		return file(path, 0o644, int64(len(body)), strings.NewReader(body))
	}
	for _, d := range []struct {
		path  string
		mode  int64
		owner int
	}{
		{"etc", 0o755, 0}, {"etc/ssl", 0o755, 0}, {"etc/ssl/certs", 0o755, 0},
		{"home", 0o755, 0}, {home[1:], 0o700, nonroot},
		{"tmp", 0o1777, 0},
		{"usr", 0o755, 0}, {"usr/local", 0o755, 0}, {"usr/local/bin", 0o755, 0},
	} {
		if err := dir(d.path, d.mode, d.owner); err != nil {
			return err
		}
	}
	if err := text("etc/passwd", fmt.Sprintf("root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:%d:%d:nonroot:%s:/sbin/nologin\n", nonroot, nonroot, home)); err != nil {
		return err
	}
	if err := text("etc/group", fmt.Sprintf("root:x:0:\nnonroot:x:%d:\n", nonroot)); err != nil {
		return err
	}
	if err := copyFile(file, o.CA, caPath[1:], 0o644); err != nil {
		return fmt.Errorf("the CA bundle (-ca; Debian's package ca-certificates): %w", err)
	}
	if err := copyFile(file, o.Binary, binaryPath[1:], 0o755); err != nil {
		return err
	}
	return tw.Close()
}

func copyFile(file func(string, int64, int64, io.Reader) error, from, to string, mode int64) error {
	f, err := os.Open(from)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return errors.New(from + " is not a file")
	}
	return file(to, mode, st.Size(), f)
}
