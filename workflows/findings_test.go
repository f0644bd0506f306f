package workflows_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/store"
	"github.com/onedoor/onedoor/workflows"
)

// 督办查究: the village let the acceptance of a petition go overdue; the town's supervisor records
// the finding on that task, and one on the unanswered overdue order, holding the justice bureau
// responsible. Both are the case's, in the audit log, and in the assessment of who was found
// responsible; findings on what did not go overdue, or by a clerk, are refused.
func TestFindingsOnAnOverdueTaskAndAnUnansweredOrder(t *testing.T) {
	t.Parallel()
	h := newHarness(t, procedure(t, "petition"), "galutu-v01", petitionData("request", 2))
	clerk, supervisor := user("clerk-sarula"), user("supervisor-galutu")
	h.at(time.Hour, workflows.Action{Type: workflows.ActComplete, Actor: clerk, Outcome: "register"})
	// Before anything went overdue there is nothing to inquire into.
	h.at(2*time.Hour, workflows.Action{Type: workflows.ActFind, Actor: supervisor, Task: "t1", Result: "x", Reason: "y",
		Responsible: &workflows.Responsible{OrgUnit: "galutu-v01"}})
	h.at(40*24*time.Hour, workflows.Action{Type: workflows.ActFind, Actor: clerk, Task: "t2", Result: "x", Reason: "y",
		Responsible: &workflows.Responsible{OrgUnit: "galutu-v01"}})
	h.at(40*24*time.Hour+time.Minute, workflows.Action{Type: workflows.ActFind, Actor: supervisor, Task: "t1", Result: "x", Reason: "y",
		Responsible: &workflows.Responsible{OrgUnit: "galutu-v01"}})
	h.at(40*24*time.Hour+2*time.Minute, workflows.Action{Type: workflows.ActFind, Actor: supervisor, Task: "t2",
		Result: "受理员休假，无人代岗", Reason: "约谈村委会主任，责令建立代岗制度", Responsible: &workflows.Responsible{OrgUnit: "galutu-v01"}})
	h.at(40*24*time.Hour+3*time.Minute, workflows.Action{Type: workflows.ActFind, Actor: supervisor, Order: "s1",
		Result: "司法所未按时会商", Reason: "通报批评", Responsible: &workflows.Responsible{Department: "justice"}})
	st := h.run(41 * 24 * time.Hour)

	require.Equal(t, []string{"conflict", "forbidden", "conflict"}, h.refusalTypes()[:3])
	require.Contains(t, h.refusals[0].Error(), "nothing to inquire into")
	require.Contains(t, h.refusals[2].Error(), "task t1 of the case did not go overdue")
	require.Len(t, h.refusals, 3)
	require.Len(t, st.Case.Findings, 2)
	f := st.Case.Findings[0]
	require.Equal(t, "f1", f.ID)
	require.Equal(t, "t2", f.Task)
	require.Equal(t, "galutu-v01", f.OrgUnit)
	require.Equal(t, "受理员休假，无人代岗", f.Cause)
	require.Equal(t, "约谈村委会主任，责令建立代岗制度", f.Measure)
	require.Equal(t, "supervisor-galutu", f.By)
	require.Equal(t, "s1", st.Case.Findings[1].Order)

	ctx := context.Background()
	audit, err := h.store.Audit(ctx, st.Case.ID)
	require.NoError(t, err)
	var found []string
	for _, e := range audit {
		if e.Action == "find" {
			found = append(found, e.Reason)
		}
	}
	require.Equal(t, []string{"f1 t2（galutu-v01）：受理员休假，无人代岗；约谈村委会主任，责令建立代岗制度", "f2 s1（justice）：司法所未按时会商；通报批评"}, found)
	c, err := h.store.Case(ctx, st.Case.ID)
	require.NoError(t, err)
	require.Equal(t, st.Case.Findings, c.Findings, "the read model holds the findings")

	// The assessment of the period counts each finding for whom it holds responsible.
	from := start
	_, figures, err := h.store.AssessmentTallies(ctx, store.Scope{Units: []string{"galutu", "galutu-v01"}}, from, from.AddDate(0, 3, 0))
	require.NoError(t, err)
	byHolder := map[store.Holder]int{}
	for _, f := range figures {
		byHolder[f.Holder] += f.Findings
	}
	require.Equal(t, 1, byHolder[store.Holder{OrgUnit: "galutu-v01"}])
	require.Equal(t, 1, byHolder[store.Holder{Department: "justice"}], "a finding on an order holds the department at no unit")
	_, figures, err = h.store.AssessmentTallies(ctx, store.Scope{Units: []string{"galutu-v01"}}, from.AddDate(0, 3, 0), from.AddDate(0, 6, 0))
	require.NoError(t, err)
	for _, f := range figures {
		require.Zero(t, f.Findings, "none in a later period")
	}
}
