package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// sseEvent is one server-sent event.
type sseEvent struct {
	id, event string
	data      map[string]any
}

// stream opens the event stream as user, resuming after lastID when it is not empty, and
// returns the events as they come.
func (cs *caseServer) stream(t *testing.T, user, lastID string) <-chan sseEvent {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, cs.url+"/v1/events", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+cs.tokens[user])
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	out := make(chan sseEvent, 16)
	go func() {
		defer resp.Body.Close()
		defer close(out)
		sc := bufio.NewScanner(resp.Body)
		var e sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if e.event != "" || e.data != nil {
					out <- e
				}
				e = sseEvent{}
			case strings.HasPrefix(line, "id: "):
				e.id = strings.TrimPrefix(line, "id: ")
			case strings.HasPrefix(line, "event: "):
				e.event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				_ = json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &e.data)
			}
		}
	}()
	return out
}

// nextNotification is the next notification of the case numbered number on the stream; other
// tests share the database, and their cases' notifications may come first.
func nextNotification(t *testing.T, events <-chan sseEvent, number any) sseEvent {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case e := <-events:
			if e.event == "notification" && e.data["case_number"] == number {
				return e
			}
		case <-timeout:
			t.Fatal("no notification on the stream within 10 s")
		}
	}
}

// A supervision order reaches the town's stream as it is issued, and a stream that reconnects
// with the last id it saw resumes after it.
func TestNotificationsArePushed(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	town := cs.stream(t, "supervisor-galutu", "")

	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
	require.Equal(t, http.StatusCreated, status, c)
	status, body := cs.do(t, http.MethodPost, "/v1/cases/"+c["number"].(string)+"/actions", "supervisor-banner",
		map[string]any{"type": "supervise", "reason": "群众反映强烈，限期答复", "extension": map[string]any{"amount": 2, "unit": "workdays"}})
	require.Equal(t, http.StatusOK, status, body)

	start := time.Now()
	e := nextNotification(t, town, c["number"])
	t.Logf("pushed %s after the action answered", time.Since(start))
	require.Equal(t, "supervision", e.data["kind"])
	require.Equal(t, c["number"], e.data["case_number"])
	require.Equal(t, "galutu", e.data["org_unit"])
	require.NotEmpty(t, e.id)

	// Resuming after the event gives what came after it, not it again; resuming before it
	// gives it again.
	id := e.id
	again := nextNotification(t, cs.stream(t, "supervisor-galutu", decrement(t, id)), c["number"])
	require.Equal(t, id, again.id)
	noNotification(t, cs.stream(t, "supervisor-galutu", id), c["number"], "nothing new after "+id)
	// Another unit's stream does not carry it.
	noNotification(t, cs.stream(t, "clerk-sarula", decrement(t, id)), c["number"], "the village is not addressed")
}

// noNotification fails when a notification of the case numbered number comes on the stream
// within a second. Other tests share the database: their cases' notifications may come.
func noNotification(t *testing.T, events <-chan sseEvent, number any, why string) {
	t.Helper()
	timeout := time.After(time.Second)
	for {
		select {
		case e := <-events:
			if e.event == "notification" {
				require.NotEqual(t, number, e.data["case_number"], "%s: %v", why, e.data)
			}
		case <-timeout:
			return
		}
	}
}

func decrement(t *testing.T, id string) string {
	t.Helper()
	var n int
	require.NoError(t, json.Unmarshal([]byte(id), &n))
	b, _ := json.Marshal(n - 1)
	return string(b)
}
