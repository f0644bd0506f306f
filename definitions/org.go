package definitions

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"reflect"
	"regexp"
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
//
// A county (旗/县) is a tenant of a deployment that serves a city or a province: its top unit is
// the one at the government level, which names the prefix of the county's case numbers.
// Everything below that unit is the county's; units above it (city, province) supervise the
// counties below them.
type OrgUnit struct {
	Code   string `json:"code" yaml:"code" validate:"required"`
	Name   string `json:"name" yaml:"name" validate:"required"`
	NameEN string `json:"name_en" yaml:"name_en" required:"false"`
	Level  Level  `json:"level" yaml:"level" validate:"required"`
	Parent string `json:"parent,omitempty" yaml:"parent,omitempty"`
	// NumberPrefix starts the case numbers of the county whose top unit this is (WS for
	// WS-PET-2026-000123): set on government-level units only.
	NumberPrefix string `json:"number_prefix,omitempty" yaml:"number_prefix,omitempty" doc:"Prefix of the county's case numbers (2 to 8 capital letters or digits, e.g. WS): set on the county's government-level unit only."`
	// Grid marks a group-level unit that is a grid (网格): the patch a grid team (网格员) walks and
	// reports from, below a village. Grid events name it by code (docs/grid.md).
	Grid bool `json:"grid,omitempty" yaml:"grid,omitempty" doc:"The unit is a grid (网格) below a village, whose grid team reports grid events: set on group-level units only."`
}

// CheckGrid reports a grid mark where it does not belong: a grid is a unit at the group level,
// directly below a village.
func CheckGrid(u OrgUnit) error {
	if u.Grid && u.Level != LevelGroup {
		return fmt.Errorf("only a group-level unit below a village may be a grid, not a %s", u.Level)
	}
	return nil
}

// NumberPrefixPattern is the shape of a county's case number prefix.
const NumberPrefixPattern = `^[A-Z][A-Z0-9]{1,7}$`

var numberPrefixRe = regexp.MustCompile(NumberPrefixPattern)

// CheckNumberPrefix reports a case number prefix where it does not belong or of the wrong shape:
// only a county's government-level unit has one. Whether it needs one is the organisation's
// to say (NeedsNumberPrefix).
func CheckNumberPrefix(u OrgUnit) error {
	switch {
	case u.Level != LevelGovernment && u.NumberPrefix != "":
		return fmt.Errorf("only a county's government unit has a number_prefix, not a %s", u.Level)
	case u.NumberPrefix != "" && !numberPrefixRe.MatchString(u.NumberPrefix):
		return fmt.Errorf("the number_prefix %q must be 2 to 8 capital letters or digits, starting with a letter", u.NumberPrefix)
	}
	return nil
}

// NeedsNumberPrefix reports the government unit of an organisation of several counties that
// names no prefix of its case numbers: one county may use the deployment's (WS), several may not
// share it.
func NeedsNumberPrefix(u OrgUnit, counties int) error {
	if u.Level == LevelGovernment && u.NumberPrefix == "" && counties > 1 {
		return fmt.Errorf("each county of an organisation of several needs the number_prefix of its case numbers, e.g. WS")
	}
	return nil
}

// County is the top unit of the county of a chain (bottom up, as Org.Chain and the store give
// it): its government-level unit, or the top of the chain when it has none. It is false for a
// chain of units above every county.
func County(chain []OrgUnit) (OrgUnit, bool) {
	var top OrgUnit
	found := false
	for _, u := range chain {
		if u.Level.Above() {
			break
		}
		top, found = u, true
		if u.Level == LevelGovernment {
			break
		}
	}
	return top, found
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
		if !u.Level.IsOrgLevel() {
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
		if p.Level.OrgRank() != u.Level.OrgRank()+1 {
			return fmt.Errorf("units[%d] (%s): a %s's parent must be one level up, not a %s", i, u.Code, u.Level, p.Level)
		}
	}
	counties := 0
	for _, u := range o.Units {
		if u.Level == LevelGovernment {
			counties++
		}
	}
	prefixes := map[string]string{}
	for i, u := range o.Units {
		err := CheckNumberPrefix(u)
		if err == nil {
			err = NeedsNumberPrefix(u, counties)
		}
		if err == nil {
			err = CheckGrid(u)
		}
		if err != nil {
			return fmt.Errorf("units[%d] (%s): %w", i, u.Code, err)
		}
		if other, dup := prefixes[u.NumberPrefix]; dup && u.NumberPrefix != "" {
			return fmt.Errorf("units[%d] (%s): the number prefix %s is already %s's", i, u.Code, u.NumberPrefix, other)
		}
		prefixes[u.NumberPrefix] = u.Code
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

var (
	//go:embed library/org-ordos.yaml
	ordosYAML []byte
	//go:embed library/org-wushen.yaml
	wushenYAML []byte
)

// DemoOrg is the built-in demo organisation: the platform Ordos City (鄂尔多斯市) runs for its
// counties, under Inner Mongolia. Its counties are Wushen Banner (乌审旗), with its banner center,
// six sumu/town centers, their gacha/village and community centers, and Otog Front Banner
// (鄂托克前旗) with a few of its towns and villages; the departments are Wushen's.
func DemoOrg() (*Org, error) {
	o := Org{Code: "ordos", Name: "鄂尔多斯市"}
	for _, src := range [][]byte{ordosYAML, wushenYAML} {
		var part Org
		if err := yaml.NewDecoder(bytes.NewReader(src), yaml.DisallowUnknownField()).Decode(&part); err != nil {
			return nil, fmt.Errorf("built-in org: %w", err)
		}
		o.Units = append(o.Units, part.Units...)
		o.Departments = append(o.Departments, part.Departments...)
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
	for u, ok := o.Unit(code); ok && len(chain) <= len(OrgLevels); u, ok = o.Unit(u.Parent) {
		chain = append(chain, u)
		if u.Parent == "" {
			break
		}
	}
	return chain
}
