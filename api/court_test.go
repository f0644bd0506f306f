package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/onedoor/onedoor/definitions"
)

// importCourt posts the court's export as user and decodes the answer.
func (cs *caseServer) importCourt(t *testing.T, user, name string, content []byte) (int, map[string]any) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", name)
	require.NoError(t, err)
	_, err = fw.Write(content)
	require.NoError(t, err)
	require.NoError(t, mw.Close())
	req, err := http.NewRequest(http.MethodPost, cs.url+"/v1/court/results", &body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+cs.tokens[user])
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal(b, &out), string(b))
	return resp.StatusCode, out
}

// courtCSV is the court platform's export as Excel saves a CSV on Chinese Windows: GB18030.
func courtCSV(t *testing.T, rows ...[]string) []byte {
	t.Helper()
	var b strings.Builder
	b.WriteString("案件编号,诉前调解案号,调解结果\r\n")
	for _, r := range rows {
		b.WriteString(strings.Join(r, ",") + "\r\n")
	}
	out, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(b.String()))
	require.NoError(t, err)
	return out
}

func courtXLSX(t *testing.T, rows ...[]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	require.NoError(t, f.SetSheetRow("Sheet1", "A1", &[]string{"诉前调解案号", "案件编号", "结果"}))
	for i, r := range rows {
		require.NoError(t, f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+2), &[]string{r[1], r[0], r[2]}))
	}
	buf, err := f.WriteToBuffer()
	require.NoError(t, err)
	return buf.Bytes()
}

// referToCourt registers a dispute at the banner's window and takes it through the mediation
// procedure to the court's pre-litigation mediation: its open task then waits on the court.
func referToCourt(t *testing.T, cs *caseServer, i int, refer bool) string {
	t.Helper()
	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-banner", map[string]any{
		"matter": "mediation", "channel": "visit", "subject": fmt.Sprintf("买卖合同欠款纠纷 %d", i), "resident_name": "额尔敦",
		"data": map[string]any{"applicant": "额尔敦", "phone": "13800138000", "respondent": "某建材店", "dispute_type": "contract",
			"amount": 36000 + i, "facts": "购买建材后对方拒不退还多付货款。"},
	})
	require.Equal(t, http.StatusCreated, status, c)
	number := c["number"].(string)
	steps := []string{"register", "accept", "mediator"}
	if refer {
		steps = append(steps, "court")
	}
	for _, outcome := range steps {
		status, out := cs.do(t, http.MethodPost, "/v1/cases/"+number+"/actions", "clerk-banner",
			map[string]any{"type": "complete", "outcome": outcome, "result": "已办理"})
		require.Equal(t, http.StatusOK, status, "%s: %v", outcome, out)
	}
	return number
}

// courtTask is the case's last task at the court's step.
func courtTask(t *testing.T, cs *caseServer, number string) map[string]any {
	t.Helper()
	status, c := cs.do(t, http.MethodGet, "/v1/cases/"+number, "clerk-banner", nil)
	require.Equal(t, http.StatusOK, status, c)
	var last map[string]any
	for _, task := range c["tasks"].([]any) {
		if task.(map[string]any)["waits_on"] == "court" {
			last = task.(map[string]any)
		}
	}
	require.NotNil(t, last, "case %s has no task at the court", number)
	return last
}

