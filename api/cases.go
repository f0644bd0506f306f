package api

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/store"
	"github.com/onedoor/onedoor/workflows"
)

// idempotencyNamespace scopes the case ids derived from Idempotency-Key headers.
var idempotencyNamespace = uuid.MustParse("6b1f1f0e-3c55-4a53-9a3e-7f0d2f3c9a10")

// CreateCaseInput is the request to register a matter.
type CreateCaseInput struct {
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"200" doc:"A key of the client's choosing: a retried request with the same key returns the same case instead of registering a second one; the same key with a different request is refused (422)."`
	Body           struct {
		Matter       definitions.Matter `json:"matter" pattern:"^[a-z][a-z0-9_-]{0,62}$" maxLength:"63" example:"petition" doc:"Kind of matter: a built-in one (petition, mediation, legal_aid, notarization, consultation, grid_event) or the matter of a procedure an administrator published (docs/procedures.md); another is refused (422) with the known ones."`
		Procedure    string             `json:"procedure,omitempty" maxLength:"64" doc:"Key of the procedure to follow, when an administrator published one of their own for this matter; the matter's built-in procedure when empty."`
		Channel      onedoor.Channel    `json:"channel" enum:"visit,letter,phone,online,grid" doc:"How the matter reached the center."`
		ReceivedBy   string             `json:"received_by,omitempty" maxLength:"64" doc:"Org unit whose window received the matter; the clerk's own when empty."`
		Subject      string             `json:"subject" minLength:"1" maxLength:"200" doc:"One-line subject of the matter."`
		ResidentName string             `json:"resident_name" minLength:"1" maxLength:"100" doc:"Name of the resident who brought the matter."`
		Data         map[string]any     `json:"data,omitempty" maxProperties:"200" doc:"Intake data, per the procedure's form; at most 64 KiB as JSON."`
		LinkedTo     string             `json:"linked_to,omitempty" maxLength:"64" doc:"Id or number of the case this one is opened from (a petition that becomes a mediation); the link shows on both."`
		RepeatOf     string             `json:"repeat_of,omitempty" maxLength:"64" doc:"Id or number of an earlier, closed case of the resident on the same matter that this visit repeats (重复访; POST /v1/residents/lookup finds it): the new case counts one visit more than it (visits, which the rules see), and the link shows on both. A case still open is refused (422): record the visit on it instead (action visit)."`
		ReceivedAt   *time.Time         `json:"received_at,omitempty" doc:"When the matter was really received, for a matter registered after the fact (补录: a letter's postmark, a paper register typed in later): not in the future, and within the procedure's late_registration (30 days by default). Deadlines counted from receipt count from it. Now when absent."`
		LateReason   string             `json:"late_reason,omitempty" maxLength:"500" doc:"Why the matter is registered after the fact; required with received_at."`
	}

	mattersErr error // why the known matters could not be read, for the handler to answer
}

// matterRe is the pattern of CreateCaseInput's matter.
var matterRe = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,62}$`)

type serverKey struct{}

// Resolve checks the matter against the matters of the published procedures along with the
// body's schema, so that one 422 names every bad field. It needs the server in the request's
// context (Register puts it there); when the database is away, the handler answers 503.
func (in *CreateCaseInput) Resolve(ctx huma.Context) []error {
	s, _ := ctx.Context().Value(serverKey{}).(*Server)
	if s == nil || !matterRe.MatchString(string(in.Body.Matter)) {
		return nil // the schema says what is wrong with the matter
	}
	known, err := s.Store.Matters(ctx.Context())
	if err != nil {
		in.mattersErr = err
		return nil
	}
	if slices.Contains(known, in.Body.Matter) {
		return nil
	}
	names := make([]string, len(known))
	for i, m := range known {
		names[i] = string(m)
	}
	return []error{&huma.ErrorDetail{Location: "body.matter", Value: in.Body.Matter,
		Message: "no published procedure is for this matter; the known matters are " + strings.Join(names, ", ")}}
}

// CaseDetail is a case with its tasks: the open ones with their due dates and how they were
// counted, and the finished ones with their outcomes.
type CaseDetail struct {
	onedoor.Case
	Tasks []onedoor.Task `json:"tasks" doc:"The case's tasks in the order they were opened."`
	Names store.Names    `json:"names,omitzero" doc:"The names of the org units and departments the case and its tasks mention by code; on reads, absent from the answers of writes."`
}

