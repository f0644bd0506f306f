package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/store"
)

// Procedures at three levels. A city or a province publishes procedure templates: the ordinary
// procedures (api/procedures.go), which only administrators above the counties change. A county
// adopts a template version with its overrides (definitions.Override): its new cases run on the
// effective procedure, the template version with the county's changes, pinned like any version;
// a newer template version reaches the county only when a version of its override adopts it. A
// county without an override runs the template's version in force.

// OverrideSummary is one version of a county's override in a list.
type OverrideSummary struct {
	County      string             `json:"county" example:"otog-gov" doc:"Code of the county's government-level org unit."`
	Key         string             `json:"key" example:"petition" doc:"The template's procedure key."`
	Version     int                `json:"version" example:"1"`
	Template    int                `json:"template" example:"1" doc:"The template version the override adopts."`
	Status      definitions.Status `json:"status" enum:"draft,published,retired" doc:"draft: being edited; published: the county's new cases run on it; retired: replaced by a later version."`
	CreatedBy   string             `json:"created_by"`
	CreatedAt   time.Time          `json:"created_at"`
	UpdatedBy   string             `json:"updated_by"`
	UpdatedAt   time.Time          `json:"updated_at"`
	PublishedBy string             `json:"published_by,omitempty"`
	PublishedAt *time.Time         `json:"published_at,omitempty"`
	AdoptedFrom int                `json:"adopted_from,omitempty" doc:"The template version the county ran on before this version was published; absent for its first."`
	RetiredAt   *time.Time         `json:"retired_at,omitempty"`
}

func summarizeOverride(v store.OverrideVersion) OverrideSummary {
	o := v.Override
	s := OverrideSummary{County: o.County, Key: o.Key, Version: o.Version, Template: o.Template, Status: o.Status,
		CreatedBy: v.CreatedBy, CreatedAt: v.CreatedAt, UpdatedBy: v.UpdatedBy, UpdatedAt: v.UpdatedAt,
		PublishedBy: v.PublishedBy, AdoptedFrom: v.AdoptedFrom}
	if !v.PublishedAt.IsZero() {
		s.PublishedAt = &v.PublishedAt
	}
	if !v.RetiredAt.IsZero() {
		s.RetiredAt = &v.RetiredAt
	}
	return s
}

// OverrideListItem is the latest version of a county's override, with the versions in force.
type OverrideListItem struct {
	OverrideSummary
	InForce         *int `json:"in_force,omitempty" example:"1" doc:"The override version the county's new cases run on; absent when none is published."`
	TemplateInForce *int `json:"template_in_force,omitempty" example:"2" doc:"The template version in force today: when it is newer than the adopted one, the county may adopt it (see the adoption diff)."`
}

// OverrideListInput filters the overrides.
type OverrideListInput struct {
	County string `query:"county" maxLength:"100" doc:"Only this county's (the code of its government-level unit)."`
}

// OverrideListOutput is the latest version of every override the caller may read.
type OverrideListOutput struct {
	Body struct {
		Overrides []OverrideListItem `json:"overrides" doc:"The latest version of each county's override of each template, by county and key."`
	}
}

// OverrideKeyInput names a county's override of a template.
type OverrideKeyInput struct {
	County string `path:"county" maxLength:"100" example:"otog-gov" doc:"Code of the county's government-level org unit."`
	Key    string `path:"key" maxLength:"63" example:"petition" doc:"The template's procedure key."`
}

// OverrideVersionInput names one version of a county's override.
type OverrideVersionInput struct {
	OverrideKeyInput
	Version int `path:"version" minimum:"1" example:"1" doc:"The override's version number."`
}

// OverrideVersionsOutput is every version of a county's override of a template.
type OverrideVersionsOutput struct {
	Body struct {
		County   string            `json:"county" example:"otog-gov"`
		Key      string            `json:"key" example:"petition"`
		Versions []OverrideSummary `json:"versions" doc:"Every version, oldest first."`
	}
}

// OverrideDetail is one version of a county's override with the effective procedure.
type OverrideDetail struct {
	OverrideSummary
	Override  *definitions.Override  `json:"override" doc:"What the county changes of the template."`
	Effective *definitions.Procedure `json:"effective" doc:"The effective procedure: the adopted template version with the county's changes, as the county's cases run on it."`
	Problems  []definitions.Problem  `json:"problems" doc:"For a draft, what must be fixed before it can be published, each with its path in the override; empty when it can be published, and always for published and retired versions."`
}

