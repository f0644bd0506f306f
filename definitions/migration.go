package definitions

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	tagvalidator "github.com/go-playground/validator/v10"
)

// MigrationPlan moves the running cases of one procedure from one published version to another
// (when a law changes): each open task's step goes to the step of the same id in the target
// version, or to the step Steps names for it. A case with a step that maps nowhere stays on its
// version.
type MigrationPlan struct {
	Procedure string `json:"procedure" yaml:"procedure" validate:"required" doc:"Key of the procedure whose running cases move."`
	From      int    `json:"from" yaml:"from" validate:"gte=1" doc:"Version the cases run on now."`
	To        int    `json:"to" yaml:"to" validate:"gte=1" doc:"Published version they move to."`
	// Steps maps a step of the source version to a step of the target; a step not named maps to
	// the step of the same id when the target has one.
	Steps map[string]string `json:"steps,omitempty" yaml:"steps,omitempty" doc:"Steps of the source version mapped to steps of the target; a step not named maps to the step of the same id when the target has it."`
}

// Check validates the plan against its source and target versions: every problem at once, each
// at the path of the plan's field it is about ("to", "steps.accept").
func (m MigrationPlan) Check(from, to *Procedure) error {
	var ps problems
	var bad tagvalidator.ValidationErrors
	if errors.As(fields.Struct(m), &bad) {
		for _, fe := range bad {
			if fe.Tag() == "required" {
				ps.add(fe.Field(), "the plan needs the key of its procedure")
			} else {
				ps.add(fe.Field(), "a version is a number from 1 up, not %v", fe.Value())
			}
		}
	}
	if m.From == m.To {
		ps.add("to", "the target version is the source version %d: nothing would move", m.From)
	}
	if from != nil && from.Key != m.Procedure {
		ps.add("procedure", "version %d belongs to %s, not %s", m.From, from.Key, m.Procedure)
	}
	if to != nil && to.Status != StatusPublished {
		ps.add("to", "version %d of %s is %s: cases move to a published version only", m.To, m.Procedure, to.Status)
	}
	if from == nil || to == nil {
		return ps.err()
	}
	for _, src := range sortedKeys(m.Steps) {
		dst := m.Steps[src]
		if _, ok := from.Step(src); !ok {
			ps.add("steps."+src, "version %d of %s has no step %q to map", m.From, m.Procedure, src)
		}
		if _, ok := to.Step(dst); !ok {
			ps.add("steps."+src, "version %d of %s has no step %q to map %s to", m.To, m.Procedure, dst, src)
		}
	}
	return ps.err()
}

// Target is the step of the target version that step src maps to: the one the plan names, else
// the step of the same id; ok is false when there is none.
func (m MigrationPlan) Target(src string, to *Procedure) (string, bool) {
	dst, named := m.Steps[src]
	if !named {
		dst = src
	}
	if _, ok := to.Step(dst); !ok {
		return "", false
	}
	return dst, true
}

// Landing is where one step of a case lands in the target version.
type Landing struct {
	From string `json:"from" doc:"Step in the source version."`
	To   string `json:"to,omitempty" doc:"Step it lands on in the target version; empty when it maps nowhere."`
}

// Land says where each of the steps of a case (its current step and the steps of its open
// tasks) lands in the target version, in the order given, and which steps map nowhere: a case
// with any such step stays on its version.
func (m MigrationPlan) Land(steps []string, to *Procedure) (landings []Landing, unmapped []string) {
	for _, s := range steps {
		if slices.ContainsFunc(landings, func(l Landing) bool { return l.From == s }) {
			continue
		}
		dst, ok := m.Target(s, to)
		landings = append(landings, Landing{From: s, To: dst})
		if !ok {
			unmapped = append(unmapped, s)
		}
	}
	return landings, unmapped
}

// Unmapped says why a case whose steps map nowhere stays on its version.
func (m MigrationPlan) Unmapped(steps []string) string {
	return fmt.Sprintf("step %s has no step in version %d and the plan maps it nowhere", strings.Join(steps, ", "), m.To)
}
