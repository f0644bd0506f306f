package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/notice"
	"github.com/onedoor/onedoor/store"
)

// TestOutboxIsWrittenWithTheEvents: the notices of mirrored events are written once however
// often the mirror runs, those still pending are returned to be sent, and each attempt is kept.
func TestOutboxIsWrittenWithTheEvents(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := setup(t)
	s.PublicURL = "https://zz.wushen.gov.cn"
	c := newCase("galutu")
	c.Number = "T9-PET-2026-000001"
	c.Data = map[string]any{"phone": "13800138000"}
	at := time.Now().UTC().Truncate(time.Microsecond)
	register := store.Event{Entry: store.AuditEntry{Seq: 1, At: at, Actor: "clerk-galutu", Action: "register"}, Case: c, Notify: true}

	pendingOf := func(tasks []onedoor.Task, events ...store.Event) []store.PendingNotices {
		t.Helper()
		p, err := s.MirrorNotify(ctx, events, tasks)
		require.NoError(t, err)
		return p
	}
	registered := pendingOf(nil, register)
	require.Len(t, registered, 1)
	require.Equal(t, int64(1), registered[0].Seq)
	require.Equal(t, c.ID, registered[0].CaseID)
	ids := registered[0].IDs
	require.Len(t, ids, 1)
	require.Equal(t, registered, pendingOf(nil, register), "a repeated mirror writes nothing new and returns the message still pending")

	due := at.Add(48 * time.Hour)
	tasks := []onedoor.Task{{ID: "t1", Step: "accept", Name: "受理", OrgUnit: "galutu", Level: "town", Role: "clerk", Status: onedoor.TaskOpen, OpenedAt: at, DueAt: &due}}
	warn := store.Event{Entry: store.AuditEntry{Seq: 2, At: at.Add(time.Hour), Actor: "system", Action: "warning"}, Case: c, Notify: true,
		Notifications: []onedoor.Notification{
			{OrgUnit: "galutu", Role: "supervisor", Kind: "warning", CaseID: c.ID, TaskID: "t1", Message: "将到期", At: at},
			{OrgUnit: "galutu", Role: "supervisor", Kind: "supervision", CaseID: c.ID, Message: "督办", At: at},
		}}
	closed := c
	closed.Status, closed.OutcomeKind, closed.UpdatedAt = onedoor.StatusClosed, "resolved", at.Add(2*time.Hour)
	closing := store.Event{Entry: store.AuditEntry{Seq: 3, At: at.Add(2 * time.Hour), Actor: "clerk-galutu", Action: "close"}, Case: closed, Notify: true}
	byEvent := pendingOf(tasks, warn, closing)
	require.Len(t, byEvent, 2, "a due-soon webhook and the result SMS, each of its event; the supervision order stays in the workbench")
	require.Equal(t, []int64{2, 3}, []int64{byEvent[0].Seq, byEvent[1].Seq})
	ids2 := append(byEvent[0].IDs, byEvent[1].IDs...)
	require.Len(t, ids2, 2)

	staff, err := s.NoticeToSend(ctx, ids2[0])
	require.NoError(t, err)
	require.Equal(t, notice.DueSoon, staff.Template)
	require.Equal(t, "galutu/supervisor", staff.Recipient)
	require.Equal(t, "受理", staff.Vars["Task"])
	require.Contains(t, staff.Vars["Recipient"], "（督办负责人）")
	require.NotEqual(t, "galutu（督办负责人）", staff.Vars["Recipient"], "the unit is named")
	result, err := s.NoticeToSend(ctx, ids2[1])
	require.NoError(t, err)
	require.Equal(t, notice.Result, result.Template)
	require.Equal(t, "13800138000", result.Recipient)
	require.Equal(t, "https://zz.wushen.gov.cn/status?n=T9-PET-2026-000001", result.Vars["StatusURL"], "the resident's notice links to the status page")
	// and to a rating link of its own, issued with it.
	token, ok := strings.CutPrefix(result.Vars["RateURL"], "https://zz.wushen.gov.cn/rate/")
	require.True(t, ok, result.Vars["RateURL"])
	require.Len(t, token, 43, "32 random bytes")
	link, err := s.RatingLinkByHash(ctx, store.RatingTokenHash(token))
	require.NoError(t, err)
	require.Equal(t, c.ID, link.CaseID)
	require.Equal(t, "system", link.IssuedBy)
	require.WithinDuration(t, closing.Entry.At.Add(notice.RatingWindow), link.ExpiresAt, time.Millisecond)
	// A repeated mirror of the closing writes no message, so it keeps the link the message carries.
	_, err = s.MirrorNotify(ctx, []store.Event{closing}, tasks)
	require.NoError(t, err)
	_, err = s.RatingLinkByHash(ctx, store.RatingTokenHash(token))
	require.NoError(t, err, "the link the SMS carries still works")

	// Attempts: one failed, one delivered.
	id := ids[0]
	require.NoError(t, s.StartNoticeAttempt(ctx, id, 1, at))
	require.NoError(t, s.FinishNoticeAttempts(ctx, []store.AttemptEnd{{ID: id, Attempt: 1, At: at.Add(time.Second), Error: "gateway busy"}}))
	body, err := s.KeepNoticeBodies(ctx, map[string]string{id: "first text"})
	require.NoError(t, err)
	require.Equal(t, map[string]string{id: "first text"}, body)
	body, err = s.KeepNoticeBodies(ctx, map[string]string{id: "second text"})
	require.NoError(t, err)
	require.Equal(t, map[string]string{id: "first text"}, body, "every attempt sends the text of the first")
	require.NoError(t, s.StartNoticeAttempt(ctx, id, 2, at.Add(2*time.Second)))
	require.NoError(t, s.FinishNoticeAttempts(ctx, []store.AttemptEnd{{ID: id, Attempt: 2, At: at.Add(3 * time.Second)}}))
	// Giving up after delivery changes nothing.
	require.NoError(t, s.FailNotice(ctx, id, "gave up"))

	page, err := s.Notices(ctx, store.NoticeFilter{Scope: store.Scope{Units: []string{"galutu"}}, CaseID: c.ID, Limit: 2})
	require.NoError(t, err)
	require.Len(t, page.Items, 2)
	require.NotEmpty(t, page.Next)
	rest, err := s.Notices(ctx, store.NoticeFilter{Scope: store.Scope{Units: []string{"galutu"}}, CaseID: c.ID, Limit: 2, Cursor: page.Next})
	require.NoError(t, err)
	require.Len(t, rest.Items, 1)
	require.Empty(t, rest.Next)
	first := rest.Items[0]
	require.Equal(t, id, first.ID)
	require.Equal(t, store.NoticeSent, first.Status)
	require.Equal(t, "first text", first.Body)
	require.Len(t, first.Attempts, 2)
	require.Equal(t, "gateway busy", first.Attempts[0].Error)
	require.Empty(t, first.Attempts[1].Error)

	require.Empty(t, pendingOf(nil, register), "a sent message is not sent again")

	// Out of scope, nothing; a case written without Notify (tools, demo data) sends nothing.
	none, err := s.Notices(ctx, store.NoticeFilter{Scope: store.Scope{Units: []string{"wulan"}}, Limit: 10})
	require.NoError(t, err)
	require.Empty(t, none.Items)
	quiet := newCase("galutu")
	quiet.Data = map[string]any{"phone": "13900139000"}
	_, err = s.RegisterCase(ctx, quiet, nil, "T8-PET-2026", store.AuditEntry{Seq: 1, At: at, Actor: "test", Action: "register"})
	require.NoError(t, err)
	all, err := s.Notices(ctx, store.NoticeFilter{Scope: store.Scope{All: true}, Limit: 10})
	require.NoError(t, err)
	require.Len(t, all.Items, 3)
}

