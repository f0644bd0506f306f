// Package web holds the workbench, the React app clerks and supervisors use, built by Vite into
// dist/ and embedded in the binary. dist/ is not committed: `make web` builds it, and a binary
// built without it serves a page saying so. The pattern also takes dist-README.md, so that it
// matches something when dist/ is absent.
package web

import (
	"embed"
	"io/fs"
)

//go:embed all:dist*
var dist embed.FS

// Dist is the built workbench: index.html and assets/. It is empty when the binary was built
// without running `make web`.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // "dist" is a valid path
	}
	return sub
}
