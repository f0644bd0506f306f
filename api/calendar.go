package api

import (
	"cmp"
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

// DueInput is a period to count from a start.
type DueInput struct {
	From   string           `query:"from" required:"true" maxLength:"40" example:"2026-02-13" doc:"When the period starts: a date YYYY-MM-DD (taken as 00:00 Asia/Shanghai) or an RFC 3339 instant such as 2026-02-13T15:04:00+08:00, on a day from 1900-01-01 to 2999-12-31."`
	Amount int              `query:"amount" required:"true" minimum:"1" maximum:"3660" example:"15" doc:"How many units the period lasts; at most 3660, the longest deadline a procedure may have (definitions.MaxPeriodAmount)."`
	Unit   definitions.Unit `query:"unit" required:"true" enum:"days,workdays,hours,minutes" example:"workdays" doc:"days are calendar days (日), workdays are working days (工作日) on the State Council calendar with make-up working days; hours and minutes run by the clock."`
}

// DueOutput is a deadline and how it was computed.
type DueOutput struct {
	Body definitions.Due
}

func (s *Server) registerCalendar(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "calendar-due",
		Method:      http.MethodGet,
		Path:        "/v1/calendar/due",
		Summary:     "Compute a deadline",
		Description: "When a period started at `from` expires, counted as the case workflow counts it: the start day is not " +
			"counted (Civil Code Art.201), working days follow the State Council holiday notices including make-up working " +
			"days, and a period of days ending on a rest day moves to the next working day (Art.203). The explanation lists " +
			"every day counted, skipped or moved over, so a clerk can check it by hand.",
		Tags:     []string{"Calendar"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *DueInput) (*DueOutput, error) {
		from, err := parseFrom(in.From)
		if err != nil {
			return nil, huma.Error422UnprocessableEntity("from is not a date or an instant",
				&huma.ErrorDetail{Location: "query.from", Message: "expected a date YYYY-MM-DD or an RFC 3339 instant", Value: in.From})
		}
		if err := dayInRange(definitions.DateOf(from), "query.from", in.From); err != nil {
			return nil, err
		}
		cal, err := s.calendar(ctx)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		return &DueOutput{Body: cal.Due(from, definitions.Period{Amount: in.Amount, Unit: in.Unit})}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "list-holidays",
		Method:      http.MethodGet,
		Path:        "/v1/calendar/holidays",
		Summary:     "The calendar's holidays",
		Description: "The State Council notices entered into the calendar (each year's rest days and make-up working days), and the regional " +
			"holidays and make-up working days administrators added: those of every county and of the caller's county, or every one for a " +
			"caller above the counties.",
		Tags:     []string{"Calendar"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized},
	}, func(ctx context.Context, _ *struct{}) (*HolidaysOutput, error) {
		county, err := s.userCounty(ctx, currentUser(ctx))
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		regional, err := s.Store.Holidays(ctx, cmp.Or(county, store.AllCounties))
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		notices, err := s.Store.CalendarNotices(ctx, 0)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		out := &HolidaysOutput{}
		out.Body.Notices, out.Body.Regional = notices, regional
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "put-calendar-notice",
		Method:      http.MethodPut,
		Path:        "/v1/calendar/notices/{year}",
		Summary:     "Enter a year's State Council notice",
		Description: "Enters the State Council's notice on a year's holidays (国务院办公厅关于某年部分节假日安排的通知), published each November, " +
			"or replaces the one entered: its title and date as its source, and every rest day and make-up working day it sets. " +
			"New cases, `GET /v1/calendar/due` and the statistics count with it at once; running cases keep the notices they started with. " +
			"Refused (422, at the day) are a day listed twice, a make-up working day on one of the notice's holidays or on a weekday, " +
			"a day outside 1 December of the year before to 31 January of the year after, and a day another year's notice sets. " +
			"Administrators above the counties only: the notice is every county's.",
		Tags:     []string{"Calendar"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusConflict, http.StatusUnprocessableEntity},
	}, s.putNotice)

	huma.Register(api, huma.Operation{
		OperationID:   "delete-calendar-notice",
		Method:        http.MethodDelete,
		Path:          "/v1/calendar/notices/{year}",
		Summary:       "Remove a year's State Council notice",
		Description:   "Removes a notice entered by mistake: new cases count that year with weekends only, and every explanation says so. Administrators above the counties only.",
		Tags:          []string{"Calendar"},
		DefaultStatus: http.StatusNoContent,
		Security:      secured,
		Errors:        []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound},
	}, func(ctx context.Context, in *NoticeYearInput) (*struct{}, error) {
		if err := s.requireNoticeEditor(ctx); err != nil {
			return nil, err
		}
		if err := s.Store.DeleteCalendarNotice(ctx, in.Year); err != nil {
			return nil, s.problem(ctx, err)
		}
		return nil, nil
	})

	huma.Register(api, huma.Operation{
		OperationID:   "add-holiday",
		Method:        http.MethodPost,
		Path:          "/v1/calendar/holidays",
		Summary:       "Add a regional holiday",
		Description:   "Adds a regional holiday, or a make-up working day (workday: true), to the calendar. New deadlines count with it; running cases keep the calendar they started with.",
		Tags:          []string{"Calendar"},
		DefaultStatus: http.StatusCreated,
		Security:      secured,
		Errors:        []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusConflict, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *HolidayInput) (*HolidayOutput, error) {
		if err := s.requireRole(ctx, "edit the calendar", onedoor.RoleAdmin); err != nil {
			return nil, err
		}
		county, err := s.holidayCounty(ctx, in.Body.County)
		if err != nil {
			return nil, err
		}
		day, err := parseDay(in.Body.Date, "body.date")
		if err != nil {
			return nil, err
		}
		h := definitions.Holiday{Date: day, Name: in.Body.Name, NameEN: in.Body.NameEN, Region: in.Body.Region, Workday: in.Body.Workday, County: county}
		if err := s.Store.AddHoliday(ctx, h, currentUser(ctx).ID); err != nil {
			return nil, s.problem(ctx, err)
		}
		return &HolidayOutput{Body: h}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID:   "delete-holiday",
		Method:        http.MethodDelete,
		Path:          "/v1/calendar/holidays/{date}",
		Summary:       "Remove a regional holiday",
		Tags:          []string{"Calendar"},
		DefaultStatus: http.StatusNoContent,
		Security:      secured,
		Errors:        []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *DeleteHolidayInput) (*struct{}, error) {
		if err := s.requireRole(ctx, "edit the calendar", onedoor.RoleAdmin); err != nil {
			return nil, err
		}
		county, err := s.userCounty(ctx, currentUser(ctx))
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		day, err := parseDay(in.Date, "path.date")
		if err != nil {
			return nil, err
		}
		// A county's administrator removes their county's holidays only.
		if err := s.Store.DeleteHoliday(ctx, day, in.Region, cmp.Or(county, store.AllCounties)); err != nil {
			return nil, s.problem(ctx, err)
		}
		return nil, nil
	})
}

