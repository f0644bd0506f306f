package definitions

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/types"
	"github.com/expr-lang/expr/vm"
)

// Env is what a rule sees about a case. Rules are compiled against it, so a misspelt name or a
// comparison of text with a number is refused when the definition is saved, not when a case
// hits the rule. It holds no clock: the caller (the workflow) fills in elapsed and remaining
// time from its own deterministic time, and `now()` is not available to rules.
type Env struct {
	Matter    string `expr:"matter"`     // the procedure's matter, e.g. "petition"
	Procedure string `expr:"procedure"`  // the procedure key
	Step      string `expr:"step"`       // the id of the current step
	Level     string `expr:"level"`      // the level holding the case: group, village, town, banner, government
	LevelRank int    `expr:"level_rank"` // 0 for group … 4 for government
	OrgUnit   string `expr:"org_unit"`   // the code of the org unit holding the case
	// Data is the case form's values by field name (see Form.Complete).
	Data map[string]any `expr:"data"`
	// ElapsedHours and ElapsedDays are the time since the case was opened.
	ElapsedHours float64 `expr:"elapsed_hours"`
	ElapsedDays  int     `expr:"elapsed_days"`
	// RemainingHours is the time left until the current step's deadline; negative when overdue.
	RemainingHours float64 `expr:"remaining_hours"`
	Overdue        bool    `expr:"overdue"` // the current step's deadline has passed
	Escalations    int     `expr:"escalations"`
	Returns        int     `expr:"returns"`    // times the case was handed back down or returned
	Transfers      int     `expr:"transfers"`  // times the case was transferred to another organ
	Extensions     int     `expr:"extensions"` // extensions granted on the current step
	Visits         int     `expr:"visits"`     // times the resident came about this matter
	Suspended      bool    `expr:"suspended"`
	// FirstVisit is the answer of this level's first_visit rule, for outcomes that offer
	// handling on the spot (`when: first_visit`); it is false inside the first_visit rule itself.
	FirstVisit bool `expr:"first_visit"`
	// Departments are the codes of departments already involved in the case.
	Departments []string `expr:"departments"`
}

// EnvVar describes one variable of the rule environment, for documentation and editors.
type EnvVar struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// EnvVars lists the rule environment's variables and their types (data's fields depend on the
// procedure's form).
func EnvVars() []EnvVar {
	t := reflect.TypeOf(Env{})
	out := make([]EnvVar, 0, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		out = append(out, EnvVar{Name: f.Tag.Get("expr"), Type: f.Type.String()})
	}
	return out
}

// RuleKind is what a rule must give back.
type RuleKind int

// The kinds of rule result.
const (
	RuleBool        RuleKind = iota // true or false
	RulePeriod                      // a deadline period, from days(n), workdays(n), hours(n), minutes(n)
	RuleDepartments                 // a department code or a list of codes
)

var periodType = reflect.TypeOf(Period{})

// ruleFunctions are the functions rules may call besides expr's builtins.
var ruleFunctions = []expr.Option{
	periodFunc("days", Days),
	periodFunc("workdays", Workdays),
	periodFunc("hours", Hours),
	periodFunc("minutes", Minutes),
}

func periodFunc(name string, f func(int) Period) expr.Option {
	return expr.Function(name, func(params ...any) (any, error) {
		n, ok := params[0].(int)
		if !ok {
			return nil, fmt.Errorf("%s() needs a whole number", name)
		}
		return f(n), nil
	}, new(func(int) Period))
}

// checkEnv mirrors Env as an expr type map with data typed by the form, so a rule is checked
// against the procedure's real fields; the program that runs is compiled against Env itself.
func checkEnv(form Form) types.Map {
	m := types.Map{}
	t := reflect.TypeOf(Env{})
	for i := range t.NumField() {
		f := t.Field(i)
		m[f.Tag.Get("expr")] = types.TypeOf(reflect.Zero(f.Type).Interface())
	}
	data := types.Map{}
	for _, f := range form {
		switch f.Type {
		case FieldInteger:
			data[f.Name] = types.Int
		case FieldBoolean:
			data[f.Name] = types.Bool
		default:
			data[f.Name] = types.String
		}
	}
	m["data"] = data
	return m
}

