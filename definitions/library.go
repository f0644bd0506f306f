package definitions

import (
	"embed"
	"fmt"
	"sync"
)

//go:embed library/*.yaml
var libraryFS embed.FS

// LibraryKeys are the keys of the built-in procedures, one per built-in matter.
var LibraryKeys = []string{"petition", "mediation", "legal_aid", "notarization", "consultation", "grid_event"}

var library struct {
	once  sync.Once
	procs []*Procedure
	err   error
}

// Library is the built-in procedures (petition, mediation, legal aid, notarization, legal
// consultation, grid events), each encoding the statutory deadlines of DOMAIN.md, loaded from the embedded
// YAML and validated against DemoOrg. Stores seed them on first start. The result is shared:
// clone a procedure before changing it.
func Library() ([]*Procedure, error) {
	library.once.Do(func() {
		library.procs, library.err = loadLibrary()
	})
	return library.procs, library.err
}

func loadLibrary() ([]*Procedure, error) {
	org, err := DemoOrg()
	if err != nil {
		return nil, err
	}
	var out []*Procedure
	for _, key := range LibraryKeys {
		src, err := libraryFS.ReadFile("library/" + key + ".yaml")
		if err != nil {
			return nil, fmt.Errorf("built-in procedure %s: %w", key, err)
		}
		p, err := Load(src, org)
		if err != nil {
			return nil, fmt.Errorf("built-in procedure %s: %w", key, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// LibrarySource is the embedded YAML of a built-in procedure, for an administrator to start a
// new procedure from.
func LibrarySource(key string) ([]byte, bool) {
	b, err := libraryFS.ReadFile("library/" + key + ".yaml")
	return b, err == nil
}
