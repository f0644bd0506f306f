package api

import (
	"context"
	"fmt"
	"net/http"
	"sort"

	"github.com/danielgtaylor/huma/v2"
	"github.com/xuri/excelize/v2"

	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/store"
)

// The assessment (考评): per org unit and per stationed department, what it handled in a period
// and how. The seed says it decides stationed staff's yearly review; supervisors, administrators
// and auditors read it for their scope, as JSON or as a spreadsheet.

// AssessmentInput selects the period and, optionally, a part of the caller's scope.
type AssessmentInput struct {
	From    string `query:"from" format:"date" doc:"First day a task was finished (YYYY-MM-DD, Asia/Shanghai); 1 January of this year when empty."`
	To      string `query:"to" format:"date" doc:"Last day, included; today when empty."`
	OrgUnit string `query:"org_unit" maxLength:"64" doc:"Only what is held at this unit and the units below it (within the caller's scope)."`
}

// AssessmentRow are one holder's figures: a unit's own staff, or a department stationed at a unit.
type AssessmentRow struct {
	store.Holder
	Name         string   `json:"name" doc:"The department's name, else the unit's."`
	Handled      int      `json:"handled" doc:"Tasks finished in the period."`
	OnTime       int      `json:"on_time" doc:"Of those, finished by their due time (or without one)."`
	Late         int      `json:"late" doc:"Of those, finished after their due time."`
	OnTimeRate   *float64 `json:"on_time_rate,omitempty" doc:"on_time / handled, 0 to 1; absent when nothing was handled."`
	Escalated    int      `json:"escalated" doc:"Tasks finished by passing the case up a level (an outcome with move: up)."`
	Reviewed     int      `json:"reviewed" doc:"Answers the resident asked to have reviewed (复查, 复核): tasks finished through a review request (request_review, request_rereview), which reopen the matter at the next-higher level; they also count as escalated."`
	OverdueOpen  int      `json:"overdue_open" doc:"Tasks open and overdue now (whatever the period)."`
	Evaluations  int      `json:"evaluations" doc:"Residents' evaluations given in the period of cases the holder finished a task of."`
	Satisfaction *float64 `json:"satisfaction,omitempty" doc:"Their average rating, 1 (very dissatisfied) to 5; absent without evaluations."`
	Findings     int      `json:"findings" doc:"Accountability findings (督办查究) recorded in the period that hold the holder responsible."`
}

// AssessmentOutput is the assessment of a period.
type AssessmentOutput struct {
	Body struct {
		From  string          `json:"from" doc:"First day counted."`
		To    string          `json:"to" doc:"Last day counted."`
		Rows  []AssessmentRow `json:"rows" doc:"By unit code, a unit's own staff before the departments stationed there."`
		Names store.Names     `json:"names" doc:"The names of the units and departments of the rows."`
	}
}

