package definitions

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// The YAML text of a stored procedure: the store keeps the text an administrator wrote and
// needs it to say what the stored row says, and problems found on a parsed definition need
// their place in that text. The positions in YAML are worked out here only.

// LocateSettings gives the problems of err about a top-level setting (key, version, ...) the line
// and column of that setting in src.
func LocateSettings(err error, src []byte) error {
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	top, _ := topLevel(string(src))
	out := &ValidationError{Problems: slices.Clone(ve.Problems)}
	for i, pr := range out.Problems {
		if e, ok := top[pr.Path]; ok && pr.Line == 0 {
			out.Problems[i].Line, out.Problems[i].Column = e.line+1, 1
		}
	}
	return out
}

// topEntry is a top-level setting written on one line: its 0-based line and the 0-based rune
// index of its ':'.
type topEntry struct{ line, colon int }

// topLevel finds the settings of the top-level block mapping of src that are written on one
// line (key: value); ok is false when the top level is not a block mapping.
func topLevel(src string) (map[string]topEntry, bool) {
	file, err := parser.ParseBytes([]byte(src), parser.ParseComments)
	if err != nil {
		return nil, false
	}
	var body *ast.MappingNode
	for _, d := range file.Docs {
		if d == nil || d.Body == nil {
			continue
		}
		m, ok := d.Body.(*ast.MappingNode)
		if !ok || m.IsFlowStyle || body != nil {
			return nil, false
		}
		body = m
	}
	if body == nil {
		return nil, false
	}
	found := map[string]topEntry{}
	for _, mv := range body.Values {
		if mv.Key == nil || mv.Start == nil || mv.Start.Position == nil || mv.Key.GetToken() == nil {
			continue
		}
		kt := mv.Key.GetToken()
		if kt.Position == nil || kt.Position.Column != 1 || mv.Start.Position.Line != kt.Position.Line {
			continue
		}
		switch mv.Value.(type) {
		case *ast.MappingNode, *ast.SequenceNode, *ast.LiteralNode, *ast.TagNode, *ast.AnchorNode, *ast.AliasNode:
			continue // not a one-line scalar
		}
		if vt := mv.Value.GetToken(); vt != nil && vt.Position != nil && vt.Position.Line != kt.Position.Line && vt.Value != "" {
			continue // the value is on another line
		}
		name := strings.Trim(kt.Value, `"'`)
		if _, dup := found[name]; dup {
			return nil, false
		}
		found[name] = topEntry{kt.Position.Line - 1, mv.Start.Position.Column - 1}
	}
	return found, true
}

// Stamp writes p's version, status and valid_from into the top-level settings of the YAML src,
// so the text an administrator downloads says what the row says. A setting written on one line
// is rewritten in place, keeping its comment; a missing one is added after the key line;
// valid_from is removed when p has none. A source whose top level is not a block of settings
// is returned as it is: the columns stay authoritative.
func Stamp(src string, p *Procedure) string {
	found, ok := topLevel(src)
	if !ok {
		return src
	}
	want := []struct{ name, value string }{
		{"version", strconv.Itoa(p.Version)},
		{"status", string(p.Status)},
		{"valid_from", p.ValidFrom.String()},
	}
	lines := strings.Split(src, "\n")
	// Rewrite in place first: that moves no line. Then add and remove lines, bottom up.
	type lineOp struct {
		at     int
		insert string // "" removes line at; otherwise inserted after line at
	}
	var ops []lineOp
	for _, w := range want {
		e, ok := found[w.name]
		switch {
		case ok && w.value == "":
			ops = append(ops, lineOp{at: e.line})
		case ok:
			if e.line >= len(lines) {
				return src
			}
			lines[e.line] = replaceValue(lines[e.line], e.colon, w.value)
		case w.value != "":
			k, ok := found["key"]
			if !ok {
				continue
			}
			cr := ""
			if strings.HasSuffix(lines[k.line], "\r") {
				cr = "\r"
			}
			ops = append(ops, lineOp{at: k.line, insert: w.name + ": " + w.value + cr})
		}
	}
	slices.SortStableFunc(ops, func(a, b lineOp) int { return b.at - a.at })
	// Lines inserted after the same line keep the order of want.
	for i := 0; i < len(ops); {
		j := i
		var inserts []string
		for j < len(ops) && ops[j].at == ops[i].at && ops[j].insert != "" {
			inserts = append(inserts, ops[j].insert)
			j++
		}
		if len(inserts) > 0 {
			lines = slices.Insert(lines, ops[i].at+1, inserts...)
			i = j
			continue
		}
		lines = slices.Delete(lines, ops[i].at, ops[i].at+1)
		i++
	}
	return strings.Join(lines, "\n")
}

// replaceValue replaces the scalar after the ':' at rune index colon of line, keeping the
// spacing before it and a trailing comment.
func replaceValue(line string, colon int, value string) string {
	r := []rune(line)
	if colon >= len(r) || r[colon] != ':' {
		return line
	}
	start := colon + 1
	for start < len(r) && (r[start] == ' ' || r[start] == '\t') {
		start++
	}
	end := start
	if end < len(r) && (r[end] == '"' || r[end] == '\'') {
		q := r[end]
		end++
		for end < len(r) && r[end] != q {
			end++
		}
		if end < len(r) {
			end++
		}
	} else {
		for end < len(r) && r[end] != '\r' && !(r[end] == '#' && end > 0 && (r[end-1] == ' ' || r[end-1] == '\t')) {
			end++
		}
		for end > start && (r[end-1] == ' ' || r[end-1] == '\t') {
			end--
		}
	}
	sep := ""
	if start == colon+1 {
		sep = " "
	}
	return string(r[:start]) + sep + value + string(r[end:])
}