// compileRule compiles src twice: against the form-typed check environment to find mistakes,
// then against Env for running. The message of the error is for an administrator.
func compileRule(src string, kind RuleKind, check types.Map) (*vm.Program, error) {
	opts := append([]expr.Option{expr.DisableBuiltin("now")}, ruleFunctions...)
	checkOpts := append([]expr.Option{expr.Env(check)}, opts...)
	if kind == RuleBool {
		checkOpts = append(checkOpts, expr.AsBool())
	}
	checked, err := expr.Compile(src, checkOpts...)
	if err != nil {
		return nil, errors.New(explainExprError(err, kind))
	}
	switch t := checked.Node().Type(); {
	case kind == RulePeriod && t != nil && t != periodType && t.Kind() != reflect.Interface:
		return nil, fmt.Errorf("this deadline rule must give a period such as days(15) or workdays(5), but it gives %s", typeWords(t))
	case kind == RuleDepartments && t != nil && t.Kind() != reflect.String && t.Kind() != reflect.Slice && t.Kind() != reflect.Interface:
		return nil, fmt.Errorf("this diversion rule must give a department code or a list of codes such as [\"justice\", \"housing\"], but it gives %s", typeWords(t))
	}
	runOpts := append([]expr.Option{expr.Env(Env{})}, opts...)
	if kind == RuleBool {
		runOpts = append(runOpts, expr.AsBool())
	}
	prog, err := expr.Compile(src, runOpts...)
	if err != nil {
		return nil, errors.New(explainExprError(err, kind))
	}
	return prog, nil
}

// explainExprError turns expr's compiler message into a sentence for a non-programmer.
func explainExprError(err error, kind RuleKind) string {
	msg, where := err.Error(), ""
	var fe *file.Error
	if errors.As(err, &fe) {
		msg = fe.Message
		if fe.Column >= 0 && fe.Line > 0 {
			where = fmt.Sprintf(" (at character %d of the rule)", fe.Column+1)
		}
	}
	switch {
	case strings.HasPrefix(msg, "expected bool, but got "):
		return "this rule must answer yes or no (true or false), but it gives " + typeName(strings.TrimPrefix(msg, "expected bool, but got "))
	case strings.HasPrefix(msg, "unknown field "):
		return fmt.Sprintf("the form has no field %q%s; check the field names under form", strings.TrimPrefix(msg, "unknown field "), where)
	case strings.HasPrefix(msg, "unknown name now"):
		return "now() is not available in rules: use elapsed_hours, elapsed_days, remaining_hours or overdue" + where
	case strings.HasPrefix(msg, "unknown name "):
		return fmt.Sprintf("%q is not something a rule can use%s; the names available are described in docs/procedures.md (data.<field>, level, overdue, escalations …)", strings.TrimPrefix(msg, "unknown name "), where)
	case strings.Contains(msg, "mismatched types"), strings.HasPrefix(msg, "invalid operation"):
		return "the rule combines values that do not go together (" + msg + ")" + where
	}
	return "the rule cannot be understood: " + msg + where
}

func typeWords(t reflect.Type) string { return typeName(t.String()) }

func typeName(s string) string {
	switch {
	case s == "string":
		return "text"
	case s == "int" || s == "float64" || strings.HasPrefix(s, "int") || strings.HasPrefix(s, "float"):
		return "a number"
	case s == "bool":
		return "yes or no"
	case strings.HasPrefix(s, "[]"):
		return "a list"
	case strings.HasSuffix(s, "Period"):
		return "a period"
	}
	return s
}