func (s *Server) registerAssessment(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "assessment",
		Method:      http.MethodGet,
		Path:        "/v1/assessment",
		Summary:     "Assessment of units and stationed departments (考评)",
		Description: "Per org unit (its own staff) and per department stationed at a unit, in the caller's scope: the tasks finished in the period, " +
			"how many on time and late, how many by passing the case up, the tasks open and overdue now, and the residents' evaluations. " +
			"For supervisors, administrators and auditors. `GET /v1/assessment.xlsx` gives the same as a spreadsheet.",
		Tags:     []string{"Statistics"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *AssessmentInput) (*AssessmentOutput, error) {
		return s.assessment(ctx, in)
	})

	huma.Register(api, huma.Operation{
		OperationID: "assessment-xlsx",
		Method:      http.MethodGet,
		Path:        "/v1/assessment.xlsx",
		Summary:     "Assessment as a spreadsheet",
		Description: "The assessment of `GET /v1/assessment` as an Excel workbook (one sheet, 考评, headers in Chinese).",
		Tags:        []string{"Statistics"},
		Security:    secured,
		Errors:      []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusUnprocessableEntity},
		Responses: map[string]*huma.Response{"200": {Description: "The assessment as XLSX.",
			Content: map[string]*huma.MediaType{xlsxType: {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}},
	}, func(ctx context.Context, in *AssessmentInput) (*huma.StreamResponse, error) {
		a, err := s.assessment(ctx, in)
		if err != nil {
			return nil, err
		}
		book, err := assessmentBook(a)
		if err != nil {
			return nil, s.internal(ctx, err)
		}
		return &huma.StreamResponse{Body: func(hc huma.Context) {
			hc.SetHeader("Content-Type", xlsxType)
			hc.SetHeader("Content-Disposition", fmt.Sprintf(`attachment; filename="assessment-%s-%s.xlsx"`, a.Body.From, a.Body.To))
			if err := book.Write(hc.BodyWriter()); err != nil {
				s.Logger.ErrorContext(ctx, "assessment spreadsheet", "request", requestOf(ctx), "error", err)
			}
		}}, nil
	})
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func (s *Server) assessment(ctx context.Context, in *AssessmentInput) (*AssessmentOutput, error) {
	if err := s.requireRole(ctx, "read the assessment", boardReaders...); err != nil {
		return nil, err
	}
	sc, err := s.scopeOf(ctx, currentUser(ctx))
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	if sc, err = s.unitScope(ctx, sc, in.OrgUnit, "query.org_unit"); err != nil {
		return nil, err
	}
	from, to, err := periodOf(in.From, in.To)
	if err != nil {
		return nil, err
	}
	if err := charge(ctx, int(to.End().Sub(from.Start()).Hours()/24)/statsDaysPerRequest); err != nil {
		return nil, err
	}
	tallies, figures, err := s.Store.AssessmentTallies(ctx, sc, from.Start(), to.End())
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	rows := map[store.Holder]*AssessmentRow{}
	row := func(h store.Holder) *AssessmentRow {
		if rows[h] == nil {
			rows[h] = &AssessmentRow{Holder: h}
		}
		return rows[h]
	}
	ups := map[string]bool{} // procedure@version/step/outcome → moves up
	for _, t := range tallies {
		r := row(t.Holder)
		r.Handled += t.Handled
		r.OnTime += t.OnTime
		r.Late += t.Handled - t.OnTime
		up, err := s.movesUp(ctx, ups, t)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		if up {
			r.Escalated += t.Handled
		}
		if definitions.IsReviewRequest(t.Outcome) {
			r.Reviewed += t.Handled
		}
	}
	for _, f := range figures {
		r := row(f.Holder)
		r.OverdueOpen, r.Evaluations, r.Findings = f.OverdueOpen, f.Evaluations, f.Findings
		if f.Evaluations > 0 {
			avg := float64(f.RatingSum) / float64(f.Evaluations)
			r.Satisfaction = &avg
		}
	}
	out := &AssessmentOutput{}
	out.Body.From, out.Body.To = from.String(), to.String()
	out.Body.Rows = make([]AssessmentRow, 0, len(rows))
	var units, depts []string
	for _, r := range rows {
		if r.Handled > 0 {
			rate := float64(r.OnTime) / float64(r.Handled)
			r.OnTimeRate = &rate
		}
		out.Body.Rows = append(out.Body.Rows, *r)
		units, depts = append(units, r.OrgUnit), append(depts, r.Department)
	}
	sort.Slice(out.Body.Rows, func(i, j int) bool {
		a, b := out.Body.Rows[i], out.Body.Rows[j]
		if a.OrgUnit != b.OrgUnit {
			return a.OrgUnit < b.OrgUnit
		}
		return a.Department < b.Department
	})
	if out.Body.Names, err = s.Store.NamesOf(ctx, units, depts); err != nil {
		return nil, s.problem(ctx, err)
	}
	for i := range out.Body.Rows {
		r := &out.Body.Rows[i]
		r.Name = r.OrgUnit
		if n, ok := out.Body.Names.Units[r.OrgUnit]; ok {
			r.Name = n.Name
		}
		if n, ok := out.Body.Names.Departments[r.Department]; ok {
			r.Name = n.Name
		} else if r.Department != "" {
			r.Name = r.Department
		}
	}
	return out, nil
}

// movesUp reports whether the tally's outcome passes the case up a level in its procedure
// version (read through the server's cache of published versions), remembering the answers in
// known. A version no longer stored counts as not.
func (s *Server) movesUp(ctx context.Context, known map[string]bool, t store.StepTally) (bool, error) {
	key := fmt.Sprintf("%s@%d/%s/%s", t.ProcedureKey, t.ProcedureVersion, t.Step, t.Outcome)
	if up, ok := known[key]; ok {
		return up, nil
	}
	p, err := s.procedureVersion(ctx, t.ProcedureKey, t.ProcedureVersion)
	if err != nil {
		return false, err
	}
	up := false
	if p != nil {
		if step, ok := p.Step(t.Step); ok {
			if o, ok := step.Outcome(t.Outcome); ok {
				up = o.Move == definitions.MoveUp
			}
		}
	}
	known[key] = up
	return up, nil
}

// assessmentBook writes the assessment as a workbook: one row per holder, the unit's name beside
// the department's, rates as percentages.
func assessmentBook(a *AssessmentOutput) (*excelize.File, error) {
	f := excelize.NewFile()
	const sheet = "考评"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	title := fmt.Sprintf("考评统计 %s 至 %s", a.Body.From, a.Body.To)
	head := []any{"单位", "部门", "办结任务", "按期", "超期", "按期率", "上报", "被申请复查", "当前逾期", "评价数", "满意度（1-5）", "查究"}
	if err := f.SetSheetRow(sheet, "A1", &[]any{title}); err != nil {
		return nil, err
	}
	if err := f.SetSheetRow(sheet, "A2", &head); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	percent, err := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	if err != nil {
		return nil, err
	}
	if err := f.SetCellStyle(sheet, "A1", "K2", bold); err != nil {
		return nil, err
	}
	for i, r := range a.Body.Rows {
		unit := r.OrgUnit
		if n, ok := a.Body.Names.Units[r.OrgUnit]; ok {
			unit = n.Name
		}
		dept := ""
		if r.Department != "" {
			dept = r.Name
		}
		// Names are written as text cells: a spreadsheet never runs them as formulas.
		cells := []any{unit, dept, r.Handled, r.OnTime, r.Late, nil, r.Escalated, r.Reviewed, r.OverdueOpen, r.Evaluations, nil, r.Findings}
		if r.OnTimeRate != nil {
			cells[5] = *r.OnTimeRate
		}
		if r.Satisfaction != nil {
			cells[10] = *r.Satisfaction
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		if err := f.SetSheetRow(sheet, cell, &cells); err != nil {
			return nil, err
		}
	}
	if n := len(a.Body.Rows); n > 0 {
		if err := f.SetCellStyle(sheet, "F3", fmt.Sprintf("F%d", n+2), percent); err != nil {
			return nil, err
		}
	}
	if err := f.SetColWidth(sheet, "A", "B", 18); err != nil {
		return nil, err
	}
	return f, nil
}
