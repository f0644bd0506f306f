package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/lookup"
	"github.com/onedoor/onedoor/workflows"
)

// One resident, all their matters (一人多事, 重复访): at registration the clerk sees the
// resident's other cases within her scope, found by the keyed hashes of the resident ID and
// phone numbers (package lookup), and links a repeated visit instead of ticking a box.

// LookupInput names a resident by their identifiers. It is a POST so that no number is ever in
// a URL, and so in no access log.
type LookupInput struct {
	Body struct {
		IDNumber string `json:"id_number,omitempty" maxLength:"40" example:"15062719800101014X" doc:"The resident's identity card number (18 characters)."`
		Phone    string `json:"phone,omitempty" maxLength:"40" example:"13800138000" doc:"The resident's phone number."`
	}
}

// ResidentCase is a case of the resident, as the lookup shows it.
type ResidentCase struct {
	onedoor.Case
	MatchedBy []lookup.Kind `json:"matched_by" doc:"The identifiers the case was found by: id_number, phone."`
}

// LookupOutput are the resident's cases within the caller's scope.
type LookupOutput struct {
	Body struct {
		Items []ResidentCase `json:"items" doc:"The resident's cases within the caller's scope, newest received first, at most 50 (the newest): open ones to record a visit on, closed ones to register a repeated visit of (repeat_of)."`
	}
}

func (s *Server) registerLookup(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "lookup-resident",
		Method:      http.MethodPost,
		Path:        "/v1/residents/lookup",
		Summary:     "A resident's other matters",
		Description: "The cases within the caller's scope whose resident has the identity card number or phone number given " +
			"(一人多事, 重复访): found by keyed hashes of the numbers (the database holds no index of the numbers themselves), so only " +
			"the same number ever matches. For the staff who register matters.",
		Tags:     []string{"Cases"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusUnprocessableEntity, http.StatusServiceUnavailable},
	}, s.lookupResident)
}

// JoinInput adds a resident to a group matter (集体访).
type JoinInput struct {
	ID   string `path:"id" maxLength:"64" doc:"The case's id or number."`
	Body struct {
		Name     string `json:"name" minLength:"1" maxLength:"100" doc:"The resident's name."`
		IDNumber string `json:"id_number,omitempty" maxLength:"40" doc:"Their identity card number (18 characters)."`
		Phone    string `json:"phone,omitempty" maxLength:"40" doc:"Their phone number."`
		Note     string `json:"note,omitempty" maxLength:"500" doc:"What they said, for the timeline."`
	}
}

// registerJoin is the endpoint of group matters: a resident who comes with others about one matter
// is added to its case instead of registering a case of their own.
func (s *Server) registerJoin(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "join-case",
		Method:      http.MethodPost,
		Path:        "/v1/cases/{id}/residents",
		Summary:     "Add a resident to a group matter (集体访)",
		Description: "Several residents bring one matter together (集体访): the resident is named on the open case, which the " +
			"resident lookup then finds by their numbers too (keyed hashes, as the first resident's), and the case's timeline " +
			"says so. The same request again (a retry) adds nobody twice; another naming a resident already on the case (the same " +
			"ID or phone number) is refused (409). For the staff who register matters, on a case of their scope.",
		Tags:     []string{"Cases"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity, http.StatusServiceUnavailable},
	}, s.joinCase)
}

