package onedoor

// Role is what a user may do.
type Role string

// The roles.
const (
	RoleAdmin      Role = "admin"      // edits and publishes procedure definitions
	RoleSupervisor Role = "supervisor" // watches deadlines, issues supervision orders
	RoleClerk      Role = "clerk"      // advances cases at an org unit's window
	RoleDepartment Role = "department" // staff of a department working on diverted cases
	RoleGrid       Role = "grid"       // grid worker reporting matters
	RoleAuditor    Role = "auditor"    // reads everything, changes nothing
)

// Roles lists the roles.
var Roles = []Role{RoleAdmin, RoleSupervisor, RoleClerk, RoleDepartment, RoleGrid, RoleAuditor}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// User is a person working in the center, scoped to an org-unit subtree or a department.
type User struct {
	ID         string `json:"id" yaml:"id"`
	Name       string `json:"name" yaml:"name"`
	Role       Role   `json:"role" yaml:"role"`
	OrgUnit    string `json:"org_unit,omitempty" yaml:"org_unit,omitempty"`
	Department string `json:"department,omitempty" yaml:"department,omitempty"`
}
