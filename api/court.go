package api

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/store"
	"github.com/onedoor/onedoor/workflows"
)

// 诉调对接: a dispute referred to the court's pre-litigation mediation waits at a step that
// waits on the court (definitions.Step.WaitsOn). The court works in its own platform; its
// results come back by a clerk completing the step, or by importing the file the court's
// platform exports, here. Every import is recorded (court_imports) and each result applied is an
// action in its case's timeline, by the clerk who imported it.

// The limits of an import of the court's export.
const (
	courtFileMax = 5 << 20
	courtRowsMax = 5000
)

// CourtImportForm is the multipart form of an import.
type CourtImportForm struct {
	File huma.FormFile `form:"file" required:"true" doc:"The court platform's export, CSV (UTF-8 or GB18030) or XLSX (its first sheet), with a header row naming at least the columns 案件编号 (case_number) and 调解结果 (result); optionally 诉前调解案号 (court_ref). Results: 调解成功 (agreement), 司法确认 (confirmed), 调解不成 (failed)."`
}

// CourtImportInput is an import of the court's results.
type CourtImportInput struct {
	RawBody huma.MultipartFormFiles[CourtImportForm]
}

// CourtImportOutput is the import as recorded.
type CourtImportOutput struct {
	Body store.CourtImport
}

// CourtImportsOutput lists imports.
type CourtImportsOutput struct {
	Body struct {
		Items []store.CourtImport `json:"items" doc:"The imports made at the caller's units, newest first, at most 100."`
	}
}

// CourtIntakeInput enters the court's count of a month.
type CourtIntakeInput struct {
	Month string `path:"month" pattern:"^[0-9]{4}-(0[1-9]|1[0-2])$" example:"2026-03" doc:"The month, YYYY-MM."`
	Body  struct {
		OrgUnit         string `json:"org_unit,omitempty" maxLength:"64" doc:"The county's center (banner level), or a unit below it; the caller's unit when empty. The count is kept at the center."`
		CivilCommercial int    `json:"civil_commercial" minimum:"0" maximum:"10000000" doc:"New civil and commercial cases the court received that month (新收民商事案件), as the court reports it."`
	}
}

// CourtIntakeOutput is one month's count.
type CourtIntakeOutput struct {
	Body store.CourtIntake
}

// CourtIntakesOutput lists the counts entered.
type CourtIntakesOutput struct {
	Body struct {
		Items []store.CourtIntake `json:"items" doc:"The months entered for the counties in the caller's scope, newest first."`
	}
}

// CourtStatsOutput are the court figures of a period.
type CourtStatsOutput struct {
	Body struct {
		From string `json:"from" doc:"First day counted."`
		To   string `json:"to" doc:"Last day counted."`
		store.CourtFigures
	}
}

