package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onedoor/onedoor/definitions"
)

// calendar is the working-day calendar of the State Council notices. Regional holidays are not
// configurable yet.
var calendar = definitions.NewCalendar()

// DueInput is a period to count from a start.
type DueInput struct {
	From   string           `query:"from" required:"true" maxLength:"40" example:"2026-02-13" doc:"When the period starts: a date YYYY-MM-DD (taken as 00:00 Asia/Shanghai) or an RFC 3339 instant such as 2026-02-13T15:04:00+08:00."`
	Amount int              `query:"amount" required:"true" minimum:"1" maximum:"100000" example:"15" doc:"How many units the period lasts."`
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
		return &DueOutput{Body: calendar.Due(from, definitions.Period{Amount: in.Amount, Unit: in.Unit})}, nil
	})
}

// parseFrom reads a date (midnight in Asia/Shanghai) or an RFC 3339 instant.
func parseFrom(s string) (time.Time, error) {
	if d, err := definitions.ParseDate(s); err == nil {
		return d.Start(), nil
	}
	return time.Parse(time.RFC3339, s)
}