// literalDepartments are the department codes a diversion rule names literally: the whole
// rule, the items of a list, and the branches of a ?: — enough to catch a misspelt code.
func literalDepartments(prog *vm.Program) []string {
	var out []string
	var constant func(v any)
	constant = func(v any) {
		switch v := v.(type) {
		case string:
			out = append(out, v)
		case []any:
			for _, x := range v {
				constant(x)
			}
		case []string:
			out = append(out, v...)
		case map[string]any:
			for _, k := range sortedKeys(v) {
				constant(v[k])
			}
		}
	}
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		switch n := n.(type) {
		case *ast.StringNode:
			out = append(out, n.Value)
		case *ast.ArrayNode:
			for _, x := range n.Nodes {
				walk(x)
			}
		case *ast.ConditionalNode:
			walk(n.Exp1)
			walk(n.Exp2)
		case *ast.MapNode: // {"labor": ["hrss"], …}[data.topic]
			for _, pair := range n.Pairs {
				if p, ok := pair.(*ast.PairNode); ok {
					walk(p.Value)
				}
			}
		case *ast.MemberNode:
			walk(n.Node)
		case *ast.BinaryNode: // a ?? b
			if n.Operator == "??" {
				walk(n.Left)
				walk(n.Right)
			}
		case *ast.ConstantNode: // the optimizer folds literal lists and maps into constants
			constant(n.Value)
		}
	}
	walk(prog.Node())
	return out
}

// Compiled is a procedure version with every rule compiled, ready to evaluate. It is shared
// and read-only; get it from Procedure.Compile.
type Compiled struct {
	Procedure *Procedure
	levels    map[Level]*levelPrograms
	deadlines map[string]*vm.Program // "step" or "level/step" → program
	guards    map[string][]*vm.Program
	when      map[string]*vm.Program // "step/outcome" → program
}

type levelPrograms struct {
	firstVisit, accept, divert, escalate *vm.Program
}

var compiledCache sync.Map // cacheKey → *Compiled

// cacheKey pins a compiled definition to its version and content, so an edited draft that
// kept its version number is not served stale programs.
func cacheKey(p *Procedure) string {
	b, _ := json.Marshal(p)
	sum := sha256.Sum256(b)
	return fmt.Sprintf("%s@%d#%s", p.Key, p.Version, hex.EncodeToString(sum[:8]))
}

// Compile compiles every rule of the procedure, or reports each rule that does not compile.
// Published and retired versions are cached per key, version and content: compiling one again
// (for each case that runs on it) is a hash and a map lookup. Drafts are compiled afresh. The
// procedure must not be changed after it is compiled.
func (p *Procedure) Compile() (*Compiled, error) {
	key := cacheKey(p)
	if c, ok := compiledCache.Load(key); ok {
		return c.(*Compiled), nil
	}
	c, ps := compileAll(p)
	if err := ps.err(); err != nil {
		return nil, err
	}
	if p.Status == StatusDraft {
		return c, nil // drafts change with every save; caching each would only grow the cache
	}
	actual, _ := compiledCache.LoadOrStore(key, c)
	return actual.(*Compiled), nil
}

func compileAll(p *Procedure) (*Compiled, problems) {
	var ps problems
	check := checkEnv(p.Form)
	c := &Compiled{
		Procedure: p,
		levels:    map[Level]*levelPrograms{},
		deadlines: map[string]*vm.Program{},
		guards:    map[string][]*vm.Program{},
		when:      map[string]*vm.Program{},
	}
	compile := func(path, src string, kind RuleKind) *vm.Program {
		if strings.TrimSpace(src) == "" {
			return nil
		}
		prog, err := compileRule(src, kind, check)
		if err != nil {
			ps.add(path, "%s", err.Error())
		}
		return prog
	}
	for i, s := range p.Steps {
		if s.Deadline != nil && s.Deadline.Expr != "" {
			c.deadlines[s.ID] = compile(fmt.Sprintf("steps[%d].deadline.expr", i), s.Deadline.Expr, RulePeriod)
		}
		for j, g := range s.Guards {
			c.guards[s.ID] = append(c.guards[s.ID], compile(fmt.Sprintf("steps[%d].guards[%d].expr", i, j), g.Expr, RuleBool))
		}
		for j, o := range s.Outcomes {
			if o.When != "" {
				c.when[s.ID+"/"+o.ID] = compile(fmt.Sprintf("steps[%d].outcomes[%d].when", i, j), o.When, RuleBool)
			}
		}
	}
	for _, l := range p.levelsInOrder() {
		r := p.Levels[l]
		base := "levels." + string(l)
		c.levels[l] = &levelPrograms{
			firstVisit: compile(base+".first_visit", r.FirstVisit, RuleBool),
			accept:     compile(base+".accept", r.Accept, RuleBool),
			divert:     compile(base+".divert", r.Divert, RuleDepartments),
			escalate:   compile(base+".escalate", r.Escalate, RuleBool),
		}
		for _, id := range sortedKeys(r.Deadlines) {
			if d := r.Deadlines[id]; d.Expr != "" {
				c.deadlines[string(l)+"/"+id] = compile(base+".deadlines."+id+".expr", d.Expr, RulePeriod)
			}
		}
	}
	return c, ps
}

