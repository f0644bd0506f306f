package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/store"
)

// ProcedureVersionSummary is one version of a procedure in a list.
type ProcedureVersionSummary struct {
	Key         string             `json:"key" example:"petition" doc:"The procedure's key, the same for all its versions."`
	Version     int                `json:"version" example:"2"`
	Status      definitions.Status `json:"status" enum:"draft,published,retired" doc:"draft: being edited; published: used by new cases from valid_from; retired: no new cases."`
	ValidFrom   *definitions.Date  `json:"valid_from,omitempty" doc:"First day (Asia/Shanghai) new cases may start on this version; set when published."`
	Matter      definitions.Matter `json:"matter,omitempty" example:"petition"`
	Name        string             `json:"name" example:"信访事项办理"`
	NameEN      string             `json:"name_en,omitempty" example:"Petition handling"`
	CreatedBy   string             `json:"created_by"`
	CreatedAt   time.Time          `json:"created_at"`
	UpdatedBy   string             `json:"updated_by"`
	UpdatedAt   time.Time          `json:"updated_at"`
	PublishedBy string             `json:"published_by,omitempty"`
	PublishedAt *time.Time         `json:"published_at,omitempty"`
	RetiredBy   string             `json:"retired_by,omitempty"`
	RetiredAt   *time.Time         `json:"retired_at,omitempty"`
	Running     int                `json:"running" minimum:"0" doc:"How many open cases run on this version (in every county): they finish on it whatever is published later."`
	Owner       string             `json:"owner,omitempty" example:"wushen-gov" doc:"The code of the county whose own procedure this is: only that county's cases start on it, and only its administrator changes it. Absent for a template every county shares, which the administrators above the counties change and the counties adopt and adjust (overrides)."`
	Editable    bool               `json:"editable" doc:"True when the current user may change this procedure: start, edit, publish and retire its versions."`
}

// ProcedureVersionDetail is one version of a procedure with its definition and YAML source.
type ProcedureVersionDetail struct {
	ProcedureVersionSummary
	Procedure *definitions.Procedure `json:"procedure" doc:"The definition as JSON: the same fields as the YAML."`
	YAML      string                 `json:"yaml" doc:"The YAML the administrator wrote; its version, status and valid_from lines follow the stored version."`
	Problems  []definitions.Problem  `json:"problems" doc:"For a draft, what must be fixed before it can be published, each with its path and its line and column in yaml; empty when it can be published, and always for published and retired versions."`
	Revision  string                 `json:"revision" example:"6a1b2c3d4e" doc:"The version's state, also its ETag: it changes with each save. Send it as If-Match when saving the draft, so that a save over another administrator's is refused (412) instead of overwriting it."`
}

func summarize(v store.ProcedureVersion) ProcedureVersionSummary {
	p := v.Procedure
	s := ProcedureVersionSummary{
		Key: p.Key, Version: p.Version, Status: p.Status, Matter: p.Matter,
		Name: p.Name, NameEN: p.NameEN, CreatedBy: v.CreatedBy, CreatedAt: v.CreatedAt,
		UpdatedBy: v.UpdatedBy, UpdatedAt: v.UpdatedAt, PublishedBy: v.PublishedBy, RetiredBy: v.RetiredBy,
		Owner: v.Owner,
	}
	if !p.ValidFrom.IsZero() {
		s.ValidFrom = &p.ValidFrom
	}
	if !v.PublishedAt.IsZero() {
		s.PublishedAt = &v.PublishedAt
	}
	if !v.RetiredAt.IsZero() {
		s.RetiredAt = &v.RetiredAt
	}
	return s
}

func detail(v store.ProcedureVersion, org *definitions.Org) ProcedureVersionDetail {
	d := ProcedureVersionDetail{ProcedureVersionSummary: summarize(v), Procedure: v.Procedure, YAML: v.Source, Problems: []definitions.Problem{}, Revision: v.Revision()}
	if v.Procedure.Status == definitions.StatusDraft {
		var ve *definitions.ValidationError
		if _, err := definitions.Load([]byte(v.Source), org); errors.As(err, &ve) {
			d.Problems = ve.Problems
		}
	}
	return d
}

// ProcedureListItem is the latest version of a procedure, with the version in force.
type ProcedureListItem struct {
	ProcedureVersionSummary
	InForce *int `json:"in_force,omitempty" example:"1" doc:"The version new cases of this procedure start on today; absent when no published version is valid today."`
}

