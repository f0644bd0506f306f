package definitions

import (
	"fmt"
	"slices"
	"strings"
)

// Clock is a statutory period of a case (法定期限), counted once for the case whatever levels
// handle it: from its receipt, or from the first time it enters a step (its acceptance), until
// it first enters one of the Stop steps, or ends. Escalation, hand-down and return do not start
// it again. The deadlines of the steps are internal targets under it: no task of the case is
// due after a running clock is.
//
// 信访工作条例 Art.34 counts 60 days from acceptance for the whole handling, so a petition that
// climbs village → town → banner has 60 days in all, not 15 + 30 + 60.
type Clock struct {
	ID     string `json:"id" yaml:"id"`
	Name   string `json:"name" yaml:"name"`
	NameEN string `json:"name_en,omitempty" yaml:"name_en,omitempty"`
	Period Period `json:"period" yaml:"period"`
	// Start is "received" (the clock counts from when the matter was received, registration
	// after the fact included) or the id of the step whose first opening starts it.
	Start string `json:"start" yaml:"start"`
	// Stop are the steps whose first opening stops the clock; the end of the case stops every
	// clock.
	Stop []string `json:"stop,omitempty" yaml:"stop,omitempty"`
	// Suspendable clocks stand still while a task of the case is suspended (公证法 Art.30:
	// verification and supplementing materials are not counted).
	Suspendable bool `json:"suspendable,omitempty" yaml:"suspendable,omitempty"`
	// Extension is the most the period may be extended by in total, MaxExtensions how many
	// times: a supervisor's extension of a task that the clock bounds extends the clock too.
	Extension     *Period `json:"extension,omitempty" yaml:"extension,omitempty"`
	MaxExtensions int     `json:"max_extensions,omitempty" yaml:"max_extensions,omitempty"`
	// Basis cites the provision, shown with the due date.
	Basis string `json:"basis,omitempty" yaml:"basis,omitempty"`
}

// DefaultLateRegistration is how long after its receipt a matter may be registered when the
// procedure does not say: the 30 days of a review request (信访工作条例 Art.35).
var DefaultLateRegistration = Days(30)

// LateRegistrationLimit is how long after its receipt a matter of the procedure may still be
// registered.
func (p *Procedure) LateRegistrationLimit() Period {
	if p.LateRegistration != nil {
		return *p.LateRegistration
	}
	return DefaultLateRegistration
}

// StartReceived starts a clock when the matter was received.
const StartReceived = "received"

// Stops reports whether entering step stops the clock.
func (c Clock) Stops(step string) bool { return slices.Contains(c.Stop, step) }

func (v validator) clocks() {
	if v.p.LateRegistration != nil {
		v.period("late_registration", *v.p.LateRegistration)
	}
	seen := map[string]bool{}
	for i, c := range v.p.Clocks {
		path := fmt.Sprintf("clocks[%d]", i)
		switch {
		case !nameRe.MatchString(c.ID):
			v.add(path+".id", "the id %q must be lowercase letters, digits and _, starting with a letter", c.ID)
		case seen[c.ID]:
			v.add(path+".id", "the id %q is used twice", c.ID)
		}
		seen[c.ID] = true
		if strings.TrimSpace(c.Name) == "" {
			v.add(path+".name", "a statutory period needs a name")
		}
		v.period(path+".period", c.Period)
		if _, ok := v.p.Step(c.Start); c.Start != StartReceived && !ok {
			v.add(path+".start", "%q is neither received nor a step of the procedure", c.Start)
		}
		for j, s := range c.Stop {
			if _, ok := v.p.Step(s); !ok {
				v.add(fmt.Sprintf("%s.stop[%d]", path, j), "there is no step %q", s)
			} else if s == c.Start {
				v.add(fmt.Sprintf("%s.stop[%d]", path, j), "the clock would stop where it starts, at step %s", s)
			}
		}
		switch {
		case c.Extension == nil && c.MaxExtensions != 0:
			v.add(path+".max_extensions", "max_extensions is set without extension, the most the period may be extended by")
		case c.Extension != nil && c.MaxExtensions < 1:
			v.add(path+".max_extensions", "an extendable period needs max_extensions, how many times (1 or more)")
		case c.Extension != nil && c.Extension.Unit != c.Period.Unit:
			v.add(path+".extension.unit", "the extension must be in %s, the unit of the period", c.Period.Unit)
		case c.Extension != nil:
			v.period(path+".extension", *c.Extension)
		}
	}
}

// period checks an amount and unit.
func (v validator) period(path string, p Period) {
	if !p.Unit.Valid() {
		v.add(path+".unit", "%q is not a unit; use minutes, hours, days or workdays", p.Unit)
	}
	if p.Amount <= 0 {
		v.add(path+".amount", "the period must be more than zero (got %d)", p.Amount)
	} else if p.Amount > maxPeriodDays {
		v.add(path+".amount", "the period of %d is longer than the %d allowed", p.Amount, maxPeriodDays)
	}
}
