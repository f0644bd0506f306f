package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// AdminOrgOutput is the directory an administrator edits.
type AdminOrgOutput struct {
	Body onedoor.Directory
}

// PutUnitInput adds or changes one org unit.
type PutUnitInput struct {
	IfNoneMatch string `header:"If-None-Match" maxLength:"10" doc:"*: add only; an existing record of this code is not overwritten (412)."`
	Code        string `path:"code" maxLength:"64" example:"galutu-v09" doc:"The unit's code: letters, digits and _ . @ -; it never changes."`
	Body        struct {
		Name         string `json:"name" maxLength:"100" example:"巴音敖包嘎查" doc:"Its Chinese name."`
		NameEN       string `json:"name_en,omitempty" maxLength:"100" example:"Bayan Obo gacha"`
		Level        string `json:"level" enum:"province,city,government,banner,town,village,group" example:"village" doc:"Its level: one below its parent's."`
		Parent       string `json:"parent,omitempty" maxLength:"64" example:"galutu" doc:"The unit above it; none for the top."`
		NumberPrefix string `json:"number_prefix,omitempty" maxLength:"8" doc:"A county's government unit: the prefix of its case numbers (with several counties)."`
		Grid         bool   `json:"grid,omitempty" doc:"A group-level unit: it is a grid (网格), whose grid team reports grid events."`
	}
}

// UnitOutput is an org unit as stored.
type UnitOutput struct {
	Body definitions.OrgUnit
}

// PutDepartmentInput adds or changes one department.
type PutDepartmentInput struct {
	IfNoneMatch string `header:"If-None-Match" maxLength:"10" doc:"*: add only; an existing record of this code is not overwritten (412)."`
	Code        string `path:"code" maxLength:"64" example:"forestry" doc:"The department's code; it never changes."`
	Body        struct {
		Name          string `json:"name" maxLength:"100" example:"林草局"`
		NameEN        string `json:"name_en,omitempty" maxLength:"100" example:"Forestry and grassland bureau"`
		Mode          string `json:"mode" enum:"resident,rotating,on_call" doc:"How it is stationed at the center: 常驻 resident, 轮驻 rotating, 随叫随驻 on call."`
		ResponseHours int    `json:"response_hours,omitempty" minimum:"0" maximum:"720" doc:"An on-call department: the hours it has to report in after a summons (吹哨报到)."`
	}
}

// DepartmentOutput is a department as stored.
type DepartmentOutput struct {
	Body definitions.Department
}

// PutUserInput adds or changes one person of the staff.
type PutUserInput struct {
	IfNoneMatch string `header:"If-None-Match" maxLength:"10" doc:"*: add only; an existing record of this code is not overwritten (412)."`
	ID          string `path:"id" maxLength:"255" example:"clerk-bayan" doc:"The user's id: the subject (sub) of their identity provider's tokens."`
	Body        struct {
		Name       string         `json:"name" maxLength:"100" example:"巴音受理员"`
		Role       onedoor.Role   `json:"role" enum:"admin,supervisor,clerk,department,grid,auditor" doc:"The role of their first post."`
		OrgUnit    string         `json:"org_unit,omitempty" maxLength:"64" doc:"The unit of their first post."`
		Department string         `json:"department,omitempty" maxLength:"64" doc:"The department of their first post (department staff)."`
		Posts      []onedoor.Post `json:"posts,omitempty" maxItems:"20" doc:"Their further posts."`
	}
}

// UserOutput is a person as stored.
type UserOutput struct {
	Body onedoor.User
}