// TestCourtReferralsCountAsTheSeedDoes: disputes referred to the court's pre-litigation mediation
// wait on the court; its results come back by a clerk and by imports of the court's export (CSV
// in GB18030, XLSX), every row checked before any is recorded and none recorded twice; the
// statistics give the success rate and the share of the court's new civil and commercial cases
// that the test computes from the results it recorded.
func TestCourtReferralsCountAsTheSeedDoes(t *testing.T) {
	t.Parallel()
	// A database of the test's own: the statistics below count its cases only.
	cs := newCaseServerOn(t, ownCenterStore(t))

	const referred = 9
	numbers := make([]string, referred)
	for i := range numbers {
		numbers[i] = referToCourt(t, cs, i, true)
	}
	notReferred := referToCourt(t, cs, referred, false)
	task := courtTask(t, cs, numbers[0])
	require.Equal(t, "open", task["status"])
	require.Equal(t, "wushen", task["org_unit"])
	require.NotEmpty(t, task["due_at"], "the referral waits with a clock of its own")

	results := map[string]string{} // the results the test records, by case number
	// The clerk records the court's result on the case page's step.
	status, out := cs.do(t, http.MethodPost, "/v1/cases/"+numbers[0]+"/actions", "clerk-banner",
		map[string]any{"type": "complete", "outcome": "agreement", "result": "法院通知：双方达成协议"})
	require.Equal(t, http.StatusOK, status, out)
	results[numbers[0]] = definitions.CourtAgreement

	// A file with rows that cannot be recorded is refused whole: each such row named, the good
	// one (numbers[7]) not recorded either.
	bad := courtCSV(t,
		[]string{numbers[7], "(2026)蒙0626民诉前调101号", "调解成功"},
		[]string{notReferred, "(2026)蒙0626民诉前调102号", "调解成功"},
		[]string{"WS-MED-0000-999999", "", "调解成功"},
		[]string{numbers[8], "", "和解"},
		[]string{numbers[0], "", "调解不成"},
	)
	status, out = cs.importCourt(t, "clerk-banner", "法院导出-错误.csv", bad)
	require.Equal(t, http.StatusUnprocessableEntity, status, out)
	require.ElementsMatch(t, []string{
		"body.file: row 3, column 案件编号", "body.file: row 4, column 案件编号", "body.file: row 5, column 调解结果",
		"body.file: row 6, column 调解结果",
	}, locations(out), out)
	require.Equal(t, "open", courtTask(t, cs, numbers[7])["status"], "nothing of a refused file is recorded")

	// The court's CSV export, in GB18030 as Excel writes it on Chinese Windows.
	csvRows := [][]string{
		{numbers[1], "(2026)蒙0626民诉前调1号", "调解成功"},
		{numbers[2], "(2026)蒙0626民诉前调2号", "司法确认"},
		{numbers[3], "(2026)蒙0626民诉前调3号", "调解不成"},
		{numbers[4], "(2026)蒙0626民诉前调4号", "调解成功"},
		{numbers[5], "(2026)蒙0626民诉前调5号", "调解不成"},
	}
	file := courtCSV(t, csvRows...)
	status, imp := cs.importCourt(t, "clerk-banner", "法院导出-11月.csv", file)
	require.Equal(t, http.StatusCreated, status, imp)
	require.EqualValues(t, 5, imp["applied"], imp)
	require.EqualValues(t, 0, imp["failed"], imp)
	require.Equal(t, "csv", imp["format"])
	for _, r := range csvRows {
		results[r[0]] = map[string]string{"调解成功": "agreement", "司法确认": "confirmed", "调解不成": "failed"}[r[2]]
	}
	task = courtTask(t, cs, numbers[2])
	require.Equal(t, "done", task["status"])
	require.Equal(t, "confirmed", task["outcome"])
	require.Contains(t, task["result"], "法院导出-11月.csv 第 3 行")
	status, c := cs.do(t, http.MethodGet, "/v1/cases/"+numbers[2], "clerk-banner", nil)
	require.Equal(t, http.StatusOK, status, c)
	require.Equal(t, "(2026)蒙0626民诉前调2号", c["data"].(map[string]any)["court_ref"])
	require.Equal(t, "close", c["step"], "the case goes on to its closing step")
	status, tl := cs.do(t, http.MethodGet, "/v1/cases/"+numbers[2]+"/timeline", "clerk-banner", nil)
	require.Equal(t, http.StatusOK, status, tl)
	entries := tl["entries"].([]any)
	lastEntry := entries[len(entries)-1].(map[string]any)
	require.Equal(t, "complete", lastEntry["action"], "the import is an action of the case's timeline")
	require.Equal(t, "clerk-banner", lastEntry["actor"], "by the clerk who imported it")
	require.Equal(t, "confirmed", lastEntry["reason"])

	// The same file again changes nothing; a different result over a recorded one is refused.
	status, again := cs.importCourt(t, "clerk-banner", "法院导出-11月.csv", file)
	require.Equal(t, http.StatusCreated, status, again)
	require.EqualValues(t, 0, again["applied"], again)
	require.EqualValues(t, 5, again["unchanged"], again)
	require.Equal(t, imp["file_sha256"], again["file_sha256"])
	status, out = cs.importCourt(t, "clerk-banner", "改.csv", courtCSV(t, []string{numbers[3], "", "调解成功"}))
	require.Equal(t, http.StatusUnprocessableEntity, status, out)
	require.Contains(t, fmt.Sprint(out), "already recorded as failed")
	require.Contains(t, fmt.Sprint(out), "body.file: row 2, column 调解结果", "the row's result is what is wrong")

	// The XLSX export, its columns in another order.
	status, imp = cs.importCourt(t, "clerk-banner", "法院导出.xlsx", courtXLSX(t, []string{numbers[6], "(2026)蒙0626民诉前调6号", "司法确认"}))
	require.Equal(t, http.StatusCreated, status, imp)
	require.EqualValues(t, 1, imp["applied"], imp)
	require.Equal(t, "xlsx", imp["format"])
	results[numbers[6]] = definitions.CourtConfirmed

	// Outside the importer's scope a case is unknown; only clerks import.
	status, out = cs.importCourt(t, "clerk-otog", "x.csv", courtCSV(t, []string{numbers[7], "", "调解成功"}))
	require.Equal(t, http.StatusUnprocessableEntity, status, out)
	require.Contains(t, fmt.Sprint(out), "no case has this number in your scope")
	status, out = cs.importCourt(t, "supervisor-banner", "x.csv", courtCSV(t, []string{numbers[7], "", "调解成功"}))
	require.Equal(t, http.StatusForbidden, status, out)

	// Every import that recorded something is listed, newest first.
	status, list := cs.do(t, http.MethodGet, "/v1/court/imports", "supervisor-banner", nil)
	require.Equal(t, http.StatusOK, status, list)
	items := list["items"].([]any)
	require.Len(t, items, 3)
	require.Equal(t, "法院导出.xlsx", items[0].(map[string]any)["file_name"])
	require.Equal(t, "clerk-banner", items[0].(map[string]any)["imported_by"])

	// The court's count of new civil and commercial cases this month, entered by the banner's
	// supervisor; a town's supervisor may not.
	today := definitions.DateOf(time.Now())
	month := fmt.Sprintf("%04d-%02d", today.Year, today.Month)
	const civilCommercial = 11
	status, out = cs.do(t, http.MethodPut, "/v1/court/intake/"+month, "supervisor-galutu", map[string]any{"civil_commercial": 3})
	require.Equal(t, http.StatusForbidden, status, out)
	status, out = cs.do(t, http.MethodPut, "/v1/court/intake/"+month, "supervisor-banner", map[string]any{"civil_commercial": civilCommercial})
	require.Equal(t, http.StatusOK, status, out)
	require.Equal(t, "wushen", out["org_unit"])

	// The figures, computed here from what was recorded.
	concluded, succeeded := len(results), 0
	for _, r := range results {
		if r == definitions.CourtAgreement || r == definitions.CourtConfirmed {
			succeeded++
		}
	}
	first := definitions.NewDate(today.Year, today.Month, 1)
	last := definitions.NewDate(today.Year, today.Month+1, 1).AddDays(-1)
	status, stats := cs.do(t, http.MethodGet, "/v1/court/stats?from="+first.String()+"&to="+last.String(), "supervisor-banner", nil)
	require.Equal(t, http.StatusOK, status, stats)
	require.EqualValues(t, referred, stats["court_referred"], stats)
	require.EqualValues(t, concluded, stats["court_concluded"], stats)
	require.EqualValues(t, succeeded, stats["court_succeeded"], stats)
	require.InDelta(t, float64(succeeded)/float64(concluded), stats["court_success_rate"], 1e-9)
	require.EqualValues(t, civilCommercial, stats["court_civil_commercial"], stats)
	require.InDelta(t, float64(referred)/civilCommercial, stats["court_share"], 1e-9)
	// A town's figures have no referral of the banner's, and no court count of their own.
	status, stats = cs.do(t, http.MethodGet, "/v1/court/stats?org_unit=galutu&from="+first.String()+"&to="+last.String(), "supervisor-banner", nil)
	require.Equal(t, http.StatusOK, status, stats)
	require.EqualValues(t, 0, stats["court_referred"], stats)
	require.EqualValues(t, 0, stats["court_civil_commercial"], stats)
}
