package notice_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/notice"
	"github.com/onedoor/onedoor/workflows"
)

func TestDefaultTemplatesPassTheirCheck(t *testing.T) {
	t.Parallel()
	require.Len(t, notice.Kinds, 5)
	for _, k := range notice.Kinds {
		require.NoError(t, notice.Check(k.Key, k.Default), k.Key)
	}
}

func TestCheckNamesTheUnknownVariable(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		"您好{{.Phone}}，案件{{.CaseNumber}}",
		"{{if .Phone}}x{{end}}{{.CaseNumber}}",
		"{{define \"x\"}}{{.Phone}}{{end}}{{.CaseNumber}}",
		"{{with .CaseNumber}}{{end}}{{printf \"%s\" .Phone}}",
	} {
		err := notice.Check(notice.Acceptance, body)
		require.Error(t, err, body)
		var e *onedoor.Error
		require.ErrorAs(t, err, &e)
		require.Equal(t, onedoor.EInvalid, e.Code)
		require.Len(t, e.Fields, 1)
		require.Equal(t, "body.body", e.Fields[0].Path)
		require.Contains(t, e.Fields[0].Message, "{{.Phone}}", body)
		require.Equal(t, "Phone", e.Fields[0].Value)
	}
	// Outcome is the result notice's, not the acceptance notice's.
	require.NoError(t, notice.Check(notice.Result, "{{.Outcome}}"))
	require.ErrorContains(t, notice.Check(notice.Acceptance, "{{.Outcome}}"), "unknown variable {{.Outcome}}")
	require.ErrorContains(t, notice.Check(notice.Acceptance, "{{.CaseNumber"), "does not parse")
	require.ErrorContains(t, notice.Check(notice.Acceptance, "  "), "empty")
	require.ErrorContains(t, notice.Check(notice.Acceptance, strings.Repeat("字", notice.MaxBody+1)), "at most 500")
	require.Equal(t, onedoor.ENotFound, onedoor.ErrorCode(notice.Check("nope", "x")))
}

func TestRender(t *testing.T) {
	t.Parallel()
	text, err := notice.Render(notice.DueSoon, "{{.CaseNumber}}{{if .Task}}环节「{{.Task}}」{{end}}", map[string]string{"CaseNumber": "WS-1", "Task": ""})
	require.NoError(t, err)
	require.Equal(t, "WS-1", text)
	_, err = notice.Render(notice.DueSoon, "{{.Missing}}", map[string]string{})
	require.Error(t, err)
}

func TestMask(t *testing.T) {
	t.Parallel()
	require.Equal(t, "138****8000", notice.Mask("13800138000"))
	require.Equal(t, "galutu/supervisor", notice.Mask("galutu/supervisor"))
	require.Equal(t, "**5", notice.Mask("115"))
}

func TestTriggered(t *testing.T) {
	t.Parallel()
	due := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	c := onedoor.Case{Number: "WS-PET-2026-000001", Matter: "petition", Subject: "草场边界", ResidentName: "张三", OrgUnit: "galutu",
		Status: onedoor.StatusOpen, Data: map[string]any{"phone": "138 0013-8000"}, ReceivedAt: due}
	names := fakeNames{}
	got := notice.Triggered(notice.Event{First: true, Case: c}, names)
	require.Len(t, got, 1)
	require.Equal(t, notice.Acceptance, got[0].Key)
	require.Equal(t, "13800138000", got[0].Recipient)
	require.Equal(t, "嘎鲁图镇", got[0].Vars["OrgUnit"])
	require.Equal(t, "信访", got[0].Vars["Matter"])
	require.Empty(t, got[0].Vars["StatusURL"], "no public address, no status page")
	got = notice.Triggered(notice.Event{First: true, Case: c, PublicURL: "https://zz.wushen.gov.cn/"}, names)
	require.Equal(t, "https://zz.wushen.gov.cn/status?n="+c.Number, got[0].Vars["StatusURL"])
	text, err := notice.Render(notice.Acceptance, "{{.CaseNumber}}{{if .StatusURL}}，查询：{{.StatusURL}}{{end}}", got[0].Vars)
	require.NoError(t, err)
	require.Equal(t, c.Number+"，查询：https://zz.wushen.gov.cn/status?n="+c.Number, text)

	c.Status, c.OutcomeKind = onedoor.StatusClosed, "mediated_success"
	got = notice.Triggered(notice.Event{Before: onedoor.StatusOpen, Case: c, Notifications: []onedoor.Notification{
		{OrgUnit: "galutu", Role: "supervisor", Kind: "warning", TaskID: "t1", Message: "将于…到期"},
		{Department: "housing", Role: "department", Kind: "overdue", TaskID: "t1"},
		{OrgUnit: "galutu", Role: "supervisor", Kind: "escalated"},
		{OrgUnit: "galutu", Role: "supervisor", Kind: "supervision"},
	}, Tasks: []onedoor.Task{{ID: "t1", Name: "办理", DueAt: &due}}}, names)
	require.Len(t, got, 4)
	require.Equal(t, notice.Result, got[0].Key)
	require.Equal(t, "调解成功", got[0].Vars["Outcome"])
	require.Equal(t, notice.DueSoon, got[1].Key)
	require.Equal(t, "galutu/supervisor", got[1].Recipient)
	require.Equal(t, "办理", got[1].Vars["Task"])
	require.Equal(t, "2026年3月2日 17:30", got[1].Vars["DueAt"])
	require.Equal(t, notice.Overdue, got[2].Key)
	require.Equal(t, "housing/department", got[2].Recipient)
	require.Equal(t, "住建局（部门工作人员）", got[2].Vars["Recipient"])
	require.Equal(t, notice.Escalation, got[3].Key)
	require.Empty(t, got[0].Vars["RateURL"], "no public address, no rating link")
	ev := notice.Event{Before: onedoor.StatusOpen, Case: c, PublicURL: "https://zz.wushen.gov.cn/", RatingToken: "tok"}
	require.True(t, notice.WantsRatingLink(ev))
	require.Equal(t, workflows.AfterClose, notice.RatingWindow, "the link lasts as long as the workflow takes the evaluation")
	closed := notice.Triggered(ev, names)
	require.Equal(t, "https://zz.wushen.gov.cn/rate/tok", closed[0].Vars["RateURL"])
	k, _ := notice.KindOf(notice.Result)
	text, err = notice.Render(notice.Result, k.Default, closed[0].Vars)
	require.NoError(t, err)
	require.Contains(t, text, "欢迎对办理情况作出评价：https://zz.wushen.gov.cn/rate/tok。")
	text, err = notice.Render(notice.Result, k.Default, got[0].Vars)
	require.NoError(t, err)
	require.Contains(t, text, "欢迎对办理情况作出评价。", "without the link the text reads as before")
	require.False(t, notice.WantsRatingLink(notice.Event{Before: onedoor.StatusClosed, Case: c, PublicURL: ev.PublicURL}), "closed before")
	require.False(t, notice.WantsRatingLink(notice.Event{Before: onedoor.StatusOpen, Case: c}), "no public address")
	// Every variable a trigger fills is one its template offers.
	for _, d := range got {
		k, _ := notice.KindOf(d.Key)
		for v := range d.Vars {
			require.Contains(t, k.Vars, v, d.Key)
		}
	}
	// A case closed before, or without a phone, sends the resident nothing.
	require.Empty(t, notice.Triggered(notice.Event{Before: onedoor.StatusClosed, Case: c}, names))
	c.Data = nil
	require.Empty(t, notice.Triggered(notice.Event{First: true, Case: c}, names))
}

