package definitions

import (
	"fmt"
	"strings"
)

// Problem is one mistake found in a procedure definition or in submitted case data. Path
// locates it: "steps[3].deadline.expr" in a definition, a JSON pointer such as "/data/phone" in
// case data. Line and Column point into the YAML source when the definition was loaded from
// one (0 when unknown). Message is written for the administrator or clerk, not a programmer.
type Problem struct {
	Path    string `json:"path"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message"`
}

// String writes the problem as "line 12, column 7: steps[3].deadline.expr: message".
func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "line %d, column %d: ", p.Line, p.Column)
	}
	if p.Path != "" {
		b.WriteString(p.Path + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// ValidationError is every problem found at once, so an administrator fixes a definition in
// one round instead of one mistake per save. It is the only error type of this package's
// validation; adapters map it to their own (the API to problem+json with one entry per Problem).
type ValidationError struct {
	Problems []Problem `json:"problems"`
}

// Error lists the problems, one per line.
func (e *ValidationError) Error() string {
	if len(e.Problems) == 1 {
		return "invalid definition: " + e.Problems[0].String()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "invalid definition: %d problems", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  " + p.String())
	}
	return b.String()
}

// problems collects problems while walking a definition.
type problems []Problem

func (ps *problems) add(path, format string, args ...any) {
	*ps = append(*ps, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return &ValidationError{Problems: ps}
}
