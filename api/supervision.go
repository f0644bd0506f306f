package api

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/store"
)

// BoardInput selects a supervision board.
type BoardInput struct {
	OrgUnit  string `query:"org_unit" maxLength:"64" doc:"A unit of the caller's subtree to look at, with the units below it; the caller's whole scope when empty."`
	PerGroup int    `query:"per_group" minimum:"1" maximum:"200" default:"20" doc:"Tasks listed per group (the count covers all)."`
}

// DueSoonInput selects the due-soon board.
type DueSoonInput struct {
	BoardInput
	WithinHours int `query:"within_hours" minimum:"1" maximum:"720" default:"72" doc:"Due within this many hours from now."`
}

// BoardOutput is a supervision board.
type BoardOutput struct {
	Body struct {
		At     time.Time          `json:"at" doc:"The instant lateness is counted from."`
		Groups []store.BoardGroup `json:"groups" doc:"By level, lowest first, then department (absent: the unit's own tasks)."`
		Names  store.Names        `json:"names" doc:"The names of the org units and departments the board mentions by code."`
	}
}

// UrgeInput asks the holders of several cases to act (督办).
type UrgeInput struct {
	Body struct {
		Cases   []string `json:"cases" minItems:"1" maxItems:"100" doc:"Ids or numbers of the cases to urge."`
		Message string   `json:"message" minLength:"1" maxLength:"1000" doc:"What the supervisor asks."`
	}
}

// UrgeOutput says what the urge did to each case.
type UrgeOutput struct {
	Body struct {
		Results []store.UrgeResult `json:"results"`
	}
}