// CaseOutput is a case in a response.
type CaseOutput struct {
	Body CaseDetail
}

// GetCaseInput names a case.
type GetCaseInput struct {
	ID string `path:"id" maxLength:"64" doc:"The case's id or number."`
}

func (s *Server) registerCases(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID:   "create-case",
		Method:        http.MethodPost,
		Path:          "/v1/cases",
		Summary:       "Register a matter",
		Description:   "Registers a matter received at a window and starts its case workflow. The response is the registered case with its number.",
		Tags:          []string{"Cases"},
		DefaultStatus: http.StatusCreated,
		Security:      secured,
		Errors:        []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusUnprocessableEntity},
	}, s.createCase)

	huma.Register(api, huma.Operation{
		OperationID: "get-case",
		Method:      http.MethodGet,
		Path:        "/v1/cases/{id}",
		Summary:     "Get a case",
		Tags:        []string{"Cases"},
		Security:    secured,
		Errors:      []int{http.StatusUnauthorized, http.StatusNotFound},
	}, func(ctx context.Context, in *GetCaseInput) (*CaseOutput, error) {
		d, err := s.caseDetail(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return &CaseOutput{Body: d}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "get-case-timeline",
		Method:      http.MethodGet,
		Path:        "/v1/cases/{id}/timeline",
		Summary:     "A case's timeline",
		Description: "Everything that happened to the case, oldest first, from the append-only audit log: who did what, " +
			"why, and the case before and after.",
		Tags:     []string{"Cases"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusNotFound},
	}, s.timeline)

	huma.Register(api, huma.Operation{
		OperationID: "get-case-procedure",
		Method:      http.MethodGet,
		Path:        "/v1/cases/{id}/procedure",
		Summary:     "The procedure a case runs on",
		Description: "The effective definition the case started on and keeps: its procedure version, with its county's override version applied when it runs on one (`override_version`): the county's added form fields, deadlines and diversion table. Published and retired versions never change, so it may be cached for the case's life.",
		Tags:        []string{"Cases"},
		Security:    secured,
		Errors:      []int{http.StatusUnauthorized, http.StatusNotFound},
	}, s.caseProcedureOf)

	s.registerActions(api)
	s.registerAllowed(api)
}

// CaseProcedureOutput is the effective procedure a case runs on.
type CaseProcedureOutput struct {
	Body struct {
		Procedure *definitions.Procedure `json:"procedure" doc:"The procedure version the case runs on, with its county's override applied."`
	}
}