// OverrideVersionOutput is one version of a county's override.
type OverrideVersionOutput struct {
	Body OverrideDetail
}

// OverrideBody is what a county writes of its override.
type OverrideBody struct {
	Template       int                                                 `json:"template" minimum:"1" example:"1" doc:"The template version to adopt: one of its published versions."`
	Deadlines      map[string]definitions.Period                       `json:"deadlines,omitempty" doc:"Shorter step deadlines, by step id, in the template's unit; never longer than the template's."`
	LevelDeadlines map[definitions.Level]map[string]definitions.Period `json:"level_deadlines,omitempty" doc:"Shorter deadlines at one level, by level and step id; never longer than the template's deadline of the step at that level."`
	Diversion      map[string][]string                                 `json:"diversion,omitempty" doc:"The diversion table: a value of the template's topic field to the codes of the county's departments (with staff in the county)."`
	Form           definitions.Form                                    `json:"form,omitempty" doc:"Fields added after the template's form."`
}

func (b OverrideBody) override(county, key string) *definitions.Override {
	return &definitions.Override{County: county, Key: key, Template: b.Template, Deadlines: b.Deadlines,
		LevelDeadlines: b.LevelDeadlines, Diversion: b.Diversion, Form: b.Form}
}

// CreateOverrideInput starts a draft of a county's override.
type CreateOverrideInput struct {
	OverrideKeyInput
	Body OverrideBody
}

// UpdateOverrideInput replaces a draft of a county's override.
type UpdateOverrideInput struct {
	OverrideVersionInput
	Body OverrideBody
}

// AdoptionDiffInput names the template version a county considers adopting.
type AdoptionDiffInput struct {
	OverrideKeyInput
	Template int `query:"template" required:"true" minimum:"1" example:"2" doc:"The template version to adopt."`
}

// AdoptionDiffOutput is what adopting a template version would change for a county.
type AdoptionDiffOutput struct {
	Body struct {
		County string `json:"county" example:"otog-gov"`
		Key    string `json:"key" example:"petition"`
		From   int    `json:"from" example:"1" doc:"The template version the county's new cases run on now: the adopted one, or the one in force when the county has no published override."`
		To     int    `json:"to" example:"2" doc:"The template version to adopt."`
		// Override is the version whose changes are carried over: the latest, draft or not.
		Override         int                   `json:"override,omitempty" doc:"The override version whose changes are carried over to the new template version (the latest, a draft included); absent when the county has none."`
		TemplateChanges  []definitions.Change  `json:"template_changes" doc:"Every difference between the two template versions, as the city or province published them."`
		EffectiveChanges []definitions.Change  `json:"effective_changes" doc:"Every difference the county's cases would see: between the effective procedure now and the new template version with the county's changes."`
		Problems         []definitions.Problem `json:"problems" doc:"What of the county's changes no longer fits the new template version (a step it shortens was removed, a deadline it shortens was shortened below it): to fix in the draft that adopts it."`
	}
}

