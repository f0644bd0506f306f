package api

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/sse"

	"github.com/onedoor/onedoor/store"
)

// EventsInput opens the caller's event stream.
type EventsInput struct {
	LastEventID string `header:"Last-Event-ID" maxLength:"20" doc:"The id of the last event received: the stream resumes after it (browsers send it when they reconnect). Without it the stream starts with what comes next."`
}

// Ping keeps a quiet stream open through proxies that close idle connections.
type Ping struct {
	At time.Time `json:"at"`
}

// pingEvery is how often a quiet stream is pinged, and how often it looks for notifications
// even when no wake-up came.
const pingEvery = 15 * time.Second

func (s *Server) registerEvents(api huma.API) {
	sse.Register(api, huma.Operation{
		OperationID: "stream-events",
		Method:      http.MethodGet,
		Path:        "/v1/events",
		Summary:     "My notifications as they come (server-sent events)",
		Description: "A server-sent-events stream of the notifications GET /v1/notifications lists (the caller's org unit's, or " +
			"their department's), each as a `notification` event whose id the stream resumes after (Last-Event-ID), sent within " +
			"a second of being written by any node; a `ping` when the stream opens and every 15 s after keeps proxies from closing a quiet stream. A client " +
			"behind a proxy that buffers or cuts the stream polls GET /v1/notifications instead.",
		Tags:     []string{"Supervision"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized},
	}, map[string]any{"notification": store.NotificationItem{}, "ping": Ping{}}, s.streamEvents)
}

func (s *Server) streamEvents(ctx context.Context, in *EventsInput, send sse.Sender) {
	to, ok, err := s.addresseeOf(ctx, currentUser(ctx))
	if err != nil {
		s.Logger.WarnContext(ctx, "event stream", "error", err)
		return
	}
	if !ok {
		return
	}
	after, perr := strconv.ParseInt(in.LastEventID, 10, 64)
	if perr != nil || after < 0 {
		if after, err = s.Store.LastNotificationID(ctx); err != nil {
			s.Logger.WarnContext(ctx, "event stream", "error", err)
			return
		}
	}
	next, done := s.events.subscribe(s.Store, s.Logger)
	defer done()
	// A first ping sends the response's headers at once: the client knows it is connected.
	if err := send(sse.Message{Data: Ping{At: time.Now()}}); err != nil {
		return
	}
	tick := time.NewTicker(pingEvery)
	defer tick.Stop()
	for {
		woken := next()
		items, err := s.Store.NotificationsAfter(ctx, to, after, 100)
		if err != nil && ctx.Err() == nil {
			s.Logger.WarnContext(ctx, "event stream", "error", err)
		}
		for _, x := range items {
			if err := send(sse.Message{ID: int(x.ID), Data: x}); err != nil {
				return
			}
			after = x.ID
		}
		if len(items) == 100 {
			continue // more are waiting
		}
		select {
		case <-ctx.Done():
			return
		case <-woken:
		case t := <-tick.C:
			if err := send(sse.Message{Data: Ping{At: t}}); err != nil {
				return
			}
		}
	}
}

// events fans the database's wake-ups out to this node's open streams. It listens only while a
// stream is open.
type events struct {
	mu      sync.Mutex
	streams int
	stop    context.CancelFunc
	woken   chan struct{} // closed at the next wake-up
}

// subscribe opens a stream: next gives the channel closed at the next wake-up (take it before
// reading, so that no wake-up is missed), done closes the stream.
func (e *events) subscribe(st *store.Store, log *slog.Logger) (next func() <-chan struct{}, done func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.woken == nil {
		e.woken = make(chan struct{})
	}
	e.streams++
	if e.streams == 1 {
		ctx, cancel := context.WithCancel(context.Background())
		e.stop = cancel
		go st.ListenNotifications(ctx, e.wake, func(err error) {
			log.Warn("listening for notifications", "error", err)
		})
	}
	next = func() <-chan struct{} {
		e.mu.Lock()
		defer e.mu.Unlock()
		return e.woken
	}
	done = func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		e.streams--
		if e.streams == 0 {
			e.stop()
		}
	}
	return next, done
}

func (e *events) wake() {
	e.mu.Lock()
	defer e.mu.Unlock()
	close(e.woken)
	e.woken = make(chan struct{})
}
