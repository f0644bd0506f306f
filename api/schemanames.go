package api

import (
	"path"
	"reflect"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"
)

// schemaNamer names the OpenAPI schemas of Go types as huma does (the type's name), except
// that a type whose name another type of another package already took is prefixed with its
// package: onedoor.Clock is Clock, definitions.Clock is DefinitionsClock. huma's own namer
// gives both the same name and panics on registering the second, so the server would not
// start. Registration runs in a fixed order, so the names are stable from run to run.
func schemaNamer() func(reflect.Type, string) string {
	var mu sync.Mutex
	names := map[reflect.Type]string{}
	taken := map[string]reflect.Type{}
	return func(t reflect.Type, hint string) string {
		name := huma.DefaultSchemaNamer(t, hint)
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t.Name() == "" {
			return name
		}
		mu.Lock()
		defer mu.Unlock()
		if n, ok := names[t]; ok {
			return n
		}
		if other, ok := taken[name]; ok && other != t {
			pkg := path.Base(t.PkgPath())
			name = strings.ToUpper(pkg[:1]) + pkg[1:] + name
		}
		names[t], taken[name] = name, t
		return name
	}
}