func (s *Server) registerCourt(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "court-stats",
		Method:      http.MethodGet,
		Path:        "/v1/court/stats",
		Summary:     "Statistics of the referrals to the court (诉调对接)",
		Description: "The referrals to the court's pre-litigation mediation opened in the period, of the matters the filter selects " +
			"within the caller's scope (as GET /v1/stats selects them), what the court concluded, its success rate, and the share " +
			"of the court's new civil and commercial cases they are. The same period limit and rate-limit charge as GET /v1/stats; " +
			"docs/api.md defines each figure.",
		Tags:     []string{"Court referrals", "Statistics"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusUnprocessableEntity, http.StatusTooManyRequests},
	}, func(ctx context.Context, in *StatsInput) (*CourtStatsOutput, error) {
		f, from, to, err := s.statsFilter(ctx, in)
		if err != nil {
			return nil, err
		}
		c, err := s.Store.CourtStats(ctx, f)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		out := &CourtStatsOutput{}
		out.Body.From, out.Body.To, out.Body.CourtFigures = from.String(), to.String(), c
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "import-court-results",
		Method:      http.MethodPost,
		Path:        "/v1/court/results",
		Summary:     "Import the court's pre-litigation mediation results (诉调对接)",
		Description: "Reads the file the court's platform exports (multipart/form-data, the file in `file`: CSV or XLSX with a header row) " +
			"and records each row's result on its case: the case's referral (its open task at a step that waits on the court) is " +
			"completed with the result as the importing clerk, an action in the case's timeline. Every row is checked first: a file " +
			"with a row that names no case in the caller's scope, a case without a referral, a referral held by another unit, an " +
			"unknown result, or a result other than the one already recorded is refused (422, every such row named by its number " +
			"and column) and nothing is recorded. A row whose case already has its result is `unchanged`, so a file imported twice " +
			"changes nothing more. The import is recorded with the file's name and SHA-256 and what became of each row. For clerks.",
		Tags:          []string{"Court referrals"},
		Security:      secured,
		MaxBodyBytes:  courtFileMax + multipartSlack,
		DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusRequestEntityTooLarge,
			http.StatusUnprocessableEntity, http.StatusServiceUnavailable},
	}, s.importCourtResults)

	huma.Register(api, huma.Operation{
		OperationID: "list-court-imports",
		Method:      http.MethodGet,
		Path:        "/v1/court/imports",
		Summary:     "Imports of the court's results",
		Description: "The imports made by the units in the caller's scope, newest first, with what became of each row.",
		Tags:        []string{"Court referrals"},
		Security:    secured,
		Errors:      []int{http.StatusUnauthorized, http.StatusForbidden},
	}, func(ctx context.Context, _ *struct{}) (*CourtImportsOutput, error) {
		units, err := s.scopeUnits(ctx)
		if err != nil {
			return nil, err
		}
		items, err := s.Store.CourtImports(ctx, units, 100)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		out := &CourtImportsOutput{}
		out.Body.Items = items
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "put-court-intake",
		Method:      http.MethodPut,
		Path:        "/v1/court/intake/{month}",
		Summary:     "Enter the court's new civil and commercial cases of a month",
		Description: "The court's count of new civil and commercial cases (新收民商事案件) of a month for a county, as the court reports it: " +
			"the statistics' `court_share` divides the referrals by it. Replaces an earlier count of the same month. For supervisors " +
			"and administrators of the county (or above it).",
		Tags:     []string{"Court referrals"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusUnprocessableEntity},
	}, s.putCourtIntake)

	huma.Register(api, huma.Operation{
		OperationID: "list-court-intake",
		Method:      http.MethodGet,
		Path:        "/v1/court/intake",
		Summary:     "The court's counts entered",
		Description: "The months of new civil and commercial cases entered for the counties in the caller's scope, newest first.",
		Tags:        []string{"Court referrals"},
		Security:    secured,
		Errors:      []int{http.StatusUnauthorized, http.StatusForbidden},
	}, func(ctx context.Context, _ *struct{}) (*CourtIntakesOutput, error) {
		units, err := s.scopeUnits(ctx)
		if err != nil {
			return nil, err
		}
		items, err := s.Store.CourtIntakes(ctx, units)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		out := &CourtIntakesOutput{}
		out.Body.Items = items
		return out, nil
	})
}

// scopeUnits are the org units of the caller's scope, nil for all of them; a department's staff
// and users without units are refused.
func (s *Server) scopeUnits(ctx context.Context) ([]string, error) {
	sc, err := s.scopeOf(ctx, currentUser(ctx))
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	switch {
	case sc.Department != "" || (!sc.All && len(sc.Units) == 0):
		return nil, huma.Error403Forbidden("only the staff of org units see the court referrals")
	case sc.All:
		return nil, nil
	}
	return sc.Units, nil
}

func (s *Server) putCourtIntake(ctx context.Context, in *CourtIntakeInput) (*CourtIntakeOutput, error) {
	if err := s.requireRole(ctx, "enter the court's counts", onedoor.RoleSupervisor, onedoor.RoleAdmin); err != nil {
		return nil, err
	}
	user := currentUser(ctx)
	code := in.Body.OrgUnit
	if code == "" {
		code = user.OrgUnit
	}
	if code == "" {
		return nil, huma.Error422UnprocessableEntity("which county",
			&huma.ErrorDetail{Location: "body.org_unit", Message: "name a unit of the county the court serves"})
	}
	// The count belongs to the county's center (its banner-level unit), beside which the court
	// sits: the statistics of the center's subtree divide by it.
	chain, err := s.Store.Chain(ctx, code)
	if onedoor.ErrorCode(err) == onedoor.ENotFound {
		return nil, huma.Error422UnprocessableEntity("unknown org unit",
			&huma.ErrorDetail{Location: "body.org_unit", Message: "no org unit has this code", Value: code})
	} else if err != nil {
		return nil, s.problem(ctx, err)
	}
	var center *definitions.OrgUnit
	for i := range chain {
		if chain[i].Level == definitions.LevelBanner {
			center = &chain[i]
		}
	}
	if center == nil {
		return nil, huma.Error422UnprocessableEntity("not a county",
			&huma.ErrorDetail{Location: "body.org_unit", Value: code, Message: "a court's count belongs to a county's center (banner level); name it or a unit below it"})
	}
	sc, err := s.scopeOf(ctx, user)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	if !sc.All && !contains(sc.Units, center.Code) {
		s.refused(ctx, "court intake of "+center.Code+" outside the user's scope")
		return nil, huma.Error403Forbidden("the court's count of a county is entered at its center or above")
	}
	saved, err := s.Store.SetCourtIntake(ctx, store.CourtIntake{OrgUnit: center.Code, Month: in.Month,
		CivilCommercial: in.Body.CivilCommercial, EnteredBy: user.ID})
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &CourtIntakeOutput{Body: saved}, nil
}

