package definitions

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// DiversionField is the form field of a template whose value picks the departments of a county's
// diversion table (分流表): an enum field, so the table's rows are the field's options.
const DiversionField = "topic"

// Override is one version of a county's adoption of a procedure template: the template version
// it adopts and what the county changes of it. A city or a province publishes templates (ordinary
// procedures); a county running one may shorten its deadlines, divert its topics to its own
// departments and add fields to its form, and nothing else: the steps, outcomes, rules and the
// template's own fields stay the template's. Versions are drafts, published (one at a time per
// county and procedure) or retired, like a procedure's; a new template version reaches the
// county only when a version of its override adopts it.
type Override struct {
	// County is the code of the county's government-level org unit.
	County string `json:"county" doc:"Code of the county's government-level org unit."`
	// Key is the template's procedure key.
	Key string `json:"key" doc:"The template's procedure key."`
	// Template is the version of the template the override adopts.
	Template int    `json:"template" minimum:"1" doc:"The template version adopted: the county's cases run on it, with the changes below."`
	Version  int    `json:"version" doc:"The override's own version number, per county and procedure."`
	Status   Status `json:"status" enum:"draft,published,retired" doc:"draft: being edited; published: new cases of the county run on it; retired: replaced by a later version."`
	// Deadlines shorten step deadlines, by step id: wherever the template gives the step's
	// deadline without a level's own.
	Deadlines map[string]Period `json:"deadlines,omitempty" doc:"Shorter step deadlines, by step id, in the template's unit. Never longer than the template's."`
	// LevelDeadlines shorten a step's deadline at one level of the chain, by level and step id.
	LevelDeadlines map[Level]map[string]Period `json:"level_deadlines,omitempty" doc:"Shorter deadlines at one level, by level and step id; never longer than the template's deadline of the step at that level."`
	// Diversion maps values of the template's topic field to the county's departments: a case
	// of a listed topic is diverted to them at every level where the template diverts; other
	// topics follow the template's rule.
	Diversion map[string][]string `json:"diversion,omitempty" doc:"The county's diversion table: a value of the template's topic field to the codes of the county's departments that take such matters, at every level where the template diverts; topics not listed follow the template's rule."`
	// Form are the fields the county adds after the template's.
	Form Form `json:"form,omitempty" doc:"Fields the county adds after the template's; the template's fields cannot be changed or removed."`
}

// Clone is a deep copy of the override.
func (o *Override) Clone() *Override {
	b, err := json.Marshal(o)
	if err != nil {
		panic("definitions: clone override: " + err.Error())
	}
	var c Override
	if err := json.Unmarshal(b, &c); err != nil {
		panic("definitions: clone override: " + err.Error())
	}
	return &c
}

