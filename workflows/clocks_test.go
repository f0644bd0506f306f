package workflows_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/demo"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/store"
	"github.com/onedoor/onedoor/workflows"
)

// endOf is the end (24:00 Beijing time) of a day, as due dates are.
func endOf(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d+1, 0, 0, 0, 0, definitions.Shanghai)
}

func clockOf(t *testing.T, c onedoor.Case, id string) onedoor.CaseClock {
	t.Helper()
	i := slices.IndexFunc(c.Clocks, func(k onedoor.CaseClock) bool { return k.ID == id })
	require.GreaterOrEqual(t, i, 0, "the case has clock %s", id)
	return c.Clocks[i]
}

// A petition counts 60 days once, from its acceptance (信访工作条例 Art.34), however many levels
// handle it: the banner's own 60 days are an internal target under the statutory period, an
// approved extension extends both, and the period running out makes the case overdue.
func TestStatutoryPeriodIsCountedOnceAcrossLevels(t *testing.T) {
	t.Parallel()
	h := newHarness(t, procedure(t, "petition"), "galutu-v01", petitionData("request", 1))
	village, town, banner := user("clerk-sarula"), user("clerk-galutu"), user("supervisor-banner")
	h.at(1*time.Minute, workflows.Action{Type: workflows.ActComplete, Actor: village, Outcome: "register"})
	h.at(2*time.Minute, workflows.Action{Type: workflows.ActComplete, Actor: village, Outcome: "accept"})
	h.at(3*time.Minute, workflows.Action{Type: workflows.ActComplete, Actor: village, Outcome: "handle_here"})
	h.at(4*time.Minute, workflows.Action{Type: workflows.ActEscalate, Actor: village, Reason: "村级无法化解"})
	h.at(20*24*time.Hour, workflows.Action{Type: workflows.ActEscalate, Actor: town, Reason: "涉及多个部门"})
	h.at(21*24*time.Hour, workflows.Action{Type: workflows.ActExtend, Actor: banner, Reason: "情况复杂，经批准延期",
		Extension: &definitions.Period{Amount: 30, Unit: definitions.UnitDays}})
	h.at(22*24*time.Hour, workflows.Action{Type: workflows.ActExtend, Actor: banner, Reason: "再次延期",
		Extension: &definitions.Period{Amount: 10, Unit: definitions.UnitDays}}) // refused: once
	st := h.run(100 * 24 * time.Hour)
	require.Len(t, h.refusals, 1)
	require.Equal(t, workflows.ErrConflict, refusalType(h.refusals[0]))

	// Accepted on 2026-02-10: 60 days counted from 02-11 reach Saturday 04-11, which moves to
	// Monday 04-13 (Civil Code Art.201, 203). The town's 30 days, from 02-10, end Thursday 03-12.
	atTown := h.states[3]
	require.Equal(t, "galutu", atTown.Case.OrgUnit)
	require.Equal(t, endOf(2026, 3, 12), atTown.Tasks[len(atTown.Tasks)-1].DueAt.In(definitions.Shanghai))
	handling := clockOf(t, atTown.Case, "handling")
	require.Equal(t, endOf(2026, 4, 13), handling.DueAt.In(definitions.Shanghai))
	acceptance := clockOf(t, atTown.Case, "acceptance")
	require.NotNil(t, acceptance.StoppedAt, "acceptance stops when the case is accepted")
	require.False(t, acceptance.Overdue)

	// At the banner, from 03-02, its own 60 days would end in May: the statutory period's end
	// is the task's due date, and its explanation says why.
	atBanner := h.states[4]
	require.Equal(t, "wushen", atBanner.Case.OrgUnit)
	task := atBanner.Tasks[len(atBanner.Tasks)-1]
	require.Equal(t, endOf(2026, 4, 13), task.DueAt.In(definitions.Shanghai))
	require.Contains(t, strings.Join(task.Explanation.Notes, " "), "statutory period 办理期限")

	// The approved 30 days extend the period to 90 days from 02-10: Monday 05-11.
	extended := h.states[5]
	require.Equal(t, endOf(2026, 5, 11), clockOf(t, extended.Case, "handling").DueAt.In(definitions.Shanghai))
	require.Equal(t, 1, clockOf(t, extended.Case, "handling").Extensions)
	require.Equal(t, endOf(2026, 5, 11), extended.Tasks[len(extended.Tasks)-1].DueAt.In(definitions.Shanghai))

	// Nobody concluded it: the period ran out and the case is overdue.
	require.True(t, clockOf(t, st.Case, "handling").Overdue)
	require.True(t, st.Case.Overdue)
	audit, err := h.store.Audit(context.Background(), st.Case.ID)
	require.NoError(t, err)
	require.True(t, slices.ContainsFunc(audit, func(e store.AuditEntry) bool {
		return e.Action == "deadline_overdue" && strings.Contains(e.Reason, "法定期限「办理期限」")
	}), "the missed statutory period is in the audit log")
}