// courtLine is a row of the court's export, read.
type courtLine struct {
	row                      int
	caseNumber, ref, result  string
	c                        onedoor.Case
	task                     onedoor.Task
	done                     bool // the result is already recorded
	resultColumn, caseColumn string
}

func (s *Server) importCourtResults(ctx context.Context, in *CourtImportInput) (*CourtImportOutput, error) {
	if in.RawBody.Form != nil {
		defer func() { _ = in.RawBody.Form.RemoveAll() }()
	}
	if err := s.requireRole(ctx, "import the court's results: a clerk records them", onedoor.RoleClerk); err != nil {
		return nil, err
	}
	user := currentUser(ctx)
	f := in.RawBody.Data().File
	if f.Size > courtFileMax {
		return nil, huma.NewError(http.StatusRequestEntityTooLarge, "the file is too large",
			&huma.ErrorDetail{Location: "body.file", Message: fmt.Sprintf("%d bytes; at most %d", f.Size, courtFileMax)})
	}
	raw, err := io.ReadAll(io.LimitReader(f, courtFileMax+1))
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	format, table, err := readTable(raw)
	if err != nil {
		return nil, huma.Error422UnprocessableEntity("the file cannot be read",
			&huma.ErrorDetail{Location: "body.file", Value: fileName(f.Filename), Message: err.Error()})
	}
	lines, problems := courtLines(table)
	if len(lines) > 0 && len(lines) <= courtRowsMax {
		more, err := s.checkCourtLines(ctx, user, lines)
		if err != nil {
			return nil, s.problem(ctx, err) // the database is away: 503, not the file's fault
		}
		problems = append(problems, more...)
	}
	// In the file's order, its own problems first.
	slices.SortStableFunc(problems, func(a, b error) int { return cmp.Compare(problemRow(a), problemRow(b)) })
	if len(problems) > 0 {
		s.refused(ctx, fmt.Sprintf("court import of %s: %d problems", fileName(f.Filename), len(problems)))
		return nil, huma.Error422UnprocessableEntity("the file has rows that cannot be recorded; nothing was recorded", problems...)
	}

	sum := sha256.Sum256(raw)
	imp := store.CourtImport{
		ID: uuid.NewString(), OrgUnit: user.OrgUnit, FileName: fileName(f.Filename), FileSHA256: fmt.Sprintf("%x", sum),
		Format: format, Rows: len(lines), Results: make([]store.CourtRow, len(lines)), ImportedBy: user.ID,
	}
	for i, l := range lines {
		r := store.CourtRow{Row: l.row, CaseNumber: l.c.Number, CourtRef: l.ref, Result: l.result}
		switch {
		case l.done:
			r.Status = "unchanged"
			imp.Unchanged++
		default:
			a := workflows.Action{Type: workflows.ActComplete, Actor: user, Task: l.task.ID, Outcome: l.result,
				Result: courtResultText(l, imp.FileName)}
			if l.ref != "" {
				a.Data = map[string]any{"court_ref": l.ref}
			}
			// One update per referral and result: an import retried after a crash applies nothing twice.
			_, err := s.cases.Act(ctx, l.c, "court-"+l.c.ID+"-"+l.task.ID+"-"+l.result, a)
			if err != nil {
				r.Status, r.Message = "failed", err.Error()
				imp.Failed++
			} else {
				r.Status = "applied"
				imp.Applied++
			}
		}
		imp.Results[i] = r
	}
	imp.ImportedAt = time.Now()
	if err := s.Store.SaveCourtImport(ctx, imp, sum[:]); err != nil {
		return nil, s.problem(ctx, err)
	}
	return &CourtImportOutput{Body: imp}, nil
}