// calendar is the caller's working-day calendar: the State Council notices and the regional
// holidays of every county and of the caller's.
func (s *Server) calendar(ctx context.Context) (*definitions.Calendar, error) {
	county, err := s.userCounty(ctx, currentUser(ctx))
	if err != nil {
		return nil, err
	}
	return s.Store.Calendar(ctx, county)
}

// requireNoticeEditor refuses anyone but an administrator, and an administrator inside one county
// of several: a State Council notice is every county's.
func (s *Server) requireNoticeEditor(ctx context.Context) error {
	if err := s.requireRole(ctx, "enter State Council notices", onedoor.RoleAdmin); err != nil {
		return err
	}
	if err := s.requireShared(ctx, currentUser(ctx), "enter State Council notices"); err != nil {
		return s.problem(ctx, err)
	}
	return nil
}

func (s *Server) putNotice(ctx context.Context, in *PutNoticeInput) (*NoticeOutput, error) {
	if err := s.requireNoticeEditor(ctx); err != nil {
		return nil, err
	}
	n := definitions.Notice{Year: in.Year, Title: in.Body.Title}
	var problems []error
	issued, err := parseDay(in.Body.Issued, "body.issued")
	if err != nil {
		problems = append(problems, detailsOf(err)...)
	}
	n.Issued = issued
	for i, d := range in.Body.Days {
		day, err := parseDay(d.Date, fmt.Sprintf("body.days[%d].date", i))
		if err != nil {
			problems = append(problems, detailsOf(err)...)
		}
		n.Days = append(n.Days, definitions.Holiday{Date: day, Name: d.Name, NameEN: d.NameEN, Workday: d.Workday})
	}
	if len(problems) == 0 {
		others, err := s.Store.CalendarNotices(ctx, 0)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		for _, p := range n.Check(others) {
			loc := "body.days"
			if p.Day >= 0 {
				loc = fmt.Sprintf("body.days[%d].date", p.Day)
			}
			problems = append(problems, &huma.ErrorDetail{Location: loc, Message: p.Message, Value: dayValue(n, p.Day)})
		}
	}
	if len(problems) > 0 {
		return nil, huma.Error422UnprocessableEntity("the notice is not valid", problems...)
	}
	slices.SortFunc(n.Days, func(a, b definitions.Holiday) int { return a.Date.Compare(b.Date) })
	if err := s.Store.PutCalendarNotice(ctx, n, currentUser(ctx).ID); err != nil {
		return nil, s.problem(ctx, err)
	}
	stored, err := s.Store.CalendarNotices(ctx, n.Year)
	if err != nil || len(stored) == 0 || stored[0].Year != n.Year {
		return nil, s.problem(ctx, cmp.Or(err, errors.New("the notice entered is not there")))
	}
	return &NoticeOutput{Body: stored[0]}, nil
}