func (s *Server) registerOverrides(api huma.API) {
	tags := []string{"Procedure overrides"}
	read := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound}
	write := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity}
	who := " A county's administrator reads and writes their county's overrides only (another county's are not found, 404); " +
		"administrators and auditors of a city or a province read those of every county below them, and write none (403): they publish the templates."

	huma.Register(api, huma.Operation{
		OperationID: "list-overrides",
		Method:      http.MethodGet,
		Path:        "/v1/overrides",
		Summary:     "List the counties' overrides of procedure templates",
		Description: "The latest version of each county's override of each template, with the version in force and the template's version in force, " +
			"which the county runs only once an override version adopts it." + who,
		Tags:     tags,
		Security: secured,
		Errors:   read,
	}, s.listOverrides)

	huma.Register(api, huma.Operation{
		OperationID: "list-override-versions",
		Method:      http.MethodGet,
		Path:        "/v1/overrides/{county}/{key}/versions",
		Summary:     "List the versions of a county's override",
		Description: "Every version of the county's override of the template, oldest first, with the template version each adopts." + who,
		Tags:        tags,
		Security:    secured,
		Errors:      read,
	}, s.listOverrideVersions)

	huma.Register(api, huma.Operation{
		OperationID: "get-override-version",
		Method:      http.MethodGet,
		Path:        "/v1/overrides/{county}/{key}/versions/{version}",
		Summary:     "Get a version of a county's override",
		Description: "The county's changes and the effective procedure they give. For a draft, `problems` lists what must be fixed before it can be published." + who,
		Tags:        tags,
		Security:    secured,
		Errors:      read,
	}, s.getOverrideVersion)

	huma.Register(api, huma.Operation{
		OperationID: "create-override",
		Method:      http.MethodPost,
		Path:        "/v1/overrides/{county}/{key}/versions",
		Summary:     "Start a draft of a county's override",
		Description: "Stores a new draft, numbered one above the county's latest version, adopting the template version `template`. " +
			"A draft only has to name a stored template version; the response lists its other problems, which must be fixed before it can be published." + who,
		Tags:          tags,
		DefaultStatus: http.StatusCreated,
		Security:      secured,
		Errors:        write,
	}, s.createOverride)

	huma.Register(api, huma.Operation{
		OperationID: "update-override-version",
		Method:      http.MethodPut,
		Path:        "/v1/overrides/{county}/{key}/versions/{version}",
		Summary:     "Edit a draft of a county's override",
		Description: "Replaces a draft. A published or retired version is frozen (cases run on it): editing it is a 409." + who,
		Tags:        tags,
		Security:    secured,
		Errors:      write,
	}, s.updateOverrideVersion)

	huma.Register(api, huma.Operation{
		OperationID: "publish-override-version",
		Method:      http.MethodPost,
		Path:        "/v1/overrides/{county}/{key}/versions/{version}/publish",
		Summary:     "Publish a draft of a county's override",
		Description: "Checks the draft against the template version it adopts (deadlines never longer than the template's, diversion to the " +
			"county's own departments, fields added and none of the template's changed) and against the organisation, then freezes it: " +
			"the county's new cases run on the effective procedure from now on, its cases already running keep theirs, and the version " +
			"published before is retired. Publishing a version that names a newer template version is how the county adopts it " +
			"(adopted_from records the one before). Problems are a 422, one error per problem located by its path in the override." + who,
		Tags:     tags,
		Security: secured,
		Errors:   write,
	}, s.publishOverrideVersion)

	huma.Register(api, huma.Operation{
		OperationID: "diff-override-adoption",
		Method:      http.MethodGet,
		Path:        "/v1/overrides/{county}/{key}/adoption",
		Summary:     "Show what adopting a template version would change",
		Description: "Before a county adopts a newer template version: the changes between the template version it runs on and the new one, " +
			"the changes its cases would see with its own changes carried over, and what of its changes no longer fits." + who,
		Tags:     tags,
		Security: secured,
		Errors:   read,
	}, s.diffOverrideAdoption)
}

// overrideCounty checks that the current user may read (or, with write, change) the overrides of
// county: a county's administrator their own county's, an administrator or auditor above the
// counties read those below. Another county is not found, as one that does not exist.
func (s *Server) overrideCounty(ctx context.Context, county string, write bool) (onedoor.User, error) {
	u := currentUser(ctx)
	if u.Role != onedoor.RoleAdmin && (write || u.Role != onedoor.RoleAuditor) {
		s.refused(ctx, "role "+string(u.Role)+" and county overrides")
		return u, huma.Error403Forbidden(fmt.Sprintf("only a county's administrator may change its procedure overrides; %s is a %s", u.ID, u.Role))
	}
	unknown := onedoor.Errorf(onedoor.ENotFound, "county %s not found", county)
	unit, err := s.Store.OrgUnit(ctx, county)
	if onedoor.ErrorCode(err) == onedoor.ENotFound || (err == nil && unit.Level != definitions.LevelGovernment) {
		return u, s.problem(ctx, unknown)
	} else if err != nil {
		return u, s.problem(ctx, err)
	}
	if u.OrgUnit == "" { // the platform's own: above every county
		if write {
			s.refused(ctx, "an administrator above the counties may not write a county's override")
			return u, huma.Error403Forbidden("a county's procedure overrides are its administrator's to write; above the counties, publish the templates")
		}
		return u, nil
	}
	own, err := s.countyOf(ctx, u.OrgUnit)
	if err != nil {
		return u, s.problem(ctx, err)
	}
	if !own.Level.Above() {
		if own.Code != county {
			s.refused(ctx, "another county's overrides: "+county)
			return u, s.problem(ctx, unknown)
		}
		return u, nil
	}
	below, err := s.Store.Subtree(ctx, u.OrgUnit)
	if err != nil {
		return u, s.problem(ctx, err)
	}
	if !slices.Contains(below, county) {
		s.refused(ctx, "a county outside the user's subtree: "+county)
		return u, s.problem(ctx, unknown)
	}
	if write {
		s.refused(ctx, "an administrator above the counties may not write a county's override")
		return u, huma.Error403Forbidden("a county's procedure overrides are its administrator's to write; above the counties, publish the templates")
	}
	return u, nil
}

