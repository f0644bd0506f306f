package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/serviceerror"

	"github.com/onedoor/onedoor/activities"
	"github.com/onedoor/onedoor/api"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/notice"
	"github.com/onedoor/onedoor/worker"
)

// newNoticeServer is a case server with that many workers on its task queue, whose notices are
// sent as n says: the outbox relay of each of them sends. Its database is its own: another
// test's relay, which sends by other adapters, would send its messages.
func newNoticeServer(t *testing.T, n *activities.Notices, workers int) *caseServer {
	t.Helper()
	s := ownCenterStore(t)
	tc := testenv.Temporal(t)
	queue := "api-test-" + t.Name()
	for range workers {
		// The relay looks for retries that often: the retry policies below wait 50 to 200 ms.
		w := worker.New(tc, s, queue, worker.Notices(n), worker.RelayPoll(20*time.Millisecond))
		require.NoError(t, w.Start())
		t.Cleanup(w.Stop)
	}
	v, tokens := devAuth(t)
	srv := &api.Server{Store: s, Temporal: tc, Verifier: v, Logger: slog.New(slog.DiscardHandler), NumberOrg: "AT", TaskQueue: queue}
	h := srv.Handler()
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	return &caseServer{url: hs.URL, tokens: tokens, handler: h}
}

// outboxOf waits until the case's outbox messages satisfy done, and returns them, oldest first.
func (cs *caseServer) outboxOf(t *testing.T, number, user string, done func([]map[string]any) bool) []map[string]any {
	t.Helper()
	var items []map[string]any
	require.Eventually(t, func() bool {
		status, page := cs.do(t, http.MethodGet, "/v1/outbox?case="+url.QueryEscape(number), user, nil)
		require.Equal(t, http.StatusOK, status, page)
		items = nil
		list := page["items"].([]any)
		for i := len(list) - 1; i >= 0; i-- {
			items = append(items, list[i].(map[string]any))
		}
		return done(items)
	}, 30*time.Second, 100*time.Millisecond, "outbox of %s: %v", number, items)
	return items
}

// TestSMSDeliveredOnTheFourthAttempt: an SMS gateway that fails three times delivers the
// acceptance notice on the fourth attempt, under the retry policy the worker is configured
// with, and the outbox shows each attempt with its error.
func TestSMSDeliveredOnTheFourthAttempt(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var calls []map[string]any
	gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]any
		require.NoError(t, json.NewDecoder(r.Body).Decode(&m))
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, m)
		if len(calls) <= 3 {
			http.Error(w, "gateway busy", http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(gateway.Close)
	n := activities.DevNotices(slog.New(slog.DiscardHandler))
	n.Senders[notice.ChannelSMS] = notice.SMS{URL: gateway.URL}
	n.Retry = activities.Retry{Initial: 50 * time.Millisecond, Backoff: 2, Max: 200 * time.Millisecond, Attempts: 6}
	cs := newNoticeServer(t, n, 1)

	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
	require.Equal(t, http.StatusCreated, status, c)
	number := c["number"].(string)
	items := cs.outboxOf(t, number, "supervisor-galutu", func(items []map[string]any) bool {
		return len(items) == 1 && items[0]["status"] == "sent"
	})
	m := items[0]
	require.Equal(t, "acceptance", m["template"])
	require.Equal(t, "sms", m["channel"])
	require.Equal(t, "138****8000", m["recipient"])
	require.Contains(t, m["body"], number)
	require.Contains(t, m["body"], "已登记受理")
	attempts := m["attempts"].([]any)
	require.Len(t, attempts, 4)
	for i, a := range attempts {
		a := a.(map[string]any)
		require.EqualValues(t, i+1, a["attempt"])
		require.NotEmpty(t, a["finished_at"])
		if i < 3 {
			require.Contains(t, a["error"], "503")
		} else {
			require.Nil(t, a["error"])
		}
	}
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, calls, 4)
	for _, call := range calls {
		// The gateway gets the whole number and the same text each time.
		require.Equal(t, "13800138000", call["to"])
		require.Equal(t, m["body"], call["text"])
		require.Equal(t, m["id"], call["id"])
	}
}

