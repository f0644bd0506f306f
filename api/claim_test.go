package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/store"
)

// heldCase writes a case received by one unit and held now by another (escalated), with its
// open task t1 there, straight into the read model.
func heldCase(t *testing.T, s *store.Store, receivedBy, holder string, level definitions.Level) onedoor.Case {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	due := now.Add(-2 * time.Hour)
	c := onedoor.Case{ID: uuid.NewString(), Matter: "mediation", Status: onedoor.StatusOpen, Step: "handle", Level: level,
		OrgUnit: holder, ReceivedBy: receivedBy, Channel: onedoor.ChannelVisit, Subject: "上报 " + receivedBy, ResidentName: "王五",
		Data: map[string]any{"facts": "草场纠纷"}, ProcedureKey: "mediation", ProcedureVersion: 1, CreatedBy: "test", ReceivedAt: now, UpdatedAt: now}
	c, err := s.RegisterCase(ctx, c, nil, "HT-MED-2026", store.AuditEntry{Seq: 1, At: now, Actor: "test", Action: "register"})
	require.NoError(t, err)
	tasks := []onedoor.Task{{ID: "t1", Step: "handle", Name: "调解", OrgUnit: holder, Level: level, Role: "clerk",
		Status: onedoor.TaskOpen, Priority: "normal", OpenedAt: now, DueAt: &due, Overdue: true}}
	c.DueAt, c.Overdue = &due, true
	require.NoError(t, s.SaveCase(ctx, c, tasks, nil, store.AuditEntry{Seq: 2, At: now, Actor: "test", Action: "escalate"}))
	return c
}

// TestClaimAndUrgeStayInTheUnit: a case received in Galutu and escalated to the banner stays in
// the town's scope, but its task is the banner's: the town's clerk may not claim it and the
// town's supervisor may not urge the banner.
func TestClaimAndUrgeStayInTheUnit(t *testing.T) {
	t.Parallel()
	r := newReadAPI(t)
	c := heldCase(t, r.store, "galutu", "wushen", "banner")

	status, body := r.call(t, http.MethodGet, "/v1/cases/"+c.Number, "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, "the receiving town still sees the case: %v", body)
	status, body = r.call(t, http.MethodPost, "/v1/tasks/"+c.Number+"/t1/claim", "clerk-galutu", nil)
	require.Equal(t, http.StatusConflict, status, body)
	require.Contains(t, body["detail"], "not in your queue")
	status, body = r.call(t, http.MethodPost, "/v1/tasks/"+c.Number+"/t1/claim", "clerk-banner", nil)
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, "clerk-banner", body["claimed_by"])

	status, body = r.call(t, http.MethodPost, "/v1/supervision/urge", "supervisor-galutu",
		map[string]any{"cases": []string{c.Number}, "message": "请尽快办理"})
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	require.Equal(t, "body.cases[0]", body["errors"].([]any)[0].(map[string]any)["location"])
	require.Contains(t, body["errors"].([]any)[0].(map[string]any)["message"], "outside your subtree")
	status, body = r.call(t, http.MethodGet, "/v1/notifications?limit=500", "clerk-banner", nil)
	require.Equal(t, http.StatusOK, status, body)
	for _, it := range body["items"].([]any) {
		require.NotEqual(t, c.Number, it.(map[string]any)["case_number"], "the banner got no urge from the town")
	}

	status, body = r.call(t, http.MethodPost, "/v1/supervision/urge", "supervisor-banner",
		map[string]any{"cases": []string{c.Number}, "message": "请尽快办理"})
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, []any{"wushen"}, body["results"].([]any)[0].(map[string]any)["notified"])

	logs := r.logged()
	require.Contains(t, logs, "claim of task t1 of case "+c.ID)
	require.Contains(t, logs, "urge of "+c.ID+" held outside the user's subtree by wushen")
}