func (s *Server) joinCase(ctx context.Context, in *JoinInput) (*ActionOutput, error) {
	if u := currentUser(ctx); !registrars[u.Role] {
		return nil, huma.Error403Forbidden(fmt.Sprintf("a %s does not register matters", u.Role))
	}
	c, err := s.caseToAct(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	if err := s.actInPostFor(ctx, c, workflows.ActJoin, ""); err != nil {
		return nil, err
	}
	user := currentUser(ctx)
	b := in.Body
	r := onedoor.CoResident{Name: strings.TrimSpace(b.Name), IDNumber: strings.TrimSpace(b.IDNumber), Phone: strings.TrimSpace(b.Phone)}
	var problems []error
	if r.IDNumber == "" && r.Phone == "" {
		problems = append(problems, &huma.ErrorDetail{Location: "body", Message: "give the resident's id_number or phone, or both: a group matter's residents are found by them"})
	}
	problems = append(problems, residentNumbers(&r.IDNumber, &r.Phone)...)
	if len(problems) > 0 {
		return nil, huma.Error422UnprocessableEntity("the resident's numbers are not valid", problems...)
	}
	var keys []lookup.Hashed
	if s.Lookup != nil {
		keys = s.Lookup.HashAll(map[lookup.Kind][]string{lookup.IDNumber: nonEmpty(r.IDNumber), lookup.Phone: nonEmpty(r.Phone)})
	}
	// The hashes first, as at registration: a resident on the case can be found by them.
	if err := s.Store.PutResidentKeys(ctx, c.ID, keys); err != nil {
		return nil, s.problem(ctx, err)
	}
	// One update per case and resident: a retried request adds nobody twice.
	updateID := uuid.NewSHA1(idempotencyNamespace, []byte(c.ID+"\x00join\x00"+r.IDNumber+"\x00"+r.Phone)).String()
	state, err := s.cases.Act(ctx, c, updateID, workflows.Action{Type: workflows.ActJoin, Actor: user, Resident: &r, Reason: strings.TrimSpace(b.Note)})
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return s.actionAnswer(ctx, state)
}

func (s *Server) lookupResident(ctx context.Context, in *LookupInput) (*LookupOutput, error) {
	user := currentUser(ctx)
	if !registrars[user.Role] {
		return nil, huma.Error403Forbidden(fmt.Sprintf("a %s does not register matters", user.Role))
	}
	if s.Lookup == nil {
		return nil, huma.Error503ServiceUnavailable("the resident lookup has no key: set ONEDOOR_LOOKUP_KEY")
	}
	id, phone := in.Body.IDNumber, in.Body.Phone
	problems := residentNumbers(&id, &phone)
	keys := s.Lookup.HashAll(map[lookup.Kind][]string{lookup.IDNumber: nonEmpty(id), lookup.Phone: nonEmpty(phone)})
	if len(problems) > 0 {
		return nil, huma.Error422UnprocessableEntity("the resident's numbers are not valid", problems...)
	}
	if len(keys) == 0 {
		return nil, huma.Error422UnprocessableEntity("no number to look up",
			&huma.ErrorDetail{Location: "body", Message: "give the resident's id_number or phone, or both"})
	}
	sc, err := s.scopeOf(ctx, user)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	found, err := s.Store.ResidentCases(ctx, sc, keys)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &LookupOutput{}
	out.Body.Items = make([]ResidentCase, len(found))
	for i, m := range found {
		if err := s.redact(ctx, &m.Case); err != nil {
			return nil, err
		}
		out.Body.Items[i] = ResidentCase{Case: m.Case, MatchedBy: m.MatchedBy}
	}
	return out, nil
}

// residentNumbers checks a resident's ID and phone numbers, when given, as the lookup reads them:
// each valid one is normalised in place (the same number written otherwise is the same), each
// invalid one is named where it is and left out.
func residentNumbers(id, phone *string) []error {
	var problems []error
	for _, f := range []struct {
		kind  lookup.Kind
		value *string
		where string
		what  string
	}{
		{lookup.IDNumber, id, "body.id_number", "not a valid resident ID number (check the 18 characters and the last one)"},
		{lookup.Phone, phone, "body.phone", "not a valid phone number (an 11-digit mobile, or a landline with its area code)"},
	} {
		*f.value = strings.TrimSpace(*f.value)
		if *f.value == "" {
			continue
		}
		normal, ok := lookup.Normalize(f.kind, *f.value)
		if !ok {
			problems = append(problems, &huma.ErrorDetail{Location: f.where, Message: f.what})
			*f.value = ""
			continue
		}
		*f.value = normal
	}
	return problems
}

// nonEmpty is the value as a list, empty when the value is.
func nonEmpty(v string) []string {
	if v == "" {
		return nil
	}
	return []string{v}
}

// putResidentKeys records the keyed hashes of the resident's numbers in the new case's data, the
// form's resident ID and phone fields, before its workflow starts: a case that exists can be
// found by them. Without a key (a server configured without one) nothing is recorded.
func (s *Server) putResidentKeys(ctx context.Context, c onedoor.Case, proc *definitions.Procedure) error {
	if s.Lookup == nil {
		return nil
	}
	keys := s.Lookup.HashAll(lookup.Identifiers(proc.Form, c.Data))
	if err := s.Store.PutResidentKeys(ctx, c.ID, keys); err != nil {
		return s.problem(ctx, err)
	}
	return nil
}
