package api

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// TryProcedureInput is a definition being edited and the sample case to run its rules on.
type TryProcedureInput struct {
	Body struct {
		YAML    string            `json:"yaml" minLength:"1" maxLength:"1000000" doc:"The YAML of the procedure, as the editor holds it (saved or not). It must be valid: the problems are refused as publishing refuses them."`
		Level   definitions.Level `json:"level,omitempty" enum:"group,village,town,banner,government" example:"village" doc:"The level holding the sample case; the org unit's level when absent."`
		OrgUnit string            `json:"org_unit,omitempty" maxLength:"63" example:"galutu-v01" doc:"The org unit holding the sample case (rules see it as org_unit); when given, it must exist and, with level, be of that level."`
		From    string            `json:"from" maxLength:"40" example:"2026-02-13" doc:"When the case was received and its steps open: a date YYYY-MM-DD (00:00 Asia/Shanghai) or an RFC 3339 instant."`
		Data    map[string]any    `json:"data,omitempty" doc:"The sample case's form values by field name; fields left out are empty, as on a case (0, false or \"\" in rules). A value is checked as a case's would be."`
		Visits  int               `json:"visits,omitempty" minimum:"0" doc:"The rules' visits: times the resident came about this matter."`
		// Escalations lets a trial ask what a level decides for a case that came up from below.
		Escalations int `json:"escalations,omitempty" minimum:"0" doc:"The rules' escalations: times the case moved up before reaching this level."`
	}
}

// RuleAnswer is what one of a level's rules said for the sample case.
type RuleAnswer struct {
	Rule        string   `json:"rule,omitempty" doc:"The rule's expression; absent when the level has none and the default applies."`
	Answer      *bool    `json:"answer,omitempty" doc:"The yes/no answer of first_visit, accept and escalate (absent for divert and when the rule failed)."`
	Departments []string `json:"departments,omitempty" doc:"The department codes divert gave."`
	Default     bool     `json:"default,omitempty" doc:"True when the level has no such rule and the answer is the default (first_visit no, accept yes, escalate no, divert none)."`
	Error       string   `json:"error,omitempty" doc:"Why the rule failed to run on this data, and what a case does instead."`
}

// TriedRules is every level rule's answer at the trial's level.
type TriedRules struct {
	FirstVisit RuleAnswer `json:"first_visit"`
	Accept     RuleAnswer `json:"accept"`
	Divert     RuleAnswer `json:"divert"`
	Escalate   RuleAnswer `json:"escalate"`
}

// TriedOutcome is one outcome of a step: whether a clerk would be offered it for the sample case.
type TriedOutcome struct {
	ID      string           `json:"id" example:"accept"`
	Name    string           `json:"name" example:"受理"`
	NameEN  string           `json:"name_en,omitempty"`
	Next    string           `json:"next" example:"handle"`
	Move    definitions.Move `json:"move,omitempty" enum:"up,down"`
	When    string           `json:"when,omitempty" doc:"The outcome's condition, when it has one."`
	Offered bool             `json:"offered" doc:"True when its condition holds (or it has none)."`
	Reason  string           `json:"reason,omitempty" doc:"Which rule said no, or why the condition failed to run, when not offered."`
}

// TriedStep is a step's deadline at the trial's level, and its outcomes.
type TriedStep struct {
	ID       string                `json:"id" example:"intake"`
	Name     string                `json:"name" example:"登记受理"`
	NameEN   string                `json:"name_en,omitempty"`
	Period   *definitions.Period   `json:"period,omitempty" doc:"The deadline's period at this level (the level's own or the step's), absent when the step has none."`
	Basis    string                `json:"basis,omitempty" doc:"The provision the deadline cites."`
	Rule     string                `json:"rule,omitempty" doc:"The deadline rule that gave the period, when it is a rule."`
	Counted  string                `json:"counted,omitempty" enum:"step,received" doc:"What the period counts from: the step's opening or the case's receipt (both the trial's from here)."`
	Due      *definitions.Due      `json:"due,omitempty" doc:"The due date counted from the trial's from, with its explanation, as a task opened then would get it."`
	Error    string                `json:"error,omitempty" doc:"Why the deadline rule failed on this data; a case then gets the safe default."`
	Outcomes []TriedOutcome        `json:"outcomes"`
	Assignee *definitions.Assignee `json:"assignee,omitempty"`
}

// TryProcedureOutput is what the definition's rules decide for the sample case.
type TryProcedureOutput struct {
	Body struct {
		Level   definitions.Level `json:"level" example:"village"`
		OrgUnit string            `json:"org_unit,omitempty"`
		Start   string            `json:"start" doc:"The step a case starts at."`
		Rules   TriedRules        `json:"rules" doc:"The level's rules: first_visit, accept, divert and escalate, each with its answer."`
		Steps   []TriedStep       `json:"steps" doc:"Every step in file order, with its deadline at this level counted from the trial's from, and the outcomes a clerk would be offered at it."`
	}
}