// readableCounties are the counties whose overrides the current user may read; nil for all.
func (s *Server) readableCounties(ctx context.Context) ([]string, error) {
	u := currentUser(ctx)
	if u.Role != onedoor.RoleAdmin && u.Role != onedoor.RoleAuditor {
		s.refused(ctx, "role "+string(u.Role)+" and county overrides")
		return nil, huma.Error403Forbidden(fmt.Sprintf("only administrators and auditors read the counties' procedure overrides; %s is a %s", u.ID, u.Role))
	}
	if u.OrgUnit == "" {
		return nil, nil
	}
	own, err := s.countyOf(ctx, u.OrgUnit)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	if !own.Level.Above() {
		return []string{own.Code}, nil
	}
	below, err := s.Store.Subtree(ctx, u.OrgUnit)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return below, nil // units that are no county have no overrides
}

func (s *Server) listOverrides(ctx context.Context, in *OverrideListInput) (*OverrideListOutput, error) {
	counties, err := s.readableCounties(ctx)
	if err != nil {
		return nil, err
	}
	if in.County != "" {
		if counties != nil && !slices.Contains(counties, in.County) {
			counties = []string{}
		} else {
			counties = []string{in.County}
		}
	}
	list, err := s.Store.Overrides(ctx, counties)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &OverrideListOutput{}
	out.Body.Overrides = make([]OverrideListItem, len(list))
	now := time.Now()
	for i, v := range list {
		item := &out.Body.Overrides[i]
		item.OverrideSummary = summarizeOverride(v)
		pub, err := s.Store.PublishedOverride(ctx, v.Override.County, v.Override.Key)
		if err == nil {
			item.InForce = &pub.Override.Version
		} else if onedoor.ErrorCode(err) != onedoor.ENotFound {
			return nil, s.problem(ctx, err)
		}
		current, err := s.Store.CurrentProcedure(ctx, v.Override.Key, "", now)
		if err == nil {
			item.TemplateInForce = &current.Version
		} else if onedoor.ErrorCode(err) != onedoor.ENotFound {
			return nil, s.problem(ctx, err)
		}
	}
	return out, nil
}

func (s *Server) listOverrideVersions(ctx context.Context, in *OverrideKeyInput) (*OverrideVersionsOutput, error) {
	if _, err := s.overrideCounty(ctx, in.County, false); err != nil {
		return nil, err
	}
	list, err := s.Store.OverrideVersions(ctx, in.County, in.Key)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &OverrideVersionsOutput{}
	out.Body.County, out.Body.Key = in.County, in.Key
	out.Body.Versions = make([]OverrideSummary, len(list))
	for i, v := range list {
		out.Body.Versions[i] = summarizeOverride(v)
	}
	return out, nil
}

func (s *Server) getOverrideVersion(ctx context.Context, in *OverrideVersionInput) (*OverrideVersionOutput, error) {
	if _, err := s.overrideCounty(ctx, in.County, false); err != nil {
		return nil, err
	}
	v, err := s.Store.Override(ctx, in.County, in.Key, in.Version)
	return s.overrideOutput(ctx, v, err)
}

func (s *Server) createOverride(ctx context.Context, in *CreateOverrideInput) (*OverrideVersionOutput, error) {
	u, err := s.overrideCounty(ctx, in.County, true)
	if err != nil {
		return nil, err
	}
	if err := s.templateExists(ctx, in.Key, in.Body.Template); err != nil {
		return nil, err
	}
	v, err := s.Store.CreateOverride(ctx, in.Body.override(in.County, in.Key), u.ID)
	return s.overrideOutput(ctx, v, err)
}

