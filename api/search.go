package api

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/store"
)

// CaseFilterInput filters a search of cases; the caller's scope always applies.
type CaseFilterInput struct {
	Matter       string `query:"matter" pattern:"^[a-z][a-z0-9_-]{0,62}$" maxLength:"63" example:"petition" doc:"Kind of matter: a built-in one (petition, mediation, legal_aid, notarization, consultation, grid_event) or one of an administrator's procedures; a matter no case has matches nothing."`
	Status       string `query:"status" enum:"open,closed" doc:"open or closed."`
	Level        string `query:"level" enum:"group,village,town,banner,government" doc:"Level holding the case now."`
	OrgUnit      string `query:"org_unit" maxLength:"64" doc:"Org unit holding the case now, with every unit below it."`
	ReceivedFrom string `query:"received_from" format:"date" doc:"Received on or after this day (YYYY-MM-DD, Asia/Shanghai, 1900-01-01 to 2999-12-31)."`
	ReceivedTo   string `query:"received_to" format:"date" doc:"Received on or before this day (YYYY-MM-DD, Asia/Shanghai, 1900-01-01 to 2999-12-31)."`
	Overdue      string `query:"overdue" enum:"true,false" doc:"An open task is past its due date (true) or none is (false)."`
	Q            string `query:"q" maxLength:"100" doc:"Text anywhere in the subject, the resident name or the statement of the matter (the facts, a consultation's question, a grid event's description), ignoring case, from one character on (a surname, a two-character word); from three characters on, in the case number too. A match lies inside one field."`
	Mine         string `query:"mine" enum:"true,false" doc:"true: only the cases the caller registered (我发起的)."`
}