// vms reuses expr virtual machines: a VM is not safe for concurrent use, but allocating one
// per evaluation costs more than the rule itself.
var vms = sync.Pool{New: func() any { return new(vm.VM) }}

func run(prog *vm.Program, env *Env) (any, error) {
	m := vms.Get().(*vm.VM)
	out, err := m.Run(prog, env)
	vms.Put(m)
	return out, err
}

func runBool(prog *vm.Program, env *Env, def bool) (bool, error) {
	if prog == nil {
		return def, nil
	}
	out, err := run(prog, env)
	if err != nil {
		return def, err
	}
	b, ok := out.(bool)
	if !ok {
		return def, fmt.Errorf("rule gave %T, not true or false", out)
	}
	return b, nil
}

func (c *Compiled) level(l Level) *levelPrograms {
	if lp, ok := c.levels[l]; ok {
		return lp
	}
	return &levelPrograms{}
}

// FirstVisit reports whether the receiving window at level l may handle the case on the spot
// (首访首办); false when the level has no such rule.
func (c *Compiled) FirstVisit(l Level, env *Env) (bool, error) {
	return runBool(c.level(l).firstVisit, env, false)
}

// Accept reports whether level l may accept the case; true when the level has no such rule.
func (c *Compiled) Accept(l Level, env *Env) (bool, error) {
	return runBool(c.level(l).accept, env, true)
}

// Escalate reports whether the case must move up from level l now; false without a rule.
func (c *Compiled) Escalate(l Level, env *Env) (bool, error) {
	return runBool(c.level(l).escalate, env, false)
}

// Divert is the department codes level l diverts the case to (分流指派), none without a rule.
func (c *Compiled) Divert(l Level, env *Env) ([]string, error) {
	prog := c.level(l).divert
	if prog == nil {
		return nil, nil
	}
	out, err := run(prog, env)
	if err != nil {
		return nil, err
	}
	switch v := out.(type) {
	case nil:
		return nil, nil
	case string:
		if v == "" {
			return nil, nil
		}
		return []string{v}, nil
	case []string:
		return v, nil
	case []any:
		codes := make([]string, 0, len(v))
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil, fmt.Errorf("diversion rule gave %T in its list, not a department code", x)
			}
			codes = append(codes, s)
		}
		return codes, nil
	}
	return nil, fmt.Errorf("diversion rule gave %T, not department codes", out)
}

// Deadline is the period of step stepID at level l: the level's override if any, else the
// step's own; a deadline expression is evaluated with env. ok is false when the step has no
// deadline.
func (c *Compiled) Deadline(stepID string, l Level, env *Env) (d Deadline, p Period, ok bool, err error) {
	dl := c.Procedure.DeadlineAt(stepID, l)
	if dl == nil {
		return Deadline{}, Period{}, false, nil
	}
	if fixed, isFixed := dl.Period(); isFixed {
		return *dl, fixed, true, nil
	}
	prog := c.deadlines[string(l)+"/"+stepID]
	if r, has := c.Procedure.Levels[l]; !has || r.Deadlines[stepID].Expr == "" {
		prog = c.deadlines[stepID]
	}
	if prog == nil {
		return *dl, Period{}, false, fmt.Errorf("deadline rule of step %q is not compiled", stepID)
	}
	out, err := run(prog, env)
	if err != nil {
		return *dl, Period{}, false, err
	}
	per, isPeriod := out.(Period)
	if !isPeriod {
		return *dl, Period{}, false, fmt.Errorf("deadline rule of step %q gave %T, not a period", stepID, out)
	}
	if per.Amount <= 0 {
		return *dl, per, false, fmt.Errorf("deadline rule of step %q gave %s, not a positive period", stepID, per)
	}
	return *dl, per, true, nil
}

