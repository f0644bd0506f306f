package definitions

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// Parse reads one procedure from YAML without checking its meaning. A file that is not YAML
// gives a *ValidationError with the one place it cannot be read; a readable one with settings
// that are not part of the format or values of the wrong kind gives one problem for each, at
// any depth, each with its line and column. It never panics, whatever the input.
func Parse(src []byte) (*Procedure, error) {
	p, _, shape, err := parse(src)
	if err != nil {
		return nil, err
	}
	if len(shape.ps) > 0 {
		sortProblems(shape.ps)
		return nil, shape.ps.err()
	}
	return p, nil
}

// Load parses a procedure from YAML and validates it against org (nil skips the checks of
// departments), reporting every problem at once, each with its path, line and column: the
// settings that are not part of the format and the values of the wrong kind that Parse finds,
// and every problem Validate finds in the rest. A procedure that loads has every rule compiled
// and cached.
func Load(src []byte, org *Org) (*Procedure, error) {
	p, file, shape, err := parse(src)
	if err != nil {
		return nil, err
	}
	ps := shape.ps
	var meaning problems
	for _, pr := range p.problems(org) {
		if shape.keep(pr) {
			meaning = append(meaning, pr)
		}
	}
	locate(file, meaning)
	ps = append(ps, meaning...)
	if len(ps) > 0 {
		sortProblems(ps)
		return nil, ps.err()
	}
	if _, err := p.Compile(); err != nil {
		return nil, err
	}
	return p, nil
}

// parse reads src into a procedure. err is a file that cannot be read as one procedure at all;
// the problems of shape are the settings it had to leave out to read the rest.
func parse(src []byte) (p *Procedure, file *ast.File, shape *shapeChecker, err error) {
	defer func() {
		// The YAML library is a large parser fed with administrator input; a bug in it must
		// come back as a refused definition, not take the server down.
		if r := recover(); r != nil {
			p, file, shape = nil, nil, nil
			err = &ValidationError{Problems: []Problem{{Message: fmt.Sprintf("the file cannot be read as YAML (%v)", r)}}}
		}
	}()
	file, err = parser.ParseBytes(src, 0)
	if err != nil {
		return nil, nil, nil, yamlProblem(err)
	}
	var body ast.Node
	for _, d := range file.Docs {
		if d != nil && d.Body != nil {
			if body != nil {
				return nil, nil, nil, &ValidationError{Problems: []Problem{{Message: "the file holds more than one document; put one procedure per file"}}}
			}
			body = d.Body
		}
	}
	if body == nil {
		return nil, nil, nil, &ValidationError{Problems: []Problem{{Line: 1, Column: 1, Message: "the file is empty: a procedure needs at least a key, a name, a version and steps"}}}
	}
	if _, ok := unwrap(body).(*ast.MappingNode); !ok {
		tk := body.GetToken()
		pr := Problem{Message: "the file must be a set of settings (key: value), starting with key: and name:"}
		if tk != nil && tk.Position != nil {
			pr.Line, pr.Column = tk.Position.Line, tk.Position.Column
		}
		return nil, nil, nil, &ValidationError{Problems: []Problem{pr}}
	}
	shape = &shapeChecker{}
	shape.check(body, reflect.TypeFor[Procedure](), "")
	var proc Procedure
	if err := yaml.NodeToValue(body, &proc, yaml.DisallowUnknownField()); err != nil {
		// The shape checks leave a tree the library reads; should they miss a case, its
		// own first problem is still reported with the others.
		shape.ps = append(shape.ps, yamlProblem(err).(*ValidationError).Problems...)
		return nil, nil, nil, shape.ps.err()
	}
	return &proc, file, shape, nil
}

var (
	unknownFieldRe = regexp.MustCompile(`unknown field "([^"]*)"`)
	typeRe         = regexp.MustCompile(`cannot unmarshal (\S+) into Go (?:struct field \S+ of type|value of type) (\S+)`)
)

