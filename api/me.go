package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/store"
)

// Profile is a user as the workbench shows them: who, in which role, at which unit or
// department, with the names of those.
type Profile struct {
	ID               string         `json:"id"`
	Name             string         `json:"name"`
	Role             onedoor.Role   `json:"role"`
	OrgUnit          string         `json:"org_unit,omitempty"`
	Department       string         `json:"department,omitempty"`
	Posts            []onedoor.Post `json:"posts,omitempty" doc:"The user's further posts, beyond the first (role, org_unit, department); name one in the OneDoor-Post header to act in it."`
	OrgUnitName      string         `json:"org_unit_name,omitempty" doc:"Name of the user's org unit."`
	OrgUnitNameEN    string         `json:"org_unit_name_en,omitempty" doc:"English name of the user's org unit."`
	DepartmentName   string         `json:"department_name,omitempty" doc:"Name of the user's department."`
	DepartmentNameEN string         `json:"department_name_en,omitempty" doc:"English name of the user's department."`
	Names            store.Names    `json:"names,omitzero" doc:"The names of the org units and departments of the further posts."`
}

// MeOutput is the body of GET /v1/me.
type MeOutput struct {
	Body Profile
}

func (s *Server) registerMe(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "get-me",
		Method:      http.MethodGet,
		Path:        "/v1/me",
		Summary:     "Who I am",
		Description: "The signed-in user: id, name, role, and the org unit or department they work for, with its name: " +
			"the post the request acts in (the OneDoor-Post header, else their first), and their other posts.",
		Tags:     []string{"Users"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized},
	}, func(ctx context.Context, _ *struct{}) (*MeOutput, error) {
		u := currentUser(ctx)
		u.Posts = nil
		for _, p := range allPostsOf(ctx) {
			if p != u.Post() {
				u.Posts = append(u.Posts, p)
			}
		}
		p, err := s.profile(ctx, u)
		if err != nil {
			return nil, err
		}
		return &MeOutput{Body: p}, nil
	})
}

// profile names the unit and department of u. A unit or department missing from the
// organisation is left unnamed: the user still signs in.
func (s *Server) profile(ctx context.Context, u onedoor.User) (Profile, error) {
	p := Profile{ID: u.ID, Name: u.Name, Role: u.Role, OrgUnit: u.OrgUnit, Department: u.Department, Posts: u.Posts}
	if u.OrgUnit != "" {
		ou, err := s.Store.OrgUnit(ctx, u.OrgUnit)
		switch {
		case err == nil:
			p.OrgUnitName, p.OrgUnitNameEN = ou.Name, ou.NameEN
		case onedoor.ErrorCode(err) != onedoor.ENotFound:
			return p, s.problem(ctx, err)
		}
	}
	if u.Department != "" {
		d, err := s.Store.Department(ctx, u.Department)
		switch {
		case err == nil:
			p.DepartmentName, p.DepartmentNameEN = d.Name, d.NameEN
		case onedoor.ErrorCode(err) != onedoor.ENotFound:
			return p, s.problem(ctx, err)
		}
	}
	if len(u.Posts) > 0 {
		var units, depts []string
		for _, x := range u.Posts {
			units, depts = append(units, x.OrgUnit), append(depts, x.Department)
		}
		names, err := s.Store.NamesOf(ctx, units, depts)
		if err != nil {
			return p, s.problem(ctx, err)
		}
		p.Names = names
	}
	return p, nil
}
