package workflows_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/workflows"
)

// refusalTypes are the kinds of the harness's refusals, in order.
func (h *harness) refusalTypes() []string {
	var out []string
	for _, err := range h.refusals {
		out = append(out, refusalType(err))
	}
	return out
}

func offers(list []workflows.Offer, t workflows.ActionType) (workflows.Offer, bool) {
	i := slices.IndexFunc(list, func(o workflows.Offer) bool { return o.Type == t })
	if i < 0 {
		return workflows.Offer{}, false
	}
	return list[i], true
}

// 撤回: the clerk who registered a petition takes it back before anyone acted on the acceptance
// task; the intake task is open again with its due date as before. Once someone acts on the next
// task, the withdraw is refused and changes nothing.
func TestWithdrawReopensTheStepAsItWas(t *testing.T) {
	t.Parallel()
	h := newHarness(t, procedure(t, "petition"), "galutu", petitionData("request", 2))
	clerk, supervisor := user("clerk-galutu"), user("supervisor-galutu")
	var offered, others map[workflows.ActionType]bool
	h.at(1*time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: clerk, Outcome: "register", Data: map[string]any{"people": 3}})
	h.env.RegisterDelayedCallback(func() {
		offered, others = map[workflows.ActionType]bool{}, map[workflows.ActionType]bool{}
		for _, o := range h.offers(clerk) {
			offered[o.Type] = true
		}
		for _, o := range h.offers(supervisor) {
			others[o.Type] = true
		}
	}, 2*time.Hour)
	// Another user may not take the clerk's completion back.
	h.at(3*time.Hour, workflows.Action{Type: workflows.ActWithdraw, Actor: supervisor})
	h.at(4*time.Hour, workflows.Action{Type: workflows.ActWithdraw, Actor: clerk, Reason: "登记信息有误"})
	h.at(5*time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: clerk, Outcome: "register"})
	// The next holder acts (a supervision order counts: someone acted on the case).
	h.at(6*time.Hour, workflows.Action{Type: workflows.ActSupervise, Actor: supervisor, Reason: "限期受理",
		Extension: &definitions.Period{Amount: 2, Unit: definitions.UnitWorkdays}})
	h.at(7*time.Hour, workflows.Action{Type: workflows.ActWithdraw, Actor: clerk})
	st := h.run(24 * time.Hour)

	require.True(t, offered[workflows.ActWithdraw], "offered to the clerk who completed")
	require.False(t, others[workflows.ActWithdraw], "not offered to anyone else")
	require.Equal(t, []string{workflows.ErrForbidden, workflows.ErrConflict}, h.refusalTypes())
	require.Contains(t, h.refusals[1].Error(), "supervise by supervisor-galutu")

	registered, withdrawn := h.states[0], h.states[1]
	require.Equal(t, "accept", registered.Case.Step)
	require.Equal(t, "intake", withdrawn.Case.Step)
	require.EqualValues(t, 2, withdrawn.Case.Data["people"], "the data the completion recorded are taken back")
	t1, t2 := withdrawn.Tasks[0], withdrawn.Tasks[1]
	require.Equal(t, onedoor.TaskOpen, t1.Status)
	require.Empty(t, t1.Outcome)
	require.Empty(t, t1.ClosedBy)
	require.Equal(t, onedoor.TaskCancelled, t2.Status)
	require.Equal(t, "withdrawn", t2.Result)
	// The due date counts as before: from when intake opened, not from the withdraw.
	first := h.states[0].Tasks[0]
	require.Equal(t, first.DueAt, t1.DueAt)
	require.Equal(t, first.OpenedAt, t1.OpenedAt)
	require.Equal(t, "accept", st.Case.Step)
	require.Equal(t, onedoor.TaskOpen, st.Tasks[2].Status)
}