// CheckOverride reports every problem of the override against the template version it adopts,
// at once, as a *ValidationError whose paths name the override's fields: deadlines of steps the
// template does not have or computes by a rule, in another unit, or longer than the template's
// (which carries the statutory bound it cites); a diversion table for a template without a topic
// field or without a level that diverts, topics the field does not offer, departments that are
// not the county's (inCounty reports whether a department code is; nil accepts every code); form
// fields that are malformed or reuse a template field's name. The effective procedure (Apply) must
// also validate against org.
func CheckOverride(o *Override, tpl *Procedure, org *Org, inCounty func(department string) bool) error {
	var ps problems
	if o.Key != tpl.Key {
		ps.add("key", "the override is of procedure %q, not of %q", o.Key, tpl.Key)
	}
	if o.Template != tpl.Version {
		ps.add("template", "the override adopts version %d of %s, not version %d", o.Template, tpl.Key, tpl.Version)
	}
	// What the template locks, the county leaves as it is.
	for _, part := range []struct {
		path   string
		locked OverridePart
		set    bool
	}{
		{"deadlines", PartDeadlines, len(o.Deadlines) > 0},
		{"level_deadlines", PartDeadlines, len(o.LevelDeadlines) > 0},
		{"diversion", PartDiversion, len(o.Diversion) > 0},
		{"form", PartForm, len(o.Form) > 0},
	} {
		if part.set && slices.Contains(tpl.Locked, part.locked) {
			ps.add(part.path, "the template %s locks its %s: the city or province sets them for every county", tpl.Key, part.locked)
		}
	}
	for _, id := range sortedKeys(o.Deadlines) {
		bound := tpl.stepDeadline(id)
		checkShorter(&ps, "deadlines."+id, tpl, id, "", bound, o.Deadlines[id])
	}
	for _, l := range slices.Sorted(maps.Keys(o.LevelDeadlines)) {
		if !l.Valid() {
			ps.add("level_deadlines."+string(l), "%q is not a level; use one of group, village, town, banner, government", l)
			continue
		}
		for _, id := range sortedKeys(o.LevelDeadlines[l]) {
			checkShorter(&ps, fmt.Sprintf("level_deadlines.%s.%s", l, id), tpl, id, l, tpl.DeadlineAt(id, l), o.LevelDeadlines[l][id])
		}
	}
	checkDiversion(&ps, o, tpl, inCounty)
	checkForm(&ps, o, tpl)
	if len(ps) > 0 {
		return ps.err()
	}
	// What the county changed is within bounds; the result must still be a procedure that runs.
	eff := Apply(tpl, o)
	if err := eff.Validate(org); err != nil {
		return err
	}
	if _, err := eff.Compile(); err != nil {
		return err
	}
	return nil
}

// stepDeadline is the step's own deadline, nil when the step has none or does not exist.
func (p *Procedure) stepDeadline(id string) *Deadline {
	if s, ok := p.Step(id); ok && s.Deadline != nil {
		d := *s.Deadline
		return &d
	}
	return nil
}

// checkShorter checks a county's period for the step id (at level l, or the step's own when
// empty) against the template's deadline there.
func checkShorter(ps *problems, path string, tpl *Procedure, id string, l Level, bound *Deadline, p Period) {
	where := fmt.Sprintf("the step %q", id)
	if l != "" {
		where += " at the " + string(l) + " level"
	}
	switch {
	case !hasStep(tpl, id):
		ps.add(path, "the template %s has no step %q", tpl.Key, id)
		return
	case bound == nil:
		ps.add(path, "the template gives %s no deadline, so there is none to shorten", where)
		return
	case bound.Expr != "":
		ps.add(path, "the template computes the deadline of %s by a rule (%s); a county cannot change it", where, bound.Expr)
		return
	}
	if p.Unit != "" && p.Unit != bound.Unit {
		ps.add(path+".unit", "the template counts the deadline of %s in %s; give the amount in %s too", where, bound.Unit, bound.Unit)
	}
	switch {
	case p.Amount <= 0:
		ps.add(path+".amount", "the deadline must be more than zero (got %d)", p.Amount)
	case p.Amount > bound.Amount:
		basis := ""
		if bound.Basis != "" {
			basis = " (" + bound.Basis + ")"
		}
		ps.add(path+".amount", "%d %s is longer than the template's %d %s for %s%s: a county may shorten a deadline, never lengthen it",
			p.Amount, bound.Unit, bound.Amount, bound.Unit, where, basis)
	}
}

func hasStep(p *Procedure, id string) bool {
	_, ok := p.Step(id)
	return ok
}

