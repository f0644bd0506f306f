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

// RoleResident is the resident acting without an account, through a link only they were given
// (the one-time rating link of a closed case): no user holds it, so it is not in Roles, and the
// case workflow lets it do nothing but record its own evaluation.
const RoleResident Role = "resident"

// ResidentActor is the actor of what a resident does through such a link, as the audit log names it.
var ResidentActor = User{ID: "resident", Name: "群众", Role: RoleResident}

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

// User is a person working in the center, scoped to an org-unit subtree or a department. Role,
// OrgUnit and Department are their first post; Posts are the others, when they hold several (a
// gacha party secretary who is both the village center's director and a mediator; stationed
// department staff answering to the center and to their department, 双重管理).
//
// A request acts in one post (the User the API hands on has that post's role, unit and
// department); the queue is the union of every post's.
type User struct {
	ID         string `json:"id" yaml:"id"`
	Name       string `json:"name" yaml:"name"`
	Role       Role   `json:"role" yaml:"role"`
	OrgUnit    string `json:"org_unit,omitempty" yaml:"org_unit,omitempty"`
	Department string `json:"department,omitempty" yaml:"department,omitempty"`
	Posts      []Post `json:"posts,omitempty" yaml:"posts,omitempty" doc:"The user's further posts, beyond the first (role, org_unit, department)."`
}

// Post is a role held at an org unit, or at a department (stationed at an org unit).
type Post struct {
	Role       Role   `json:"role" yaml:"role"`
	OrgUnit    string `json:"org_unit,omitempty" yaml:"org_unit,omitempty"`
	Department string `json:"department,omitempty" yaml:"department,omitempty"`
}

// Key names the post in requests (the OneDoor-Post header) and in the audit log: role@unit, or
// department:code@unit for department staff (@ alone when they name no unit).
func (p Post) Key() string {
	if p.Role == RoleDepartment {
		return "department:" + p.Department + "@" + p.OrgUnit
	}
	return string(p.Role) + "@" + p.OrgUnit
}

// Post is the post the user acts in: their first, or the one In chose.
func (u User) Post() Post { return Post{Role: u.Role, OrgUnit: u.OrgUnit, Department: u.Department} }

// AllPosts are the user's posts, the first first.
func (u User) AllPosts() []Post { return append([]Post{u.Post()}, u.Posts...) }

// In is the user acting in post p, which must be one of theirs: its role, unit and department
// are the user's for the request. The posts stay, for the queue's union.
func (u User) In(p Post) User {
	u.Role, u.OrgUnit, u.Department = p.Role, p.OrgUnit, p.Department
	return u
}

// PostByKey finds the user's post named key.
func (u User) PostByKey(key string) (Post, bool) {
	for _, p := range u.AllPosts() {
		if p.Key() == key {
			return p, true
		}
	}
	return Post{}, false
}

// Equal reports whether u and v are the same record: the same first post and the same further
// posts in the same order.
func (u User) Equal(v User) bool {
	if u.ID != v.ID || u.Name != v.Name || u.Post() != v.Post() || len(u.Posts) != len(v.Posts) {
		return false
	}
	for i := range u.Posts {
		if u.Posts[i] != v.Posts[i] {
			return false
		}
	}
	return true
}