// DepartmentsOutput is the organisation's departments.
type DepartmentsOutput struct {
	Body struct {
		Departments []definitions.Department `json:"departments" doc:"Every department, by code, with its stationing mode and the hours an on-call one has to report in."`
	}
}

// DepartmentsInput narrows the departments to one county's.
type DepartmentsInput struct {
	County string `query:"county" maxLength:"100" example:"wushen-gov" doc:"Only the departments that work in this county (code of its government-level unit): those with staff stationed at one of its units, the departments a county's diversion table may name."`
}

func (s *Server) registerStudio(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "try-procedure",
		Method:      http.MethodPost,
		Path:        "/v1/procedures/try",
		Summary:     "Try a definition's rules on a sample case",
		Description: "Runs the rules of a definition (saved or not) on sample case data at a level and org unit, with the code the case " +
			"workflow runs: each of the level's rules (first_visit, accept, divert, escalate) with its answer, each step's deadline at " +
			"that level with its due date counted from `from` on the caller's calendar and its explanation, and the outcomes a clerk " +
			"would be offered at each step. Nothing is saved. A definition with problems, a sample value the form refuses or an " +
			"unknown org unit is a 422 saying where. A statutory period (clocks) that would cap a due date is not applied here: " +
			"it depends on the way a case took.",
		Tags:     []string{"Procedures"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusUnprocessableEntity},
	}, s.tryProcedure)

	huma.Register(api, huma.Operation{
		OperationID: "list-departments",
		Method:      http.MethodGet,
		Path:        "/v1/org/departments",
		Summary:     "The departments",
		Description: "Every department of the organisation, by code: what procedures name in assignees and diversion rules; " +
			"with `county`, only those working in that county.",
		Tags:     []string{"Users"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *DepartmentsInput) (*DepartmentsOutput, error) {
		list, err := s.Store.Departments(ctx)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		out := &DepartmentsOutput{}
		out.Body.Departments = []definitions.Department{}
		if in.County != "" {
			if u, err := s.Store.OrgUnit(ctx, in.County); onedoor.ErrorCode(err) == onedoor.ENotFound || (err == nil && u.Level != definitions.LevelGovernment) {
				return nil, huma.Error422UnprocessableEntity("no such county",
					&huma.ErrorDetail{Location: "query.county", Message: "not the code of a county's government-level unit", Value: in.County})
			} else if err != nil {
				return nil, s.problem(ctx, err)
			}
			working, err := s.Store.CountyDepartments(ctx, in.County)
			if err != nil {
				return nil, s.problem(ctx, err)
			}
			list = slices.DeleteFunc(list, func(d definitions.Department) bool { return !slices.Contains(working, d.Code) })
		}
		out.Body.Departments = append(out.Body.Departments, list...)
		return out, nil
	})
}

