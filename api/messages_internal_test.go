package api

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// formats are the message formats written in the Go files of dirs: refusals of the case
// workflow, huma errors and their details, domain errors, and the form checks' sentences.
func formats(t *testing.T, dirs ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	lit := func(e ast.Expr) (string, bool) {
		b, ok := e.(*ast.BasicLit)
		if !ok || b.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(b.Value)
		return s, err == nil
	}
	fset := token.NewFileSet()
	for _, dir := range dirs {
		files, err := filepath.Glob(dir)
		require.NoError(t, err)
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, file, nil, 0)
			require.NoError(t, err)
			ast.Inspect(f, func(n ast.Node) bool {
				add := func(e ast.Expr) {
					if s, ok := lit(e); ok {
						out[s] = fset.Position(e.Pos()).String()
					}
				}
				switch n := n.(type) {
				case *ast.CallExpr:
					name := ""
					switch fn := n.Fun.(type) {
					case *ast.Ident:
						name = fn.Name
					case *ast.SelectorExpr:
						if x, ok := fn.X.(*ast.Ident); ok {
							name = x.Name + "." + fn.Sel.Name
						}
					}
					switch {
					case name == "refuse" && len(n.Args) > 1:
						add(n.Args[1])
					case strings.HasPrefix(name, "huma.Error4") || strings.HasPrefix(name, "huma.Error5"):
						if len(n.Args) > 0 {
							add(n.Args[0])
							if c, ok := n.Args[0].(*ast.CallExpr); ok && len(c.Args) > 0 {
								add(c.Args[0]) // huma.Error…(fmt.Sprintf(format, …))
							}
						}
					case name == "huma.WriteErr" && len(n.Args) > 3:
						add(n.Args[3])
					case name == "onedoor.Errorf" && len(n.Args) > 1:
						add(n.Args[1])
					}
				case *ast.KeyValueExpr:
					if k, ok := n.Key.(*ast.Ident); ok && k.Name == "Message" {
						add(n.Value)
						if c, ok := n.Value.(*ast.CallExpr); ok && len(c.Args) > 0 {
							add(c.Args[0])
						}
					}
				}
				return true
			})
		}
	}
	return out
}

// sample is a message written from format with stand-in arguments.
func sample(format string) string {
	return verbRe.ReplaceAllStringFunc(format, func(v string) string {
		if strings.HasSuffix(v, "q") {
			return `"x1"`
		}
		return "x1"
	})
}

// Every message a clerk can be shown has its Chinese text and its code: a new refusal or error
// message without one fails here.
func TestEveryMessageHasAChineseText(t *testing.T) {
	msgs := formats(t, "../workflows/*.go", "*.go", "../service/*.go", "../store/*.go", "../notice/*.go")
	// The form checks end a sentence that starts with the field's label.
	for format, where := range formats(t, "../definitions/form.go") {
		msgs["%s "+format] = where
	}
	var missing []string
	for format, where := range msgs {
		if literal(format) == 0 || strings.HasSuffix(format, " ") || strings.HasSuffix(format, ": ") {
			continue // a message of its parts, or the start of one, each translated as such
		}
		if _, zh, ok := translateOne(sample(format), true); !ok || zh == sample(format) {
			missing = append(missing, where+": "+strconv.Quote(format))
		}
	}
	require.Empty(t, missing, "messages without a Chinese text in api/messages.go")
	require.Greater(t, len(msgs), 100, "the scan finds the messages")
}

// Every code is used once, and every Chinese text takes the arguments its English one gives.
func TestTheCatalogIsConsistent(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range catalog {
		require.False(t, seen[m.id], "code %s used twice", m.id)
		seen[m.id] = true
		en, zh := verbRe.FindAllString(m.en, -1), verbRe.FindAllString(m.zh, -1)
		require.Len(t, zh, len(en), "%s: the Chinese text takes %d arguments, the English %d", m.id, len(zh), len(en))
		_, text, ok := translateOne(sample(m.en), true)
		require.True(t, ok, m.id)
		require.NotContains(t, text, "%!", "%s: %s", m.id, text)
	}
	for code := range fields {
		require.True(t, seen[code], "fields names %s, which is no code of the catalog", code)
	}
}