// TestSMSRefusedForGoodFails: a gateway's 4xx is not retried; the message fails at once.
func TestSMSRefusedForGoodFails(t *testing.T) {
	t.Parallel()
	gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "unknown template", http.StatusBadRequest)
	}))
	t.Cleanup(gateway.Close)
	n := activities.DevNotices(slog.New(slog.DiscardHandler))
	n.Senders[notice.ChannelSMS] = notice.SMS{URL: gateway.URL}
	n.Retry = activities.Retry{Initial: 50 * time.Millisecond, Backoff: 2, Max: 200 * time.Millisecond, Attempts: 6}
	cs := newNoticeServer(t, n, 1)
	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
	require.Equal(t, http.StatusCreated, status, c)
	items := cs.outboxOf(t, c["number"].(string), "admin", func(items []map[string]any) bool {
		return len(items) == 1 && items[0]["status"] == "failed"
	})
	require.Len(t, items[0]["attempts"], 1)
	require.Contains(t, items[0]["last_error"], "400")
}

// TestEventNoticesSentByTheRelay: the webhooks an escalation sends to the supervisors of two
// units are sent by the outbox relay, each with its own retries, and cost the case's workflow
// nothing: one receiver is busy once and then takes it, the other refuses it for good, and the
// message it refused alone fails.
func TestEventNoticesSentByTheRelay(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	tries := map[string]int{}
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m notice.Message
		require.NoError(t, json.NewDecoder(r.Body).Decode(&m))
		mu.Lock()
		defer mu.Unlock()
		tries[m.Recipient]++
		switch {
		case m.Template != notice.Escalation:
		case m.Recipient == "wushen/supervisor":
			http.Error(w, "no such recipient", http.StatusBadRequest)
		case tries[m.Recipient] == 1:
			http.Error(w, "busy", http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(receiver.Close)
	n := activities.DevNotices(slog.New(slog.DiscardHandler))
	n.Senders[notice.ChannelWebhook] = notice.Webhook{URL: receiver.URL, Secret: []byte("secret")}
	n.Retry = activities.Retry{Initial: 50 * time.Millisecond, Backoff: 2, Max: 200 * time.Millisecond, Attempts: 6}
	cs := newNoticeServer(t, n, 1)

	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
	require.Equal(t, http.StatusCreated, status, c)
	number, id := c["number"].(string), c["id"].(string)
	status, body := cs.do(t, http.MethodPost, "/v1/cases/"+number+"/actions", "clerk-galutu",
		map[string]any{"type": "escalate", "reason": "超出本级职权，报请上级处理"})
	require.Equal(t, http.StatusOK, status, body)

	escalations := func(items []map[string]any) []map[string]any {
		var out []map[string]any
		for _, m := range items {
			if m["template"] == string(notice.Escalation) {
				out = append(out, m)
			}
		}
		return out
	}
	items := escalations(cs.outboxOf(t, number, "admin", func(items []map[string]any) bool {
		e := escalations(items)
		return len(e) == 2 && e[0]["status"] != "pending" && e[1]["status"] != "pending"
	}))
	byRecipient := map[string]map[string]any{}
	for _, m := range items {
		byRecipient[m["recipient"].(string)] = m
	}
	require.Equal(t, items[0]["seq"], items[1]["seq"], "both are of the escalation")
	refused := byRecipient["wushen/supervisor"]
	require.NotNil(t, refused, "the banner center's supervisors are told: %v", byRecipient)
	delete(byRecipient, "wushen/supervisor")
	require.Len(t, byRecipient, 1)
	var taken map[string]any
	for _, m := range byRecipient {
		taken = m
	}
	require.Equal(t, "failed", refused["status"])
	require.Len(t, refused["attempts"], 1, "a refusal for good is not retried")
	require.Equal(t, "sent", taken["status"])
	require.Len(t, taken["attempts"], 2, "busy once, then taken")
	// Each attempt's end is recorded: why the first failed, and the text sent.
	made := taken["attempts"].([]any)
	first, second := made[0].(map[string]any), made[1].(map[string]any)
	require.Contains(t, first["error"], "503", "the first attempt's failure: %v", first)
	require.NotEmpty(t, first["finished_at"])
	require.Empty(t, second["error"])
	require.NotEmpty(t, second["finished_at"])
	require.NotEmpty(t, taken["body"], "the text sent is kept")
	require.Contains(t, refused["last_error"], "400", "the refusal: %v", refused)

	// The relay sent them: the case's workflow scheduled no activity but its mirror's, and no
	// Notice workflow was started.
	seq := int64(items[0]["seq"].(float64))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := testenv.Temporal(t).DescribeWorkflowExecution(ctx, activities.NoticesWorkflowID(id, seq), "")
	var missing *serviceerror.NotFound
	require.ErrorAs(t, err, &missing, "no workflow of the event's own")
	scheduled := map[string]int{}
	for _, e := range caseHistory(t, id) {
		if a := e.GetActivityTaskScheduledEventAttributes(); a != nil {
			scheduled[a.GetActivityType().GetName()]++
		}
	}
	require.Equal(t, []string{"Mirror"}, slices.Collect(maps.Keys(scheduled)), "activities of the case workflow: %v", scheduled)
}

// TestTwoRelaysSendEachMessageOnce: two workers' relays on one database send every message of
// many registrations once: a claim holds a message against the other relay.
func TestTwoRelaysSendEachMessageOnce(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	sends := map[string]int{}
	gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]any
		require.NoError(t, json.NewDecoder(r.Body).Decode(&m))
		mu.Lock()
		defer mu.Unlock()
		sends[m["id"].(string)]++
	}))
	t.Cleanup(gateway.Close)
	n := activities.DevNotices(slog.New(slog.DiscardHandler))
	n.Senders[notice.ChannelSMS] = notice.SMS{URL: gateway.URL}
	cs := newNoticeServer(t, n, 2)

	const cases = 24
	var numbers []string
	var wg sync.WaitGroup
	for range cases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
			require.Equal(t, http.StatusCreated, status, c)
			mu.Lock()
			defer mu.Unlock()
			numbers = append(numbers, c["number"].(string))
		}()
	}
	wg.Wait()
	for _, number := range numbers {
		items := cs.outboxOf(t, number, "admin", func(items []map[string]any) bool {
			return len(items) == 1 && items[0]["status"] == "sent"
		})
		require.Len(t, items[0]["attempts"], 1)
	}
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, sends, cases)
	for id, n := range sends {
		require.Equal(t, 1, n, "message %s", id)
	}
}