func (s *Server) registerOrgEditing(api huma.API) {
	write := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusPreconditionFailed, http.StatusUnprocessableEntity}
	huma.Register(api, huma.Operation{
		OperationID: "get-admin-org",
		Method:      http.MethodGet,
		Path:        "/v1/admin/org",
		Summary:     "The organisation and its staff, to edit",
		Description: "The org units, departments and staff an administrator edits: a county's administrator (of several counties) gets " +
			"their county's units and the people with a post in them, and every department; an administrator above the counties gets everything.",
		Tags:     []string{"Administration"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusForbidden},
	}, func(ctx context.Context, _ *struct{}) (*AdminOrgOutput, error) {
		if err := s.requireRole(ctx, "edit the organisation", onedoor.RoleAdmin); err != nil {
			return nil, err
		}
		codes, err := s.countyUnits(ctx, currentUser(ctx))
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		d, err := s.Store.DirectoryOf(ctx, codes)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		d.Units, d.Departments, d.Users = nonNilOf(d.Units), nonNilOf(d.Departments), nonNilOf(d.Users)
		return &AdminOrgOutput{Body: d}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "put-org-unit",
		Method:      http.MethodPut,
		Path:        "/v1/admin/org/units/{code}",
		Summary:     "Add or change an org unit",
		Description: "Adds the unit (a new village under a town…) or changes it (a rename), through the checks of the directory import " +
			"(`POST /v1/admin/org`): its parent exists one level up, a county's administrator stays inside their county. Moving a unit to " +
			"another parent or level while it holds open tasks is refused at that field, naming them: its cases escalate along the " +
			"chain they were registered on.",
		Tags:     []string{"Administration"},
		Security: secured,
		Errors:   write,
	}, func(ctx context.Context, in *PutUnitInput) (*UnitOutput, error) {
		b := in.Body
		if err := s.addOnly(ctx, in.IfNoneMatch, "org unit "+in.Code, "path.code", func() error { _, err := s.Store.OrgUnit(ctx, in.Code); return err }); err != nil {
			return nil, err
		}
		u := definitions.OrgUnit{Code: in.Code, Name: b.Name, NameEN: b.NameEN, Level: definitions.Level(b.Level), Parent: b.Parent, NumberPrefix: b.NumberPrefix, Grid: b.Grid}
		if err := s.importOne(ctx, onedoor.Directory{Units: []definitions.OrgUnit{u}}, "units[0]"); err != nil {
			return nil, err
		}
		stored, err := s.Store.OrgUnit(ctx, in.Code)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		return &UnitOutput{Body: stored}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "put-department",
		Method:      http.MethodPut,
		Path:        "/v1/admin/org/departments/{code}",
		Summary:     "Add or change a department",
		Description: "Adds a department or changes its names, its stationing mode and an on-call department's response hours; " +
			"summonses sent afterwards count with the new hours. Departments are every county's: the administrators above the counties change them.",
		Tags:     []string{"Administration"},
		Security: secured,
		Errors:   write,
	}, func(ctx context.Context, in *PutDepartmentInput) (*DepartmentOutput, error) {
		b := in.Body
		if err := s.addOnly(ctx, in.IfNoneMatch, "department "+in.Code, "path.code", func() error { _, err := s.Store.Department(ctx, in.Code); return err }); err != nil {
			return nil, err
		}
		d := definitions.Department{Code: in.Code, Name: b.Name, NameEN: b.NameEN, Mode: definitions.StationingMode(b.Mode), ResponseHours: b.ResponseHours}
		if err := s.importOne(ctx, onedoor.Directory{Departments: []definitions.Department{d}}, "departments[0]"); err != nil {
			return nil, err
		}
		stored, err := s.Store.Department(ctx, in.Code)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		return &DepartmentOutput{Body: stored}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "put-user",
		Method:      http.MethodPut,
		Path:        "/v1/admin/users/{id}",
		Summary:     "Add or change a person of the staff",
		Description: "Adds a person or changes their name and posts (role, unit, department, further posts). A person who would lose a post " +
			"while holding open tasks, claimed or delegated to them, is refused at that field, naming the tasks: hand them over first. " +
			"A county's administrator places people at their county's units only.",
		Tags:     []string{"Administration"},
		Security: secured,
		Errors:   write,
	}, func(ctx context.Context, in *PutUserInput) (*UserOutput, error) {
		b := in.Body
		if err := s.addOnly(ctx, in.IfNoneMatch, "user "+in.ID, "path.id", func() error { _, err := s.Store.User(ctx, in.ID); return err }); err != nil {
			return nil, err
		}
		u := onedoor.User{ID: in.ID, Name: b.Name, Role: b.Role, OrgUnit: b.OrgUnit, Department: b.Department, Posts: b.Posts}
		if err := s.importOne(ctx, onedoor.Directory{Users: []onedoor.User{u}}, "users[0]"); err != nil {
			return nil, err
		}
		stored, err := s.Store.User(ctx, in.ID)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		return &UserOutput{Body: stored}, nil
	})
}

// importOne imports a directory of one record, whose problems at prefix (e.g. "units[0]") are
// answered at the request's fields: its code or id at the path, the rest in the body.
func (s *Server) importOne(ctx context.Context, d onedoor.Directory, prefix string) error {
	if err := s.requireRole(ctx, "edit the organisation", onedoor.RoleAdmin); err != nil {
		return err
	}
	err := s.checkCountyImport(ctx, currentUser(ctx), d)
	if err == nil {
		_, err = s.Store.ImportDirectory(ctx, d, false)
	}
	var e *onedoor.Error
	if errors.As(err, &e) && e.Code == onedoor.EInvalid {
		for i, f := range e.Fields {
			field := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(f.Path, "body."), prefix), ".")
			switch field {
			case "code", "id":
				e.Fields[i].Path = "path." + field
			default:
				e.Fields[i].Path = "body." + field
			}
		}
	}
	if err != nil {
		return s.problem(ctx, err)
	}
	u := currentUser(ctx)
	s.Logger.InfoContext(ctx, "organisation edited", "user", u.ID, "units", len(d.Units), "departments", len(d.Departments), "users", len(d.Users))
	return nil
}

// addOnly refuses (412) a request sent with If-None-Match: * for a record that read finds: an
// administrator adding a unit, department or person never overwrites one of the same code.
func (s *Server) addOnly(ctx context.Context, ifNoneMatch, what, location string, read func() error) error {
	if strings.TrimSpace(ifNoneMatch) != "*" {
		return nil
	}
	switch err := read(); {
	case err == nil:
		return huma.Error412PreconditionFailed(fmt.Sprintf("%s already exists", what),
			&huma.ErrorDetail{Location: location, Message: "a new record needs a code no other has"})
	case onedoor.ErrorCode(err) == onedoor.ENotFound:
		return nil
	default:
		return s.problem(ctx, err)
	}
}

// countyUnits is the codes of the units of the administrator's county when they work in one of
// several; nil (every unit) otherwise.
func (s *Server) countyUnits(ctx context.Context, u onedoor.User) ([]string, error) {
	in, err := s.inCounty(ctx, u)
	if err != nil || !in {
		return nil, err
	}
	if n, err := s.Store.CountyCount(ctx); err != nil || n <= 1 {
		return nil, err
	}
	county, err := s.countyOf(ctx, u.OrgUnit)
	if err != nil {
		return nil, err
	}
	return s.Store.Subtree(ctx, county.Code)
}

// nonNilOf is s, or an empty slice for nil: a JSON list, never null.
func nonNilOf[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