// A letter received twenty days before it is typed in (补录) is registered with its real receipt
// time: the 15 days of Art.22/23 count from receipt, so the case is overdue at registration, and
// the audit log says both.
func TestRegistrationAfterTheFactCountsFromReceipt(t *testing.T) {
	t.Parallel()
	h := newHarness(t, procedure(t, "petition"), "galutu", petitionData("request", 1))
	received := time.Date(2026, 1, 21, 9, 30, 0, 0, definitions.Shanghai)
	registered := start
	h.in.Case.ReceivedAt, h.in.Case.RegisteredAt, h.in.Case.LateReason = received, &registered, "来信邮戳为1月21日，嘎查无信号，今日补录"
	var first workflows.CaseState
	h.env.RegisterDelayedCallback(func() { first = h.query() }, time.Second)
	h.run(time.Hour)

	// 15 days from 01-21 end on Thursday 02-05: the period ran out before registration.
	acceptance := clockOf(t, first.Case, "acceptance")
	require.Equal(t, endOf(2026, 2, 5), acceptance.DueAt.In(definitions.Shanghai))
	require.True(t, acceptance.Overdue)
	require.True(t, first.Case.Overdue)
	intake := first.Tasks[0]
	require.Equal(t, endOf(2026, 2, 5), intake.DueAt.In(definitions.Shanghai), "the step's 15 days are capped by the period from receipt")
	require.True(t, intake.Overdue)

	audit, err := h.store.Audit(context.Background(), first.Case.ID)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(audit), 2)
	require.Equal(t, "register", audit[0].Action)
	require.Contains(t, audit[0].Reason, "registered after the fact (补录): received 2026-01-21 09:30")
	require.Equal(t, "deadline_overdue", audit[1].Action)
	require.Contains(t, audit[1].Reason, "法定期限「登记受理告知期限」")
	require.Contains(t, audit[1].Reason, "早于登记时间")
}

// The statistics' overdue count is the statutory clock's: a village that missed its internal
// target of 15 days while the 60 days from acceptance still ran is on time; a case whose 60
// days ran out is overdue.
func TestStatisticsCountTheStatutoryClock(t *testing.T) {
	t.Parallel()
	s := testenv.OwnStore(t)
	require.NoError(t, demo.Load(context.Background(), s))
	village := user("clerk-sarula")
	accepted := func(h *harness) {
		h.at(1*time.Minute, workflows.Action{Type: workflows.ActComplete, Actor: village, Outcome: "register"})
		h.at(2*time.Minute, workflows.Action{Type: workflows.ActComplete, Actor: village, Outcome: "accept"})
		h.at(3*time.Minute, workflows.Action{Type: workflows.ActComplete, Actor: village, Outcome: "handle_here"})
	}
	// Concluded after 20 days: past the village's 15, well within the 60.
	late := newHarnessOn(t, s, procedure(t, "petition"), "galutu-v01", petitionData("request", 1))
	accepted(late)
	late.at(20*24*time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: village, Outcome: "opinion",
		Data: map[string]any{"opinion": "经调查，依法出具处理意见。"}})
	st := late.run(21 * 24 * time.Hour)
	require.Len(t, late.refusals, 0)
	require.True(t, slices.ContainsFunc(st.Tasks, func(t onedoor.Task) bool { return t.Step == "handle" && t.Overdue }), "the village's target was missed")
	require.False(t, clockOf(t, st.Case, "handling").Overdue)

	// Never concluded: the 60 days ran out.
	missed := newHarnessOn(t, s, procedure(t, "petition"), "galutu-v01", petitionData("request", 1))
	accepted(missed)
	missed.run(70 * 24 * time.Hour)

	stats, err := s.Stats(context.Background(), store.StatsFilter{Scope: store.Scope{All: true},
		From: start.Add(-24 * time.Hour), To: start.Add(24 * time.Hour)}, definitions.NewCalendar())
	require.NoError(t, err)
	require.Equal(t, 2, stats.Received)
	require.Equal(t, 1, stats.Overdue, "only the case whose statutory period ran out")
}
