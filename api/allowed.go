package api

import (
	"context"
	"net/http"
	"slices"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/workflows"
)

// actionType is the type of an action in a request; its enum is the action table's user actions.
type actionType workflows.ActionType

// Schema lists the actions of the action table (workflows.Actions) that users send.
func (actionType) Schema(huma.Registry) *huma.Schema {
	var enum []any
	for _, t := range workflows.UserActions() {
		enum = append(enum, string(t))
	}
	return &huma.Schema{Type: huma.TypeString, Enum: enum}
}

// Choice is one org unit or department an action may name.
type Choice struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// AllowedAction is an action the user may take on the case now, with what to choose from.
type AllowedAction struct {
	workflows.Offer
	Post        string   `json:"post,omitempty" doc:"For a user of several posts: the post to take it in (send it as the OneDoor-Post header)."`
	Targets     []Choice `json:"targets,omitempty" doc:"hand_down, or a complete whose outcome hands down: the org units directly below the case's unit."`
	Departments []Choice `json:"departments,omitempty" doc:"divert, or a complete whose next step goes to departments: the departments to choose from."`
}

// AllowedOutput is the answer of the allowed-actions operation.
type AllowedOutput struct {
	Body struct {
		Case    string          `json:"case" doc:"The case's number."`
		Actions []AllowedAction `json:"actions" doc:"What the user may do now; each may still be refused for its input (a missing reason, a rule on the data sent)."`
	}
}

// AllowedInput names the case and the language of the outcomes' refusals.
type AllowedInput struct {
	GetCaseInput
	AcceptLanguage string `header:"Accept-Language" doc:"zh-CN for the outcomes' refusals in Chinese."`
}

func (s *Server) registerAllowed(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "get-case-actions",
		Method:      http.MethodGet,
		Path:        "/v1/cases/{id}/actions",
		Summary:     "The actions I may take on a case",
		Description: "The actions the signed-in user may take on the case now, answered by the case workflow with the checks " +
			"that refuse an action, so the workbench offers exactly what the server accepts: each with the task it is on, the " +
			"request fields it needs, for `complete` the step's outcomes with the rules' refusals on the case's data, for " +
			"`reply` the open supervision orders, and the org units and departments to choose from. An auditor, who only " +
			"reads, and a user the case was only copied to (抄送) get none; a case whose workflow has completed offers none.",
		Tags:     []string{"Cases"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusNotFound},
	}, s.allowed)
}

func (s *Server) allowed(ctx context.Context, in *AllowedInput) (*AllowedOutput, error) {
	c, err := s.caseToSee(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	out := &AllowedOutput{}
	out.Body.Case, out.Body.Actions = c.Number, []AllowedAction{}
	if readsCopy(ctx) {
		return out, nil // a case copied for information is read, never acted on
	}
	// A user of several posts is offered what each post that sees the case may do, each
	// offer once, in the first post that may.
	type postOffer struct {
		workflows.Offer
		post string
	}
	var offers []postOffer
	posts := s.postsSeeing(ctx, c)
	for _, p := range posts {
		user := currentUser(ctx).In(p)
		if user.Role == onedoor.RoleAuditor {
			continue
		}
		got, err := s.cases.Allowed(ctx, c, user)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		for _, o := range got {
			if !slices.ContainsFunc(offers, func(x postOffer) bool { return x.Type == o.Type && x.Task == o.Task }) {
				key := ""
				if len(postsOf(ctx)) > 1 {
					key = p.Key()
				}
				offers = append(offers, postOffer{o, key})
			}
		}
	}
	plain := make([]workflows.Offer, len(offers))
	for i, o := range offers {
		plain[i] = o.Offer
	}
	choices, err := s.choicesFor(ctx, c, plain)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	for _, po := range offers {
		o := po.Offer
		a := AllowedAction{Offer: o, Post: po.post}
		down := o.Type == workflows.ActHandDown || slices.ContainsFunc(o.Outcomes, func(x workflows.OutcomeOffer) bool { return x.Move == definitions.MoveDown })
		if down {
			a.Targets = choices.targets
			if o.Type == workflows.ActHandDown && len(a.Targets) == 0 {
				continue // no unit below to hand the case down to
			}
		}
		if o.Type == workflows.ActDivert || slices.ContainsFunc(o.Outcomes, func(x workflows.OutcomeOffer) bool { return x.Departments }) {
			a.Departments = choices.departments
		}
		a.Outcomes = localizeOutcomes(a.Outcomes, chinese(in.AcceptLanguage))
		out.Body.Actions = append(out.Body.Actions, a)
	}
	return out, nil
}

type choices struct{ targets, departments []Choice }

// choicesFor reads the org units below the case's unit and the departments, when an offer needs
// them.
func (s *Server) choicesFor(ctx context.Context, c onedoor.Case, offers []workflows.Offer) (choices, error) {
	var ch choices
	if len(offers) == 0 {
		return ch, nil
	}
	units, err := s.Store.Children(ctx, c.OrgUnit)
	if err != nil {
		return ch, err
	}
	for _, u := range units {
		ch.targets = append(ch.targets, Choice{Code: u.Code, Name: u.Name})
	}
	departments, err := s.Store.Departments(ctx)
	if err != nil {
		return ch, err
	}
	for _, d := range departments {
		ch.departments = append(ch.departments, Choice{Code: d.Code, Name: d.Name})
	}
	return ch, nil
}

// postsSeeing are the posts of the request that see the case: the one it acts in, then, when it
// named none, the user's other posts whose scope holds the case.
func (s *Server) postsSeeing(ctx context.Context, c onedoor.Case) []onedoor.Post {
	u := currentUser(ctx)
	seeing := []onedoor.Post{u.Post()}
	for _, p := range postsOf(ctx) {
		if p == u.Post() {
			continue
		}
		sc, err := s.scopeOf(ctx, u.In(p))
		if err != nil {
			continue // a post that cannot be checked now is not offered
		}
		if ok, err := s.Store.InScope(ctx, sc, c.ID); err == nil && ok {
			seeing = append(seeing, p)
		}
	}
	return seeing
}

// actInPostFor makes a request of a user of several posts that named none act in the first post
// that sees the case and may take an action of the type, when the post it acts in may not.
func (s *Server) actInPostFor(ctx context.Context, c onedoor.Case, t workflows.ActionType, task string) error {
	posts := s.postsSeeing(ctx, c)
	if len(posts) < 2 {
		return nil
	}
	u := currentUser(ctx)
	for _, p := range posts {
		offers, err := s.cases.Allowed(ctx, c, u.In(p))
		if err != nil {
			return s.problem(ctx, err)
		}
		if slices.ContainsFunc(offers, func(o workflows.Offer) bool { return o.Type == t && (task == "" || o.Task == "" || o.Task == task) }) {
			actIn(ctx, p)
			return nil
		}
	}
	return nil // none may: the first post's refusal says why
}

// localizeOutcomes are the outcomes with their refusals in Chinese when zh.
func localizeOutcomes(outcomes []workflows.OutcomeOffer, zh bool) []workflows.OutcomeOffer {
	if !zh {
		return outcomes
	}
	out := slices.Clone(outcomes)
	for i, o := range out {
		refusals := make([]string, len(o.Refusals))
		for j, r := range o.Refusals {
			_, refusals[j] = translate(r, true)
		}
		out[i].Refusals = refusals
	}
	return out
}