// SearchCasesInput is a search of cases, one page at a time.
type SearchCasesInput struct {
	CaseFilterInput
	Cursor string `query:"cursor" maxLength:"500" doc:"The next cursor of the previous page."`
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"50" doc:"Cases per page."`
}

// SearchCasesOutput is one page of cases, newest received first.
type SearchCasesOutput struct {
	Body struct {
		Items []onedoor.Case `json:"items"`
		Next  string         `json:"next,omitempty" doc:"Cursor of the next page; absent on the last page."`
	}
}

func (s *Server) registerSearch(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "search-cases",
		Method:      http.MethodGet,
		Path:        "/v1/cases",
		Summary:     "Search cases",
		Description: "Cases in the caller's scope that match every filter given, newest received first. " +
			"Keyset-paginated: pass `next` as `cursor`; pages stay stable while cases are added.",
		Tags:     []string{"Cases"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *SearchCasesInput) (*SearchCasesOutput, error) {
		f, err := s.caseFilter(ctx, in.CaseFilterInput)
		if err != nil {
			return nil, err
		}
		f.Cursor, f.Limit = in.Cursor, in.Limit
		page, err := s.Store.SearchCases(ctx, f)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		for i := range page.Items {
			if err := s.redact(ctx, &page.Items[i]); err != nil {
				return nil, err
			}
		}
		out := &SearchCasesOutput{}
		out.Body.Items, out.Body.Next = page.Items, page.Next
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "export-cases",
		Method:      http.MethodGet,
		Path:        "/v1/cases.csv",
		Summary:     "Export a search as CSV",
		Description: "Every case of the search, newest first, as CSV (UTF-8 with a byte-order mark so spreadsheets read the Chinese), " +
			"streamed as it is read. The intake data (with personal numbers) are not exported. A cell that starts with =, +, -, @, " +
			"a tab or a carriage return gets a leading single quote, so that a spreadsheet shows it as text instead of running it as a formula.",
		Tags:     []string{"Cases"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusUnprocessableEntity},
		Responses: map[string]*huma.Response{"200": {Description: "The cases as CSV.",
			Content: map[string]*huma.MediaType{"text/csv": {Schema: &huma.Schema{Type: "string"}}}}},
	}, func(ctx context.Context, in *CaseFilterInput) (*huma.StreamResponse, error) {
		f, err := s.caseFilter(ctx, *in)
		if err != nil {
			return nil, err
		}
		return &huma.StreamResponse{Body: func(hc huma.Context) {
			hc.SetHeader("Content-Type", "text/csv; charset=utf-8")
			hc.SetHeader("Content-Disposition", `attachment; filename="cases.csv"`)
			w := hc.BodyWriter()
			_, _ = w.Write([]byte("\uFEFF"))
			cw := csv.NewWriter(w)
			_ = cw.Write([]string{"number", "matter", "status", "step", "outcome", "level", "org_unit", "received_by", "channel",
				"subject", "resident_name", "received_at", "updated_at", "due_at", "overdue", "escalations"})
			n := 0
			err := s.Store.EachCase(ctx, f, func(c onedoor.Case) error {
				due := ""
				if c.DueAt != nil {
					due = c.DueAt.Format(time.RFC3339)
				}
				n++
				if n%1000 == 0 {
					cw.Flush()
				}
				return cw.Write(csvCells(c.Number, string(c.Matter), string(c.Status), c.Step, c.Outcome, string(c.Level),
					c.OrgUnit, c.ReceivedBy, string(c.Channel), c.Subject, c.ResidentName, c.ReceivedAt.Format(time.RFC3339),
					c.UpdatedAt.Format(time.RFC3339), due, strconv.FormatBool(c.Overdue), strconv.Itoa(c.Escalations)))
			})
			cw.Flush()
			if err != nil {
				// The status line is gone: the export ends short and the log says why.
				s.Logger.ErrorContext(ctx, "export cases", "request", requestOf(ctx), "rows", n, "error", err)
			}
		}}, nil
	})
}

// csvCells makes a row safe to open in a spreadsheet: a cell that starts with =, +, -, @, a tab
// or a carriage return would be read as a formula (a resident's name "=HYPERLINK(…)" runs when a
// clerk opens the export), so it gets a leading single quote, as OWASP's CSV injection advice
// says. The quote shows in a text editor; a spreadsheet shows the text as it was written.
func csvCells(cells ...string) []string {
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			cells[i] = "'" + c
		}
	}
	return cells
}

// caseFilter turns the query into a store filter within the caller's scope.
func (s *Server) caseFilter(ctx context.Context, in CaseFilterInput) (store.CaseFilter, error) {
	sc, err := s.scopeOf(ctx, currentUser(ctx))
	if err != nil {
		return store.CaseFilter{}, s.problem(ctx, err)
	}
	f := store.CaseFilter{Scope: sc, Matter: in.Matter, Status: in.Status, Level: in.Level, Q: in.Q, Overdue: boolParam(in.Overdue)}
	if in.Mine == "true" {
		f.CreatedBy = currentUser(ctx).ID
	}
	if in.OrgUnit != "" {
		units, err := s.Store.Subtree(ctx, in.OrgUnit)
		if onedoor.ErrorCode(err) == onedoor.ENotFound {
			return f, huma.Error422UnprocessableEntity("unknown org unit",
				&huma.ErrorDetail{Location: "query.org_unit", Message: "no org unit has this code", Value: in.OrgUnit})
		} else if err != nil {
			return f, s.problem(ctx, err)
		}
		f.OrgUnits = units
	}
	if f.ReceivedFrom, err = dayParam(in.ReceivedFrom, "query.received_from", false); err != nil {
		return f, err
	}
	if f.ReceivedTo, err = dayParam(in.ReceivedTo, "query.received_to", true); err != nil {
		return f, err
	}
	return f, nil
}

// firstDay and lastDay bound every date a client gives: earlier than any record a governance
// center keeps and later than any deadline it counts, yet near enough that a period counted from
// them stays a date PostgreSQL and JSON can hold.
var firstDay, lastDay = definitions.NewDate(1900, time.January, 1), definitions.NewDate(2999, time.December, 31)

// parseDay reads a YYYY-MM-DD date within firstDay..lastDay; what is wrong is a 422 at location.
func parseDay(v, location string) (definitions.Date, error) {
	d, err := definitions.ParseDate(v)
	if err != nil {
		return d, huma.Error422UnprocessableEntity("bad date", &huma.ErrorDetail{Location: location, Message: err.Error(), Value: v})
	}
	if err := dayInRange(d, location, v); err != nil {
		return d, err
	}
	return d, nil
}

// dayInRange refuses a date outside firstDay..lastDay with a 422 at location.
func dayInRange(d definitions.Date, location, v string) error {
	if d.Before(firstDay) || d.After(lastDay) {
		return huma.Error422UnprocessableEntity("date out of range", &huma.ErrorDetail{Location: location,
			Message: fmt.Sprintf("must be a day from %s to %s", firstDay, lastDay), Value: v})
	}
	return nil
}

// dayParam reads an optional YYYY-MM-DD parameter as the start of the day, or its end.
func dayParam(v, location string, end bool) (*time.Time, error) {
	if v == "" {
		return nil, nil
	}
	d, err := parseDay(v, location)
	if err != nil {
		return nil, err
	}
	t := d.Start()
	if end {
		t = d.End()
	}
	return &t, nil
}
