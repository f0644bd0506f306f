package api

import (
	"cmp"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/notice"
	"github.com/onedoor/onedoor/store"
	"github.com/onedoor/onedoor/workflows"
)

// Residents reach the center without an account (docs/residents.md): they look up where their
// case stands by its number and the last four digits of the phone registered on it, and rate a
// closed case through the one-time link staff give them. These operations need no token; what
// stands in for it (the digits, the link) is guessed against, so wrong guesses are counted in
// the database, which every API node shares, and none of it is ever logged.

// StatusGuesses is how many wrong guesses of a case's phone digits the status query allows per
// case number and per client address within a window, before further attempts wait (429).
var StatusGuesses = store.GuessLimit{Window: 15 * time.Minute, PerNumber: 5, PerClient: 20}

// DefaultResidentRate is the steady rate, per second, of the residents' operations per client
// address, beside the API's own limit: one a second, in bursts of five.
const DefaultResidentRate = 1

// RatingLinkPath is where the workbench serves the rating page of a link's token.
const RatingLinkPath = notice.RatingPath

// StatusInput is a resident's question: where does my case stand?
type StatusInput struct {
	Body struct {
		Number string `json:"number" minLength:"1" maxLength:"40" pattern:"^[A-Za-z0-9-]+$" example:"WS-PET-2026-000123" doc:"The case number on the resident's receipt."`
		Phone  string `json:"phone_last4" minLength:"4" maxLength:"4" pattern:"^[0-9]{4}$" example:"8000" doc:"The last four digits of the phone number registered on the case."`
	}
}

// StatusOutput is what a resident may know of their case: where it stands, nothing personal.
type StatusOutput struct {
	Body ResidentStatus
}

// ResidentStatus is where a case stands, as the resident sees it.
type ResidentStatus struct {
	Number       string             `json:"number" doc:"The case number."`
	Matter       definitions.Matter `json:"matter" doc:"Kind of matter."`
	MatterName   string             `json:"matter_name" doc:"The matter's procedure name, e.g. 信访事项办理."`
	MatterNameEN string             `json:"matter_name_en,omitempty" doc:"The same in English, when the procedure names it."`
	Status       onedoor.Status     `json:"status" doc:"open or closed."`
	Stage        string             `json:"stage,omitempty" doc:"The step the case is at (its name in the procedure); absent once closed."`
	StageEN      string             `json:"stage_en,omitempty" doc:"The same in English, when the procedure names it."`
	Unit         string             `json:"unit" doc:"The org unit holding the case (the one that concluded it, once closed)."`
	UnitEN       string             `json:"unit_en,omitempty" doc:"The same in English."`
	DueAt        *time.Time         `json:"due_at,omitempty" doc:"When the current step is due; absent once closed."`
	OutcomeKind  string             `json:"outcome_kind,omitempty" doc:"Once closed, what the closing means: resolved, mediated_success, mediated_failure, withdrawn, transferred, refused, terminated or not_accepted."`
	ClosedAt     *time.Time         `json:"closed_at,omitempty" doc:"When the case closed."`
	ReceivedAt   time.Time          `json:"received_at" doc:"When the matter was received."`
}

// RatingLinkInput names the case whose rating link staff want.
type RatingLinkInput struct {
	ID string `path:"id" maxLength:"64" doc:"The case's id or number."`
}

// RatingLinkOutput is a new rating link of a closed case.
type RatingLinkOutput struct {
	Body struct {
		Token     string    `json:"token" doc:"The link's secret token: whoever holds it may rate the case, once. It is shown only now (the center keeps its hash)."`
		Path      string    `json:"path" example:"/rate/3q2-…" doc:"The workbench page of the link, to put after the center's public address (in the result notice, or a QR code)."`
		ExpiresAt time.Time `json:"expires_at" doc:"The end of the case's 30 days for the resident's evaluation, after which the link is refused."`
	}
}

// RatingTokenInput names a rating link by its token.
type RatingTokenInput struct {
	Token string `path:"token" minLength:"20" maxLength:"64" pattern:"^[A-Za-z0-9_-]+$" doc:"The link's token."`
}

// RatingView is what a rating link is about, for its page.
type RatingView struct {
	Number       string             `json:"number" doc:"The case number."`
	Matter       definitions.Matter `json:"matter" doc:"Kind of matter."`
	MatterName   string             `json:"matter_name" doc:"The matter's procedure name."`
	MatterNameEN string             `json:"matter_name_en,omitempty" doc:"The same in English."`
	Unit         string             `json:"unit" doc:"The org unit that concluded the case."`
	UnitEN       string             `json:"unit_en,omitempty" doc:"The same in English."`
	OutcomeKind  string             `json:"outcome_kind,omitempty" doc:"What the closing means (resolved, mediated_success, …)."`
	ExpiresAt    time.Time          `json:"expires_at" doc:"When the link stops being accepted."`
	State        string             `json:"state" enum:"open,rated,expired" doc:"open: the case can be rated through this link; rated: it was (through the link, or at the window); expired: its 30 days have passed."`
}