// tryProcedure evaluates a definition's rules on a sample case.
func (s *Server) tryProcedure(ctx context.Context, in *TryProcedureInput) (*TryProcedureOutput, error) {
	b := in.Body
	from, err := parseFrom(b.From)
	if err != nil {
		return nil, huma.Error422UnprocessableEntity("from is not a date or an instant",
			&huma.ErrorDetail{Location: "body.from", Message: "expected a date YYYY-MM-DD or an RFC 3339 instant", Value: b.From})
	}
	if err := dayInRange(definitions.DateOf(from), "body.from", b.From); err != nil {
		return nil, err
	}
	level := b.Level
	if b.OrgUnit != "" {
		u, err := s.Store.OrgUnit(ctx, b.OrgUnit)
		if onedoor.ErrorCode(err) == onedoor.ENotFound {
			return nil, huma.Error422UnprocessableEntity("no such org unit",
				&huma.ErrorDetail{Location: "body.org_unit", Message: fmt.Sprintf("there is no org unit with the code %q", b.OrgUnit), Value: b.OrgUnit})
		} else if err != nil {
			return nil, s.problem(ctx, err)
		}
		switch {
		case level == "":
			level = u.Level
		case u.Level != level:
			return nil, huma.Error422UnprocessableEntity("the org unit is not of the level",
				&huma.ErrorDetail{Location: "body.org_unit", Message: fmt.Sprintf("%s is a %s unit, not a %s one", b.OrgUnit, u.Level, level), Value: b.OrgUnit})
		}
	}
	if !level.IsOrgLevel() || level.Above() {
		return nil, huma.Error422UnprocessableEntity("give the level or the org unit of the sample case",
			&huma.ErrorDetail{Location: "body.level", Message: "give a level (group, village, town, banner, government) or an org unit", Value: string(b.Level)})
	}

	org, err := s.Store.Org(ctx)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	p, err := definitions.Load([]byte(b.YAML), org)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	if details := sampleProblems(org, p.Form, b.Data); len(details) > 0 {
		return nil, huma.Error422UnprocessableEntity("the sample data does not fit the form", details...)
	}
	compiled, err := p.Compile()
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	cal, err := s.calendar(ctx)
	if err != nil {
		return nil, s.problem(ctx, err)
	}

	// The environment the workflow builds for a case just received at this level (envAt).
	env := &definitions.Env{
		Matter: string(p.Matter), Procedure: p.Key, Level: string(level), LevelRank: level.Rank(), OrgUnit: b.OrgUnit,
		Data: p.Form.Complete(b.Data), Visits: b.Visits, Escalations: b.Escalations, Step: p.StartStep(),
	}
	out := &TryProcedureOutput{}
	out.Body.Level, out.Body.OrgUnit, out.Body.Start = level, b.OrgUnit, p.StartStep()
	rules := p.Levels[level]
	fv, fvErr := compiled.FirstVisit(level, env)
	out.Body.Rules.FirstVisit = answer(rules.FirstVisit, fv, fvErr, "a case may not be handled on the spot")
	env.FirstVisit = fvErr == nil && fv
	ok, err := compiled.Accept(level, env)
	out.Body.Rules.Accept = answer(rules.Accept, ok, err, "the level keeps the case")
	ok, err = compiled.Escalate(level, env)
	out.Body.Rules.Escalate = answer(rules.Escalate, ok, err, "the case stays where it is")
	codes, err := compiled.Divert(level, env)
	out.Body.Rules.Divert = RuleAnswer{Rule: strings.TrimSpace(rules.Divert), Departments: codes, Default: strings.TrimSpace(rules.Divert) == ""}
	if err != nil {
		out.Body.Rules.Divert.Error = err.Error() + "; a step held by the departments goes to the unit's clerk"
	}

	out.Body.Steps = make([]TriedStep, 0, len(p.Steps))
	for _, st := range p.Steps {
		env.Step = st.ID
		ts := TriedStep{ID: st.ID, Name: st.Name, NameEN: st.NameEN, Outcomes: []TriedOutcome{}}
		if st.Assignee != (definitions.Assignee{}) {
			a := st.Assignee
			ts.Assignee = &a
		}
		ts.tryDeadline(compiled, cal, level, env, from)
		for _, o := range st.Outcomes {
			to := TriedOutcome{ID: o.ID, Name: o.Name, NameEN: o.NameEN, Next: o.Next, Move: o.Move, When: o.When}
			offered, err := compiled.Allowed(st.ID, o.ID, env)
			switch {
			case err != nil:
				to.Reason = fmt.Sprintf("its condition (when: %s) failed to run: %v", o.When, err)
			case offered:
				to.Offered = true
			default:
				to.Reason = compiled.Unavailable(st.ID, o.ID, env)
			}
			ts.Outcomes = append(ts.Outcomes, to)
		}
		out.Body.Steps = append(out.Body.Steps, ts)
	}
	return out, nil
}

// tryDeadline fills in the step's deadline at level, as the workflow's addTask and schedule
// count it for a task opened at from (a deadline counted from receipt counts from from too).
func (ts *TriedStep) tryDeadline(c *definitions.Compiled, cal *definitions.Calendar, level definitions.Level, env *definitions.Env, from time.Time) {
	dl, period, ok, err := c.Deadline(ts.ID, level, env)
	ts.Rule, ts.Basis = dl.Expr, dl.Basis
	if err != nil {
		ts.Error = err.Error()
		ts.Basis = "safe default after a failed deadline rule"
		period, ok = definitions.Workdays(15), true
	}
	if !ok {
		return
	}
	ts.Period = &period
	ts.Counted = "step"
	if dl.From == definitions.FromReceived {
		ts.Counted = "received"
	}
	due := cal.Due(from, period)
	ts.Due = &due
}

// answer is a yes/no rule's answer, or why it failed and what a case does instead.
func answer(rule string, v bool, err error, instead string) RuleAnswer {
	a := RuleAnswer{Rule: strings.TrimSpace(rule), Default: strings.TrimSpace(rule) == ""}
	if err != nil {
		a.Error = err.Error() + "; " + instead
		return a
	}
	a.Answer = &v
	return a
}

// sampleProblems are the sample values the form refuses, as a case's data would be refused; a
// field left out is not missing here (a trial needs only the fields its rules read).
func sampleProblems(org *definitions.Org, form definitions.Form, data map[string]any) []error {
	var out []error
	for _, pr := range org.ValidateData(form, data) {
		name := strings.TrimPrefix(pr.Path, "/data/")
		if v, given := data[name]; !given || v == nil || v == "" {
			if _, known := form.Field(name); known {
				continue
			}
		}
		out = append(out, &huma.ErrorDetail{Location: "body.data." + name, Message: pr.Message, Value: data[name]})
	}
	return out
}
