package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/definitions"
)

// A letter received twenty days ago and typed in today (补录) counts its deadlines from its
// receipt: the 15 days of 信访工作条例 Art.22/23 have run out, and the registration answer says so.
func TestRegistrationAfterTheFact(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	now := time.Now().In(definitions.Shanghai)
	received := now.Add(-20 * 24 * time.Hour).Truncate(time.Minute)
	body := petition()
	body["channel"] = "letter"
	body["received_at"] = received.Format(time.RFC3339)
	body["late_reason"] = "来信邮戳为二十天前，嘎查无信号，今日补录"
	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", body)
	require.Equal(t, http.StatusCreated, status, c)
	got, err := time.Parse(time.RFC3339, c["received_at"].(string))
	require.NoError(t, err)
	require.True(t, received.Equal(got), "received_at %s, want %s", got, received)
	require.NotEmpty(t, c["registered_at"])
	require.Equal(t, body["late_reason"], c["late_reason"])
	require.Equal(t, true, c["overdue"], "overdue at registration")
	clocks := c["clocks"].([]any)
	require.Equal(t, "acceptance", clocks[0].(map[string]any)["id"])
	require.Equal(t, true, clocks[0].(map[string]any)["overdue"])

	status, timeline := cs.do(t, http.MethodGet, "/v1/cases/"+c["number"].(string)+"/timeline", "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, timeline)
	entries := timeline["entries"].([]any)
	require.Equal(t, "register", entries[0].(map[string]any)["action"])
	require.Contains(t, entries[0].(map[string]any)["reason"], "registered after the fact (补录)")
	require.Equal(t, "deadline_overdue", entries[1].(map[string]any)["action"])
}

// A receipt in the future, or longer ago than the procedure allows, or without a reason, is
// refused, every problem at once, and nothing is registered.
func TestRegistrationAfterTheFactRefusals(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	now := time.Now()
	for _, tc := range []struct {
		name       string
		receivedAt *time.Time
		reason     string
		want       []string
	}{
		{"future, no reason", ptr(now.Add(2 * time.Hour)), "", []string{"body.received_at", "body.late_reason"}},
		{"beyond the 30 days", ptr(now.Add(-40 * 24 * time.Hour)), "旧信件", []string{"body.received_at"}},
		{"a reason without the time", nil, "补录", []string{"body.received_at"}},
	} {
		body := petition()
		if tc.receivedAt != nil {
			body["received_at"] = tc.receivedAt.Format(time.RFC3339)
		}
		if tc.reason != "" {
			body["late_reason"] = tc.reason
		}
		status, problem := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", body)
		require.Equal(t, http.StatusUnprocessableEntity, status, "%s: %v", tc.name, problem)
		require.Equal(t, tc.want, locations(problem), tc.name)
	}
}

func ptr[T any](v T) *T { return &v }