func (s *Server) caseProcedureOf(ctx context.Context, in *GetCaseInput) (*CaseProcedureOutput, error) {
	c, err := s.caseToSee(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	p, err := s.caseProcedure(ctx, c)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &CaseProcedureOutput{}
	out.Body.Procedure = p
	return out, nil
}

// caseDetail reads the case named ref as the current user may see it (caseToSee), with its tasks,
// the fields its steps hide from the user left out, and the names of the units and departments
// it mentions.
func (s *Server) caseDetail(ctx context.Context, ref string) (CaseDetail, error) {
	c, err := s.caseToSee(ctx, ref)
	if err != nil {
		return CaseDetail{}, err
	}
	tasks, err := s.Store.Tasks(ctx, c.ID)
	if err != nil {
		return CaseDetail{}, s.problem(ctx, err)
	}
	if err := s.hideFields(ctx, &c, tasks); err != nil {
		return CaseDetail{}, err
	}
	units, depts := []string{c.OrgUnit, c.ReceivedBy}, []string{}
	for _, t := range tasks {
		units, depts = append(units, t.OrgUnit), append(depts, t.Department)
	}
	for _, o := range c.Supervision {
		units = append(units, o.OrgUnit)
	}
	for _, f := range c.Findings {
		units, depts = append(units, f.OrgUnit), append(depts, f.Department)
	}
	names, err := s.Store.NamesOf(ctx, units, depts)
	if err != nil {
		return CaseDetail{}, s.problem(ctx, err)
	}
	return CaseDetail{Case: c, Tasks: tasks, Names: names}, nil
}

// caseToSee loads the case named ref for the current user: 404 outside their scope, numbers
// masked for the roles that do not need them.
func (s *Server) caseToSee(ctx context.Context, ref string) (onedoor.Case, error) {
	c, err := s.Store.CaseSoon(ctx, ref, mirrorWait)
	if err != nil {
		return c, s.problem(ctx, err)
	}
	return c, s.canRead(ctx, ref, &c)
}

// TimelineOutput is a case's audit log.
type TimelineOutput struct {
	Body struct {
		Case    string             `json:"case" doc:"The case's number."`
		Entries []store.AuditEntry `json:"entries"`
		Actors  map[string]string  `json:"actors" doc:"The names of the entries' actors who are users, by id; an actor that is no user (the system, a resident) is absent."`
	}
}

func (s *Server) timeline(ctx context.Context, in *GetCaseInput) (*TimelineOutput, error) {
	c, err := s.caseToSee(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	entries, err := s.Store.Audit(ctx, c.ID)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	if err := s.redactAudit(ctx, c, entries); err != nil {
		return nil, err
	}
	if err := s.hidePapers(ctx, c, entries); err != nil {
		return nil, err
	}
	tasks, err := s.Store.Tasks(ctx, c.ID)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	hidden, err := s.hiddenFor(ctx, c, tasks)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	if len(hidden) > 0 {
		for i := range entries {
			entries[i].Before = hideSnapshot(entries[i].Before, hidden)
			entries[i].After = hideSnapshot(entries[i].After, hidden)
		}
	}
	out := &TimelineOutput{}
	out.Body.Case, out.Body.Entries = c.Number, entries
	actors := make([]string, len(entries))
	for i, e := range entries {
		actors[i] = e.Actor
	}
	if out.Body.Actors, err = s.Store.UserNames(ctx, actors); err != nil {
		return nil, s.problem(ctx, err)
	}
	return out, nil
}

// registrars are the roles that register matters at a window.
var registrars = map[onedoor.Role]bool{
	onedoor.RoleClerk: true, onedoor.RoleGrid: true, onedoor.RoleSupervisor: true, onedoor.RoleAdmin: true,
}

func (s *Server) createCase(ctx context.Context, in *CreateCaseInput) (*CaseOutput, error) {
	user := currentUser(ctx)
	if !registrars[user.Role] {
		return nil, huma.Error403Forbidden(fmt.Sprintf("a %s does not register matters", user.Role))
	}
	if in.mattersErr != nil {
		return nil, s.problem(ctx, in.mattersErr) // the database is away: the matter is not known to be wrong
	}
	chain, err := s.receivingChain(ctx, user, in.Body.ReceivedBy)
	if err != nil {
		return nil, err
	}
	// A case number carries the year the matter was received in the centers' time zone.
	now := time.Now().In(definitions.Shanghai)
	proc, override, err := s.procedureOf(ctx, in.Body.Matter, in.Body.Procedure, countyCode(chain), now)
	if err != nil {
		return nil, err
	}
	if err := checkIntake(proc, in.Body.Data); err != nil {
		return nil, err
	}
	received, err := s.receivedAt(ctx, in, proc, chain, now)
	if err != nil {
		return nil, err
	}
	from, err := s.linkedCase(ctx, in.Body.LinkedTo, "body.linked_to")
	if err != nil {
		return nil, err
	}
	repeats, err := s.linkedCase(ctx, in.Body.RepeatOf, "body.repeat_of")
	if err != nil {
		return nil, err
	}
	if repeats != nil && repeats.Status != onedoor.StatusClosed {
		return nil, huma.Error422UnprocessableEntity("the earlier case is open",
			&huma.ErrorDetail{Location: "body.repeat_of", Value: in.Body.RepeatOf,
				Message: fmt.Sprintf("case %s is still open: record the resident's visit on it (action visit) instead of registering the matter again", repeats.Number)})
	}
	c, err := s.newCase(ctx, user, in, proc, chain, from, repeats, received, now)
	if err != nil {
		return nil, err
	}
	c.OverrideVersion = override
	if err := s.putResidentKeys(ctx, c, proc); err != nil {
		return nil, err
	}
	var back []backLink
	if from != nil {
		back = append(back, backLink{*from, "opened"})
	}
	if repeats != nil {
		back = append(back, backLink{*repeats, "repeated_by"})
	}
	state, err := s.openCase(ctx, user, c, proc, chain, back)
	if err != nil {
		return nil, err
	}
	if err := s.redact(ctx, &state.Case); err != nil {
		return nil, err
	}
	return &CaseOutput{Body: CaseDetail{Case: state.Case, Tasks: state.Tasks}}, nil
}

// clockSkew is how far in the future a received_at may lie: the clerk's clock may run ahead.
const clockSkew = 5 * time.Minute

// receivedAt is when the matter was received: now, or for a matter registered after the fact
// (补录) the time the clerk gives, in the past and within the procedure's late_registration
// counted on the center's calendar, with the reason why.
func (s *Server) receivedAt(ctx context.Context, in *CreateCaseInput, proc *definitions.Procedure, chain []definitions.OrgUnit, now time.Time) (time.Time, error) {
	at := in.Body.ReceivedAt
	if at == nil {
		if strings.TrimSpace(in.Body.LateReason) != "" {
			return now, huma.Error422UnprocessableEntity("a late reason without received_at",
				&huma.ErrorDetail{Location: "body.received_at", Message: "required with late_reason: when was the matter received?"})
		}
		return now, nil
	}
	received := at.In(definitions.Shanghai)
	var problems []error
	if received.After(now.Add(clockSkew)) {
		problems = append(problems, &huma.ErrorDetail{Location: "body.received_at", Value: at.Format(time.RFC3339),
			Message: "a matter cannot be received in the future"})
	} else {
		cal, err := s.Store.Calendar(ctx, countyCode(chain))
		if err != nil {
			return now, s.problem(ctx, err)
		}
		limit := proc.LateRegistrationLimit()
		if last := cal.Due(received, limit).At; now.After(last) {
			problems = append(problems, &huma.ErrorDetail{Location: "body.received_at", Value: at.Format(time.RFC3339),
				Message: fmt.Sprintf("procedure %s allows registering a matter within %s of its receipt; this one was received %s",
					proc.Key, limit, received.Format("2006-01-02 15:04"))})
		}
	}
	if strings.TrimSpace(in.Body.LateReason) == "" {
		problems = append(problems, &huma.ErrorDetail{Location: "body.late_reason",
			Message: "required with received_at: why is the matter registered after the fact?"})
	}
	if len(problems) > 0 {
		return now, huma.Error422UnprocessableEntity("registration after the fact refused", problems...)
	}
	if received.After(now) {
		received = now
	}
	return received, nil
}

// receivingChain is the org unit that received a matter, the user's own when code is empty, with
// its ancestors: a clerk registers at a window of her own subtree, like every other act of hers.
func (s *Server) receivingChain(ctx context.Context, user onedoor.User, code string) ([]definitions.OrgUnit, error) {
	code = cmp.Or(code, user.OrgUnit)
	if code == "" {
		return nil, huma.Error422UnprocessableEntity("the receiving org unit is missing",
			&huma.ErrorDetail{Location: "body.received_by", Message: "required: you belong to no org unit, so name the one that received the matter"})
	}
	sc, err := s.scopeOf(ctx, user)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	if _, err := s.unitScope(ctx, sc, code, "body.received_by"); err != nil {
		return nil, err
	}
	chain, err := s.Store.Chain(ctx, code)
	if onedoor.ErrorCode(err) == onedoor.ENotFound {
		return nil, huma.Error422UnprocessableEntity("unknown org unit",
			&huma.ErrorDetail{Location: "body.received_by", Message: "no org unit has this code", Value: code})
	} else if err != nil {
		return nil, s.problem(ctx, err)
	}
	if chain[0].Level.Above() {
		return nil, huma.Error422UnprocessableEntity("matters are received in a county",
			&huma.ErrorDetail{Location: "body.received_by", Message: "a " + string(chain[0].Level) + " supervises the counties below it and receives no matter: name a unit of a county", Value: code})
	}
	return chain, nil
}

// countyCode is the code of the county of the chain (its government unit's), whose regional
// holidays its cases count with; empty when it has none.
func countyCode(chain []definitions.OrgUnit) string {
	if county, ok := definitions.County(chain); ok && county.Level == definitions.LevelGovernment {
		return county.Code
	}
	return ""
}

// numberPrefix is the prefix of the case numbers of the county of the chain: its government
// unit's, or the deployment's own for an organisation whose county names none.
func (s *Server) numberPrefix(chain []definitions.OrgUnit) string {
	if county, ok := definitions.County(chain); ok && county.NumberPrefix != "" {
		return county.NumberPrefix
	}
	return s.NumberOrg
}

// procedureOf is the procedure a case of the matter in the county starts on now, and the
// version of the county's override it runs on (0 for none): the one named key, or the one keyed
// by the matter when key is empty, as effectiveProcedure gives it. It must be published, valid
// today and for the matter (or for any matter).
func (s *Server) procedureOf(ctx context.Context, matter definitions.Matter, key, county string, now time.Time) (*definitions.Procedure, int, error) {
	where := "body.procedure"
	if key == "" {
		key, where = string(matter), "body.matter"
	}
	proc, override, err := s.effectiveProcedure(ctx, county, key, now)
	if onedoor.ErrorCode(err) == onedoor.ENotFound {
		return nil, 0, huma.Error422UnprocessableEntity("no procedure",
			&huma.ErrorDetail{Location: where, Message: "no published procedure with this key is valid today", Value: key})
	} else if err != nil {
		return nil, 0, s.problem(ctx, err)
	}
	if proc.Matter != "" && proc.Matter != matter {
		return nil, 0, huma.Error422UnprocessableEntity("procedure of another matter",
			&huma.ErrorDetail{Location: where, Message: fmt.Sprintf("procedure %s is for %s matters, not %s", key, proc.Matter, matter), Value: key})
	}
	return proc, override, nil
}

// checkIntake refuses intake data too large or not fitting the procedure's form.
func checkIntake(proc *definitions.Procedure, data map[string]any) error {
	if err := checkDataSize(data); err != nil {
		return err
	}
	if problems := definitions.ValidateData(proc.Form, data); len(problems) > 0 {
		return dataProblems(problems)
	}
	return nil
}

// linkedCase is a case a new one is linked to, named by ref at the request's field where (nil
// when ref is empty), as the user may see it. A case outside the user's scope is as unknown as a
// missing one.
func (s *Server) linkedCase(ctx context.Context, ref, where string) (*onedoor.Case, error) {
	if ref == "" {
		return nil, nil
	}
	unknown := huma.Error422UnprocessableEntity("unknown case",
		&huma.ErrorDetail{Location: where, Message: "no case with this id or number", Value: ref})
	orig, err := s.Store.CaseSoon(ctx, ref, mirrorWait)
	if onedoor.ErrorCode(err) == onedoor.ENotFound {
		return nil, unknown
	} else if err != nil {
		return nil, s.problem(ctx, err)
	}
	if err := s.canSee(ctx, ref, &orig); err != nil {
		var status huma.StatusError
		if errors.As(err, &status) && status.GetStatus() == http.StatusNotFound {
			return nil, unknown
		}
		return nil, err
	}
	return &orig, nil
}

// newCase is the case the request registers, received at unit and following proc, with its id
// and its reserved number. With an Idempotency-Key, the id is derived from the user and the key,
// so a retry names the same case.
func (s *Server) newCase(ctx context.Context, user onedoor.User, in *CreateCaseInput, proc *definitions.Procedure,
	chain []definitions.OrgUnit, from, repeats *onedoor.Case, received, now time.Time) (onedoor.Case, error) {
	unit := chain[0]
	id := uuid.New()
	if in.IdempotencyKey != "" {
		id = uuid.NewSHA1(idempotencyNamespace, []byte(user.ID+"\x00"+in.IdempotencyKey))
		if err := s.rememberKey(ctx, user, "create", in.IdempotencyKey, in.Body); err != nil {
			return onedoor.Case{}, err
		}
	}
	c := onedoor.Case{
		ID:               id.String(),
		Matter:           in.Body.Matter,
		Status:           onedoor.StatusOpen,
		Step:             proc.StartStep(),
		Level:            unit.Level,
		OrgUnit:          unit.Code,
		ReceivedBy:       unit.Code,
		Channel:          in.Body.Channel,
		Subject:          in.Body.Subject,
		ResidentName:     in.Body.ResidentName,
		Data:             in.Body.Data,
		ProcedureKey:     proc.Key,
		ProcedureVersion: proc.Version,
		CreatedBy:        user.ID,
		ReceivedAt:       received,
		UpdatedAt:        now,
		Visits:           1,
	}
	if in.Body.ReceivedAt != nil {
		c.RegisteredAt, c.LateReason = &now, strings.TrimSpace(in.Body.LateReason)
	}
	if from != nil {
		c.Links = append(c.Links, onedoor.Link{CaseID: from.ID, Number: from.Number, Matter: from.Matter, Relation: "opened_from"})
	}
	if repeats != nil {
		c.Links = append(c.Links, onedoor.Link{CaseID: repeats.ID, Number: repeats.Number, Matter: repeats.Matter, Relation: "repeat_of"})
		c.Visits = max(repeats.Visits, 1) + 1
	}
	// The number is reserved for the case id before its workflow starts: a retry with the same
	// Idempotency-Key gets the same number, and nothing starts while the database is away.
	var err error
	if c.Number, err = s.Store.ReserveNumber(ctx, c.ID, onedoor.NumberPrefix(s.numberPrefix(chain), c.Matter, received.Year())); err != nil {
		return c, s.problem(ctx, err)
	}
	return c, nil
}

// backLink is a case the new one links to, and the relation the new one has seen from it.
type backLink struct {
	to       onedoor.Case
	relation string
}

// openCase starts the case's workflow with everything it runs on, by value, and shows the new
// case on the ones it links to. A retry whose case has already completed gets the case from the
// read model, linked the first time.
func (s *Server) openCase(ctx context.Context, user onedoor.User, c onedoor.Case, proc *definitions.Procedure,
	chain []definitions.OrgUnit, back []backLink) (workflows.CaseState, error) {
	departments, err := s.Store.Departments(ctx)
	if err != nil {
		return workflows.CaseState{}, s.problem(ctx, err)
	}
	holidays, err := s.Store.Holidays(ctx, countyCode(chain))
	if err != nil {
		return workflows.CaseState{}, s.problem(ctx, err)
	}
	// The notices from the year before the case's: a deadline is never counted backwards.
	notices, err := s.Store.CalendarNotices(ctx, c.ReceivedAt.In(definitions.Shanghai).Year()-1)
	if err != nil {
		return workflows.CaseState{}, s.problem(ctx, err)
	}
	for i := range notices {
		notices[i].EnteredBy, notices[i].EnteredAt = "", nil
	}
	state, existing, err := s.cases.Open(ctx, workflows.CaseInput{
		Case: c, Procedure: proc, Chain: chain, Departments: departments, Holidays: holidays, Notices: notices,
		Changes: workflows.CurrentChanges,
	})
	if err != nil {
		return state, s.problem(ctx, err)
	}
	for _, b := range back {
		if existing {
			break
		}
		if err := s.cases.Link(ctx, user, b.to, state.Case, b.relation); err != nil {
			return state, s.problem(ctx, err)
		}
	}
	return state, nil
}

// rememberKey records the request an Idempotency-Key is first used for, and refuses (422) the key
// when it comes back with a different request: a retry must repeat its request, and a new request
// needs a new key, or it would be answered with the first one's result and silently dropped.
func (s *Server) rememberKey(ctx context.Context, user onedoor.User, scope, key string, body any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return s.problem(ctx, err)
	}
	sum := sha256.Sum256(b)
	if err := s.Store.RememberIdempotencyKey(ctx, user.ID, scope, key, sum[:]); err != nil {
		return s.problem(ctx, err)
	}
	return nil
}

// MaxDataBytes bounds the form data of a case, as JSON: the data travel in the case workflow's
// state and in every audit entry, which must stay far below Temporal's payload limits.
const MaxDataBytes = 64 << 10

// checkDataSize refuses form data larger than MaxDataBytes.
func checkDataSize(data map[string]any) error {
	b, err := json.Marshal(data)
	if err != nil || len(b) <= MaxDataBytes {
		return nil
	}
	return huma.Error422UnprocessableEntity("the data are too large",
		&huma.ErrorDetail{Location: "body.data", Message: fmt.Sprintf("%d bytes as JSON; at most %d", len(b), MaxDataBytes)})
}

// dataProblems is the 422 of intake or action data that do not fit the procedure's form.
func dataProblems(problems []definitions.Problem) error {
	details := make([]error, len(problems))
	for i, p := range problems {
		details[i] = &huma.ErrorDetail{Location: "body" + strings.ReplaceAll(p.Path, "/", "."), Message: p.Message}
	}
	return huma.Error422UnprocessableEntity("the data do not fit the procedure's form", details...)
}