// syncBuffer is a log the worker writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// TestResidentGetsAcceptanceAndResult: the resident gets the acceptance notice when the case is
// registered and the result when it closes, by the development adapter, which logs them with
// the phone number masked; a clerk may not read the outbox.
func TestResidentGetsAcceptanceAndResult(t *testing.T) {
	t.Parallel()
	var log syncBuffer
	cs := newNoticeServer(t, activities.DevNotices(slog.New(slog.NewJSONHandler(&log, nil))), 1)

	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-sarula", petition())
	require.Equal(t, http.StatusCreated, status, c)
	number := c["number"].(string)
	cs.outboxOf(t, number, "supervisor-galutu", func(items []map[string]any) bool {
		return len(items) == 1 && items[0]["status"] == "sent"
	})
	status, closed := cs.do(t, http.MethodPost, "/v1/cases/"+number+"/actions", "clerk-sarula",
		map[string]any{"type": "close", "outcome": "resolved", "result": "当场解释政策，信访人满意"})
	require.Equal(t, http.StatusOK, status, closed)

	items := cs.outboxOf(t, number, "supervisor-galutu", func(items []map[string]any) bool {
		return len(items) == 2 && items[1]["status"] == "sent"
	})
	require.Equal(t, "acceptance", items[0]["template"])
	require.Equal(t, "result", items[1]["template"])
	for _, m := range items {
		require.Equal(t, "138****8000", m["recipient"])
		require.Len(t, m["attempts"], 1)
		require.Contains(t, m["body"], number)
	}
	require.Contains(t, items[0]["body"], "张三您好")
	require.Contains(t, items[1]["body"], "已办结")

	logged := log.String()
	require.Contains(t, logged, number)
	require.Contains(t, logged, "138****8000")
	require.NotContains(t, logged, "13800138000")

	status, _ = cs.do(t, http.MethodGet, "/v1/outbox", "clerk-sarula", nil)
	require.Equal(t, http.StatusForbidden, status)
	// Another county's supervisor does not see the case, nor its messages.
	status, page := cs.do(t, http.MethodGet, "/v1/outbox", "supervisor-otog", nil)
	require.Equal(t, http.StatusOK, status, page)
	for _, m := range page["items"].([]any) {
		require.NotEqual(t, number, m.(map[string]any)["case_number"])
	}
	status, problem := cs.do(t, http.MethodGet, "/v1/outbox?case="+number, "supervisor-otog", nil)
	require.Equal(t, http.StatusUnprocessableEntity, status, problem)
}