// TestAuditLinesKeepTheCaseBefore: each audit line holds the case as the line before it left it,
// whether its event came alone or with others, with notices or without.
func TestAuditLinesKeepTheCaseBefore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := setup(t)
	c := newCase("galutu")
	c.Number = "T9-PET-2026-000002"
	at := time.Now().UTC().Truncate(time.Microsecond)
	event := func(seq int64, subject string, notify bool) store.Event {
		e := c
		e.Subject, e.UpdatedAt = subject, at.Add(time.Duration(seq)*time.Minute)
		return store.Event{Entry: store.AuditEntry{Seq: seq, At: e.UpdatedAt, Actor: "clerk-galutu", Action: "note"}, Case: e, Notify: notify}
	}
	for _, events := range [][]store.Event{
		{event(1, "一", false)},
		{event(2, "二", false)},                      // alone, without notices: the insert reads the line before
		{event(3, "三", true)},                       // alone, with notices: the mirror reads it for them
		{event(4, "四", false), event(5, "五", true)}, // together: each takes the one before it in the batch
		{event(6, "六", false)},
	} {
		_, err := s.MirrorNotify(ctx, events, nil)
		require.NoError(t, err)
	}
	// A mirror run again writes nothing and keeps the lines as they are.
	_, err := s.MirrorNotify(ctx, []store.Event{event(6, "六", false)}, nil)
	require.NoError(t, err)

	lines, err := s.Audit(ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, lines, 6)
	require.JSONEq(t, "null", string(lines[0].Before))
	for i := 1; i < len(lines); i++ {
		require.JSONEq(t, string(lines[i-1].After), string(lines[i].Before), "line %d", i+1)
		require.Contains(t, string(lines[i].After), []string{"一", "二", "三", "四", "五", "六"}[i])
	}
}
