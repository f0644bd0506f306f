package definitions

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"reflect"
	"strings"

	tagvalidator "github.com/go-playground/validator/v10"
	"github.com/goccy/go-yaml"
)

// fields checks the field rules written in the org types' `validate` tags; problems are named by
// the YAML keys an administrator writes.
var fields = func() *tagvalidator.Validate {
	v := tagvalidator.New(tagvalidator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		return strings.SplitN(f.Tag.Get("yaml"), ",", 2)[0]
	})
	return v
}()

// fieldProblem says in words which tag rule a value broke, at path.
func fieldProblem(path string, err error) error {
	var errs tagvalidator.ValidationErrors
	if !errors.As(err, &errs) {
		return fmt.Errorf("%s: %w", path, err)
	}
	msgs := make([]string, len(errs))
	for i, fe := range errs {
		switch fe.Tag() {
		case "required":
			msgs[i] = fmt.Sprintf("%s.%s is required", path, fe.Field())
		case "oneof":
			msgs[i] = fmt.Sprintf("%s.%s must be one of %s, not %q", path, fe.Field(), strings.ReplaceAll(fe.Param(), " ", ", "), fe.Value())
		case "gte":
			msgs[i] = fmt.Sprintf("%s.%s must be at least %s", path, fe.Field(), fe.Param())
		default:
			msgs[i] = fmt.Sprintf("%s.%s breaks the rule %s", path, fe.Field(), fe.Tag())
		}
	}
	return errors.New(strings.Join(msgs, "; "))
}

// StationingMode is how a department works in a center: 重点部门集中常驻, 一般部门轮换入驻,
// 涉事部门随叫随驻.
type StationingMode string

// The stationing modes.
const (
	StationResident StationingMode = "resident" // 常驻 permanently stationed
	StationRotating StationingMode = "rotating" // 轮换入驻 rotating
	StationOnCall   StationingMode = "on_call"  // 随叫随驻 on call, summoned by the center (吹哨报到)
)

// OrgUnit is a center at one level of the chain: the banner center, a town, a village or
// community, a community group. Units form a tree through Parent.
type OrgUnit struct {
	Code   string `json:"code" yaml:"code" validate:"required"`
	Name   string `json:"name" yaml:"name" validate:"required"`
	NameEN string `json:"name_en" yaml:"name_en" required:"false"`
	Level  Level  `json:"level" yaml:"level" validate:"required"`
	Parent string `json:"parent,omitempty" yaml:"parent,omitempty"`
}

// Department is a functional department that works in or for a center.
type Department struct {
	Code   string         `json:"code" yaml:"code" validate:"required"`
	Name   string         `json:"name" yaml:"name" validate:"required"`
	NameEN string         `json:"name_en" yaml:"name_en" required:"false"`
	Mode   StationingMode `json:"mode" yaml:"mode" validate:"required,oneof=resident rotating on_call"`
	// ResponseHours is how long an on-call department has to report in after a summons (吹哨报到).
	ResponseHours int `json:"response_hours,omitempty" yaml:"response_hours,omitempty" validate:"gte=0"`
}

// Org is the organisation of a banner: its centers and departments.
type Org struct {
	Code        string       `json:"code" yaml:"code"`
	Name        string       `json:"name" yaml:"name"`
	Units       []OrgUnit    `json:"units" yaml:"units"`
	Departments []Department `json:"departments" yaml:"departments"`
}

// Unit finds an org unit by code.
func (o *Org) Unit(code string) (OrgUnit, bool) {
	for _, u := range o.Units {
		if u.Code == code {
			return u, true
		}
	}
	return OrgUnit{}, false
}

// Department finds a department by code.
func (o *Org) Department(code string) (Department, bool) {
	for _, d := range o.Departments {
		if d.Code == code {
			return d, true
		}
	}
	return Department{}, false
}

// Check reports the first mistakes in the org: missing codes or names and unknown stationing
// modes (the types' validate tags), duplicate codes, unknown levels or parents, or a parent that
// is not exactly one level up the chain.
func (o *Org) Check() error {
	for i, u := range o.Units {
		if err := fields.Struct(u); err != nil {
			return fieldProblem(fmt.Sprintf("units[%d]", i), err)
		}
	}
	for i, d := range o.Departments {
		if err := fields.Struct(d); err != nil {
			return fieldProblem(fmt.Sprintf("departments[%d]", i), err)
		}
	}
	seen := make(map[string]OrgUnit, len(o.Units))
	for i, u := range o.Units {
		if _, dup := seen[u.Code]; dup {
			return fmt.Errorf("units[%d]: duplicate code %q", i, u.Code)
		}
		if !u.Level.Valid() {
			return fmt.Errorf("units[%d] (%s): unknown level %q", i, u.Code, u.Level)
		}
		seen[u.Code] = u
	}
	for i, u := range o.Units {
		if u.Parent == "" {
			continue
		}
		p, ok := seen[u.Parent]
		if !ok {
			return fmt.Errorf("units[%d] (%s): unknown parent %q", i, u.Code, u.Parent)
		}
		if p.Level.Rank() != u.Level.Rank()+1 {
			return fmt.Errorf("units[%d] (%s): a %s's parent must be one level up, not a %s", i, u.Code, u.Level, p.Level)
		}
	}
	depts := make(map[string]bool, len(o.Departments))
	for i, d := range o.Departments {
		if depts[d.Code] {
			return fmt.Errorf("departments[%d]: duplicate code %q", i, d.Code)
		}
		depts[d.Code] = true
	}
	return nil
}

//go:embed library/org-wushen.yaml
var wushenYAML []byte

// WushenOrg is the built-in demo organisation: Wushen Banner (乌审旗) with its banner center,
// six sumu/town centers, their gacha/village and community centers, and the departments.
func WushenOrg() (*Org, error) {
	var o Org
	if err := yaml.NewDecoder(bytes.NewReader(wushenYAML), yaml.DisallowUnknownField()).Decode(&o); err != nil {
		return nil, fmt.Errorf("built-in org: %w", err)
	}
	if err := o.Check(); err != nil {
		return nil, fmt.Errorf("built-in org: %w", err)
	}
	return &o, nil
}

// Chain is the unit with the code and its ancestors, bottom up: the way a case escalates. It is
// empty when there is no such unit.
func (o *Org) Chain(code string) []OrgUnit {
	var chain []OrgUnit
	for u, ok := o.Unit(code); ok && len(chain) <= len(Levels); u, ok = o.Unit(u.Parent) {
		chain = append(chain, u)
		if u.Parent == "" {
			break
		}
	}
	return chain
}