// RatingViewOutput is the answer of GET /v1/public/rating/{token}.
type RatingViewOutput struct {
	Body RatingView
}

// RateInput is the resident's rating through a link.
type RateInput struct {
	Token string `path:"token" minLength:"20" maxLength:"64" pattern:"^[A-Za-z0-9_-]+$" doc:"The link's token."`
	Body  struct {
		Rating  int    `json:"rating" minimum:"1" maximum:"5" doc:"1 (very dissatisfied) to 5 (very satisfied)."`
		Comment string `json:"comment,omitempty" maxLength:"500" doc:"What the resident wants to say about the handling."`
	}
}

// RateOutput is the evaluation recorded.
type RateOutput struct {
	Body onedoor.Evaluation
}

var residentTags = []string{"Residents"}

func (s *Server) registerResidents(api huma.API) {
	lim := newLimiter(api, cmp.Or(s.ResidentRate, DefaultResidentRate))
	// Every resident operation spends the client address's bucket of lim first: a crowd of
	// guesses from one address meets 429 before it reaches the database.
	limited := func(ctx huma.Context, next func(huma.Context)) {
		if lim.allow(ctx, s.addrBucket(ctx)) {
			next(huma.WithValue(ctx, clientKey{}, s.clientAddr(ctx)))
		}
	}
	public := func(op huma.Operation) huma.Operation {
		op.Tags, op.Middlewares = residentTags, huma.Middlewares{limited}
		return op
	}
	huma.Register(api, public(huma.Operation{
		OperationID: "resident-status",
		Method:      http.MethodPost,
		Path:        "/v1/public/status",
		Summary:     "A resident's case status",
		Description: "Where a case stands, for the resident who brought it, without an account: the case number and the last four " +
			"digits of the phone registered on it answer the step it is at, the unit holding it, when the step is due, and once " +
			"closed what the closing means; nothing personal. Needs no token. A wrong number and wrong digits answer the same 404. " +
			fmt.Sprintf("Wrong guesses are counted: after %d for a number, or %d from a client address, within %s, every attempt "+
				"is 429 with Retry-After until the oldest of them is %s old; and a client address may ask once a second, in bursts of five.",
				StatusGuesses.PerNumber, StatusGuesses.PerClient, StatusGuesses.Window, StatusGuesses.Window),
		Errors: []int{http.StatusNotFound, http.StatusUnprocessableEntity, http.StatusTooManyRequests},
	}), s.residentStatus)
	huma.Register(api, huma.Operation{
		OperationID: "issue-rating-link",
		Method:      http.MethodPost,
		Path:        "/v1/cases/{id}/rating-link",
		Summary:     "Issue a case's rating link",
		Description: "A one-time link by which the resident rates a closed case (1 to 5, with a comment), for the result notice: " +
			"the link's page is `path` under the center's public address. Each call issues a new link and the one before stops " +
			"working (the center keeps only a hash, so a lost link is replaced, not shown again). For a clerk or supervisor who " +
			"may act on the case, while it is closed, not yet rated, and within its 30 days for the resident's evaluation; " +
			"otherwise 409 with the reason (403 for the other roles).",
		Tags:     []string{"Cases"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}, s.issueRatingLink)
	huma.Register(api, public(huma.Operation{
		OperationID: "get-rating-link",
		Method:      http.MethodGet,
		Path:        "/v1/public/rating/{token}",
		Summary:     "What a rating link is for",
		Description: "The case a rating link is for (its number, matter, unit and how it closed) and whether it can still be " +
			"rated through it. Needs no token. An unknown link is 404.",
		Errors:   []int{http.StatusNotFound, http.StatusTooManyRequests},
		Metadata: map[string]any{secretPath: true},
	}), s.ratingView)
	huma.Register(api, public(huma.Operation{
		OperationID: "rate-case",
		Method:      http.MethodPost,
		Path:        "/v1/public/rating/{token}",
		Summary:     "Rate a case through its link",
		Description: "The resident's evaluation of a closed case, recorded through the case workflow's evaluate action as actor " +
			"`resident`: it shows on the case, in its audit log and in the satisfaction statistics. Needs no token. A link " +
			"works once: used again it is 409, as it is when the case was rated at the window; past the case's 30 days it is " +
			"410; an unknown link is 404.",
		Errors:   []int{http.StatusNotFound, http.StatusConflict, http.StatusGone, http.StatusUnprocessableEntity, http.StatusTooManyRequests},
		Metadata: map[string]any{secretPath: true},
	}), s.rate)
}

// secretPath marks an operation whose path holds a secret: its log lines name the path's template.
const secretPath = "secret-path"

func (s *Server) residentStatus(ctx context.Context, in *StatusInput) (*StatusOutput, error) {
	number := strings.ToUpper(in.Body.Number)
	client := clientHash(ctx)
	wait, err := s.Store.StatusGuessWait(ctx, number, client, StatusGuesses)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	if wait > 0 {
		s.Logger.WarnContext(ctx, "status query held back: too many wrong guesses", "number", number)
		return nil, huma.ErrorWithHeaders(huma.NewError(http.StatusTooManyRequests, "too many wrong attempts for this case number or from this address: retry after the Retry-After seconds"),
			http.Header{"Retry-After": {retryAfter(wait)}})
	}
	c, err := s.Store.Case(ctx, number)
	if err != nil && onedoor.ErrorCode(err) != onedoor.ENotFound {
		return nil, s.problem(ctx, err)
	}
	var p *definitions.Procedure
	if err == nil {
		if p, err = s.caseProcedure(ctx, c); err != nil {
			return nil, s.problem(ctx, err)
		}
	}
	// By its number only: a case's id is no receipt's.
	if err != nil || c.Number != number || !phoneEndsIn(p, c.Data, in.Body.Phone) {
		if err := s.Store.CountStatusGuess(ctx, number, client, StatusGuesses.Window); err != nil {
			return nil, s.problem(ctx, err)
		}
		// The number is logged, to see a case being guessed at; the digits never are.
		s.Logger.WarnContext(ctx, "status query refused: wrong number or digits", "number", number)
		return nil, huma.Error404NotFound("no case has this number with a phone ending in these digits")
	}
	st := ResidentStatus{Number: c.Number, Matter: c.Matter, MatterName: p.Name, MatterNameEN: p.NameEN, Status: c.Status,
		ReceivedAt: c.ReceivedAt}
	if err := s.unitNames(ctx, c.OrgUnit, &st.Unit, &st.UnitEN); err != nil {
		return nil, s.problem(ctx, err)
	}
	if c.Status == onedoor.StatusClosed {
		st.OutcomeKind = c.OutcomeKind
		at, err := s.Store.ClosedAt(ctx, c.ID)
		if err != nil && onedoor.ErrorCode(err) != onedoor.ENotFound {
			return nil, s.problem(ctx, err)
		} else if err == nil {
			at = at.In(definitions.Shanghai)
			st.ClosedAt = &at
		}
	} else {
		if c.DueAt != nil {
			due := c.DueAt.In(definitions.Shanghai)
			st.DueAt = &due
		}
		if step, ok := p.Step(c.Step); ok {
			st.Stage, st.StageEN = step.Name, step.NameEN
		}
	}
	return &StatusOutput{Body: st}, nil
}

// phoneEndsIn reports whether a phone field of the case's form (by type, whatever its name; the
// field named phone in a form without one) holds a number ending in last4, compared in constant time.
func phoneEndsIn(p *definitions.Procedure, data map[string]any, last4 string) bool {
	names := []string{}
	if p != nil {
		for _, f := range p.Form {
			if f.Type == definitions.FieldPhone {
				names = append(names, f.Name)
			}
		}
	}
	if len(names) == 0 {
		names = []string{"phone"}
	}
	ok := false
	for _, name := range names {
		v, _ := data[name].(string)
		digits := strings.Map(func(r rune) rune {
			if unicode.IsDigit(r) {
				return r
			}
			return -1
		}, v)
		if len(digits) >= 4 && subtle.ConstantTimeCompare([]byte(digits[len(digits)-4:]), []byte(last4)) == 1 {
			ok = true
		}
	}
	return ok
}

// clientHash is the hash of the request's client address, as wrong guesses are counted by.
func clientHash(ctx context.Context) []byte {
	addr, _ := ctx.Value(clientKey{}).(string)
	sum := sha256.Sum256([]byte("onedoor-client:" + addr))
	return sum[:]
}

type clientKey struct{}

// unitNames sets the Chinese and English names of the org unit code.
func (s *Server) unitNames(ctx context.Context, code string, zh, en *string) error {
	u, err := s.Store.OrgUnit(ctx, code)
	if err != nil {
		return err
	}
	*zh, *en = u.Name, u.NameEN
	return nil
}

func (s *Server) issueRatingLink(ctx context.Context, in *RatingLinkInput) (*RatingLinkOutput, error) {
	c, err := s.caseToAct(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	if err := s.actInPostFor(ctx, c, workflows.ActEvaluate, ""); err != nil {
		return nil, err
	}
	u := currentUser(ctx)
	switch {
	case u.Role != onedoor.RoleClerk && u.Role != onedoor.RoleSupervisor:
		s.refused(ctx, "rating link of case "+c.ID+" by role "+string(u.Role))
		return nil, huma.Error403Forbidden("a clerk or supervisor records the resident's evaluation")
	case c.Status != onedoor.StatusClosed:
		return nil, huma.Error409Conflict("a rating link is issued once the case is closed; it is still open")
	case c.Evaluation != nil:
		return nil, huma.Error409Conflict("the case was already evaluated")
	}
	closed, err := s.Store.ClosedAt(ctx, c.ID)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	expires := closed.Add(workflows.AfterClose)
	if !time.Now().Before(expires) {
		return nil, huma.Error409Conflict("the case is closed and its 30 days for the resident's evaluation and return visits have passed")
	}
	token := store.NewRatingToken()
	if err := s.Store.IssueRatingLink(ctx, c.ID, tokenHash(token), u.ID, expires); err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &RatingLinkOutput{}
	out.Body.Token, out.Body.Path, out.Body.ExpiresAt = token, RatingLinkPath+token, expires.In(definitions.Shanghai)
	return out, nil
}

func tokenHash(token string) []byte { return store.RatingTokenHash(token) }

func (s *Server) ratingView(ctx context.Context, in *RatingTokenInput) (*RatingViewOutput, error) {
	l, err := s.Store.RatingLinkByHash(ctx, tokenHash(in.Token))
	if onedoor.ErrorCode(err) == onedoor.ENotFound {
		return nil, huma.Error404NotFound("no rating link has this address: check the link in the result notice")
	} else if err != nil {
		return nil, s.problem(ctx, err)
	}
	c, err := s.Store.Case(ctx, l.CaseID)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	p, err := s.caseProcedure(ctx, c)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	v := RatingView{Number: c.Number, Matter: c.Matter, MatterName: p.Name, MatterNameEN: p.NameEN, OutcomeKind: c.OutcomeKind,
		ExpiresAt: l.ExpiresAt.In(definitions.Shanghai), State: "open"}
	if err := s.unitNames(ctx, c.OrgUnit, &v.Unit, &v.UnitEN); err != nil {
		return nil, s.problem(ctx, err)
	}
	switch {
	case l.UsedAt != nil || c.Evaluation != nil:
		v.State = "rated"
	case !time.Now().Before(l.ExpiresAt):
		v.State = "expired"
	}
	return &RatingViewOutput{Body: v}, nil
}

func (s *Server) rate(ctx context.Context, in *RateInput) (*RateOutput, error) {
	hash := tokenHash(in.Token)
	l, err := s.Store.UseRatingLink(ctx, hash)
	switch {
	case onedoor.ErrorCode(err) == onedoor.ENotFound:
		return nil, huma.Error404NotFound("no rating link has this address: check the link in the result notice")
	case errors.Is(err, store.ErrLinkUsed):
		return nil, huma.Error409Conflict(store.ErrLinkUsed.Error())
	case errors.Is(err, store.ErrLinkExpired):
		return nil, huma.Error410Gone(store.ErrLinkExpired.Error())
	case err != nil:
		return nil, s.problem(ctx, err)
	}
	c, err := s.Store.Case(ctx, l.CaseID)
	if err == nil {
		// One update id per link: a retry of a rating whose answer was lost is the same update.
		_, err = s.cases.Act(ctx, c, "rating-link-"+fmt.Sprintf("%x", hash[:8]), workflows.Action{
			Type: workflows.ActEvaluate, Actor: onedoor.ResidentActor, Rating: in.Body.Rating, Result: in.Body.Comment})
	}
	switch onedoor.ErrorCode(err) {
	case "":
	case onedoor.EConflict:
		// Rated at the window meanwhile, or the case's workflow is done: the link is spent.
		s.Logger.WarnContext(ctx, "rating link refused by the case", "case", l.CaseID, "error", err)
		var e *onedoor.Error
		errors.As(err, &e)
		return nil, huma.Error409Conflict(e.Message)
	default:
		// The rating did not happen (Temporal or the database away): the link works again.
		if rerr := s.Store.ReleaseRatingLink(context.WithoutCancel(ctx), hash); rerr != nil {
			s.Logger.ErrorContext(ctx, "release rating link", "case", l.CaseID, "error", rerr)
		}
		return nil, s.problem(ctx, err)
	}
	c, err = s.Store.Case(ctx, l.CaseID)
	if err != nil || c.Evaluation == nil {
		return nil, s.problem(ctx, fmt.Errorf("rated case %s reads without its evaluation: %w", l.CaseID, err))
	}
	return &RateOutput{Body: *c.Evaluation}, nil
}