// TestNoticeTemplates: an administrator edits a template; one with a variable its kind does not
// offer is refused 422 at body.body naming the variable, and changes nothing.
func TestNoticeTemplates(t *testing.T) {
	t.Parallel()
	cs := newCaseServerOn(t, ownCenterStore(t))

	status, list := cs.do(t, http.MethodGet, "/v1/notice-templates", "supervisor-galutu", nil)
	require.Equal(t, http.StatusOK, status, list)
	var names []string
	for _, it := range list["items"].([]any) {
		names = append(names, it.(map[string]any)["name"].(string))
	}
	require.Equal(t, []string{"受理通知", "办结通知", "临期提醒", "逾期提醒", "上报通知"}, names)

	path := "/v1/notice-templates/acceptance"
	status, before := cs.do(t, http.MethodGet, path, "admin", nil)
	require.Equal(t, http.StatusOK, status, before)
	require.Equal(t, false, before["edited"])
	require.Contains(t, before["variables"], "CaseNumber")

	status, problem := cs.do(t, http.MethodPut, path, "admin", map[string]any{"body": "您好，{{.ResidentName}}，身份证{{.IDNumber}}"})
	require.Equal(t, http.StatusUnprocessableEntity, status, problem)
	errs := problem["errors"].([]any)
	require.Len(t, errs, 1)
	require.Equal(t, "body.body", errs[0].(map[string]any)["location"])
	require.Contains(t, errs[0].(map[string]any)["message"], "{{.IDNumber}}")
	// In Chinese for a client that prefers it.
	status, problem = cs.do(t, http.MethodPut, path, "admin", map[string]any{"body": "{{.IDNumber}}"}, "Accept-Language", "zh-CN")
	require.Equal(t, http.StatusUnprocessableEntity, status, problem)
	require.Contains(t, problem["errors"].([]any)[0].(map[string]any)["message"], "未知的变量{{.IDNumber}}")

	status, _ = cs.do(t, http.MethodPut, path, "supervisor-galutu", map[string]any{"body": "{{.CaseNumber}}"})
	require.Equal(t, http.StatusForbidden, status)
	// A county's administrator may not change what every county shares.
	status, _ = cs.do(t, http.MethodPut, path, "admin-wushen", map[string]any{"body": "{{.CaseNumber}}"})
	require.Equal(t, http.StatusForbidden, status)

	status, after := cs.do(t, http.MethodGet, path, "admin", nil)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, before["body"], after["body"])

	body := "【乌审旗综治中心】{{.ResidentName}}您好，您的事项已受理，编号{{.CaseNumber}}。"
	status, saved := cs.do(t, http.MethodPut, path, "admin", map[string]any{"body": body})
	require.Equal(t, http.StatusOK, status, saved)
	require.Equal(t, body, saved["body"])
	require.Equal(t, true, saved["edited"])
	require.Equal(t, "admin", saved["updated_by"])
	require.True(t, strings.HasPrefix(saved["default_body"].(string), "【{{.OrgUnit}}】"))

	status, _ = cs.do(t, http.MethodGet, "/v1/notice-templates/nope", "admin", nil)
	require.Equal(t, http.StatusUnprocessableEntity, status)
}