// dayValue is the date of the notice's day i, for a problem; nothing for the notice itself.
func dayValue(n definitions.Notice, i int) any {
	if i < 0 {
		return nil
	}
	return n.Days[i].Date.String()
}

// detailsOf is the details of a 422 problem, to gather them with others.
func detailsOf(err error) []error {
	var m *huma.ErrorModel
	if errors.As(err, &m) {
		out := make([]error, len(m.Errors))
		for i, d := range m.Errors {
			out[i] = d
		}
		return out
	}
	return []error{err}
}

// userCounty is the code of the county the user works in (its government unit's), or empty for
// a user above the counties or of no unit.
func (s *Server) userCounty(ctx context.Context, u onedoor.User) (string, error) {
	if u.OrgUnit == "" {
		return "", nil
	}
	county, err := s.countyOf(ctx, u.OrgUnit)
	if err != nil || county.Level.Above() {
		return "", err
	}
	return county.Code, nil
}

// holidayCounty is the county a holiday being added applies to: the administrator's own for a
// county's (naming another is refused), the one named (a county's government unit) or every
// county for an administrator above the counties.
func (s *Server) holidayCounty(ctx context.Context, named string) (string, error) {
	own, err := s.userCounty(ctx, currentUser(ctx))
	if err != nil {
		return "", s.problem(ctx, err)
	}
	switch {
	case own != "" && named != "" && named != own:
		s.refused(ctx, "a county administrator may not add a holiday of another county: "+named)
		return "", huma.Error403Forbidden("a county's administrator adds holidays for their own county only")
	case own != "":
		return own, nil
	case named == "":
		return "", nil
	}
	u, err := s.Store.OrgUnit(ctx, named)
	if onedoor.ErrorCode(err) == onedoor.ENotFound || (err == nil && u.Level != definitions.LevelGovernment) {
		return "", huma.Error422UnprocessableEntity("unknown county",
			&huma.ErrorDetail{Location: "body.county", Message: "no county's government unit has this code", Value: named})
	} else if err != nil {
		return "", s.problem(ctx, err)
	}
	return named, nil
}

