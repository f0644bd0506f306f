package telemetry

import (
	"context"
	"regexp"

	"github.com/google/uuid"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"
)

// RequestIDHeader is the HTTP header that carries a request's id: a client may send one (a
// reverse proxy's, say), otherwise the API makes one; the answer carries it back either way.
const RequestIDHeader = "X-Request-Id"

// temporalHeader is the Temporal header in which a request's id travels with the workflow start
// or update it caused, and with the activities scheduled from an update's handler.
const temporalHeader = "onedoor-request-id"

type requestIDKey struct{}

// WithRequestID is ctx carrying the id of the request it serves.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID is the id of the request ctx serves, "" outside a request.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// WorkflowRequestID is the id of the request a workflow context serves: inside an update's
// handler, the request that sent the update; "" in the workflow's own code (timers, the mirror).
func WorkflowRequestID(ctx workflow.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// goodRequestID is what a client's id may be: short, printable, no spaces, so that it can be
// logged and echoed as it is.
var goodRequestID = regexp.MustCompile(`^[A-Za-z0-9._:@/+=-]{1,128}$`)

// requestIDOf is the client's id when it is a good one, else a new one.
func requestIDOf(sent string) string {
	if goodRequestID.MatchString(sent) {
		return sent
	}
	return uuid.NewString()
}

// propagator carries the request id from the API's Temporal calls into workflows and
// activities. Its payload goes unsealed (the default converter): an id is not personal data.
type propagator struct{}

var idConverter = converter.GetDefaultDataConverter()

func (propagator) Inject(ctx context.Context, w workflow.HeaderWriter) error {
	return inject(RequestID(ctx), w)
}

func (propagator) InjectFromWorkflow(ctx workflow.Context, w workflow.HeaderWriter) error {
	return inject(WorkflowRequestID(ctx), w)
}

func inject(id string, w workflow.HeaderWriter) error {
	if id == "" {
		return nil
	}
	p, err := idConverter.ToPayload(id)
	if err != nil {
		return err
	}
	w.Set(temporalHeader, p)
	return nil
}

func (propagator) Extract(ctx context.Context, r workflow.HeaderReader) (context.Context, error) {
	id, err := extract(r)
	if err != nil || id == "" {
		return ctx, err
	}
	return WithRequestID(ctx, id), nil
}

// ExtractToWorkflow always sets the id, "" when the header has none, so that an update sent
// without one (onedoor check, a test) is not taken for the request that started the workflow.
func (propagator) ExtractToWorkflow(ctx workflow.Context, r workflow.HeaderReader) (workflow.Context, error) {
	id, err := extract(r)
	if err != nil {
		return ctx, err
	}
	return workflow.WithValue(ctx, requestIDKey{}, id), nil
}

func extract(r workflow.HeaderReader) (string, error) {
	p, ok := r.Get(temporalHeader)
	if !ok {
		return "", nil
	}
	var id string
	err := idConverter.FromPayload(p, &id)
	return id, err
}

// RequestIDPropagator carries request ids through Temporal: give it to the client
// (client.Options.ContextPropagators), whose workers then use it too.
func RequestIDPropagator() workflow.ContextPropagator { return propagator{} }