// problemRow is the row a problem of the file names, 0 for the file as a whole.
func problemRow(err error) int {
	var d *huma.ErrorDetail
	row := 0
	if errors.As(err, &d) {
		_, _ = fmt.Sscanf(d.Location, "body.file: row %d", &row)
	}
	return row
}

// courtResultText is what the timeline says of an imported result.
func courtResultText(l courtLine, file string) string {
	t := fmt.Sprintf("法院诉前调解结果：%s（导入 %s 第 %d 行）", courtResultZH[l.result], file, l.row)
	if l.ref != "" {
		t += "，案号 " + l.ref
	}
	return t
}

var courtResultZH = map[string]string{
	definitions.CourtAgreement: "调解成功", definitions.CourtConfirmed: "调解成功并司法确认", definitions.CourtFailed: "调解不成、转立案诉讼",
}

// courtResults reads a result as the court's platform or a clerk writes it.
var courtResults = map[string]string{
	"agreement": definitions.CourtAgreement, "调解成功": definitions.CourtAgreement, "成功": definitions.CourtAgreement,
	"达成协议": definitions.CourtAgreement, "诉前调解成功": definitions.CourtAgreement,
	"confirmed": definitions.CourtConfirmed, "司法确认": definitions.CourtConfirmed, "已司法确认": definitions.CourtConfirmed,
	"调解成功并司法确认": definitions.CourtConfirmed,
	"failed":    definitions.CourtFailed, "调解不成": definitions.CourtFailed, "调解失败": definitions.CourtFailed,
	"不成功": definitions.CourtFailed, "转立案": definitions.CourtFailed, "调解不成、转立案诉讼": definitions.CourtFailed,
}

// The header names of the export's columns, as the court's platform or a clerk may write them.
var (
	caseColumns   = []string{"案件编号", "onedoor编号", "来源编号", "case_number"}
	refColumns    = []string{"诉前调解案号", "案号", "court_ref"}
	resultColumns = []string{"调解结果", "结果", "result"}
)