func (s *Server) updateOverrideVersion(ctx context.Context, in *UpdateOverrideInput) (*OverrideVersionOutput, error) {
	u, err := s.overrideCounty(ctx, in.County, true)
	if err != nil {
		return nil, err
	}
	if err := s.templateExists(ctx, in.Key, in.Body.Template); err != nil {
		return nil, err
	}
	v, err := s.Store.UpdateOverride(ctx, in.County, in.Key, in.Version, in.Body.override(in.County, in.Key), u.ID)
	return s.overrideOutput(ctx, v, err)
}

func (s *Server) publishOverrideVersion(ctx context.Context, in *OverrideVersionInput) (*OverrideVersionOutput, error) {
	u, err := s.overrideCounty(ctx, in.County, true)
	if err != nil {
		return nil, err
	}
	check, err := s.overrideCheck(ctx, in.County)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	v, err := s.Store.PublishOverride(ctx, in.County, in.Key, in.Version, check, u.ID)
	if err == nil {
		s.Logger.InfoContext(ctx, "override published", "user", u.ID, "county", in.County, "procedure", in.Key,
			"version", in.Version, "template", v.Override.Template, "adopted_from", v.AdoptedFrom)
	}
	return s.overrideOutput(ctx, v, err)
}

func (s *Server) diffOverrideAdoption(ctx context.Context, in *AdoptionDiffInput) (*AdoptionDiffOutput, error) {
	if _, err := s.overrideCounty(ctx, in.County, false); err != nil {
		return nil, err
	}
	to, err := s.Store.ProcedureVersion(ctx, in.Key, in.Template)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &AdoptionDiffOutput{}
	out.Body.County, out.Body.Key, out.Body.To = in.County, in.Key, in.Template
	// What the county runs now: its published override's, else the template's in force.
	now, _, err := s.effectiveProcedure(ctx, in.County, in.Key, time.Now())
	if err != nil && onedoor.ErrorCode(err) != onedoor.ENotFound {
		return nil, s.problem(ctx, err)
	}
	// The changes carried over: the latest version's, a draft included.
	var carried *definitions.Override
	if versions, err := s.Store.OverrideVersions(ctx, in.County, in.Key); err == nil {
		carried = versions[len(versions)-1].Override.Clone()
		out.Body.Override = carried.Version
		carried.Template = in.Template
	} else if onedoor.ErrorCode(err) != onedoor.ENotFound {
		return nil, s.problem(ctx, err)
	}
	out.Body.Problems = []definitions.Problem{}
	next := definitions.Apply(to.Procedure, carried)
	if carried != nil {
		check, err := s.overrideCheck(ctx, in.County)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		var ve *definitions.ValidationError
		if err := check(carried, to.Procedure); errors.As(err, &ve) {
			out.Body.Problems = ve.Problems
		} else if err != nil {
			return nil, s.problem(ctx, err)
		}
	}
	out.Body.TemplateChanges, out.Body.EffectiveChanges = []definitions.Change{}, []definitions.Change{}
	if now != nil {
		from, err := s.Store.ProcedureVersion(ctx, in.Key, now.Version)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		out.Body.From = now.Version
		out.Body.TemplateChanges = nonNilChanges(definitions.Diff(from.Procedure, to.Procedure))
		out.Body.EffectiveChanges = nonNilChanges(definitions.Diff(now, next))
	}
	return out, nil
}

func nonNilChanges(c []definitions.Change) []definitions.Change {
	if c == nil {
		return []definitions.Change{}
	}
	return c
}

// templateExists refuses (422) a template version that is not stored.
func (s *Server) templateExists(ctx context.Context, key string, version int) error {
	v, err := s.Store.ProcedureVersion(ctx, key, version)
	if onedoor.ErrorCode(err) == onedoor.ENotFound {
		return huma.Error422UnprocessableEntity("unknown template version",
			&huma.ErrorDetail{Location: "body.template", Message: "the procedure has no version with this number", Value: version})
	}
	if err != nil {
		return s.problem(ctx, err)
	}
	if v.Owner != "" {
		return huma.Error422UnprocessableEntity("not a template",
			&huma.ErrorDetail{Location: "path.key", Message: "the procedure is a county's own, not a template: its county changes it in the studio", Value: key})
	}
	return nil
}

