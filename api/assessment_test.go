package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/store"
)

// TestAssessment: the 考评 of March 2001 counts what Sarula community's staff and the justice
// bureau stationed at Galutu finished then — on time, late, by passing the case up — and the
// residents' ratings of those cases; a town's supervisor reads their town only, a clerk not at
// all; the spreadsheet says the same in Chinese. (Tests share the database; nothing else here
// finishes a task in 2001.)
func TestAssessment(t *testing.T) {
	t.Parallel()
	r := newReadAPI(t)
	ctx := context.Background()
	at := func(day, hour int) *time.Time {
		x := time.Date(2001, 3, day, hour, 0, 0, 0, time.UTC)
		return &x
	}
	done := func(id, step, outcome, unit, dept string, due, closed *time.Time) onedoor.Task {
		return onedoor.Task{ID: id, Step: step, Name: step, OrgUnit: unit, Level: "village", Role: "clerk", Department: dept,
			Status: onedoor.TaskDone, Priority: "normal", OpenedAt: *at(1, 1), DueAt: due, Outcome: outcome, ClosedAt: closed}
	}
	// A procedure of the test's own, so that whether an outcome moves up is this test's to say.
	key := "assess_" + strings.ReplaceAll(uuid.NewString()[:8], "-", "")
	_, err := r.store.CreateProcedure(ctx, []byte(`
key: `+key+`
matter: mediation
name: 考评测试
version: 1
status: draft
form:
  - {name: facts, label: 事实, type: long_text}
steps:
  - id: intake
    name: 登记
    assignee: {role: clerk}
    outcomes:
      - {id: register, name: 登记, next: mediate}
      - {id: escalate, name: 上报, next: intake, move: up}
  - id: mediate
    name: 调解
    assignee: {role: clerk}
    outcomes:
      - {id: agreement, name: 达成协议, next: end, kind: mediated_success}
      - {id: request_review, name: 申请复查, next: intake, move: up}
`), "", "test")
	require.NoError(t, err)
	save := func(tasks []onedoor.Task, rating int) {
		now := time.Now()
		c := onedoor.Case{ID: uuid.NewString(), Matter: "mediation", Status: onedoor.StatusClosed, Step: "close", Level: "village",
			OrgUnit: "galutu-v01", ReceivedBy: "galutu-v01", Channel: onedoor.ChannelVisit, Subject: "考评", ResidentName: "王五",
			ProcedureKey: key, ProcedureVersion: 1, CreatedBy: "test", ReceivedAt: *at(1, 1), UpdatedAt: now}
		c, err := r.store.RegisterCase(ctx, c, nil, "AS-MED-2001", store.AuditEntry{Seq: 1, At: now, Actor: "test", Action: "register"})
		require.NoError(t, err)
		if rating > 0 {
			c.Evaluation = &onedoor.Evaluation{Rating: rating, By: "clerk-sarula", At: *at(20, 3)}
		}
		require.NoError(t, r.store.SaveCase(ctx, c, tasks, nil, store.AuditEntry{Seq: 2, At: now, Actor: "test", Action: "close"}))
	}
	// Sarula's staff: on time, late, and once passing the case up (intake's escalate moves up).
	save([]onedoor.Task{done("t1", "intake", "register", "galutu-v01", "", at(5, 0), at(4, 9)),
		done("t2", "mediate", "agreement", "galutu-v01", "", at(5, 0), at(7, 9))}, 4)
	save([]onedoor.Task{done("t1", "intake", "escalate", "galutu-v01", "", nil, at(9, 9))}, 2)
	// The justice bureau at the town: one task, late; and one still open, overdue now.
	late := done("t1", "mediate", "agreement", "galutu", "justice", at(10, 0), at(12, 9))
	open := onedoor.Task{ID: "t2", Step: "mediate", Name: "mediate", OrgUnit: "galutu", Level: "town", Department: "justice",
		Status: onedoor.TaskOpen, Priority: "urgent", OpenedAt: *at(12, 9), DueAt: at(14, 0), Overdue: true}
	save([]onedoor.Task{late, open}, 0)
	// Its answer on another case, on time, which the resident asked to have reviewed.
	save([]onedoor.Task{done("t1", "mediate", "request_review", "galutu", "justice", at(12, 0), at(11, 9))}, 0)

	rows := func(user, query string) map[string]map[string]any {
		t.Helper()
		status, body := r.call(t, http.MethodGet, "/v1/assessment?from=2001-03-01&to=2001-03-31"+query, user, nil)
		require.Equal(t, http.StatusOK, status, body)
		out := map[string]map[string]any{}
		for _, x := range body["rows"].([]any) {
			m := x.(map[string]any)
			out[m["name"].(string)] = m
		}
		return out
	}
	got := rows("supervisor-galutu", "")
	sarula := got["萨如拉社区"]
	require.NotNil(t, sarula, got)
	require.EqualValues(t, 3, sarula["handled"])
	require.EqualValues(t, 2, sarula["on_time"], "the task without a due time counts as on time")
	require.EqualValues(t, 1, sarula["late"])
	require.EqualValues(t, 1, sarula["escalated"])
	require.InDelta(t, 2.0/3, sarula["on_time_rate"], 1e-9)
	require.EqualValues(t, 2, sarula["evaluations"])
	require.InDelta(t, 3.0, sarula["satisfaction"], 1e-9)
	justice := got["旗司法局"]
	require.NotNil(t, justice, got)
	require.Equal(t, "galutu", justice["org_unit"])
	require.EqualValues(t, 2, justice["handled"])
	require.EqualValues(t, 1, justice["late"])
	require.EqualValues(t, 1, justice["reviewed"], "the answer reopened by review")
	require.EqualValues(t, 1, justice["escalated"], "a review goes up a level")
	require.EqualValues(t, 0, sarula["reviewed"])
	require.GreaterOrEqual(t, justice["overdue_open"], float64(1))
	require.NotContains(t, justice, "satisfaction", "no evaluation of its case")

	// A town's supervisor reads only the town; another town's sees none of it; a clerk none at all.
	require.NotContains(t, rows("supervisor-tuke", ""), "萨如拉社区")
	require.Contains(t, rows("supervisor-banner", ""), "萨如拉社区")
	require.NotContains(t, rows("supervisor-galutu", "&org_unit=galutu-v02"), "萨如拉社区")
	status, _ := r.call(t, http.MethodGet, "/v1/assessment", "clerk-galutu", nil)
	require.Equal(t, http.StatusForbidden, status)
	status, body := r.call(t, http.MethodGet, "/v1/assessment?org_unit=tuke", "supervisor-galutu", nil)
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	status, body = r.call(t, http.MethodGet, "/v1/assessment?from=2001-03-31&to=2001-03-01", "supervisor-galutu", nil)
	require.Equal(t, http.StatusUnprocessableEntity, status, body)

	// The spreadsheet: a title, Chinese headers, the same figures.
	resp := r.api.Do(http.MethodGet, "/v1/assessment.xlsx?from=2001-03-01&to=2001-03-31", "Authorization: Bearer "+r.tokens["supervisor-galutu"])
	require.Equal(t, http.StatusOK, resp.Code, resp.Body.String())
	require.Equal(t, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", resp.Header().Get("Content-Type"))
	book, err := excelize.OpenReader(resp.Body)
	require.NoError(t, err)
	sheet, err := book.GetRows("考评")
	require.NoError(t, err)
	require.Equal(t, "考评统计 2001-03-01 至 2001-03-31", sheet[0][0])
	require.Equal(t, []string{"单位", "部门", "办结任务", "按期", "超期", "按期率", "上报", "被申请复查", "当前逾期", "评价数", "满意度（1-5）", "查究"}, sheet[1])
	var found bool
	for _, row := range sheet[2:] {
		if row[0] == "萨如拉社区" && row[1] == "" {
			found = true
			require.Equal(t, []string{"3", "2", "1", "66.67%", "1", "0"}, row[2:8])
		}
	}
	require.True(t, found, sheet)
}
