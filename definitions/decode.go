package definitions

import (
	"encoding"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// shapeChecker walks a YAML tree beside the Go type it is decoded into and reports every
// setting that is not part of the format and every value of the wrong kind, at any depth, each
// with its own line and column: the YAML library stops at the first. It removes what it reports
// from the tree, so that the rest decodes and the definition's meaning can be checked too.
type shapeChecker struct {
	ps problems
	// pruned are the paths of the values removed from the tree: the problems the meaning checks
	// find there (a missing version after a version of the wrong kind) only repeat these.
	pruned []string
}

var (
	textUnmarshaler  = reflect.TypeFor[encoding.TextUnmarshaler]()
	yamlUnmarshalers = []reflect.Type{
		reflect.TypeFor[yaml.BytesUnmarshaler](), reflect.TypeFor[yaml.InterfaceUnmarshaler](),
		reflect.TypeFor[yaml.NodeUnmarshaler](), textUnmarshaler,
	}
)

// leaf reports whether values of t are decoded as a whole by the YAML library: scalars and
// types that unmarshal themselves.
func leaf(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	for _, u := range yamlUnmarshalers {
		if t.Implements(u) || p.Implements(u) {
			return true
		}
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map, reflect.Slice, reflect.Array, reflect.Pointer, reflect.Interface:
		return false
	}
	return true
}

func (c *shapeChecker) problem(path string, n ast.Node, format string, args ...any) {
	pr := Problem{Path: path, Message: fmt.Sprintf(format, args...)}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		pr.Line, pr.Column = tk.Position.Line, tk.Position.Column
	}
	c.ps = append(c.ps, pr)
}

// check checks node against t and reports whether the node may stay in the tree.
func (c *shapeChecker) check(node ast.Node, t reflect.Type, path string) bool {
	node = unwrap(node)
	switch node.(type) {
	case nil, *ast.NullNode, *ast.AliasNode:
		return true // nothing to check, or checked where the anchor is
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if leaf(t) {
		if err := yaml.NodeToValue(node, reflect.New(t).Interface()); err != nil {
			pr := yamlProblem(err).(*ValidationError).Problems[0]
			pr.Path = path
			if pr.Line == 0 {
				if tk := node.GetToken(); tk != nil && tk.Position != nil {
					pr.Line, pr.Column = tk.Position.Line, tk.Position.Column
				}
			}
			c.ps = append(c.ps, pr)
			return false
		}
		return true
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := node.(*ast.MappingNode)
		if !ok {
			c.problem(path, node, "this value has the wrong kind: expected a set of settings, found %s", nodeWords(node))
			return false
		}
		fields := yamlFields(t)
		m.Values = slices.DeleteFunc(m.Values, func(mv *ast.MappingValueNode) bool {
			name := keyName(mv)
			if name == "<<" {
				return false // a merge key: the library merges it
			}
			f, ok := fields[name]
			if !ok {
				meant := suggest(name, fields)
				hint := ""
				if meant != "" {
					hint = fmt.Sprintf(" (did you mean %q?)", meant)
					if !slices.ContainsFunc(m.Values, func(o *ast.MappingValueNode) bool { return keyName(o) == meant }) {
						// What the meant setting lacks follows from the misspelling.
						c.pruned = append(c.pruned, joinPath(path, meant))
					}
				}
				c.problem(joinPath(path, name), mv.Key, "%q is not a setting of this format here; check its spelling and indentation%s", name, hint)
				if meant != "" {
					// Its content is checked as what it most likely meant, so a misspelt
					// section still shows the mistakes inside it in this round.
					c.check(mv.Value, fields[meant].Type, joinPath(path, name))
				}
				return true
			}
			return c.prune(mv, f.Type, joinPath(path, name))
		})
	case reflect.Map:
		m, ok := node.(*ast.MappingNode)
		if !ok {
			c.problem(path, node, "this value has the wrong kind: expected a set of settings, found %s", nodeWords(node))
			return false
		}
		m.Values = slices.DeleteFunc(m.Values, func(mv *ast.MappingValueNode) bool {
			return c.prune(mv, t.Elem(), joinPath(path, keyName(mv)))
		})
	case reflect.Slice, reflect.Array:
		s, ok := node.(*ast.SequenceNode)
		if !ok {
			c.problem(path, node, "this value has the wrong kind: expected a list, found %s", nodeWords(node))
			return false
		}
		for i, v := range s.Values {
			// An item of the wrong kind becomes empty rather than going, so the items after
			// it keep their numbers in the problems found later.
			if !c.check(v, t.Elem(), fmt.Sprintf("%s[%d]", path, i)) {
				s.Values[i] = ast.Null(v.GetToken())
				c.pruned = append(c.pruned, fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
	return true
}

// prune checks a setting's value and reports whether the setting must go from the tree.
func (c *shapeChecker) prune(mv *ast.MappingValueNode, t reflect.Type, path string) bool {
	if c.check(mv.Value, t, path) {
		return false
	}
	c.pruned = append(c.pruned, path)
	return true
}

// keep reports whether a problem of the meaning checks is about something the shape checks did
// not already report and remove.
func (c *shapeChecker) keep(pr Problem) bool {
	for _, p := range c.pruned {
		if pr.Path == p || strings.HasPrefix(pr.Path, p+".") || strings.HasPrefix(pr.Path, p+"[") {
			return false
		}
	}
	return true
}

func keyName(mv *ast.MappingValueNode) string {
	if mv.Key == nil || mv.Key.GetToken() == nil {
		return ""
	}
	return strings.Trim(mv.Key.GetToken().Value, `"'`)
}

// yamlFields maps the YAML names of t's fields to the fields.
func yamlFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f
	}
	return out
}

// suggest names the setting a misspelt one most likely meant.
func suggest(name string, fields map[string]reflect.StructField) string {
	best, bestD := "", 3
	for _, k := range sortedKeys(fields) {
		if d := editDistance(name, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// editDistance is the Damerau–Levenshtein distance of a and b with adjacent transpositions, so
// that setps is one edit from steps.
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}

// nodeWords names the kind of a YAML value in the words of kindWords.
func nodeWords(n ast.Node) string {
	switch n.(type) {
	case *ast.MappingNode:
		return "a set of settings"
	case *ast.SequenceNode:
		return "a list"
	case *ast.IntegerNode, *ast.FloatNode:
		return "a number"
	case *ast.BoolNode:
		return "true or false"
	}
	return "text"
}
