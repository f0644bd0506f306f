package api_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/internal/testenv"
)

// caseHistory is the events of the case's workflow history.
func caseHistory(t *testing.T, caseID string) []*historypb.HistoryEvent {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var events []*historypb.HistoryEvent
	it := testenv.Temporal(t).GetWorkflowHistory(ctx, onedoor.WorkflowID(caseID), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		e, err := it.Next()
		require.NoError(t, err)
		events = append(events, e)
	}
	return events
}

// historyCounts counts the events of the case's workflow history by type.
func historyCounts(t *testing.T, caseID string) map[enumspb.EventType]int {
	t.Helper()
	counts := map[enumspb.EventType]int{}
	for _, e := range caseHistory(t, caseID) {
		counts[e.GetEventType()]++
	}
	return counts
}

// TestNotesLeaveTheDeadlineTimer: a note changes no deadline, so the case keeps the one timer it
// runs for its next deadline. (Each note started a timer of its own before, and left the others
// running: a case with a hundred notes had a hundred timers firing at its next deadline.)
func TestNotesLeaveTheDeadlineTimer(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
	require.Equal(t, http.StatusCreated, status, c)
	id, number := c["id"].(string), c["number"].(string)
	before := historyCounts(t, id)
	require.Equal(t, 1, before[enumspb.EVENT_TYPE_TIMER_STARTED], "the timer of the step's deadline")

	for i := range 5 {
		status, body := cs.do(t, http.MethodPost, "/v1/cases/"+number+"/actions", "clerk-galutu",
			map[string]any{"type": "note", "reason": "回访 " + strconv.Itoa(i)})
		require.Equal(t, http.StatusOK, status, body)
	}
	after := historyCounts(t, id)
	require.Equal(t, before[enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED]+5, after[enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED])
	require.Equal(t, 1, after[enumspb.EVENT_TYPE_TIMER_STARTED], "no timer started by a note")
	require.Zero(t, after[enumspb.EVENT_TYPE_TIMER_CANCELED])
}
