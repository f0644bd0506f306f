package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/store"
)

// ImportOrgInput is a directory of org units, departments and staff to load.
type ImportOrgInput struct {
	DryRun bool `query:"dry_run" doc:"Check the directory and report what the import would do, writing nothing."`
	Body   onedoor.Directory
}

// ImportOrgOutput says what the import did.
type ImportOrgOutput struct {
	Body store.ImportReport
}

// OrgUnitsOutput is the body of GET /v1/org/units.
type OrgUnitsOutput struct {
	Body struct {
		Units []definitions.OrgUnit `json:"units" doc:"The org units of the caller's scope, the highest level first, then by code."`
	}
}

func (s *Server) registerOrg(api huma.API) {
	// The workbench's unit pickers (search, statistics) offer the units a user may filter by:
	// those of their scope, named, so that nobody types a code.
	huma.Register(api, huma.Operation{
		OperationID: "list-org-units",
		Method:      http.MethodGet,
		Path:        "/v1/org/units",
		Summary:     "Org units I may filter by",
		Description: "The org units of the caller's scope with their names, levels and parents: their county's for administrators " +
			"and auditors of a county, every unit below for those of a city or province, the caller's unit and the units below it for everyone else, none for department staff.",
		Tags:     []string{"Users"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized},
	}, func(ctx context.Context, _ *struct{}) (*OrgUnitsOutput, error) {
		sc, err := s.scopeOf(ctx, currentUser(ctx))
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		out := &OrgUnitsOutput{}
		out.Body.Units = []definitions.OrgUnit{}
		if sc.Department == "" && (sc.All || len(sc.Units) > 0) {
			units, err := s.Store.Units(ctx, sc.All, sc.Units)
			if err != nil {
				return nil, s.problem(ctx, err)
			}
			out.Body.Units = units
		}
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "import-org",
		Method:      http.MethodPost,
		Path:        "/v1/admin/org",
		Summary:     "Load the organisation and its staff",
		Description: "Adds the org units, departments and users of the body and updates those that changed, in one transaction " +
			"(administrators only). The whole directory is checked against what is stored first: any problem (a parent that does not " +
			"exist or is not one level up, an unknown role, a user without their unit…) is a 422 listing every one, and nothing is " +
			"written. Sending the same directory again changes nothing; records it does not name are kept. " +
			"The same as `onedoor org import FILE`; docs/operations.md describes the file.",
		Tags:     []string{"Administration"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *ImportOrgInput) (*ImportOrgOutput, error) {
		if err := s.requireRole(ctx, "load the organisation", onedoor.RoleAdmin); err != nil {
			return nil, err
		}
		if err := s.checkCountyImport(ctx, currentUser(ctx), in.Body); err != nil {
			return nil, s.problem(ctx, err)
		}
		rep, err := s.Store.ImportDirectory(ctx, in.Body, in.DryRun)
		var e *onedoor.Error
		if errors.As(err, &e) && e.Code == onedoor.EInvalid {
			for i := range e.Fields {
				e.Fields[i].Path = "body." + e.Fields[i].Path
			}
		}
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		if !in.DryRun {
			u := currentUser(ctx)
			s.Logger.InfoContext(ctx, "organisation imported", "user", u.ID,
				"units_added", len(rep.Units.Added), "units_changed", len(rep.Units.Changed),
				"departments_added", len(rep.Departments.Added), "departments_changed", len(rep.Departments.Changed),
				"users_added", len(rep.Users.Added), "users_changed", len(rep.Users.Changed))
		}
		return &ImportOrgOutput{Body: rep}, nil
	})
}

// checkCountyImport refuses an import by the administrator of one county of several that reaches
// outside their county: units must be the county's or new below it, departments are shared by
// every county, and staff must work at the county's units. Every problem is listed (EInvalid).
func (s *Server) checkCountyImport(ctx context.Context, u onedoor.User, d onedoor.Directory) error {
	in, err := s.inCounty(ctx, u)
	if err != nil || !in {
		return err
	}
	if n, err := s.Store.CountyCount(ctx); err != nil || n <= 1 {
		return err
	}
	county, err := s.countyOf(ctx, u.OrgUnit)
	if err != nil {
		return err
	}
	codes, err := s.Store.Subtree(ctx, county.Code)
	if err != nil {
		return err
	}
	mine := make(map[string]bool, len(codes))
	for _, c := range codes {
		mine[c] = true
	}
	var ps []onedoor.FieldError
	add := func(path, format string, args ...any) {
		ps = append(ps, onedoor.FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
	}
	// Top down, so that a new unit's new parent is known to be the county's.
	order := make([]int, len(d.Units))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return d.Units[order[a]].Level.OrgRank() > d.Units[order[b]].Level.OrgRank() })
	for _, i := range order {
		x := d.Units[i]
		switch _, err := s.Store.OrgUnit(ctx, x.Code); {
		case err == nil && !mine[x.Code]:
			add(fmt.Sprintf("units[%d].code", i), "%s is not a unit of %s: a county's administrator changes only their county", x.Code, county.Name)
		case err == nil && x.Code == county.Code && x.Parent != county.Parent:
			add(fmt.Sprintf("units[%d].parent", i), "the county's place under %s is the city's or the province's to change", county.Parent)
		case onedoor.ErrorCode(err) == onedoor.ENotFound && !mine[x.Parent]:
			add(fmt.Sprintf("units[%d].parent", i), "a new unit goes below a unit of %s", county.Name)
		case onedoor.ErrorCode(err) == onedoor.ENotFound:
			mine[x.Code] = true
		case err != nil:
			return err
		}
	}
	for i := range d.Departments {
		add(fmt.Sprintf("departments[%d]", i), "departments are shared by every county: the city's or the province's administrator loads them")
	}
	for i, x := range d.Users {
		for j, p := range x.AllPosts() {
			at := fmt.Sprintf("users[%d]", i)
			if j > 0 {
				at = fmt.Sprintf("users[%d].posts[%d]", i, j-1)
			}
			if p.OrgUnit == "" || !mine[p.OrgUnit] {
				add(at+".org_unit", "staff of %s work at one of its units", county.Name)
			}
		}
		stored, err := s.Store.User(ctx, x.ID)
		switch {
		case err == nil && (stored.OrgUnit == "" || !mine[stored.OrgUnit]):
			add(fmt.Sprintf("users[%d].id", i), "%s works outside %s: a county's administrator changes only their county's staff", x.ID, county.Name)
		case err != nil && onedoor.ErrorCode(err) != onedoor.ENotFound:
			return err
		}
	}
	if len(ps) == 0 {
		return nil
	}
	for i := range ps {
		ps[i].Path = "body." + ps[i].Path
	}
	return &onedoor.Error{Code: onedoor.EInvalid, Message: fmt.Sprintf("the directory reaches outside %s in %d places; nothing was imported", county.Name, len(ps)), Fields: ps}
}