// Complete checks that step stepID may be completed with outcome: the step's guards and the
// outcome's condition hold, and its required fields are filled in. A refusal comes back as
// messages for the clerk; err is for a rule that failed to run.
func (c *Compiled) Complete(stepID, outcome string, env *Env) (refusals []string, err error) {
	s, ok := c.Procedure.Step(stepID)
	if !ok {
		return []string{fmt.Sprintf("there is no step %q", stepID)}, nil
	}
	if _, ok := s.Outcome(outcome); !ok {
		return []string{fmt.Sprintf("step %q has no outcome %q", stepID, outcome)}, nil
	}
	for _, name := range c.Missing(stepID, env) {
		f, _ := c.Procedure.Form.Field(name)
		refusals = append(refusals, fmt.Sprintf("%s must be filled in first", f.label()))
	}
	rules, err := c.Rules(stepID, outcome, env)
	return append(refusals, rules...), err
}

// Missing are the form fields that step stepID requires and the case's data (env) leave empty,
// by name: what the clerk fills in with the action that completes the step.
func (c *Compiled) Missing(stepID string, env *Env) []string {
	s, _ := c.Procedure.Step(stepID)
	var out []string
	for _, name := range s.RequiredFields(c.Procedure.Form) {
		if v, ok := env.Data[name]; !ok || v == nil || v == "" {
			out = append(out, name)
		}
	}
	return out
}

// Rules checks the step's guards and the outcome's condition for the case's data (env), as
// Complete does, leaving out the required fields: the refusals that filling in a field of the
// step cannot lift.
func (c *Compiled) Rules(stepID, outcome string, env *Env) (refusals []string, err error) {
	s, ok := c.Procedure.Step(stepID)
	if !ok {
		return []string{fmt.Sprintf("there is no step %q", stepID)}, nil
	}
	if _, ok := s.Outcome(outcome); !ok {
		return []string{fmt.Sprintf("step %q has no outcome %q", stepID, outcome)}, nil
	}
	for i, prog := range c.guards[stepID] {
		okGuard, err := runBool(prog, env, false)
		if err != nil {
			return refusals, err
		}
		if !okGuard {
			refusals = append(refusals, s.Guards[i].Message)
		}
	}
	allowed, err := c.Allowed(stepID, outcome, env)
	if err != nil {
		return refusals, err
	}
	if !allowed {
		refusals = append(refusals, c.unavailable(s, outcome, env))
	}
	return refusals, nil
}

// Unavailable says which rule refused the outcome of step stepID for a case with env: the
// sentence a clerk who tries it reads (see Complete).
func (c *Compiled) Unavailable(stepID, outcome string, env *Env) string {
	s, ok := c.Procedure.Step(stepID)
	if !ok {
		return fmt.Sprintf("there is no step %q", stepID)
	}
	return c.unavailable(s, outcome, env)
}

// unavailable says which rule refused an outcome: the outcome's own condition, and when that
// condition asks for first_visit, the level's first_visit rule that gave no.
func (c *Compiled) unavailable(s *Step, outcome string, env *Env) string {
	o, _ := s.Outcome(outcome)
	msg := fmt.Sprintf("the outcome %q is not available for this case: its condition at step %q (when: %s) said no", outcome, s.ID, o.When)
	if !strings.Contains(o.When, "first_visit") || env.FirstVisit {
		return msg
	}
	l := Level(env.Level)
	if rule := c.Procedure.Levels[l].FirstVisit; strings.TrimSpace(rule) != "" {
		return msg + fmt.Sprintf(", because the %s level's first_visit rule (%s) said no", l, rule)
	}
	return msg + fmt.Sprintf(", because the %s level has no first_visit rule, which means no", l)
}

// Allowed reports whether the outcome's condition (its when rule) holds; true without one.
func (c *Compiled) Allowed(stepID, outcome string, env *Env) (bool, error) {
	return runBool(c.when[stepID+"/"+outcome], env, true)
}