// ProcedureListOutput is the latest version of every procedure.
type ProcedureListOutput struct {
	Body struct {
		Procedures []ProcedureListItem `json:"procedures" doc:"The latest version of each procedure, drafts included, by key, with the version in force today."`
	}
}

// EffectiveProcedureOutput is the procedure a new case starts on.
type EffectiveProcedureOutput struct {
	Body struct {
		Key             string                 `json:"key" example:"consultation"`
		Version         int                    `json:"version" example:"1" doc:"The procedure version in force today."`
		OverrideVersion int                    `json:"override_version" minimum:"0" doc:"The version of the county's override applied to it; 0 when its cases run on the template as published (or on the county's own procedure)."`
		Procedure       *definitions.Procedure `json:"procedure" doc:"The effective definition: the version in force with the county's changes (shorter deadlines, its diversion table, its added form fields)."`
	}
}

// ProcedureKeyInput names a procedure.
type ProcedureKeyInput struct {
	Key string `path:"key" maxLength:"63" example:"petition" doc:"The procedure's key."`
}

// ProcedureVersionsOutput is every version of one procedure.
type ProcedureVersionsOutput struct {
	Body struct {
		Key      string                    `json:"key" example:"petition"`
		Versions []ProcedureVersionSummary `json:"versions" doc:"Every version, oldest first."`
	}
}

// ProcedureVersionInput names one version of a procedure.
type ProcedureVersionInput struct {
	Key     string `path:"key" maxLength:"63" example:"petition" doc:"The procedure's key."`
	Version int    `path:"version" minimum:"1" example:"1" doc:"The version number."`
}

// ProcedureVersionOutput is one version of a procedure.
type ProcedureVersionOutput struct {
	ETag string `header:"ETag" doc:"The version's revision, quoted."`
	Body ProcedureVersionDetail
}

// CreateProcedureInput is the request to start a draft.
type CreateProcedureInput struct {
	Body struct {
		YAML string `json:"yaml,omitempty" maxLength:"1000000" doc:"The YAML of the procedure (see docs/procedures.md). Its key names the procedure: a new key gets version 1, a known one its next version. Its version and status are set by the server. Give either yaml or key."`
		Key  string `json:"key,omitempty" maxLength:"63" example:"petition" doc:"Start a new draft of this existing procedure, copied from version from. Give either yaml or key."`
		From int    `json:"from,omitempty" minimum:"0" doc:"With key: the version to copy; the latest when 0 or absent."`
	}
}

// UpdateProcedureInput is the request to replace a draft.
type UpdateProcedureInput struct {
	ProcedureVersionInput
	IfMatch string `header:"If-Match" maxLength:"100" doc:"The revision (ETag) of the draft the YAML was edited from. When the draft was saved by someone else since, the save is refused with 412 and nothing is written. Without it the save replaces whatever the draft holds."`
	Body    struct {
		YAML string `json:"yaml" minLength:"1" maxLength:"1000000" doc:"The new YAML of the draft. Its key must stay the same; its version and status are set by the server."`
	}
}

// ValidateProcedureInput is a YAML definition to check.
type ValidateProcedureInput struct {
	Body struct {
		YAML string `json:"yaml" maxLength:"1000000" doc:"The YAML of a procedure, checked as if it were to be published."`
	}
}

// ValidateProcedureOutput is the result of checking a definition.
type ValidateProcedureOutput struct {
	Body struct {
		Valid     bool                   `json:"valid" doc:"True when the definition can be published as it is."`
		Problems  []definitions.Problem  `json:"problems" doc:"Every problem found, in file order, each with its path and its line and column in the YAML."`
		Procedure *definitions.Procedure `json:"procedure,omitempty" doc:"The definition as JSON whenever the YAML could be read as a procedure, valid or not (an editor draws it while its problems are fixed); absent when the YAML cannot be read or has settings of the wrong shape."`
	}
}

// ProcedureDiffInput names two versions of a procedure to compare.
type ProcedureDiffInput struct {
	Key  string `path:"key" maxLength:"63" example:"petition" doc:"The procedure's key."`
	From int    `query:"from" required:"true" minimum:"1" example:"1" doc:"The older version."`
	To   int    `query:"to" required:"true" minimum:"1" example:"2" doc:"The newer version."`
}

// ProcedureDiffOutput is the difference between two versions.
type ProcedureDiffOutput struct {
	Body struct {
		Key     string               `json:"key" example:"petition"`
		From    int                  `json:"from" example:"1"`
		To      int                  `json:"to" example:"2"`
		Changes []definitions.Change `json:"changes" doc:"Every difference from the older to the newer version, field by field; steps, outcomes and form fields are named by id."`
	}
}