// checkDiversion checks the diversion table against the template's topic field, its levels that
// divert, and the county's departments.
func checkDiversion(ps *problems, o *Override, tpl *Procedure, inCounty func(string) bool) {
	if len(o.Diversion) == 0 {
		return
	}
	f, ok := tpl.Form.Field(DiversionField)
	if !ok || f.Type != FieldEnum {
		ps.add("diversion", "the template %s has no choice field %q whose values a diversion table could list", tpl.Key, DiversionField)
		return
	}
	if len(tpl.divertingLevels()) == 0 {
		ps.add("diversion", "the template %s diverts at no level, so a diversion table would never be used", tpl.Key)
	}
	for _, topic := range sortedKeys(o.Diversion) {
		path := "diversion." + topic
		if !slices.ContainsFunc(f.Options, func(op Option) bool { return op.Value == topic }) {
			values := make([]string, len(f.Options))
			for i, op := range f.Options {
				values[i] = op.Value
			}
			ps.add(path, "%q is not a value of the template's %s field; use one of %s", topic, DiversionField, strings.Join(values, ", "))
		}
		depts := o.Diversion[topic]
		if len(depts) == 0 {
			ps.add(path, "name at least one department to divert %s matters to, or leave the topic out", topic)
		}
		seen := map[string]bool{}
		for i, d := range depts {
			dpath := fmt.Sprintf("%s[%d]", path, i)
			switch {
			case seen[d]:
				ps.add(dpath, "the department %q is listed twice", d)
			case inCounty != nil && !inCounty(d):
				ps.add(dpath, "the department %q does not work in this county: no staff of it are stationed in the county's units", d)
			}
			seen[d] = true
		}
	}
}

// checkForm checks the county's extra fields: well formed as a form's fields, and none of the
// template's names, which the county may not retype or replace.
func checkForm(ps *problems, o *Override, tpl *Procedure) {
	for i, f := range o.Form {
		if _, ok := tpl.Form.Field(f.Name); ok && f.Name != "" {
			ps.add(fmt.Sprintf("form[%d].name", i), "the template already has the field %q; a county may add fields, not change or remove the template's", f.Name)
		}
	}
	var own problems
	validator{p: &Procedure{Form: o.Form}, ps: &own}.form()
	*ps = append(*ps, own...)
}

// divertingLevels are the levels whose rules divert, bottom up.
func (p *Procedure) divertingLevels() []Level {
	var out []Level
	for _, l := range p.levelsInOrder() {
		if p.Levels[l].Divert != "" {
			out = append(out, l)
		}
	}
	return out
}

// Apply is the effective procedure of a county: the template with the override's changes. It
// keeps the template's key, version and status, so a case pins it as the template version it
// adopts; the case records the override's version beside them. A nil override is the template.
func Apply(tpl *Procedure, o *Override) *Procedure {
	p := tpl.Clone()
	if o == nil {
		return p
	}
	for id, period := range o.Deadlines {
		if s, ok := p.Step(id); ok && s.Deadline != nil {
			s.Deadline.Amount, s.Deadline.Unit = period.Amount, cmpUnit(period.Unit, s.Deadline.Unit)
		}
	}
	for l, steps := range o.LevelDeadlines {
		for id, period := range steps {
			d := tpl.DeadlineAt(id, l)
			if d == nil {
				continue
			}
			d.Amount, d.Unit = period.Amount, cmpUnit(period.Unit, d.Unit)
			if p.Levels == nil {
				p.Levels = map[Level]LevelRules{}
			}
			r := p.Levels[l]
			if r.Deadlines == nil {
				r.Deadlines = map[string]Deadline{}
			}
			r.Deadlines[id] = *d
			p.Levels[l] = r
		}
	}
	if len(o.Diversion) > 0 {
		table, err := json.Marshal(o.Diversion) // a JSON object of lists is an expr map literal
		if err != nil {
			panic("definitions: diversion table: " + err.Error())
		}
		for _, l := range tpl.divertingLevels() {
			r := p.Levels[l]
			r.Divert = fmt.Sprintf("%s[data.%s] ?? (%s)", table, DiversionField, r.Divert)
			p.Levels[l] = r
		}
	}
	p.Form = append(p.Form, o.Form...)
	return p
}

func cmpUnit(u, fallback Unit) Unit {
	if u == "" {
		return fallback
	}
	return u
}
