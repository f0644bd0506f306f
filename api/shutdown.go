package api

import (
	"context"
	"sync"

	"github.com/danielgtaylor/huma/v2"
)

// streamEnder ends the event streams when the server shuts down. A stream lasts as long as its
// client, so http.Server.Shutdown, which waits for requests to finish, would otherwise wait for
// its whole timeout and leave the stream's LISTEN connection holding the store open.
type streamEnder struct {
	mu     sync.Mutex
	ending chan struct{}
	once   sync.Once
}

func (e *streamEnder) done() chan struct{} {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.ending == nil {
		e.ending = make(chan struct{})
	}
	return e.ending
}

// EndStreams ends every event stream (GET /v1/events), now and from now on: call it when the
// server begins to shut down (http.Server.RegisterOnShutdown). Clients reconnect to another node
// with their Last-Event-ID and miss nothing.
func (s *Server) EndStreams() {
	ch := s.sse.done()
	s.sse.once.Do(func() { close(ch) })
}

// endStreams gives an event stream a context that EndStreams cancels.
func (s *Server) endStreams(ctx huma.Context, next func(huma.Context)) {
	if op := ctx.Operation(); op == nil || op.OperationID != "stream-events" {
		next(ctx)
		return
	}
	c, cancel := context.WithCancel(ctx.Context())
	defer cancel()
	ending := s.sse.done()
	go func() {
		select {
		case <-ending:
			cancel()
		case <-c.Done():
		}
	}()
	next(huma.WithContext(ctx, c))
}
