package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/store"
)

// DirectoryInput narrows the people a user picker offers.
type DirectoryInput struct {
	Q     string `query:"q" maxLength:"50" doc:"A part of the person's id or name; every person when empty."`
	Case  string `query:"case" maxLength:"64" doc:"A case's id or number: the people of the case's county, who may be named on it (copy, delegate, reassign). The caller's own county when empty."`
	Limit int    `query:"limit" minimum:"1" maximum:"100" default:"20" doc:"At most this many people."`
}

// Colleague is a person as a picker shows them: who, in which post, where.
type Colleague struct {
	ID         string       `json:"id"`
	Name       string       `json:"name"`
	Role       onedoor.Role `json:"role"`
	OrgUnit    string       `json:"org_unit,omitempty"`
	Department string       `json:"department,omitempty"`
}

// DirectoryOutput is the answer of GET /v1/org/users.
type DirectoryOutput struct {
	Body struct {
		Users []Colleague `json:"users" doc:"By name, then id."`
		Names store.Names `json:"names" doc:"The names of the org units and departments the people work at."`
	}
}

func (s *Server) registerDirectory(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "list-org-users",
		Method:      http.MethodGet,
		Path:        "/v1/org/users",
		Summary:     "People I may name",
		Description: "The people of the caller's county (of every county below for a user of the city or the province), or of the " +
			"county of the case named by `case` when the caller may see it, whose id or name contains `q`: the choices of the " +
			"workbench's pickers of colleagues, for a copy (抄送), a delegation or a reassignment. Nobody types an id.",
		Tags:     []string{"Users"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusNotFound},
	}, s.directory)
}

func (s *Server) directory(ctx context.Context, in *DirectoryInput) (*DirectoryOutput, error) {
	unit := currentUser(ctx).OrgUnit
	if in.Case != "" {
		c, err := s.caseToSee(ctx, in.Case)
		if err != nil {
			return nil, err
		}
		unit = c.OrgUnit
	}
	out := &DirectoryOutput{}
	out.Body.Users = []Colleague{}
	out.Body.Names = store.Names{Units: map[string]store.Name{}, Departments: map[string]store.Name{}}
	if unit == "" {
		return out, nil // someone of no org unit has no county to look in
	}
	county, err := s.countyOf(ctx, unit)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	units, err := s.Store.Subtree(ctx, county.Code)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	users, err := s.Store.Directory(ctx, units, in.Q, in.Limit)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	var codes, depts []string
	for _, u := range users {
		out.Body.Users = append(out.Body.Users, Colleague{ID: u.ID, Name: u.Name, Role: u.Role, OrgUnit: u.OrgUnit, Department: u.Department})
		codes, depts = append(codes, u.OrgUnit), append(depts, u.Department)
	}
	if out.Body.Names, err = s.Store.NamesOf(ctx, codes, depts); err != nil {
		return nil, s.problem(ctx, err)
	}
	return out, nil
}
