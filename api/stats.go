package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/store"
)

// MaxStatsYears is the longest period the statistics count: a period's cost grows with its
// length (each day of it is checked against the calendar, each month and day read).
const MaxStatsYears = 50

// statsDaysPerRequest is how many days of a period cost as much as an ordinary request: a
// period is charged one request more per such days against the user's rate limit, so that
// within the limit no user keeps a core busy with decades of statistics.
const statsDaysPerRequest = 60

// StatsInput selects the cases the figures count.
type StatsInput struct {
	From       string `query:"from" format:"date" doc:"First day received (YYYY-MM-DD, Asia/Shanghai, 1900-01-01 to 2999-12-31); 1 January of this year when empty."`
	To         string `query:"to" format:"date" doc:"Last day received, included (up to 2999-12-31); today when empty."`
	Matter     string `query:"matter" pattern:"^[a-z][a-z0-9_-]{0,62}$" maxLength:"63" example:"petition" doc:"Kind of matter: a built-in one (petition, mediation, legal_aid, notarization, consultation, grid_event) or one of an administrator's procedures; a matter no case has matches nothing."`
	Level      string `query:"level" enum:"group,village,town,banner,government" doc:"Level of the unit that received the matter."`
	OrgUnit    string `query:"org_unit" maxLength:"64" doc:"Unit that received the matter, with the units below it."`
	Department string `query:"department" maxLength:"64" doc:"Only cases that have or had a task for this department."`
}

// StatsOutput are the figures of a period.
type StatsOutput struct {
	Body struct {
		From string `json:"from" doc:"First day counted."`
		To   string `json:"to" doc:"Last day counted."`
		store.Stats
	}
}

func (s *Server) registerStats(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "stats",
		Method:      http.MethodGet,
		Path:        "/v1/stats",
		Summary:     "Statistics of a period",
		Description: "Received, accepted, handled on the first visit, mediated and the mediation success rate, escalated, overdue, " +
			"and the average handling time in working days, of the matters received in the period within the caller's scope " +
			"(the matters its units received). A period covers at most 50 years (422 beyond), and counts against the caller's rate limit as one request more for every 60 days (429 when spent). docs/api.md defines each figure.",
		Tags:     []string{"Statistics"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusUnprocessableEntity, http.StatusTooManyRequests},
	}, func(ctx context.Context, in *StatsInput) (*StatsOutput, error) {
		f, from, to, err := s.statsFilter(ctx, in)
		if err != nil {
			return nil, err
		}
		// The national notices only: the statistics compare units of counties whose regional
		// holidays differ.
		notices, err := s.Store.CalendarNotices(ctx, 0)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		st, err := s.Store.Stats(ctx, f, definitions.CalendarOf(notices, nil))
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		out := &StatsOutput{}
		out.Body.From, out.Body.To, out.Body.Stats = from.String(), to.String(), st
		return out, nil
	})
}

// statsFilter reads a statistics query within the caller's scope, and charges its period
// against the caller's rate limit.
func (s *Server) statsFilter(ctx context.Context, in *StatsInput) (f store.StatsFilter, from, to definitions.Date, err error) {
	sc, err := s.scopeOf(ctx, currentUser(ctx))
	if err != nil {
		return f, from, to, s.problem(ctx, err)
	}
	if from, to, err = periodOf(in.From, in.To); err != nil {
		return f, from, to, err
	}
	days := int(to.End().Sub(from.Start()).Hours() / 24)
	if err := charge(ctx, days/statsDaysPerRequest); err != nil {
		return f, from, to, err
	}
	f = store.StatsFilter{Scope: sc, From: from.Start(), To: to.End(), Matter: in.Matter, Level: in.Level, Department: in.Department}
	if in.OrgUnit != "" {
		units, err := s.Store.Subtree(ctx, in.OrgUnit)
		if onedoor.ErrorCode(err) == onedoor.ENotFound {
			return f, from, to, huma.Error422UnprocessableEntity("unknown org unit",
				&huma.ErrorDetail{Location: "query.org_unit", Message: "no org unit has this code", Value: in.OrgUnit})
		} else if err != nil {
			return f, from, to, s.problem(ctx, err)
		}
		f.OrgUnits = units
	}
	return f, from, to, nil
}

// periodOf reads the days of a period from the query (from: 1 January of this year when empty,
// to: today), refusing a period that ends before it starts or covers more than MaxStatsYears.
func periodOf(fromText, toText string) (from, to definitions.Date, err error) {
	today := definitions.DateOf(time.Now())
	from, to = definitions.NewDate(today.Year, time.January, 1), today
	if fromText != "" {
		if from, err = parseDay(fromText, "query.from"); err != nil {
			return from, to, err
		}
	}
	if toText != "" {
		if to, err = parseDay(toText, "query.to"); err != nil {
			return from, to, err
		}
	}
	if to.Start().Before(from.Start()) {
		return from, to, huma.Error422UnprocessableEntity("the period ends before it starts",
			&huma.ErrorDetail{Location: "query.to", Message: "must be on or after from", Value: toText})
	}
	if from.Start().AddDate(MaxStatsYears, 0, 0).Before(to.Start()) {
		return from, to, huma.Error422UnprocessableEntity("the period is too long",
			&huma.ErrorDetail{Location: "query.from", Message: fmt.Sprintf("a period covers at most %d years: ask for several shorter ones", MaxStatsYears), Value: fromText})
	}
	return from, to, nil
}
