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

// offers asks the workflow which actions u may take now.
func (h *harness) offers(u onedoor.User) []workflows.Offer {
	v, err := h.env.QueryWorkflow(workflows.QueryAllowed, u)
	require.NoError(h.t, err)
	var out []workflows.Offer
	require.NoError(h.t, v.Get(&out))
	return out
}

func offered(offers []workflows.Offer) []workflows.ActionType {
	var types []workflows.ActionType
	for _, o := range offers {
		if !slices.Contains(types, o.Type) {
			types = append(types, o.Type)
		}
	}
	return types
}

// The allowed actions are those the workflow then takes: each user is offered what the table's
// rules let them do at that moment, and an action that was not offered is refused.
func TestAllowedActionsAreWhatTheWorkflowTakes(t *testing.T) {
	t.Parallel()
	// A proposal by one person at a village window: the village may handle it on the spot.
	h := newHarness(t, procedure(t, "petition"), "galutu-v01", petitionData("proposal", 1))
	holder, town := user("clerk-sarula"), user("supervisor-galutu")
	townClerk, staff := user("clerk-galutu"), user("justice-staff")
	seen := map[string][]workflows.Offer{}
	h.env.RegisterDelayedCallback(func() {
		seen["holder"] = h.offers(holder)
		seen["town"] = h.offers(town)
		seen["town clerk"] = h.offers(townClerk)
		seen["staff"] = h.offers(staff)
	}, time.Minute)
	h.at(2*time.Minute, workflows.Action{Type: workflows.ActSupervise, Actor: town, Reason: "限期答复",
		Extension: &definitions.Period{Amount: 2, Unit: definitions.UnitWorkdays}})
	h.env.RegisterDelayedCallback(func() { seen["holder after order"] = h.offers(holder) }, 3*time.Minute)
	// Not offered to the town clerk, who holds no task of the case: refused.
	h.at(4*time.Minute, workflows.Action{Type: workflows.ActEscalate, Actor: townClerk, Reason: "x"})
	h.at(5*time.Minute, workflows.Action{Type: workflows.ActClose, Actor: holder, Outcome: "resolved", Result: "当场答复"})
	h.env.RegisterDelayedCallback(func() {
		seen["holder closed"] = h.offers(holder)
		seen["staff closed"] = h.offers(staff)
	}, 6*time.Minute)
	st := h.run(time.Hour)
	require.Equal(t, onedoor.StatusClosed, st.Case.Status)

	require.Equal(t, []workflows.ActionType{workflows.ActComplete, workflows.ActEscalate, workflows.ActHandDown,
		workflows.ActTransfer, workflows.ActDivert, workflows.ActNote, workflows.ActClose, workflows.ActDelegate, workflows.ActCopy, workflows.ActVisit}, offered(seen["holder"]))
	// intake's deadline cannot be extended: extend is not offered to the supervisor.
	require.Equal(t, []workflows.ActionType{workflows.ActEscalate, workflows.ActHandDown, workflows.ActTransfer,
		workflows.ActDivert, workflows.ActSupervise, workflows.ActNote, workflows.ActClose, workflows.ActReassign, workflows.ActCopy, workflows.ActVisit}, offered(seen["town"]))
	// The town's clerk may see the case: a note, or the resident's visit at the town's window.
	require.Equal(t, []workflows.ActionType{workflows.ActNote, workflows.ActVisit}, offered(seen["town clerk"]))
	require.Equal(t, []workflows.ActionType{workflows.ActNote}, offered(seen["staff"]))

	// complete lists the step's outcomes with the rules' answers on the case's data: escalating
	// is open to a village (level_rank < 4), and every outcome of intake is available here.
	complete := seen["holder"][0]
	require.Equal(t, "t1", complete.Task)
	ids := make([]string, len(complete.Outcomes))
	for i, o := range complete.Outcomes {
		ids[i] = o.ID
		require.Empty(t, o.Refusals, o.ID)
	}
	require.Equal(t, []string{"on_spot", "register", "redirect", "escalate"}, ids)
	require.Equal(t, definitions.MoveUp, complete.Outcomes[3].Move)

	i := slices.IndexFunc(seen["holder after order"], func(o workflows.Offer) bool { return o.Type == workflows.ActReply })
	require.GreaterOrEqual(t, i, 0, "the holder answers the supervision order")
	require.Equal(t, []string{"s1"}, seen["holder after order"][i].Orders)
	require.Equal(t, []string{"order", "result"}, seen["holder after order"][i].Needs)

	require.Len(t, h.refusals, 1)
	require.Equal(t, workflows.ErrForbidden, refusalType(h.refusals[0]))

	// Once closed: notes and the evaluation, by the clerk; a department's staff only notes.
	require.Equal(t, []workflows.ActionType{workflows.ActNote, workflows.ActEvaluate}, offered(seen["holder closed"]))
	require.Equal(t, []workflows.ActionType{workflows.ActNote}, offered(seen["staff closed"]))
}

// An outcome whose rule says no for the case's data is offered with the refusal.
func TestAllowedOutcomesCarryTheirRefusals(t *testing.T) {
	t.Parallel()
	// The banner government is the top of the chain: intake's escalate outcome (level_rank < 4)
	// is refused there, and so is escalating by hand.
	h := newHarness(t, procedure(t, "petition"), "wushen-gov", petitionData("request", 1))
	var offers []workflows.Offer
	h.env.RegisterDelayedCallback(func() {
		offers = h.offers(onedoor.User{ID: "clerk-gov", Role: onedoor.RoleClerk, OrgUnit: "wushen-gov"})
	}, time.Minute)
	h.run(time.Hour)

	require.NotContains(t, offered(offers), workflows.ActEscalate)
	require.Equal(t, workflows.ActComplete, offers[0].Type)
	i := slices.IndexFunc(offers[0].Outcomes, func(o workflows.OutcomeOffer) bool { return o.ID == "escalate" })
	require.Equal(t, []string{`the outcome "escalate" is not available for this case: its condition at step "intake" (when: level_rank < 4) said no`}, offers[0].Outcomes[i].Refusals)
}