func (s *Server) registerProcedures(api huma.API) {
	tags := []string{"Procedures"}
	read := []int{http.StatusUnauthorized, http.StatusNotFound}
	write := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity}

	huma.Register(api, huma.Operation{
		OperationID: "list-procedures",
		Method:      http.MethodGet,
		Path:        "/v1/procedures",
		Summary:     "List procedures",
		Description: "The latest version of every procedure the user may see, drafts included, ordered by key, with the version new cases start on today (in_force), which may be an older one: the templates every county shares, and the counties' own procedures (owner) of the user's county, or of every county below an administrator or supervisor above the counties.",
		Tags:        tags,
		Security:    secured,
		Errors:      []int{http.StatusUnauthorized},
	}, s.listProcedures)

	huma.Register(api, huma.Operation{
		OperationID: "get-effective-procedure",
		Method:      http.MethodGet,
		Path:        "/v1/procedures/{key}/effective",
		Summary:     "The procedure a new case starts on",
		Description: "What a case of this procedure registered today at the user's unit starts on: the version in force with the published override of the user's county, if it has one (its added form fields are what the registration form must ask for). 404 when no version is in force for the user's county.",
		Tags:        tags,
		Security:    secured,
		Errors:      read,
	}, s.effectiveProcedureOf)

	huma.Register(api, huma.Operation{
		OperationID: "list-procedure-versions",
		Method:      http.MethodGet,
		Path:        "/v1/procedures/{key}/versions",
		Summary:     "List the versions of a procedure",
		Description: "Every version of the procedure, oldest first, with its status and when it was published or retired.",
		Tags:        tags,
		Security:    secured,
		Errors:      read,
	}, s.listProcedureVersions)

	huma.Register(api, huma.Operation{
		OperationID: "get-procedure-version",
		Method:      http.MethodGet,
		Path:        "/v1/procedures/{key}/versions/{version}",
		Summary:     "Get a version of a procedure",
		Description: "The definition as JSON and the YAML it is written in. For a draft, `problems` lists what must be fixed before it can be published.",
		Tags:        tags,
		Security:    secured,
		Errors:      read,
	}, s.getProcedureVersion)

	huma.Register(api, huma.Operation{
		OperationID: "create-procedure",
		Method:      http.MethodPost,
		Path:        "/v1/procedures",
		Summary:     "Start a draft",
		Description: "Stores a new draft, either from `yaml` (a new procedure, or the next version of the one its key names) or, with `key`, " +
			"as a copy of an existing version. A draft only has to be readable YAML with a valid key; the response lists its other " +
			"problems, which must be fixed before it can be published. Administrators only.",
		Tags:          tags,
		DefaultStatus: http.StatusCreated,
		Security:      secured,
		Errors:        write,
	}, s.createProcedure)

	huma.Register(api, huma.Operation{
		OperationID: "update-procedure-version",
		Method:      http.MethodPut,
		Path:        "/v1/procedures/{key}/versions/{version}",
		Summary:     "Edit a draft",
		Description: "Replaces a draft with new YAML. A published or retired version is frozen (cases run on it): editing it is a 409; " +
			"start a new draft from it instead. With If-Match (the revision the YAML was edited from), a draft someone else saved " +
			"meanwhile is not overwritten: the save is refused with 412, and the editor compares the two. Administrators only.",
		Tags:     tags,
		Security: secured,
		Errors:   append(write, http.StatusPreconditionFailed),
	}, s.updateProcedureVersion)

	huma.Register(api, huma.Operation{
		OperationID: "validate-procedure",
		Method:      http.MethodPost,
		Path:        "/v1/procedures/validate",
		Summary:     "Check a definition without saving it",
		Description: "Checks YAML as if it were to be published, against the organisation's org units and departments. " +
			"Always 200: `valid` says whether it passes and `problems` lists every problem with its line and column.",
		Tags:     tags,
		Security: secured,
		Errors:   []int{http.StatusUnauthorized},
	}, s.validateProcedure)

	huma.Register(api, huma.Operation{
		OperationID: "publish-procedure-version",
		Method:      http.MethodPost,
		Path:        "/v1/procedures/{key}/versions/{version}/publish",
		Summary:     "Publish a draft",
		Description: "Validates the draft against the organisation and freezes it: new cases use it from its valid_from day, or from " +
			"today when it has none. A draft with problems is refused with 422, one error per problem located by path, line and " +
			"column; publishing anything but a draft is a 409. Administrators only.",
		Tags:     tags,
		Security: secured,
		Errors:   write,
	}, s.publishProcedureVersion)

	huma.Register(api, huma.Operation{
		OperationID: "retire-procedure-version",
		Method:      http.MethodPost,
		Path:        "/v1/procedures/{key}/versions/{version}/retire",
		Summary:     "Retire a published version",
		Description: "New cases stop using the version; cases already running on it finish on it. Only a published version can be " +
			"retired (409 otherwise). Administrators only.",
		Tags:     tags,
		Security: secured,
		Errors:   write,
	}, s.retireProcedureVersion)

	huma.Register(api, huma.Operation{
		OperationID: "diff-procedure-versions",
		Method:      http.MethodGet,
		Path:        "/v1/procedures/{key}/diff",
		Summary:     "Compare two versions",
		Description: "Every difference from version `from` to version `to`, field by field, for review before publishing.",
		Tags:        tags,
		Security:    secured,
		Errors:      read,
	}, s.diffProcedureVersions)
}