// overrideCheck is definitions.CheckOverride against the organisation, with the county's
// departments: those with staff in it.
func (s *Server) overrideCheck(ctx context.Context, county string) (func(*definitions.Override, *definitions.Procedure) error, error) {
	org, err := s.Store.Org(ctx)
	if err != nil {
		return nil, err
	}
	depts, err := s.Store.CountyDepartments(ctx, county)
	if err != nil {
		return nil, err
	}
	return func(o *definitions.Override, tpl *definitions.Procedure) error {
		return definitions.CheckOverride(o, tpl, org, func(d string) bool { return slices.Contains(depts, d) })
	}, nil
}

// overrideOutput is the response for an override version a store call returned, or its error.
func (s *Server) overrideOutput(ctx context.Context, v store.OverrideVersion, err error) (*OverrideVersionOutput, error) {
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	tpl, err := s.Store.ProcedureVersion(ctx, v.Override.Key, v.Override.Template)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	d := OverrideDetail{OverrideSummary: summarizeOverride(v), Override: v.Override,
		Effective: definitions.Apply(tpl.Procedure, v.Override), Problems: []definitions.Problem{}}
	if v.Override.Status == definitions.StatusDraft {
		check, err := s.overrideCheck(ctx, v.Override.County)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		var ve *definitions.ValidationError
		if err := check(v.Override, tpl.Procedure); errors.As(err, &ve) {
			d.Problems = ve.Problems
		} else if err != nil {
			return nil, s.problem(ctx, err)
		}
	}
	return &OverrideVersionOutput{Body: d}, nil
}

// effectiveProcedure is the procedure a new case of key in the county runs on at now, and the
// version of the county's override it runs on (0 for none): the template version its published
// override adopts with the override's changes, else the template's version in force. A county
// whose adopted template version was retired must adopt a newer one first.
func (s *Server) effectiveProcedure(ctx context.Context, county, key string, now time.Time) (*definitions.Procedure, int, error) {
	if county != "" {
		ov, err := s.Store.PublishedOverride(ctx, county, key)
		switch {
		case err == nil:
			tpl, err := s.Store.ProcedureVersion(ctx, key, ov.Override.Template)
			if err != nil {
				return nil, 0, err
			}
			if tpl.Procedure.Status != definitions.StatusPublished {
				return nil, 0, onedoor.Errorf(onedoor.ENotFound, "version %d of procedure %s, which %s adopted, is %s: the county adopts a newer version first",
					tpl.Procedure.Version, key, county, tpl.Procedure.Status)
			}
			return definitions.Apply(tpl.Procedure, ov.Override), ov.Override.Version, nil
		case onedoor.ErrorCode(err) != onedoor.ENotFound:
			return nil, 0, err
		}
	}
	p, err := s.Store.CurrentProcedure(ctx, key, county, now)
	return p, 0, err
}

// caseForm is the form of the effective procedure a case runs on (caseProcedure). Override
// versions a case runs on are published or retired, which never change, so their forms are kept
// in memory like the procedure versions' (formOf).
func (s *Server) caseForm(ctx context.Context, c onedoor.Case) (definitions.Form, error) {
	if c.OverrideVersion == 0 {
		return s.formOf(ctx, c.ProcedureKey, c.ProcedureVersion)
	}
	county, err := s.countyOf(ctx, c.ReceivedBy)
	if err != nil {
		return nil, err
	}
	name := fmt.Sprintf("%s@%d/%s@%d", c.ProcedureKey, c.ProcedureVersion, county.Code, c.OverrideVersion)
	if f, ok := s.forms.Load(name); ok {
		return f.(definitions.Form), nil
	}
	p, err := s.caseProcedure(ctx, c)
	if err != nil {
		return nil, err
	}
	s.forms.Store(name, p.Form) // a case's override version is published or retired: frozen
	return p.Form, nil
}

// caseProcedure is the effective procedure a case runs on: its procedure version with its
// county's override version when it has one.
func (s *Server) caseProcedure(ctx context.Context, c onedoor.Case) (*definitions.Procedure, error) {
	tpl, err := s.Store.ProcedureVersion(ctx, c.ProcedureKey, c.ProcedureVersion)
	if err != nil || c.OverrideVersion == 0 {
		return tpl.Procedure, err
	}
	county, err := s.countyOf(ctx, c.ReceivedBy)
	if err != nil {
		return nil, err
	}
	ov, err := s.Store.Override(ctx, county.Code, c.ProcedureKey, c.OverrideVersion)
	if err != nil {
		return nil, err
	}
	return definitions.Apply(tpl.Procedure, ov.Override), nil
}
