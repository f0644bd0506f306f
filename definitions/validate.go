package definitions

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

var (
	keyRe  = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,62}$`)
	nameRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)
)

// Statuses lists the statuses of a procedure version.
var Statuses = []Status{StatusDraft, StatusPublished, StatusRetired}

// Valid reports whether s is one of the statuses.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Validate checks the whole procedure and reports every problem at once as a *ValidationError:
// missing or malformed names, unknown or duplicate ids, transitions to missing steps, steps
// unreachable from the start or from which the case can never end, unknown levels, roles and
// departments (checked against org when it is not nil), non-positive deadlines, and rules that
// do not compile or give the wrong kind of answer. Paths have no line numbers here; Load adds
// them.
func (p *Procedure) Validate(org *Org) error {
	return p.problems(org).err()
}

func (p *Procedure) problems(org *Org) problems {
	var ps problems
	v := validator{p: p, org: org, ps: &ps}
	v.header()
	v.form()
	v.steps()
	v.graph()
	v.levels()
	v.clocks()
	_, compileProblems := compileAll(p)
	ps = append(ps, compileProblems...)
	return ps
}

type validator struct {
	p   *Procedure
	org *Org
	ps  *problems
}

func (v validator) add(path, format string, args ...any) { v.ps.add(path, format, args...) }

func (v validator) header() {
	p := v.p
	switch {
	case p.Key == "":
		v.add("key", "the procedure needs a key, a short code such as land_dispute")
	case !keyRe.MatchString(p.Key):
		v.add("key", "the key %q may only use lowercase letters, digits, _ and -, and must start with a letter", p.Key)
	}
	if p.Matter != "" && !keyRe.MatchString(string(p.Matter)) {
		v.add("matter", "the matter %q may only use lowercase letters, digits, _ and -, and must start with a letter (e.g. land_dispute)", p.Matter)
	}
	if strings.TrimSpace(p.Name) == "" {
		v.add("name", "the procedure needs a name")
	}
	if p.Version < 1 {
		v.add("version", "the version must be 1 or more (got %d)", p.Version)
	}
	if !p.Status.Valid() {
		v.add("status", "the status %q is not one of draft, published, retired", p.Status)
	}
	if p.Status == StatusPublished && p.ValidFrom.IsZero() {
		v.add("valid_from", "a published version needs valid_from, the first day new cases may use it")
	}
	for i, c := range p.LegalBasis {
		if strings.TrimSpace(c.Law) == "" || strings.TrimSpace(c.Article) == "" {
			v.add(fmt.Sprintf("legal_basis[%d]", i), "a citation needs both the law and the article")
		}
	}
	for i, part := range p.Locked {
		switch {
		case !slices.Contains(OverrideParts, part):
			v.add(fmt.Sprintf("locked[%d]", i), "%q is not a part a county may change; use one of %s", part, joinAny(OverrideParts))
		case slices.Index(p.Locked, part) < i:
			v.add(fmt.Sprintf("locked[%d]", i), "%q is listed twice", part)
		}
	}
}

var textTypes = []FieldType{FieldText, FieldLongText, FieldPhone, FieldResidentID, FieldOrgUnit, FieldDepartment, FieldEnum, FieldDate}

func (v validator) form() {
	seen := map[string]int{}
	for i, f := range v.p.Form {
		path := fmt.Sprintf("form[%d]", i)
		switch {
		case f.Name == "":
			v.add(path+".name", "every field needs a name, used as data.<name> in rules")
		case !nameRe.MatchString(f.Name):
			v.add(path+".name", "the field name %q may only use lowercase letters, digits and _, and must start with a letter", f.Name)
		default:
			if j, dup := seen[f.Name]; dup {
				v.add(path+".name", "the field name %q is already used by form[%d]; each field needs its own name", f.Name, j)
			} else {
				seen[f.Name] = i
			}
		}
		if strings.TrimSpace(f.Label) == "" {
			v.add(path+".label", "the field %q needs a label, the text shown to the clerk", f.Name)
		}
		if !slices.Contains(FieldTypes, f.Type) {
			v.add(path+".type", "%q is not a field type; use one of %s", f.Type, joinAny(FieldTypes))
			continue
		}
		if f.Type == FieldEnum && len(f.Options) == 0 {
			v.add(path+".options", "a choice (enum) field needs at least one option")
		}
		if f.Type != FieldEnum && len(f.Options) > 0 {
			v.add(path+".options", "only a choice (enum) field has options")
		}
		values := map[string]bool{}
		for j, o := range f.Options {
			if o.Value == "" {
				v.add(fmt.Sprintf("%s.options[%d].value", path, j), "every option needs a value")
			} else if values[o.Value] {
				v.add(fmt.Sprintf("%s.options[%d].value", path, j), "the option %q is listed twice", o.Value)
			}
			values[o.Value] = true
		}
		if f.MinLength < 0 || f.MaxLength < 0 {
			v.add(path, "lengths cannot be negative")
		}
		if f.MaxLength > 0 && f.MinLength > f.MaxLength {
			v.add(path+".min_length", "min_length (%d) is more than max_length (%d)", f.MinLength, f.MaxLength)
		}
		if (f.MinLength > 0 || f.MaxLength > 0 || f.Pattern != "") && !slices.Contains(textTypes, f.Type) {
			v.add(path, "lengths and patterns only apply to text fields, not to a %s field", f.Type)
		}
		if f.Pattern != "" {
			if _, err := regexp.Compile(f.Pattern); err != nil {
				v.add(path+".pattern", "the pattern is not a valid regular expression: %v", err)
			}
		}
		if f.Personal && !slices.Contains(textTypes, f.Type) {
			v.add(path+".personal", "only a text field can be personal (masked), not one of type %s", f.Type)
		}
		if (f.Min != nil || f.Max != nil) && f.Type != FieldInteger {
			v.add(path, "min and max only apply to integer fields, not to a %s field", f.Type)
		}
		if f.Min != nil && f.Max != nil && *f.Min > *f.Max {
			v.add(path+".min", "min (%d) is more than max (%d)", *f.Min, *f.Max)
		}
	}
}

func (v validator) steps() {
	p := v.p
	if len(p.Steps) == 0 {
		v.add("steps", "the procedure needs at least one step")
		return
	}
	ids := map[string]int{}
	for i, s := range p.Steps {
		path := fmt.Sprintf("steps[%d]", i)
		switch {
		case s.ID == "":
			v.add(path+".id", "every step needs an id")
		case s.ID == EndStep:
			v.add(path+".id", "%q is reserved for closing the case and cannot be a step id", EndStep)
		case !nameRe.MatchString(s.ID):
			v.add(path+".id", "the step id %q may only use lowercase letters, digits and _, and must start with a letter", s.ID)
		default:
			if j, dup := ids[s.ID]; dup {
				v.add(path+".id", "the step id %q is already used by steps[%d]; each step needs its own id", s.ID, j)
			} else {
				ids[s.ID] = i
			}
		}
		if strings.TrimSpace(s.Name) == "" {
			v.add(path+".name", "the step %q needs a name", s.ID)
		}
	}
	if p.Start != "" {
		if _, ok := ids[p.Start]; !ok {
			v.add("start", "the start step %q does not exist", p.Start)
		}
	}
	for i, s := range p.Steps {
		path := fmt.Sprintf("steps[%d]", i)
		v.assignee(path+".assignee", s.Assignee)
		if s.Deadline != nil {
			v.deadline(path+".deadline", *s.Deadline)
		}
		if len(s.Outcomes) == 0 {
			v.add(path+".outcomes", "the step %q needs at least one outcome, or a case could never leave it", s.ID)
		}
		outs := map[string]bool{}
		for j, o := range s.Outcomes {
			opath := fmt.Sprintf("%s.outcomes[%d]", path, j)
			switch {
			case o.ID == "":
				v.add(opath+".id", "every outcome needs an id")
			case !nameRe.MatchString(o.ID):
				v.add(opath+".id", "the outcome id %q may only use lowercase letters, digits and _, and must start with a letter", o.ID)
			case outs[o.ID]:
				v.add(opath+".id", "the step %q already has an outcome %q", s.ID, o.ID)
			}
			outs[o.ID] = true
			if _, ok := ids[o.Next]; !ok && o.Next != EndStep {
				if o.Next == "" {
					v.add(opath+".next", "the outcome %q must say which step comes next, or \"end\" to close the case", o.ID)
				} else {
					v.add(opath+".next", "the outcome %q leads to step %q, which does not exist; use the id of a step or \"end\"", o.ID, o.Next)
				}
			}
			switch {
			case o.Kind != "" && !o.Kind.Valid():
				v.add(opath+".kind", "%q is not a kind of outcome; use one of %s", o.Kind, joinAny(Kinds))
			case o.Kind == KindAccepted && o.Next == EndStep:
				v.add(opath+".kind", "the outcome %q closes the case, so it cannot be of kind accepted; use the result it ends with: one of %s", o.ID, joinAny(Kinds[1:]))
			}
			if o.Batchable {
				v.batchable(opath+".batchable", s, o)
			}
			if o.Move != "" && o.Move != MoveUp && o.Move != MoveDown {
				v.add(opath+".move", "%q is not a move; use up (escalate) or down (hand down)", o.Move)
			}
		}
		switch s.WaitsOn {
		case "":
		case WaitsOnCourt:
			for _, r := range CourtResults {
				if !outs[r] {
					v.add(path+".outcomes", "the step %q waits on the court, so it needs the outcome %q: its outcomes are the court's results (%s)", s.ID, r, strings.Join(CourtResults, ", "))
				}
			}
		default:
			v.add(path+".waits_on", "%q is not someone a step can wait on; the only one is %q (the court's pre-litigation mediation)", s.WaitsOn, WaitsOnCourt)
		}
		for j, g := range s.Guards {
			if strings.TrimSpace(g.Message) == "" {
				v.add(fmt.Sprintf("%s.guards[%d].message", path, j), "a guard needs the message shown to the clerk when it stops them")
			}
			if strings.TrimSpace(g.Expr) == "" {
				v.add(fmt.Sprintf("%s.guards[%d].expr", path, j), "a guard needs a rule")
			}
		}
		for j, name := range s.Required {
			if _, ok := p.Form.Field(name); !ok {
				v.add(fmt.Sprintf("%s.required[%d]", path, j), "the step %q requires the field %q, which is not on the form", s.ID, name)
			}
		}
		v.fieldRights(path, s)
	}
}

// batchable checks that an outcome marked batchable needs no written opinion nor any choice of
// the clerk's: the same outcome taken on several tasks at once carries nothing of each case.
func (v validator) batchable(path string, s Step, o Outcome) {
	next, _ := v.p.Step(o.Next)
	switch {
	case len(s.RequiredFields(v.p.Form)) > 0:
		v.add(path, "the outcome %q cannot be batchable: its step %q requires fields (%s) to be filled in", o.ID, s.ID, strings.Join(s.RequiredFields(v.p.Form), ", "))
	case o.Move == MoveDown:
		v.add(path, "the outcome %q cannot be batchable: it hands the case down, to a unit the clerk chooses", o.ID)
	case o.Next != EndStep && next.Assignee.Diverted:
		v.add(path, "the outcome %q cannot be batchable: its next step goes to departments the clerk may have to choose", o.ID)
	}
}

// fieldRights checks a step's rights on form fields (字段权限): fields of the form, rights that
// exist, and no field both required and read-only or hidden. The fields are checked in the
// form's order, then those not on it by name, so that the problems come in a stable order.
func (v validator) fieldRights(path string, s Step) {
	names := make([]string, 0, len(s.Fields))
	for name := range s.Fields {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		r := s.Fields[name]
		fpath := fmt.Sprintf("%s.fields.%s", path, name)
		if _, ok := v.p.Form.Field(name); !ok {
			v.add(fpath, "the step %q sets the right on the field %q, which is not on the form", s.ID, name)
			continue
		}
		if !slices.Contains(FieldRights, r) {
			v.add(fpath, "%q is not a field right; use one of editable, readonly, hidden, required", r)
			continue
		}
		if (r == RightReadOnly || r == RightHidden) && slices.Contains(s.Required, name) {
			v.add(fpath, "the step %q requires the field %q, which it makes %s: a required field is filled in at the step", s.ID, name, r)
		}
	}
}

func (v validator) level(path string, l Level) {
	if !l.Valid() {
		v.add(path, "%q is not a level; use one of group, village, town, banner, government", l)
	}
}

func (v validator) department(path, code string) {
	if v.org == nil {
		return
	}
	if _, ok := v.org.Department(code); !ok {
		v.add(path, "there is no department with the code %q in %s", code, v.org.Name)
	}
}

func (v validator) assignee(path string, a Assignee) {
	if a.Level != "" {
		v.level(path+".level", a.Level)
	}
	if a.Department != "" {
		v.department(path+".department", a.Department)
	}
	switch {
	case a.Role == "" && a.Department == "" && !a.Diverted:
		v.add(path, "say who holds the step: a role (%s), a department, or diverted: true", strings.Join(AssignableRoles, ", "))
	case a.Role != "" && !slices.Contains(AssignableRoles, a.Role):
		v.add(path+".role", "%q is not a role that can hold a step; use one of %s", a.Role, strings.Join(AssignableRoles, ", "))
	case a.Role == RoleDepartment && a.Department == "" && !a.Diverted:
		v.add(path, "a step held by department staff needs the department code, or diverted: true")
	}
}

func (v validator) deadline(path string, d Deadline) {
	if d.From != "" && d.From != FromStep && d.From != FromReceived {
		v.add(path+".from", "%q is not a starting point; use step (when the step opens) or received (when the matter was received)", d.From)
	}
	if d.Expr != "" {
		if d.Amount != 0 || d.Unit != "" {
			v.add(path, "give either amount and unit, or expr, not both")
		}
	} else {
		if !d.Unit.Valid() {
			v.add(path+".unit", "%q is not a unit; use minutes, hours, days or workdays", d.Unit)
		}
		if d.Amount <= 0 {
			v.add(path+".amount", "the deadline must be more than zero (got %d)", d.Amount)
		} else if d.Amount > maxPeriodDays {
			v.add(path+".amount", "the deadline of %d is longer than the %d allowed", d.Amount, maxPeriodDays)
		}
	}
	switch {
	case d.Extendable && (d.Extension == nil || d.MaxExtensions < 1):
		v.add(path, "an extendable deadline needs extension (the most it may be extended by in total) and max_extensions (how many times, 1 or more)")
	case !d.Extendable && (d.Extension != nil || d.MaxExtensions != 0):
		v.add(path+".extendable", "extension and max_extensions are set but extendable is not: set extendable: true or remove them")
	}
	if d.MaxSuspension != nil {
		switch {
		case !d.Suspendable:
			v.add(path+".max_suspension", "max_suspension is set but suspendable is not: set suspendable: true or remove it")
		case !d.MaxSuspension.Unit.Valid():
			v.add(path+".max_suspension.unit", "%q is not a unit; use minutes, hours, days or workdays", d.MaxSuspension.Unit)
		case d.MaxSuspension.Amount <= 0:
			v.add(path+".max_suspension.amount", "the longest suspension must be more than zero (got %d)", d.MaxSuspension.Amount)
		}
	}
	if d.Extension != nil {
		if !d.Extension.Unit.Valid() {
			v.add(path+".extension.unit", "%q is not a unit; use minutes, hours, days or workdays", d.Extension.Unit)
		}
		if d.Extension.Amount <= 0 {
			v.add(path+".extension.amount", "the extension must be more than zero (got %d)", d.Extension.Amount)
		}
	}
}

// graph checks that every step can be reached from the start and that the case can end from
// every step: a definition that traps a case would leave a resident without an answer. When
// start names no step (a problem reported on its own), the first step listed, where a case would
// start without start, stands in for it, so the steps cut off are still found in the same round.
func (v validator) graph() {
	p := v.p
	start := p.StartStep()
	from := fmt.Sprintf("the start step %q", start)
	if _, ok := p.Step(start); !ok {
		if len(p.Steps) == 0 || p.Steps[0].ID == "" {
			return
		}
		start = p.Steps[0].ID
		from = fmt.Sprintf("the first step %q (standing in for the start step, which does not exist)", start)
	}
	next := map[string][]string{}
	prev := map[string][]string{}
	for _, s := range p.Steps {
		for _, o := range s.Outcomes {
			next[s.ID] = append(next[s.ID], o.Next)
			prev[o.Next] = append(prev[o.Next], s.ID)
		}
	}
	reach := walk(start, next)
	ends := walk(EndStep, prev)
	reported := map[string]bool{}
	for i, s := range p.Steps {
		if s.ID == "" || reported[s.ID] {
			continue
		}
		reported[s.ID] = true
		if !reach[s.ID] {
			v.add(fmt.Sprintf("steps[%d]", i), "the step %q can never be reached from %s; add an outcome that leads to it, or remove it", s.ID, from)
		}
		if !ends[s.ID] {
			v.add(fmt.Sprintf("steps[%d]", i), "from the step %q the case can never be closed: no chain of outcomes leads to \"end\"", s.ID)
		}
	}
	v.returnable(next)
	v.results(start)
}

// returnable checks the steps each step may send a case back to (退回): existing steps, other
// than itself, from which a chain of outcomes leads to it, so that a case can have passed them.
func (v validator) returnable(next map[string][]string) {
	for i, s := range v.p.Steps {
		seen := map[string]bool{}
		for j, r := range s.Returnable {
			path := fmt.Sprintf("steps[%d].returnable[%d]", i, j)
			_, exists := v.p.Step(r)
			switch {
			case seen[r]:
				v.add(path, "the step %q lists %q twice", s.ID, r)
			case r == s.ID:
				v.add(path, "the step %q cannot send a case back to itself", s.ID)
			case !exists:
				v.add(path, "the step %q may send a case back to %q, which is not a step of the procedure", s.ID, r)
			case !walk(r, next)[s.ID]:
				v.add(path, "the step %q may send a case back to %q, but no chain of outcomes leads from %q to %q: a case cannot have passed it", s.ID, r, r, s.ID)
			}
			seen[r] = true
		}
	}
}

// results checks that every outcome that closes the case says how it ended: either it has a
// result kind itself, or every way a case comes to it from start passes an outcome that has one
// (the "closed" of a closing step keeps the result decided before). The statistics count these
// kinds, never the outcomes' ids.
func (v validator) results(start string) {
	p := v.p
	open := map[string][]string{} // edges through outcomes that leave the result undecided
	for _, s := range p.Steps {
		for _, o := range s.Outcomes {
			if !o.Kind.Result() {
				open[s.ID] = append(open[s.ID], o.Next)
			}
		}
	}
	undecided := walk(start, open)
	seen := map[string]bool{}
	for i, s := range p.Steps {
		if !undecided[s.ID] || seen[s.ID] {
			continue // a second step with the same id is reported as such
		}
		seen[s.ID] = true
		for j, o := range s.Outcomes {
			if o.Next == EndStep && o.Kind == "" {
				v.add(fmt.Sprintf("steps[%d].outcomes[%d].kind", i, j), "the outcome %q closes the case, but a case can come to it without any outcome saying how it ended; give it a kind: one of %s", o.ID, joinAny(Kinds[1:]))
			}
		}
	}
}

func walk(from string, edges map[string][]string) map[string]bool {
	seen := map[string]bool{from: true}
	queue := []string{from}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for _, y := range edges[x] {
			if !seen[y] {
				seen[y] = true
				queue = append(queue, y)
			}
		}
	}
	return seen
}

func (v validator) levels() {
	for _, l := range v.p.levelsInOrder() {
		base := "levels." + string(l)
		v.level(base, l)
		r := v.p.Levels[l]
		for _, id := range sortedKeys(r.Deadlines) {
			path := base + ".deadlines." + id
			if _, ok := v.p.Step(id); !ok {
				v.add(path, "there is no step %q to override the deadline of", id)
			}
			v.deadline(path, r.Deadlines[id])
		}
		if r.Divert == "" || v.org == nil {
			continue
		}
		if prog, err := compileRule(r.Divert, RuleDepartments, checkEnv(v.p.Form)); err == nil {
			for _, code := range literalDepartments(prog) {
				v.department(base+".divert", code)
			}
		}
	}
}

func joinAny[T ~string](xs []T) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}