// yamlProblem turns the YAML library's error into a located problem in plain words.
func yamlProblem(err error) error {
	pr := Problem{Message: err.Error()}
	var ye yaml.Error
	if errors.As(err, &ye) {
		msg := ye.GetMessage()
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			pr.Line, pr.Column = tk.Position.Line, tk.Position.Column
		}
		switch {
		case unknownFieldRe.MatchString(msg):
			pr.Message = fmt.Sprintf("%q is not a setting of this format here; check its spelling and indentation", unknownFieldRe.FindStringSubmatch(msg)[1])
		case typeRe.MatchString(msg):
			m := typeRe.FindStringSubmatch(msg)
			pr.Message = fmt.Sprintf("this value has the wrong kind: expected %s, found %s", kindWords(m[2]), kindWords(m[1]))
		default:
			pr.Message = "the file is not valid YAML: " + msg
		}
	}
	return &ValidationError{Problems: []Problem{pr}}
}

func kindWords(goType string) string {
	t := strings.TrimPrefix(goType, "*")
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map"), strings.HasPrefix(t, "definitions."), t == "mapping":
		return "a set of settings"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"), strings.HasPrefix(t, "float"):
		return "a number"
	case t == "string":
		return "text"
	case t == "bool":
		return "true or false"
	case t == "array", t == "sequence":
		return "a list"
	}
	return t
}

var segmentRe = regexp.MustCompile(`[^.\[\]]+|\[\d+\]`)

// locate fills in the line and column of each problem from the YAML tree, using the nearest
// node that exists when the path points at a missing setting (its parent), then sorts the
// problems in file order.
func locate(file *ast.File, ps problems) {
	for i := range ps {
		if ps[i].Line > 0 {
			continue
		}
		segs := segmentRe.FindAllString(ps[i].Path, -1)
		for n := len(segs); n >= 0; n-- {
			if line, col, ok := position(file, segs[:n]); ok {
				ps[i].Line, ps[i].Column = line, col
				break
			}
		}
	}
	sortProblems(ps)
}

// sortProblems puts problems in file order.
func sortProblems(ps problems) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
}

func position(file *ast.File, segs []string) (int, int, bool) {
	var node ast.Node
	for _, d := range file.Docs {
		if d != nil && d.Body != nil {
			node = d.Body
			break
		}
	}
	var keyTok *token.Token // the key of the last mapping value walked into
	for _, seg := range segs {
		node = unwrap(node)
		keyTok = nil
		switch n := node.(type) {
		case *ast.SequenceNode:
			i, err := strconv.Atoi(strings.Trim(seg, "[]"))
			if !strings.HasPrefix(seg, "[") || err != nil || i < 0 || i >= len(n.Values) {
				return 0, 0, false
			}
			node = n.Values[i]
		case *ast.MappingNode:
			var found ast.Node
			for _, mv := range n.Values {
				if mv.Key != nil && strings.Trim(mv.Key.GetToken().Value, `"'`) == seg {
					found, keyTok = mv.Value, mv.Key.GetToken()
					break
				}
			}
			if found == nil {
				return 0, 0, false
			}
			node = found
		default:
			return 0, 0, false
		}
	}
	node = unwrap(node)
	var tk *token.Token
	switch n := node.(type) {
	case *ast.MappingNode:
		// point at the setting's own key, or at the first key inside a list item
		tk = keyTok
		if tk == nil && len(n.Values) > 0 && n.Values[0].Key != nil {
			tk = n.Values[0].Key.GetToken()
		}
	case *ast.SequenceNode:
		tk = keyTok
	}
	if tk == nil && node != nil {
		tk = node.GetToken()
	}
	if tk == nil || tk.Position == nil {
		return 0, 0, false
	}
	return tk.Position.Line, tk.Position.Column, true
}

// unwrap looks through tags and anchors to the node they label.
func unwrap(n ast.Node) ast.Node {
	for i := 0; i < 8; i++ {
		switch x := n.(type) {
		case *ast.TagNode:
			n = x.Value
		case *ast.AnchorNode:
			n = x.Value
		default:
			return n
		}
	}
	return n
}
