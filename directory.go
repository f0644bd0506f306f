package onedoor

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/onedoor/onedoor/definitions"
)

// Directory is an organisation's org units, departments and staff as an operator loads them:
// from a YAML file with `onedoor org import`, or as JSON through POST /v1/admin/org. Importing
// adds what is new and updates what changed; nothing absent from it is removed.
type Directory struct {
	Units       []definitions.OrgUnit    `json:"units,omitempty" yaml:"units,omitempty" doc:"Org units; a parent must be in the file or already stored, one level up."`
	Departments []definitions.Department `json:"departments,omitempty" yaml:"departments,omitempty"`
	Users       []User                   `json:"users,omitempty" yaml:"users,omitempty" doc:"Staff; department staff name their department, everyone else their org unit."`
}

// ParseDirectory reads a directory file (YAML, of which JSON is a part). Settings it does not
// know are refused, so a misspelt key is caught instead of silently dropped.
func ParseDirectory(src []byte) (Directory, error) {
	var d Directory
	if err := yaml.NewDecoder(bytes.NewReader(src), yaml.DisallowUnknownField()).Decode(&d); err != nil {
		return d, &Error{Code: EInvalid, Message: "the file is not a directory of units, departments and users: " + yaml.FormatError(err, false, true)}
	}
	return d, nil
}