// listProcedures lists the latest version of every procedure the user sees, with the version in
// force today.
func (s *Server) listProcedures(ctx context.Context, _ *struct{}) (*ProcedureListOutput, error) {
	rights, err := s.procedureRights(ctx)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	list, err := s.Store.Procedures(ctx)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	running, err := s.Store.RunningCases(ctx)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &ProcedureListOutput{}
	out.Body.Procedures = make([]ProcedureListItem, 0, len(list))
	now := time.Now()
	for _, v := range list {
		if !rights.sees(v.Owner) {
			continue
		}
		item := ProcedureListItem{ProcedureVersionSummary: rights.summarize(v)}
		item.Running = running[v.Procedure.Key][v.Procedure.Version]
		current, err := s.Store.CurrentProcedure(ctx, v.Procedure.Key, v.Owner, now)
		if err == nil {
			item.InForce = &current.Version
		} else if onedoor.ErrorCode(err) != onedoor.ENotFound {
			return nil, s.problem(ctx, err)
		}
		out.Body.Procedures = append(out.Body.Procedures, item)
	}
	return out, nil
}

// listProcedureVersions lists every version of one procedure.
func (s *Server) listProcedureVersions(ctx context.Context, in *ProcedureKeyInput) (*ProcedureVersionsOutput, error) {
	rights, err := s.procedureReader(ctx, in.Key)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	list, err := s.Store.ProcedureVersions(ctx, in.Key)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	running, err := s.Store.RunningCases(ctx)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &ProcedureVersionsOutput{}
	out.Body.Key = in.Key
	out.Body.Versions = make([]ProcedureVersionSummary, len(list))
	for i, v := range list {
		out.Body.Versions[i] = rights.summarize(v)
		out.Body.Versions[i].Running = running[in.Key][v.Procedure.Version]
	}
	return out, nil
}

// effectiveProcedureOf answers the procedure a new case of the user's county starts on today.
func (s *Server) effectiveProcedureOf(ctx context.Context, in *ProcedureKeyInput) (*EffectiveProcedureOutput, error) {
	if _, err := s.procedureReader(ctx, in.Key); err != nil {
		return nil, s.problem(ctx, err)
	}
	county := ""
	if u := currentUser(ctx); u.OrgUnit != "" {
		chain, err := s.Store.Chain(ctx, u.OrgUnit)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		county = countyCode(chain)
	}
	p, override, err := s.effectiveProcedure(ctx, county, in.Key, time.Now())
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &EffectiveProcedureOutput{}
	out.Body.Key, out.Body.Version, out.Body.OverrideVersion, out.Body.Procedure = p.Key, p.Version, override, p
	return out, nil
}

// getProcedureVersion answers one version with its definition, YAML and, for a draft, its problems.
func (s *Server) getProcedureVersion(ctx context.Context, in *ProcedureVersionInput) (*ProcedureVersionOutput, error) {
	rights, err := s.procedureReader(ctx, in.Key)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	v, err := s.Store.ProcedureVersion(ctx, in.Key, in.Version)
	return s.versionOutput(ctx, rights, v, err)
}

