package api

import (
	"context"
	"errors"
	"net/http"

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
		Description: "The org units of the caller's scope with their names, levels and parents: every unit for administrators, " +
			"auditors and the top of the organisation, the caller's unit and the units below it for everyone else, none for department staff.",
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
		if sc.All || len(sc.Units) > 0 {
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
