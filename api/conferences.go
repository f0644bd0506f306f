package api

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"go.temporal.io/sdk/temporal"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/store"
	"github.com/onedoor/onedoor/workflows"
)

// 会商研判: case conferences. A supervisor convenes one on the cases of their scope; the API keeps
// it and sends each case a conference action per phase (schedule, hold, cancel), each with an
// update id derived from the conference, so that a request retried after a failure halfway
// applies nothing twice and finishes what the first did not.

// ConferenceInput convenes a conference.
type ConferenceInput struct {
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"200" doc:"A retried request with the same key gets the same conference, and finishes telling its cases; the same key with another conference is refused (422)."`
	Body           struct {
		Title        string    `json:"title" minLength:"1" maxLength:"200" doc:"What it is about."`
		At           time.Time `json:"at" doc:"When it is held (RFC 3339); in the future."`
		Place        string    `json:"place" minLength:"1" maxLength:"200"`
		Cases        []string  `json:"cases" minItems:"1" maxItems:"20" doc:"The numbers of the cases it discusses, in the caller's scope and open."`
		Departments  []string  `json:"departments" minItems:"1" maxItems:"20" doc:"The departments invited."`
		StopClock    bool      `json:"stop_clock,omitempty" doc:"Stop the cases' clocks until it is held, on the tasks whose deadline the procedure lets suspend (the others run on)."`
		RemindBefore *int      `json:"remind_before_hours,omitempty" minimum:"0" maximum:"720" doc:"Hours before it that the invited and the convening unit's supervisors are reminded: 24 when absent, none when 0; at once when that time has passed."`
	}
}

// ConferenceOutput is one conference.
type ConferenceOutput struct {
	Body store.Conference
}

// ConferencesOutput lists conferences.
type ConferencesOutput struct {
	Body struct {
		Items []store.Conference `json:"items" doc:"The conferences convened by the units in the caller's scope, latest first (at most 200)."`
	}
}

// ConferenceRef names a conference.
type ConferenceRef struct {
	ID string `path:"id" format:"uuid" doc:"The conference's id."`
}

// HoldInput records a conference as held.
type HoldInput struct {
	ID   string `path:"id" format:"uuid" doc:"The conference's id."`
	Body struct {
		Minutes    string            `json:"minutes" minLength:"1" maxLength:"5000" doc:"The minutes (会议纪要)."`
		Attendance []AttendanceInput `json:"attendance" maxItems:"20" doc:"Whether each invited department attended; one not named did not."`
		Decisions  []DecisionInput   `json:"decisions" maxItems:"100" doc:"The decisions about its cases: a department's task with its due period, or a hand-down. A case without a decision is only recorded as discussed."`
	}
}

// AttendanceInput says whether an invited department attended, and who came.
type AttendanceInput struct {
	Department string `json:"department" maxLength:"64"`
	Attended   bool   `json:"attended"`
	Attendee   string `json:"attendee,omitempty" maxLength:"100" doc:"Who came for it."`
}

// DecisionInput is one decision about a case: a department's task (department, task, due), or
// a hand-down to a unit below the case's (hand_down).
type DecisionInput struct {
	Case       string              `json:"case" maxLength:"64" doc:"The case's number, one of the conference's."`
	Department string              `json:"department,omitempty" maxLength:"64" doc:"The department given the task."`
	Task       string              `json:"task,omitempty" maxLength:"200" doc:"What the department is to do."`
	Due        *definitions.Period `json:"due,omitempty" doc:"By when, from the conference's holding: e.g. {amount: 5, unit: workdays}."`
	Lead       bool                `json:"lead,omitempty" doc:"The department leads (牵头) the others on the case."`
	HandDown   string              `json:"hand_down,omitempty" maxLength:"64" doc:"Instead of a task: the org unit directly below the case's that the case is handed down to (交办)."`
}

// CancelInput cancels a conference.
type CancelInput struct {
	ID   string `path:"id" format:"uuid" doc:"The conference's id."`
	Body struct {
		Reason string `json:"reason" minLength:"1" maxLength:"500"`
	}
}

func (s *Server) registerConferences(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "create-conference",
		Method:      http.MethodPost,
		Path:        "/v1/conferences",
		Summary:     "Convene a case conference (会商研判)",
		Description: "Schedules a conference on one or several open cases of the caller's scope, with the departments invited. " +
			"Each case records it in its timeline and shows that it waits for it; with `stop_clock` its tasks whose deadline the " +
			"procedure lets suspend stop their clock until it is held. The invited departments and the convening unit's " +
			"supervisors are reminded before it. For supervisors.",
		Tags:          []string{"Conferences"},
		Security:      secured,
		DefaultStatus: http.StatusCreated,
		Errors:        []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusConflict, http.StatusUnprocessableEntity, http.StatusServiceUnavailable},
	}, s.createConference)

	huma.Register(api, huma.Operation{
		OperationID: "list-conferences",
		Method:      http.MethodGet,
		Path:        "/v1/conferences",
		Summary:     "Case conferences",
		Description: "The conferences convened by the units in the caller's scope, latest first.",
		Tags:        []string{"Conferences"},
		Security:    secured,
		Errors:      []int{http.StatusUnauthorized, http.StatusForbidden},
	}, func(ctx context.Context, _ *struct{}) (*ConferencesOutput, error) {
		units, err := s.conferenceUnits(ctx)
		if err != nil {
			return nil, err
		}
		items, err := s.Store.Conferences(ctx, units, 200)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		out := &ConferencesOutput{}
		out.Body.Items = items
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "get-conference",
		Method:      http.MethodGet,
		Path:        "/v1/conferences/{id}",
		Summary:     "A case conference",
		Tags:        []string{"Conferences"},
		Security:    secured,
		Errors:      []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound},
	}, func(ctx context.Context, in *ConferenceRef) (*ConferenceOutput, error) {
		c, err := s.visibleConference(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return &ConferenceOutput{Body: c}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "hold-conference",
		Method:      http.MethodPost,
		Path:        "/v1/conferences/{id}/hold",
		Summary:     "Record a case conference as held",
		Description: "Records the minutes, the attendance and the decisions: each case's clocks stopped for it start again, each " +
			"decision opens a department's task on its case, due in the period given from now (or hands the case down), and " +
			"every case's timeline gets the minutes, the attendance and its decisions. A request retried after a failure " +
			"finishes the cases the first did not reach. For supervisors of the convening unit.",
		Tags:     []string{"Conferences"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity, http.StatusServiceUnavailable},
	}, s.holdConference)

	huma.Register(api, huma.Operation{
		OperationID: "cancel-conference",
		Method:      http.MethodPost,
		Path:        "/v1/conferences/{id}/cancel",
		Summary:     "Cancel a case conference",
		Description: "Cancels a scheduled conference: its cases' clocks stopped for it start again, and their timelines say why. For supervisors of the convening unit.",
		Tags:        []string{"Conferences"},
		Security:    secured,
		Errors:      []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusServiceUnavailable},
	}, s.cancelConference)
}

// conferenceUnits are the org units whose conferences the caller sees, nil for all.
func (s *Server) conferenceUnits(ctx context.Context) ([]string, error) {
	sc, err := s.scopeOf(ctx, currentUser(ctx))
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	switch {
	case sc.All:
		return nil, nil
	case sc.Department != "" || len(sc.Units) == 0:
		return nil, huma.Error403Forbidden("only the staff of org units see the conferences")
	}
	return sc.Units, nil
}

// visibleConference reads a conference the caller's scope sees.
func (s *Server) visibleConference(ctx context.Context, id string) (store.Conference, error) {
	units, err := s.conferenceUnits(ctx)
	if err != nil {
		return store.Conference{}, err
	}
	c, err := s.Store.Conference(ctx, id)
	if err == nil && units != nil && !slices.Contains(units, c.OrgUnit) {
		err = onedoor.Errorf(onedoor.ENotFound, "conference %s not found", id)
	}
	if err != nil {
		return c, s.problem(ctx, err)
	}
	return c, nil
}

// convener reads a scheduled conference the caller, a supervisor of its unit or above, may hold
// or cancel.
func (s *Server) convener(ctx context.Context, id, what string) (store.Conference, onedoor.User, error) {
	user := currentUser(ctx)
	if err := s.requireRole(ctx, what, onedoor.RoleSupervisor); err != nil {
		return store.Conference{}, user, err
	}
	c, err := s.visibleConference(ctx, id)
	return c, user, err
}

func (s *Server) createConference(ctx context.Context, in *ConferenceInput) (*ConferenceOutput, error) {
	if err := s.requireRole(ctx, "convene a case conference", onedoor.RoleSupervisor); err != nil {
		return nil, err
	}
	user := currentUser(ctx)
	b := in.Body
	now := time.Now()
	var problems []error
	if !b.At.After(now) {
		problems = append(problems, &huma.ErrorDetail{Location: "body.at", Message: "a conference is convened for a time to come", Value: b.At})
	}
	for i, d := range b.Departments {
		if slices.Index(b.Departments, d) < i {
			problems = append(problems, &huma.ErrorDetail{Location: fmt.Sprintf("body.departments[%d]", i), Message: "named twice", Value: d})
		} else if _, err := s.Store.Department(ctx, d); onedoor.ErrorCode(err) == onedoor.ENotFound {
			problems = append(problems, &huma.ErrorDetail{Location: fmt.Sprintf("body.departments[%d]", i), Message: "no department has this code", Value: d})
		} else if err != nil {
			return nil, s.problem(ctx, err)
		}
	}
	var cases []store.ConferenceCase
	var full []onedoor.Case
	for i, number := range b.Cases {
		where := fmt.Sprintf("body.cases[%d]", i)
		if slices.Index(b.Cases, number) < i {
			problems = append(problems, &huma.ErrorDetail{Location: where, Message: "named twice", Value: number})
			continue
		}
		c, err := s.Store.Case(ctx, number)
		if err == nil {
			err = s.inScope(ctx, number, c)
		}
		var status huma.StatusError
		switch {
		case onedoor.ErrorCode(err) == onedoor.ENotFound || (errors.As(err, &status) && status.GetStatus() == http.StatusNotFound):
			problems = append(problems, &huma.ErrorDetail{Location: where, Message: "no case has this number in your scope", Value: number})
			continue
		case err != nil:
			return nil, s.problem(ctx, err)
		case c.Status == onedoor.StatusClosed:
			problems = append(problems, &huma.ErrorDetail{Location: where, Message: "the case is closed", Value: number})
			continue
		}
		cases = append(cases, store.ConferenceCase{ID: c.ID, Number: c.Number, Subject: c.Subject, Status: string(c.Status)})
		full = append(full, c)
	}
	if len(problems) > 0 {
		return nil, huma.Error422UnprocessableEntity("the conference cannot be convened", problems...)
	}

	id := uuid.NewString()
	if in.IdempotencyKey != "" {
		body, _ := json.Marshal(b)
		sum := sha256.Sum256(body)
		if err := s.Store.RememberIdempotencyKey(ctx, user.ID, "conference", in.IdempotencyKey, sum[:]); err != nil {
			return nil, s.problem(ctx, err)
		}
		id = uuid.NewSHA1(idempotencyNamespace, []byte(user.ID+"\x00conference\x00"+in.IdempotencyKey)).String()
	}
	conf := store.Conference{ID: id, OrgUnit: user.OrgUnit, Title: b.Title, At: b.At, Place: b.Place, StopClock: b.StopClock,
		Status: "scheduled", Cases: cases, CreatedBy: user.ID, CreatedAt: now}
	hours := 24
	if b.RemindBefore != nil {
		hours = *b.RemindBefore
	}
	if hours > 0 {
		at := b.At.Add(-time.Duration(hours) * time.Hour)
		if at.Before(now) {
			at = now
		}
		conf.RemindAt = &at
	}
	for _, d := range b.Departments {
		conf.Invitees = append(conf.Invitees, store.ConferenceInvitee{Department: d})
	}
	if err := s.Store.CreateConference(ctx, conf); err != nil {
		return nil, s.problem(ctx, err)
	}
	record := onedoor.CaseConference{ID: id, Title: b.Title, OrgUnit: user.OrgUnit, At: b.At, Place: b.Place,
		Departments: b.Departments, StopClock: b.StopClock, RemindAt: conf.RemindAt}
	for _, c := range full {
		a := workflows.Action{Type: workflows.ActConference, Actor: user,
			Conference: &workflows.ConferenceAct{Phase: workflows.ConferenceSchedule, Conference: record}}
		if err := s.conferenceAct(ctx, c, a); err != nil {
			return nil, err
		}
	}
	out, err := s.Store.Conference(ctx, id)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &ConferenceOutput{Body: out}, nil
}

// conferenceDone refuses to hold or cancel a conference that was held or cancelled.
func conferenceDone(status string) error {
	switch status {
	case "held":
		return huma.Error409Conflict("the conference was already held")
	case "cancelled":
		return huma.Error409Conflict("the conference was cancelled")
	}
	return nil
}

// conferenceAct sends a case its conference action, once: a refusal because the case already
// has it (an earlier try of the same request got through) is no error.
func (s *Server) conferenceAct(ctx context.Context, c onedoor.Case, a workflows.Action) error {
	_, err := s.cases.Act(ctx, c, "conference-"+a.Conference.Conference.ID+"-"+a.Conference.Phase, a)
	var app *temporal.ApplicationError
	if errors.As(err, &app) && app.Type() == workflows.ErrConflict {
		if cur, rerr := s.Store.Case(ctx, c.ID); rerr == nil && conferenceReached(cur, a.Conference) {
			return nil
		}
	}
	if err != nil {
		return s.problem(ctx, err)
	}
	return nil
}

// conferenceReached reports whether the case already records the conference's phase.
func conferenceReached(c onedoor.Case, act *workflows.ConferenceAct) bool {
	want := map[string]string{workflows.ConferenceSchedule: "", workflows.ConferenceHold: "held", workflows.ConferenceCancel: "cancelled"}[act.Phase]
	for _, k := range c.Conferences {
		if k.ID == act.Conference.ID {
			return want == "" || k.Status == want
		}
	}
	return false
}

func (s *Server) holdConference(ctx context.Context, in *HoldInput) (*ConferenceOutput, error) {
	conf, user, err := s.convener(ctx, in.ID, "hold a case conference")
	if err != nil {
		return nil, err
	}
	if err := conferenceDone(conf.Status); err != nil {
		return nil, err
	}
	b := in.Body
	var problems []error
	invited := func(d string) bool {
		return slices.ContainsFunc(conf.Invitees, func(i store.ConferenceInvitee) bool { return i.Department == d })
	}
	attendance := map[string]AttendanceInput{}
	for i, a := range b.Attendance {
		if !invited(a.Department) {
			problems = append(problems, &huma.ErrorDetail{Location: fmt.Sprintf("body.attendance[%d].department", i), Message: "not invited to the conference", Value: a.Department})
		}
		attendance[a.Department] = a
	}
	byCase := map[string][]workflows.ConferenceDecision{}
	handDown := map[string]*definitions.OrgUnit{}
	for i, d := range b.Decisions {
		where := func(f string) string { return fmt.Sprintf("body.decisions[%d].%s", i, f) }
		k := slices.IndexFunc(conf.Cases, func(c store.ConferenceCase) bool { return c.Number == d.Case })
		if k < 0 {
			problems = append(problems, &huma.ErrorDetail{Location: where("case"), Message: "not a case of the conference", Value: d.Case})
			continue
		}
		if conf.Cases[k].Status == string(onedoor.StatusClosed) {
			problems = append(problems, &huma.ErrorDetail{Location: where("case"), Message: "the case is closed", Value: d.Case})
			continue
		}
		if d.HandDown != "" {
			if d.Department != "" || d.Task != "" || d.Due != nil {
				problems = append(problems, &huma.ErrorDetail{Location: where("hand_down"), Message: "a decision is a department's task or a hand-down, not both"})
				continue
			}
			if handDown[d.Case] != nil {
				problems = append(problems, &huma.ErrorDetail{Location: where("hand_down"), Message: "the case is handed down once", Value: d.HandDown})
				continue
			}
			unit, err := s.Store.OrgUnit(ctx, d.HandDown)
			if onedoor.ErrorCode(err) == onedoor.ENotFound {
				problems = append(problems, &huma.ErrorDetail{Location: where("hand_down"), Message: "no org unit has this code", Value: d.HandDown})
				continue
			} else if err != nil {
				return nil, s.problem(ctx, err)
			}
			handDown[d.Case] = &unit
			continue
		}
		if _, err := s.Store.Department(ctx, d.Department); onedoor.ErrorCode(err) == onedoor.ENotFound {
			problems = append(problems, &huma.ErrorDetail{Location: where("department"), Message: "no department has this code", Value: d.Department})
			continue
		} else if err != nil {
			return nil, s.problem(ctx, err)
		}
		if strings.TrimSpace(d.Task) == "" {
			problems = append(problems, &huma.ErrorDetail{Location: where("task"), Message: "say what the department is to do"})
		}
		if d.Due == nil || d.Due.Amount <= 0 || d.Due.Amount > definitions.MaxPeriodAmount || !d.Due.Unit.Valid() {
			problems = append(problems, &huma.ErrorDetail{Location: where("due"), Message: "a task decided needs its due period: an amount from 1 and a unit (minutes, hours, days, workdays)", Value: d.Due})
			continue
		}
		byCase[d.Case] = append(byCase[d.Case], workflows.ConferenceDecision{Department: d.Department, Task: strings.TrimSpace(d.Task), Due: *d.Due, Lead: d.Lead})
	}
	if len(problems) > 0 {
		return nil, huma.Error422UnprocessableEntity("the conference cannot be recorded", problems...)
	}

	// Who attended, as the cases' timelines say it.
	var present, absent []string
	for i := range conf.Invitees {
		inv := &conf.Invitees[i]
		a, ok := attendance[inv.Department]
		attended := ok && a.Attended
		inv.Attended, inv.Attendee = &attended, a.Attendee
		name := inv.Department
		if d, err := s.Store.Department(ctx, inv.Department); err == nil && d.Name != "" {
			name = d.Name
		}
		if attended {
			present = append(present, name)
		} else {
			absent = append(absent, name)
			continue
		}
		if a.Attendee != "" {
			present[len(present)-1] += "（" + a.Attendee + "）"
		}
	}
	text := "无"
	if len(present) > 0 {
		text = strings.Join(present, "、")
	}
	if len(absent) > 0 {
		text += "；缺席：" + strings.Join(absent, "、")
	}
	record := onedoor.CaseConference{ID: conf.ID, Title: conf.Title, Minutes: b.Minutes, Attendance: text}
	now := time.Now()
	conf.Decisions = nil
	for _, k := range conf.Cases {
		c, err := s.Store.Case(ctx, k.ID)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		if c.Status == onedoor.StatusClosed {
			continue // closed since: nothing waits for the conference there
		}
		a := workflows.Action{Type: workflows.ActConference, Actor: user, Target: handDown[k.Number],
			Conference: &workflows.ConferenceAct{Phase: workflows.ConferenceHold, Conference: record, Decisions: byCase[k.Number]}}
		if err := s.conferenceAct(ctx, c, a); err != nil {
			return nil, err
		}
		if t := handDown[k.Number]; t != nil {
			conf.Decisions = append(conf.Decisions, store.ConferenceDecision{Case: k.Number, HandDown: t.Code})
		}
		// The tasks the decisions opened, as the case has them now.
		tasks, err := s.Store.Tasks(ctx, c.ID)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		for _, d := range byCase[k.Number] {
			rec := store.ConferenceDecision{Case: k.Number, Department: d.Department, Task: d.Task, Due: d.Due.String(), Lead: d.Lead}
			for j := len(tasks) - 1; j >= 0; j-- {
				t := tasks[j]
				if t.Department == d.Department && strings.HasPrefix(t.Name, "会商交办："+d.Task) && !slices.ContainsFunc(conf.Decisions,
					func(x store.ConferenceDecision) bool { return x.Case == k.Number && x.TaskID == t.ID }) {
					rec.TaskID, rec.DueAt = t.ID, t.DueAt
					break
				}
			}
			conf.Decisions = append(conf.Decisions, rec)
		}
	}
	conf.Minutes, conf.HeldBy, conf.HeldAt = b.Minutes, user.ID, &now
	if err := s.Store.HoldConference(ctx, conf); err != nil {
		return nil, s.problem(ctx, err)
	}
	out, err := s.Store.Conference(ctx, conf.ID)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &ConferenceOutput{Body: out}, nil
}

func (s *Server) cancelConference(ctx context.Context, in *CancelInput) (*ConferenceOutput, error) {
	conf, user, err := s.convener(ctx, in.ID, "cancel a case conference")
	if err != nil {
		return nil, err
	}
	if err := conferenceDone(conf.Status); err != nil {
		return nil, err
	}
	for _, k := range conf.Cases {
		c, err := s.Store.Case(ctx, k.ID)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		if c.Status == onedoor.StatusClosed {
			continue // nothing waits for it any more
		}
		a := workflows.Action{Type: workflows.ActConference, Actor: user, Reason: in.Body.Reason,
			Conference: &workflows.ConferenceAct{Phase: workflows.ConferenceCancel, Conference: onedoor.CaseConference{ID: conf.ID}}}
		if err := s.conferenceAct(ctx, c, a); err != nil {
			return nil, err
		}
	}
	if err := s.Store.CancelConference(ctx, conf.ID, user.ID, in.Body.Reason); err != nil {
		return nil, s.problem(ctx, err)
	}
	out, err := s.Store.Conference(ctx, conf.ID)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &ConferenceOutput{Body: out}, nil
}