// createProcedure stores a new draft, from YAML or copied from a version.
func (s *Server) createProcedure(ctx context.Context, in *CreateProcedureInput) (*ProcedureVersionOutput, error) {
	u, rights, err := s.procedureWriter(ctx, in.Body.Key)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	var v store.ProcedureVersion
	switch {
	case (in.Body.YAML == "") == (in.Body.Key == ""):
		return nil, huma.Error422UnprocessableEntity("give either yaml (a new draft from YAML) or key (a new draft copied from a version)",
			&huma.ErrorDetail{Location: "body.yaml", Message: "give either yaml or key"})
	case in.Body.YAML != "":
		if in.Body.From != 0 {
			return nil, huma.Error422UnprocessableEntity("from only goes with key",
				&huma.ErrorDetail{Location: "body.from", Message: "from only goes with key", Value: in.Body.From})
		}
		v, err = s.Store.CreateProcedure(ctx, []byte(in.Body.YAML), rights.writes, u.ID)
	default:
		v, err = s.Store.NewProcedureDraft(ctx, in.Body.Key, in.Body.From, u.ID)
	}
	return s.versionOutput(ctx, rights, v, err)
}

// updateProcedureVersion replaces a draft's YAML.
func (s *Server) updateProcedureVersion(ctx context.Context, in *UpdateProcedureInput) (*ProcedureVersionOutput, error) {
	u, rights, err := s.procedureWriter(ctx, in.Key)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	revision := strings.Trim(strings.TrimPrefix(strings.TrimSpace(in.IfMatch), "W/"), `"`)
	v, err := s.Store.UpdateProcedure(ctx, in.Key, in.Version, []byte(in.Body.YAML), u.ID, revision)
	var stale *store.StaleError
	if errors.As(err, &stale) {
		return nil, huma.Error412PreconditionFailed(err.Error(), &huma.ErrorDetail{Location: "header.If-Match",
			Message: fmt.Sprintf("the draft's revision is now %s", stale.Current.Revision()), Value: in.IfMatch})
	}
	return s.versionOutput(ctx, rights, v, err)
}

// validateProcedure checks YAML as if it were to be published, saving nothing.
func (s *Server) validateProcedure(ctx context.Context, in *ValidateProcedureInput) (*ValidateProcedureOutput, error) {
	org, err := s.Store.Org(ctx)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &ValidateProcedureOutput{}
	out.Body.Problems = []definitions.Problem{}
	p, err := definitions.Load([]byte(in.Body.YAML), org)
	var ve *definitions.ValidationError
	switch {
	case errors.As(err, &ve):
		out.Body.Problems = ve.Problems
		out.Body.Procedure, _ = definitions.Parse([]byte(in.Body.YAML))
	case err != nil:
		return nil, s.problem(ctx, err)
	default:
		out.Body.Valid, out.Body.Procedure = true, p
	}
	return out, nil
}

// publishProcedureVersion validates a draft against the organisation and freezes it.
func (s *Server) publishProcedureVersion(ctx context.Context, in *ProcedureVersionInput) (*ProcedureVersionOutput, error) {
	u, rights, err := s.procedureWriter(ctx, in.Key)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	org, err := s.Store.Org(ctx)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	v, err := s.Store.PublishProcedure(ctx, in.Key, in.Version, org, u.ID)
	return s.versionOutput(ctx, rights, v, err)
}

// retireProcedureVersion stops new cases using a published version.
func (s *Server) retireProcedureVersion(ctx context.Context, in *ProcedureVersionInput) (*ProcedureVersionOutput, error) {
	u, rights, err := s.procedureWriter(ctx, in.Key)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	v, err := s.Store.RetireProcedure(ctx, in.Key, in.Version, u.ID)
	return s.versionOutput(ctx, rights, v, err)
}

// diffProcedureVersions lists every difference between two versions.
func (s *Server) diffProcedureVersions(ctx context.Context, in *ProcedureDiffInput) (*ProcedureDiffOutput, error) {
	if _, err := s.procedureReader(ctx, in.Key); err != nil {
		return nil, s.problem(ctx, err)
	}
	a, err := s.Store.ProcedureVersion(ctx, in.Key, in.From)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	b, err := s.Store.ProcedureVersion(ctx, in.Key, in.To)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &ProcedureDiffOutput{}
	out.Body.Key, out.Body.From, out.Body.To = in.Key, in.From, in.To
	out.Body.Changes = definitions.Diff(a.Procedure, b.Procedure)
	if out.Body.Changes == nil {
		out.Body.Changes = []definitions.Change{}
	}
	return out, nil
}