// 退回: the holder of the acceptance step sends the case back to intake, which the petition
// procedure allows; a step it does not allow is refused, and so is one the case has not passed.
func TestSendBackToAnEarlierStep(t *testing.T) {
	t.Parallel()
	h := newHarness(t, procedure(t, "petition"), "galutu", petitionData("request", 2))
	clerk := user("clerk-galutu")
	var offer workflows.Offer
	var atIntake bool
	h.env.RegisterDelayedCallback(func() { _, atIntake = offers(h.offers(clerk), workflows.ActSendBack) }, 30*time.Minute)
	h.at(1*time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: clerk, Outcome: "register"})
	h.env.RegisterDelayedCallback(func() { offer, _ = offers(h.offers(clerk), workflows.ActSendBack) }, 2*time.Hour)
	h.at(3*time.Hour, workflows.Action{Type: workflows.ActSendBack, Actor: clerk, Step: "handle", Reason: "x"})
	h.at(4*time.Hour, workflows.Action{Type: workflows.ActSendBack, Actor: clerk, Step: "intake"})
	h.at(5*time.Hour, workflows.Action{Type: workflows.ActSendBack, Actor: user("supervisor-galutu"), Step: "intake", Reason: "x"})
	h.at(6*time.Hour, workflows.Action{Type: workflows.ActSendBack, Actor: clerk, Step: "intake", Reason: "来访人身份信息不全"})
	st := h.run(24 * time.Hour)

	require.False(t, atIntake, "intake may send nothing back")
	require.Equal(t, []string{"step", "reason"}, offer.Needs)
	require.Equal(t, []string{"intake"}, offer.Steps)
	require.Equal(t, []string{workflows.ErrConflict, workflows.ErrInvalid, workflows.ErrForbidden}, h.refusalTypes())
	require.Contains(t, h.refusals[0].Error(), "step accept may send a case back to intake only")
	require.Equal(t, "intake", st.Case.Step)
	require.Equal(t, onedoor.TaskCancelled, st.Tasks[1].Status)
	require.Equal(t, "sent back", st.Tasks[1].Result)
	require.Equal(t, "intake", st.Tasks[2].Step)
	require.Equal(t, onedoor.TaskOpen, st.Tasks[2].Status)
	require.True(t, st.Tasks[2].OpenedAt.Equal(start.Add(6*time.Hour)), "the step opens again with a new deadline")
}

// 委派: the holder delegates to a colleague of the unit, who returns a result; the holder cannot
// complete until then, and the due date does not move. A colleague of another unit is refused.
func TestDelegateAndTheResultComesBack(t *testing.T) {
	t.Parallel()
	h := newHarness(t, procedure(t, "petition"), "galutu", petitionData("request", 2))
	clerk, colleague := user("clerk-galutu"), user("supervisor-galutu")
	var delegateOffered bool
	h.at(1*time.Hour, workflows.Action{Type: workflows.ActDelegate, Actor: clerk, User: ptr(user("clerk-sarula")), Reason: "核实"})
	h.at(2*time.Hour, workflows.Action{Type: workflows.ActDelegate, Actor: clerk, User: &colleague, Reason: "核实来访人身份"})
	h.env.RegisterDelayedCallback(func() { _, delegateOffered = offers(h.offers(colleague), workflows.ActDelegateResult) }, 150*time.Minute)
	h.at(3*time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: clerk, Outcome: "register"})
	h.at(4*time.Hour, workflows.Action{Type: workflows.ActDelegateResult, Actor: clerk, Result: "x"})
	h.at(5*time.Hour, workflows.Action{Type: workflows.ActDelegateResult, Actor: colleague, Result: "身份已核实"})
	h.at(6*time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: clerk, Outcome: "register"})
	st := h.run(24 * time.Hour)

	require.True(t, delegateOffered)
	require.Equal(t, []string{workflows.ErrConflict, workflows.ErrConflict, workflows.ErrForbidden}, h.refusalTypes())
	require.Contains(t, h.refusals[0].Error(), "clerk-sarula is not of clerk of galutu")
	require.Contains(t, h.refusals[1].Error(), "delegated to supervisor-galutu")
	delegated, back := h.states[0].Tasks[0], h.states[1].Tasks[0]
	require.Equal(t, "supervisor-galutu", delegated.Delegate)
	require.Equal(t, "clerk-galutu", delegated.DelegatedBy)
	require.Equal(t, delegated.DueAt, back.DueAt, "the due date does not move")
	require.Empty(t, back.Delegate)
	require.Equal(t, "身份已核实", back.DelegateResult)
	require.Equal(t, "accept", st.Case.Step)
	require.Equal(t, "clerk-galutu", st.Tasks[0].ClosedBy, "the holder completes the step")
}

// 转办: a supervisor gives the unit's task to another clerk of the unit; a clerk of another unit,
// and a clerk who asks it, are refused.
func TestReassignWithinTheUnit(t *testing.T) {
	t.Parallel()
	h := newHarness(t, procedure(t, "petition"), "galutu", petitionData("request", 2))
	second := onedoor.User{ID: "clerk-galutu-2", Role: onedoor.RoleClerk, OrgUnit: "galutu"}
	h.at(1*time.Hour, workflows.Action{Type: workflows.ActReassign, Actor: user("clerk-galutu"), User: &second, Reason: "x"})
	h.at(2*time.Hour, workflows.Action{Type: workflows.ActReassign, Actor: user("supervisor-galutu"), User: ptr(user("clerk-sarula")), Reason: "x"})
	h.at(3*time.Hour, workflows.Action{Type: workflows.ActReassign, Actor: user("supervisor-galutu"), User: &second, Reason: "原承办人休假"})
	st := h.run(24 * time.Hour)
	require.Equal(t, []string{workflows.ErrForbidden, workflows.ErrConflict}, h.refusalTypes())
	require.Equal(t, "clerk-galutu-2", st.Tasks[0].Assignee)
	require.Equal(t, "intake", st.Case.Step, "the case stays where it is: not a transfer")
}

func ptr[T any](v T) *T { return &v }
