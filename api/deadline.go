package api

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
)

// DefaultRequestTimeout is how long the server works on a request before it answers 503: long
// enough for any action while the workers run, short enough that a client is not left hanging
// through a worker outage.
const DefaultRequestTimeout = 30 * time.Second

// untimed are the operations that may run longer than the deadline: a CSV export streams every
// case of a search, and its status line is written before the rows; an event stream stays open as
// long as its client; an attachment's bytes take as long as the line (an upload takes the deadline
// once its body is in).
var untimed = map[string]bool{"export-cases": true, "stream-events": true, "upload-attachment": true, "download-attachment": true}

// deadlineRetryAfter is the Retry-After of a request that ran out of time, in seconds.
const deadlineRetryAfter = "10"

// withDeadline gives every request the server's deadline (RequestTimeout, or
// DefaultRequestTimeout; none when negative). The handlers pass the context on to PostgreSQL and
// Temporal, so a request waiting for a worker that is down ends at the deadline, and problem
// answers it with a 503.
func (s *Server) withDeadline(ctx huma.Context, next func(huma.Context)) {
	d := cmp.Or(s.RequestTimeout, DefaultRequestTimeout)
	if d < 0 || (ctx.Operation() != nil && untimed[ctx.Operation().OperationID]) {
		next(ctx)
		return
	}
	c, cancel := context.WithTimeout(ctx.Context(), d)
	defer cancel()
	next(huma.WithContext(ctx, c))
}

// outOfTime reports whether err, or the request's context, says the request ran out of time. The
// case service puts context.DeadlineExceeded in the chain of every Temporal call that ran out of
// time, whoever's deadline it was.
func outOfTime(ctx context.Context, err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded)
}

// deadlineProblem is the 503 of a request that ran out of time. A write may have been applied
// or not (the workflow may take the update once a worker is back), so the client is told to
// retry with the same Idempotency-Key, which applies it once either way.
func (s *Server) deadlineProblem(ctx context.Context, err error) error {
	d := cmp.Or(s.RequestTimeout, DefaultRequestTimeout)
	s.Logger.WarnContext(ctx, "request deadline", "request", requestOf(ctx), "deadline", d, "error", err)
	return huma.ErrorWithHeaders(huma.Error503ServiceUnavailable(fmt.Sprintf(
		"the request did not finish within the server's deadline (%s): a worker or a dependency is slow or down. "+
			"The outcome of a write is unknown: retry with the same Idempotency-Key, which applies it at most once.", d)),
		http.Header{"Retry-After": {deadlineRetryAfter}})
}