type fakeNames struct{}

func (fakeNames) Unit(code string) string {
	return map[string]string{"galutu": "嘎鲁图镇"}[code]
}
func (fakeNames) Department(code string) string {
	return map[string]string{"housing": "住建局"}[code]
}

func TestWebhookSignatureVerifies(t *testing.T) {
	t.Parallel()
	secret := []byte("a-webhook-secret-of-some-length")
	type received struct {
		err error
		msg notice.Message
	}
	got := make(chan received, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		err := notice.Verify(secret, r.Header.Get(notice.TimestampHeader), r.Header.Get(notice.SignatureHeader), body, time.Now(), 5*time.Minute)
		var m notice.Message
		require.NoError(t, json.Unmarshal(body, &m))
		require.Equal(t, m.ID, r.Header.Get("Idempotency-Key"))
		got <- received{err, m}
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
		}
	}))
	t.Cleanup(srv.Close)
	m := notice.Message{ID: "m1", Channel: "webhook", Template: notice.Overdue, Recipient: "galutu/supervisor", Text: "【逾期提醒】…"}
	require.NoError(t, notice.Webhook{URL: srv.URL, Secret: secret}.Send(context.Background(), m))
	r := <-got
	require.NoError(t, r.err)
	require.Equal(t, m, r.msg)

	// A receiver with another secret refuses it, for good.
	err := notice.Webhook{URL: srv.URL, Secret: []byte("another-secret-entirely")}.Send(context.Background(), m)
	require.ErrorContains(t, (<-got).err, "does not match")
	require.True(t, notice.Permanent(err))
	// A signature recorded and replayed later, or on a changed body, does not verify.
	ts := "1700000000"
	sig := notice.Sign(secret, ts, []byte(`{"id":"m1"}`))
	require.NoError(t, notice.Verify(secret, ts, sig, []byte(`{"id":"m1"}`), time.Unix(1700000060, 0), 5*time.Minute))
	require.Error(t, notice.Verify(secret, ts, sig, []byte(`{"id":"m2"}`), time.Unix(1700000060, 0), 5*time.Minute))
	require.ErrorContains(t, notice.Verify(secret, ts, sig, []byte(`{"id":"m1"}`), time.Unix(1700003600, 0), 5*time.Minute), "away from now")
}

func TestSMSGatewayAnswers(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	status := http.StatusOK
	var body map[string]any
	var auth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		auth = r.Header.Get("Authorization")
		require.NoError(t, json.NewDecoder(r.Body).Decode(&body))
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	sms := notice.SMS{URL: srv.URL, Token: "tok"}
	m := notice.Message{ID: "m1", Template: notice.Acceptance, Recipient: "13800138000", Text: "您好"}
	require.NoError(t, sms.Send(context.Background(), m))
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, map[string]any{"id": "m1", "to": "13800138000", "text": "您好", "template": "acceptance"}, body)
	require.Equal(t, "Bearer tok", auth)
	for code, permanent := range map[int]bool{500: false, 503: false, 429: false, 400: true, 403: true} {
		status = code
		mu.Unlock()
		err := sms.Send(context.Background(), m)
		mu.Lock()
		require.Error(t, err, code)
		require.Equal(t, permanent, notice.Permanent(err), code)
	}
}