// NotificationsInput pages through the caller's unit's notifications.
type NotificationsInput struct {
	Cursor string `query:"cursor" maxLength:"500" doc:"The next cursor of the previous page."`
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"50" doc:"Notifications per page."`
}

// NotificationsOutput is one page of notifications, newest first.
type NotificationsOutput struct {
	Body struct {
		Items []store.NotificationItem `json:"items"`
		Next  string                   `json:"next,omitempty" doc:"Cursor of the next page; absent on the last page."`
	}
}

// boardReaders are the roles that read the supervision boards.
var boardReaders = []onedoor.Role{onedoor.RoleSupervisor, onedoor.RoleAdmin, onedoor.RoleAuditor}

func (s *Server) registerSupervision(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "supervision-overdue",
		Method:      http.MethodGet,
		Path:        "/v1/supervision/overdue",
		Summary:     "Overdue tasks",
		Description: "The running (not suspended) open tasks past their due date in the caller's scope, grouped by level and department, " +
			"most overdue first, with how late each is in calendar hours and days (not working time).",
		Tags:     []string{"Supervision"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *BoardInput) (*BoardOutput, error) {
		return s.board(ctx, *in, store.BoardOverdue, 0)
	})

	huma.Register(api, huma.Operation{
		OperationID: "supervision-due-soon",
		Method:      http.MethodGet,
		Path:        "/v1/supervision/due-soon",
		Summary:     "Tasks due soon",
		Description: "The running open tasks due within the next hours in the caller's scope, grouped by level and department, soonest first.",
		Tags:        []string{"Supervision"},
		Security:    secured,
		Errors:      []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *DueSoonInput) (*BoardOutput, error) {
		return s.board(ctx, in.BoardInput, store.BoardDueSoon, time.Duration(in.WithinHours)*time.Hour)
	})

	huma.Register(api, huma.Operation{
		OperationID: "supervision-urge",
		Method:      http.MethodPost,
		Path:        "/v1/supervision/urge",
		Summary:     "Urge several cases",
		Description: "Sends a supervision notice (督办) about each case to the org units holding its open tasks; they find it in their notifications. " +
			"A supervisor urges only the units of their own subtree: a case whose open tasks are all held above or beside it " +
			"(escalated to the banner) is refused with 422, and of a case held by several units only those in the subtree are notified. " +
			"A case without an open task is skipped and says so.",
		Tags:     []string{"Supervision"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusUnprocessableEntity},
	}, s.urge)

	huma.Register(api, huma.Operation{
		OperationID: "list-notifications",
		Method:      http.MethodGet,
		Path:        "/v1/notifications",
		Summary:     "My unit's or department's notifications",
		Description: "Warnings, overdue and escalation notices and supervisors' urges addressed to the caller's org unit (department staff: to their department), newest first.",
		Tags:        []string{"Supervision"},
		Security:    secured,
		Errors:      []int{http.StatusUnauthorized, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *NotificationsInput) (*NotificationsOutput, error) {
		out := &NotificationsOutput{}
		out.Body.Items = []store.NotificationItem{}
		to, ok, err := s.addresseeOf(ctx, currentUser(ctx))
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		if !ok {
			return out, nil
		}
		page, err := s.Store.NotificationsPage(ctx, to, in.Cursor, in.Limit)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		out.Body.Items, out.Body.Next = page.Items, page.Next
		return out, nil
	})
}

// addresseeOf is whose notifications the user reads: their department's in their county for
// department staff, their org unit's for everyone else, and those addressed to them alone; false
// for a user with neither a department nor a unit.
func (s *Server) addresseeOf(ctx context.Context, u onedoor.User) (store.Addressee, bool, error) {
	if u.Role == onedoor.RoleDepartment && u.Department != "" {
		sc, err := s.scopeOf(ctx, u)
		return store.Addressee{Department: u.Department, Fence: sc.Units, User: u.ID}, err == nil, err
	}
	return store.Addressee{OrgUnit: u.OrgUnit, User: u.ID}, u.OrgUnit != "", nil
}

func (s *Server) board(ctx context.Context, in BoardInput, kind string, within time.Duration) (*BoardOutput, error) {
	if err := s.requireRole(ctx, "read the supervision boards", boardReaders...); err != nil {
		return nil, err
	}
	sc, err := s.scopeOf(ctx, currentUser(ctx))
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	if sc, err = s.unitScope(ctx, sc, in.OrgUnit, "query.org_unit"); err != nil {
		return nil, err
	}
	now := time.Now()
	groups, err := s.Store.Board(ctx, store.BoardFilter{Scope: sc, Kind: kind, Now: now, Within: within, PerGroup: in.PerGroup})
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	var units, depts []string
	for _, g := range groups {
		depts = append(depts, g.Department)
		for _, x := range g.Items {
			units = append(units, x.OrgUnit)
		}
	}
	names, err := s.Store.NamesOf(ctx, units, depts)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &BoardOutput{}
	out.Body.At, out.Body.Groups, out.Body.Names = now, groups, names
	return out, nil
}

// holdersAbove names the org units holding open tasks of c when none of them is in the scope
// sc: a case received in a town and escalated to the banner is in the town supervisor's scope,
// but the banner is not theirs to urge. It is "" when some holder is in the scope, or the case
// has no open task (the urge skips it and says so).
func (s *Server) holdersAbove(ctx context.Context, sc store.Scope, c onedoor.Case) (string, error) {
	if sc.All {
		return "", nil
	}
	tasks, err := s.Store.Tasks(ctx, c.ID)
	if err != nil {
		return "", s.problem(ctx, err)
	}
	var outside []string
	for _, t := range tasks {
		if t.Status != onedoor.TaskOpen {
			continue
		}
		unit := cmp.Or(t.OrgUnit, c.OrgUnit)
		if contains(sc.Units, unit) {
			return "", nil
		}
		if !contains(outside, unit) {
			outside = append(outside, unit)
		}
	}
	return strings.Join(outside, ", "), nil
}

func (s *Server) urge(ctx context.Context, in *UrgeInput) (*UrgeOutput, error) {
	if err := s.requireRole(ctx, "urge cases", onedoor.RoleSupervisor, onedoor.RoleAdmin); err != nil {
		return nil, err
	}
	sc, err := s.scopeOf(ctx, currentUser(ctx))
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	ids := make([]string, 0, len(in.Body.Cases))
	var bad []error
	for i, ref := range in.Body.Cases {
		c, err := s.Store.CaseSoon(ctx, ref, mirrorWait)
		ok := err == nil
		if ok {
			if ok, err = s.Store.InScope(ctx, sc, c.ID); err != nil {
				return nil, s.problem(ctx, err)
			}
			if !ok {
				s.refused(ctx, "urge of a case outside the user's scope: "+c.ID)
			}
		} else if onedoor.ErrorCode(err) != onedoor.ENotFound {
			return nil, s.problem(ctx, err)
		}
		if !ok {
			bad = append(bad, &huma.ErrorDetail{Location: fmt.Sprintf("body.cases[%d]", i), Message: "no case has this id or number", Value: ref})
			continue
		}
		if above, err := s.holdersAbove(ctx, sc, c); err != nil {
			return nil, err
		} else if above != "" {
			s.refused(ctx, "urge of "+c.ID+" held outside the user's subtree by "+above)
			bad = append(bad, &huma.ErrorDetail{Location: fmt.Sprintf("body.cases[%d]", i),
				Message: "the case's open tasks are held by " + above + ", outside your subtree: a supervisor urges the units of their own subtree", Value: ref})
			continue
		}
		ids = append(ids, c.ID)
	}
	if len(bad) > 0 {
		return nil, huma.Error422UnprocessableEntity("unknown cases", bad...)
	}
	u := currentUser(ctx)
	var units []string // nil: every holder
	if !sc.All {
		units = append([]string{}, sc.Units...)
	}
	results, err := s.Store.Urge(ctx, ids, units, u.ID, strings.TrimSpace(in.Body.Message), time.Now())
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &UrgeOutput{}
	out.Body.Results = results
	return out, nil
}