var (
	// codeRe is the shape of org unit and department codes: what URLs and log lines carry
	// without quoting.
	codeRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$`)
	// userIDRe is the shape of a user id, the subject (sub) of the identity provider's tokens:
	// anything printable without spaces.
	userIDRe = regexp.MustCompile(`^[^\s\p{C}]{1,255}$`)
)

// Check finds every mistake in d imported over the stored directory: missing or badly formed
// codes and names, duplicates, unknown levels, stationing modes and roles, a parent that is
// neither in d nor stored or is not one level up (also for a stored unit whose parent d
// changes), and users whose org unit or department does not exist. Each problem is located by
// its path in d, e.g. "users[3].org_unit".
func (d Directory) Check(stored Directory) []FieldError {
	var ps []FieldError
	add := func(path, format string, args ...any) {
		ps = append(ps, FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
	}

	// The org after the import: stored units, replaced or joined by d's.
	units := map[string]definitions.OrgUnit{}
	for _, u := range stored.Units {
		units[u.Code] = u
	}
	seen := map[string]int{}
	for i, u := range d.Units {
		path := fmt.Sprintf("units[%d]", i)
		switch {
		case u.Code == "":
			add(path+".code", "every org unit needs a code")
		case !codeRe.MatchString(u.Code):
			add(path+".code", "the code %q may use letters, digits and _ . @ - only, at most 64 of them", u.Code)
		default:
			if j, dup := seen[u.Code]; dup {
				add(path+".code", "the code %q is already used by units[%d]", u.Code, j)
			}
			seen[u.Code] = i
			units[u.Code] = u
		}
		if strings.TrimSpace(u.Name) == "" {
			add(path+".name", "the org unit %q needs a name", u.Code)
		}
		if !u.Level.IsOrgLevel() {
			add(path+".level", "%q is not a level; use one of %s", u.Level, joinLevels())
		} else if err := definitions.CheckNumberPrefix(u); err != nil {
			add(path+".number_prefix", "%s", err)
		} else if err := definitions.CheckGrid(u); err != nil {
			add(path+".grid", "%s", err)
		}
	}
	counties := 0
	for _, u := range units {
		if u.Level == definitions.LevelGovernment {
			counties++
		}
	}
	for i, u := range d.Units {
		if err := definitions.NeedsNumberPrefix(u, counties); err != nil {
			add(fmt.Sprintf("units[%d].number_prefix", i), "%s", err)
		}
	}
	// A county's prefix is its own: no two government units share one.
	prefixes := map[string]string{}
	for _, u := range stored.Units {
		if _, replaced := seen[u.Code]; !replaced && u.NumberPrefix != "" {
			prefixes[u.NumberPrefix] = u.Code
		}
	}
	for i, u := range d.Units {
		if u.NumberPrefix == "" {
			continue
		}
		if other, dup := prefixes[u.NumberPrefix]; dup && other != u.Code {
			add(fmt.Sprintf("units[%d].number_prefix", i), "the number prefix %s is already %s's", u.NumberPrefix, other)
		}
		prefixes[u.NumberPrefix] = u.Code
	}
	for i, u := range d.Units {
		if u.Parent == "" || !u.Level.IsOrgLevel() {
			continue
		}
		path := fmt.Sprintf("units[%d].parent", i)
		p, ok := units[u.Parent]
		switch {
		case !ok:
			add(path, "no org unit has the code %q, in the file or stored", u.Parent)
		case p.Level.IsOrgLevel() && p.Level.OrgRank() != u.Level.OrgRank()+1:
			add(path, "a %s's parent must be one level up, but %s is a %s", u.Level, u.Parent, p.Level)
		}
	}
	// A stored unit keeps its parent: d must not move that parent to another level.
	for _, c := range stored.Units {
		if _, replaced := seen[c.Code]; replaced || c.Parent == "" {
			continue
		}
		i, changed := seen[c.Parent]
		if p := units[c.Parent]; changed && p.Level.IsOrgLevel() && p.Level.OrgRank() != c.Level.OrgRank()+1 {
			add(fmt.Sprintf("units[%d].level", i), "%s has the stored %s %s below it, which must stay one level down", c.Parent, c.Level, c.Code)
		}
	}

	depts := map[string]bool{}
	for _, x := range stored.Departments {
		depts[x.Code] = true
	}
	seen = map[string]int{}
	for i, x := range d.Departments {
		path := fmt.Sprintf("departments[%d]", i)
		switch {
		case x.Code == "":
			add(path+".code", "every department needs a code")
		case !codeRe.MatchString(x.Code):
			add(path+".code", "the code %q may use letters, digits and _ . @ - only, at most 64 of them", x.Code)
		default:
			if j, dup := seen[x.Code]; dup {
				add(path+".code", "the code %q is already used by departments[%d]", x.Code, j)
			}
			seen[x.Code] = i
			depts[x.Code] = true
		}
		if strings.TrimSpace(x.Name) == "" {
			add(path+".name", "the department %q needs a name", x.Code)
		}
		switch x.Mode {
		case definitions.StationResident, definitions.StationRotating, definitions.StationOnCall:
		default:
			add(path+".mode", "%q is not a stationing mode; use resident, rotating or on_call", x.Mode)
		}
		if x.ResponseHours < 0 {
			add(path+".response_hours", "cannot be negative")
		}
	}

	seen = map[string]int{}
	for i, u := range d.Users {
		path := fmt.Sprintf("users[%d]", i)
		switch {
		case u.ID == "":
			add(path+".id", "every user needs an id, the subject (sub) of their bearer tokens")
		case !userIDRe.MatchString(u.ID):
			add(path+".id", "the id %q must be printable, without spaces, at most 255 characters", u.ID)
		default:
			if j, dup := seen[u.ID]; dup {
				add(path+".id", "the id %q is already used by users[%d]", u.ID, j)
			}
			seen[u.ID] = i
		}
		if strings.TrimSpace(u.Name) == "" {
			add(path+".name", "the user %q needs a name", u.ID)
		}
		keys := map[string]bool{}
		for j, p := range u.AllPosts() {
			at := path
			if j > 0 {
				at = fmt.Sprintf("%s.posts[%d]", path, j-1)
			}
			if keys[p.Key()] {
				add(at, "the post %s is already the user's", p.Key())
			}
			keys[p.Key()] = true
			ps = append(ps, checkPost(p, at, units, depts, counties)...)
		}
	}
	return ps
}

// checkPost finds the mistakes of a user's post, located at path: an unknown role, unit or
// department, and what the role needs.
func checkPost(p Post, path string, units map[string]definitions.OrgUnit, depts map[string]bool, counties int) []FieldError {
	var ps []FieldError
	add := func(path, format string, args ...any) {
		ps = append(ps, FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
	}
	if !p.Role.Valid() {
		add(path+".role", "%q is not a role; use one of %s", p.Role, joinRoles())
	}
	if p.OrgUnit != "" {
		if _, ok := units[p.OrgUnit]; !ok {
			add(path+".org_unit", "no org unit has the code %q, in the file or stored", p.OrgUnit)
		}
	}
	if p.Department != "" && !depts[p.Department] {
		add(path+".department", "no department has the code %q, in the file or stored", p.Department)
	}
	switch {
	case p.Role == RoleDepartment && p.Department != "" && p.OrgUnit == "" && counties > 1:
		add(path+".org_unit", "department staff need the org unit they are stationed at when the organisation has more than one county: it fences them to their county's cases")
	case p.Role == RoleDepartment && p.Department == "":
		add(path+".department", "department staff need their department: they see the cases it works on")
	case p.Role.Valid() && p.Role != RoleDepartment && p.OrgUnit == "":
		add(path+".org_unit", "a %s needs an org unit: it decides the cases they see", p.Role)
	}
	return ps
}

func joinLevels() string {
	s := make([]string, len(definitions.OrgLevels))
	for i, l := range definitions.OrgLevels {
		s[i] = string(l)
	}
	return strings.Join(s, ", ")
}

func joinRoles() string {
	s := make([]string, len(Roles))
	for i, r := range Roles {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}