// courtLines reads the rows of the table under its header, and names every problem of form.
func courtLines(table [][]string) ([]courtLine, []error) {
	if len(table) == 0 {
		return nil, []error{&huma.ErrorDetail{Location: "body.file", Message: "the file is empty: it needs a header row and a row per case"}}
	}
	col := func(names []string) (int, string) {
		for i, h := range table[0] {
			h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
			if slices.Contains(names, h) {
				return i, strings.TrimSpace(table[0][i])
			}
		}
		return -1, ""
	}
	ci, cname := col(caseColumns)
	ri, rname := col(resultColumns)
	fi, fname := col(refColumns)
	var problems []error
	if ci < 0 {
		problems = append(problems, &huma.ErrorDetail{Location: "body.file", Message: "the header row has no column 案件编号 (case_number): the OneDoor case number of each referral"})
	}
	if ri < 0 {
		problems = append(problems, &huma.ErrorDetail{Location: "body.file", Message: "the header row has no column 调解结果 (result)"})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	cell := func(r []string, i int) string {
		if i < 0 || i >= len(r) {
			return ""
		}
		return strings.TrimSpace(r[i])
	}
	var lines []courtLine
	seen := map[string]int{}
	for n, r := range table[1:] {
		row := n + 2
		if strings.TrimSpace(strings.Join(r, "")) == "" {
			continue // a blank line, as spreadsheets leave at the end
		}
		l := courtLine{row: row, caseNumber: cell(r, ci), ref: cell(r, fi), caseColumn: cname, resultColumn: rname}
		where := func(column string) string { return fmt.Sprintf("body.file: row %d, column %s", row, column) }
		if l.caseNumber == "" {
			problems = append(problems, &huma.ErrorDetail{Location: where(cname), Message: "no case number"})
		} else if first, dup := seen[l.caseNumber]; dup {
			problems = append(problems, &huma.ErrorDetail{Location: where(cname), Value: l.caseNumber,
				Message: fmt.Sprintf("the case is already in row %d: a case has one result", first)})
		} else {
			seen[l.caseNumber] = row
		}
		result, ok := courtResults[strings.ToLower(cell(r, ri))]
		if !ok {
			problems = append(problems, &huma.ErrorDetail{Location: where(rname), Value: cell(r, ri),
				Message: "not a result: write 调解成功 (agreement), 司法确认 (confirmed) or 调解不成 (failed)"})
		}
		l.result = result
		if utf8.RuneCountInString(l.ref) > 60 {
			problems = append(problems, &huma.ErrorDetail{Location: where(fname), Message: "at most 60 characters"})
		}
		lines = append(lines, l)
	}
	if len(lines) == 0 && len(problems) == 0 {
		problems = append(problems, &huma.ErrorDetail{Location: "body.file", Message: "the file has a header but no row"})
	}
	if len(lines) > courtRowsMax {
		problems = append(problems, &huma.ErrorDetail{Location: "body.file", Message: fmt.Sprintf("%d rows; at most %d in one file", len(lines), courtRowsMax)})
	}
	return lines, problems
}

// checkCourtLines finds each row's case and referral, as the user may see and hold them, and
// names every row that cannot be recorded.
func (s *Server) checkCourtLines(ctx context.Context, user onedoor.User, lines []courtLine) ([]error, error) {
	var problems []error
	for i := range lines {
		l := &lines[i]
		if l.caseNumber == "" {
			continue // named already
		}
		where := fmt.Sprintf("body.file: row %d, column %s", l.row, l.caseColumn)
		bad := func(msg string, args ...any) {
			problems = append(problems, &huma.ErrorDetail{Location: where, Value: l.caseNumber, Message: fmt.Sprintf(msg, args...)})
		}
		c, err := s.Store.Case(ctx, l.caseNumber)
		if err == nil {
			err = s.inScope(ctx, l.caseNumber, c)
		}
		if err != nil {
			var status huma.StatusError
			if onedoor.ErrorCode(err) == onedoor.ENotFound || (errors.As(err, &status) && status.GetStatus() == http.StatusNotFound) {
				bad("no case has this number in your scope")
				continue
			}
			return nil, err
		}
		l.c = c
		tasks, err := s.Store.Tasks(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		var open, last *onedoor.Task
		for j := range tasks {
			t := &tasks[j]
			if t.WaitsOn != definitions.WaitsOnCourt {
				continue
			}
			if t.Status == onedoor.TaskOpen {
				open = t
			} else if t.Status == onedoor.TaskDone {
				last = t
			}
		}
		switch {
		case l.result == "":
			// An unknown result, named already.
		case open != nil && !workflows.Holds(user, open):
			bad("the referral is held by %s: its clerk imports its result", taskHolder(*open))
		case open != nil:
			l.task = *open
		case last != nil && last.Outcome == l.result:
			l.task, l.done = *last, true
		case last != nil:
			// The row's result is what is wrong here, not its case.
			problems = append(problems, &huma.ErrorDetail{Location: fmt.Sprintf("body.file: row %d, column %s", l.row, l.resultColumn),
				Value: courtResultZH[l.result], Message: fmt.Sprintf("the court's result is already recorded as %s (%s); a different result is not recorded over it",
					last.Outcome, courtResultZH[last.Outcome])})
		default:
			bad("the case was not referred to the court's pre-litigation mediation")
		}
	}
	return problems, nil
}

func taskHolder(t onedoor.Task) string {
	if t.Department != "" {
		return t.Department
	}
	return t.OrgUnit
}

// readTable reads a CSV (UTF-8, with or without its byte-order mark, or GB18030 as Excel saves
// it on Chinese Windows) or the first sheet of an XLSX workbook, by its content.
func readTable(raw []byte) (format string, table [][]string, err error) {
	if bytes.HasPrefix(raw, []byte("PK\x03\x04")) {
		book, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			return "xlsx", nil, fmt.Errorf("not a workbook Excel can open: %v", err)
		}
		defer func() { _ = book.Close() }()
		sheets := book.GetSheetList()
		if len(sheets) == 0 {
			return "xlsx", nil, errors.New("the workbook has no sheet")
		}
		rows, err := book.GetRows(sheets[0])
		return "xlsx", rows, err
	}
	raw = bytes.TrimPrefix(raw, []byte("\ufeff"))
	if !utf8.Valid(raw) {
		if raw, err = simplifiedchinese.GB18030.NewDecoder().Bytes(raw); err != nil {
			return "csv", nil, errors.New("the text is neither UTF-8 nor GB18030")
		}
	}
	r := csv.NewReader(bytes.NewReader(raw))
	r.FieldsPerRecord = -1
	table, err = r.ReadAll()
	if err != nil {
		return "csv", nil, fmt.Errorf("not a CSV file: %v", err)
	}
	return "csv", table, nil
}