// HolidaysOutput lists the calendar's holidays.
type HolidaysOutput struct {
	Body struct {
		Notices  []definitions.Notice  `json:"notices" doc:"The State Council notices, by year; years without one count weekends only."`
		Regional []definitions.Holiday `json:"regional" doc:"Regional holidays and make-up working days added by administrators."`
	}
}

// NoticeYearInput names a year's notice.
type NoticeYearInput struct {
	Year int `path:"year" minimum:"2000" maximum:"2999" example:"2027" doc:"The year the notice is for."`
}

// PutNoticeInput is a year's State Council notice.
type PutNoticeInput struct {
	Year int `path:"year" minimum:"2000" maximum:"2999" example:"2027" doc:"The year the notice is for."`
	Body struct {
		Title  string `json:"title" minLength:"1" maxLength:"200" example:"国务院办公厅关于2027年部分节假日安排的通知" doc:"The notice's title, with its document number if it has one."`
		Issued string `json:"issued" format:"date" example:"2026-11-10" doc:"The day it was issued, YYYY-MM-DD."`
		Days   []struct {
			Date    string `json:"date" format:"date" example:"2027-02-06" doc:"The day, YYYY-MM-DD."`
			Name    string `json:"name" minLength:"1" maxLength:"100" example:"春节" doc:"The holiday's Chinese name; a make-up working day takes the name of the holiday it belongs to."`
			NameEN  string `json:"name_en,omitempty" maxLength:"100" example:"Spring Festival"`
			Workday bool   `json:"workday,omitempty" doc:"A make-up working day (调休上班), a Saturday or Sunday worked, instead of a rest day."`
		} `json:"days" minItems:"1" maxItems:"100" doc:"Every rest day and make-up working day the notice sets, one entry per day."`
	}
}

// NoticeOutput is a notice as stored.
type NoticeOutput struct {
	Body definitions.Notice
}

// HolidayInput is a regional holiday to add.
type HolidayInput struct {
	Body struct {
		Date    string `json:"date" format:"date" example:"2026-07-11" doc:"The day, YYYY-MM-DD, from 1900-01-01 to 2999-12-31."`
		Name    string `json:"name" minLength:"1" maxLength:"100" example:"那达慕大会" doc:"Chinese name."`
		NameEN  string `json:"name_en,omitempty" maxLength:"100" example:"Naadam"`
		Region  string `json:"region" minLength:"1" maxLength:"100" example:"内蒙古自治区" doc:"The region that observes it."`
		Workday bool   `json:"workday,omitempty" doc:"A make-up working day (调休上班) instead of a holiday."`
		County  string `json:"county,omitempty" maxLength:"64" example:"wushen-gov" doc:"Only the cases of this county (its government unit's code) count with it; every county's when empty. A county's administrator adds holidays for their own county only, and it is filled in for them."`
	}
}

// HolidayOutput is the holiday added.
type HolidayOutput struct {
	Body definitions.Holiday
}

// DeleteHolidayInput names a regional holiday.
type DeleteHolidayInput struct {
	Date   string `path:"date" maxLength:"10" doc:"The day, YYYY-MM-DD."`
	Region string `query:"region" required:"true" maxLength:"100" doc:"The region."`
}

// parseFrom reads a date (midnight in Asia/Shanghai) or an RFC 3339 instant.
func parseFrom(s string) (time.Time, error) {
	if d, err := definitions.ParseDate(s); err == nil {
		return d.Start(), nil
	}
	return time.Parse(time.RFC3339, s)
}