// versionOutput is the response for a version a store call returned, or its error, with what
// the user (whose rights the handler read) may do with it.
func (s *Server) versionOutput(ctx context.Context, rights procedureRights, v store.ProcedureVersion, err error) (*ProcedureVersionOutput, error) {
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	org, err := s.Store.Org(ctx)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	running, err := s.Store.RunningCases(ctx)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &ProcedureVersionOutput{Body: detail(v, org), ETag: `"` + v.Revision() + `"`}
	out.Body.Editable = rights.edits(v.Owner)
	out.Body.Running = running[v.Procedure.Key][v.Procedure.Version]
	return out, nil
}

// procedureRights is what the current user may do with procedures: read the templates and the
// own procedures of the counties they see, and, as an administrator, change those of one owner.
type procedureRights struct {
	admin bool
	// writes is the owner of the procedures an administrator changes: their county when they
	// work in one of several, else "" (the templates).
	writes string
	// reads are the counties whose own procedures the user sees: their own county, or every
	// county below their unit above the counties; nil for every county (no unit).
	reads []string
}

func (s *Server) procedureRights(ctx context.Context) (procedureRights, error) {
	u := currentUser(ctx)
	r := procedureRights{admin: u.Role == onedoor.RoleAdmin}
	if u.OrgUnit == "" {
		return r, nil
	}
	county, err := s.countyOf(ctx, u.OrgUnit)
	if err != nil {
		return r, err
	}
	if county.Level.Above() {
		r.reads, err = s.Store.Subtree(ctx, county.Code)
		return r, err
	}
	r.reads = []string{county.Code}
	counties, err := s.Store.CountyCount(ctx)
	if err == nil && counties > 1 {
		r.writes = county.Code
	}
	return r, err
}

func (r procedureRights) sees(owner string) bool {
	return owner == "" || r.reads == nil || slices.Contains(r.reads, owner)
}

func (r procedureRights) edits(owner string) bool { return r.admin && owner == r.writes }

func (r procedureRights) summarize(v store.ProcedureVersion) ProcedureVersionSummary {
	sum := summarize(v)
	sum.Editable = r.edits(v.Owner)
	return sum
}

// procedureReader is the current user's rights if they may see the procedure key: another
// county's own procedure is not found for them, as one that does not exist (logged).
func (s *Server) procedureReader(ctx context.Context, key string) (procedureRights, error) {
	r, err := s.procedureRights(ctx)
	if err != nil {
		return r, err
	}
	owner, err := s.Store.ProcedureOwner(ctx, key)
	if err != nil {
		return r, err
	}
	if !r.sees(owner) {
		s.refused(ctx, "procedure of another county: "+key)
		return r, onedoor.Errorf(onedoor.ENotFound, "procedure %s not found", key)
	}
	return r, nil
}

// procedureWriter is the current user and their rights if they may change the procedure key
// (any administrator for a key not stored yet, which becomes theirs): a county's administrator
// changes the county's own procedures, an administrator above the counties the templates.
func (s *Server) procedureWriter(ctx context.Context, key string) (onedoor.User, procedureRights, error) {
	u := currentUser(ctx)
	if u.Role != onedoor.RoleAdmin {
		s.refused(ctx, fmt.Sprintf("role %s may not change procedures", u.Role))
		return u, procedureRights{}, onedoor.Errorf(onedoor.EForbidden, "only an administrator may change procedures; %s is a %s", u.ID, u.Role)
	}
	r, err := s.procedureRights(ctx)
	if err != nil || key == "" {
		return u, r, err
	}
	owner, err := s.Store.ProcedureOwner(ctx, key)
	switch {
	case onedoor.ErrorCode(err) == onedoor.ENotFound:
		return u, r, nil
	case err != nil:
		return u, r, err
	case !r.sees(owner):
		s.refused(ctx, "procedure of another county: "+key)
		return u, r, onedoor.Errorf(onedoor.ENotFound, "procedure %s not found", key)
	case owner == r.writes:
		return u, r, nil
	case owner == "":
		s.refused(ctx, "a county administrator may not change procedures every county shares: "+key)
		return u, r, onedoor.Errorf(onedoor.EForbidden, "procedure %s is a template every county shares: its county adopts and adjusts it in the overrides; the city's or the province's administrator changes it", key)
	}
	s.refused(ctx, "procedure of one county, changed from above it: "+key)
	return u, r, onedoor.Errorf(onedoor.EForbidden, "procedure %s is the own procedure of %s: only its administrator changes it", key, owner)
}
