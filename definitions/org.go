package definitions

import (
	"bytes"
	_ "embed"
	"fmt"

	"github.com/goccy/go-yaml"
)

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
	NameEN string `json:"name_en" yaml:"name_en"`
	Level  Level  `json:"level" yaml:"level" validate:"required"`
	Parent string `json:"parent,omitempty" yaml:"parent,omitempty"`
}

// Department is a functional department that works in or for a center.
type Department struct {
	Code   string         `json:"code" yaml:"code" validate:"required"`
	Name   string         `json:"name" yaml:"name" validate:"required"`
	NameEN string         `json:"name_en" yaml:"name_en"`
	Mode   StationingMode `json:"mode" yaml:"mode" validate:"required,oneof=resident rotating on_call"`
	// ResponseHours is how long an on-call department has to report in after a summons (吹哨报到).
	ResponseHours int `json:"response_hours,omitempty" yaml:"response_hours,omitempty"`
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

// Check reports the first structural mistake in the org: duplicate codes, unknown levels or
// parents, or a parent that is not exactly one level up the chain.
func (o *Org) Check() error {
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
