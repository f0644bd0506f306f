package telemetry

import (
	"context"
	"sync"

	"go.opentelemetry.io/otel/trace"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/workflow"
)

// The SDK's tracing interceptor starts a workflow run's span (RunWorkflow:Case) each time a
// worker runs the workflow's code from its start, the first time and at every replay after its
// cache dropped it, and ends it when the workflow returns. A case lives for weeks: its run's
// span would be exported, if at all, at its close, once per replay, while the spans of the
// activities under it went out at once, each naming a parent that no trace backend had.
//
// runSpans ends the run's span when the workflow first runs, so it is exported then, from the
// workflow's start to its first workflow task, and starts none at a replay: what the workflow
// does after one is parented to the span the run's start carried in its header, the client's
// start of the workflow, which was exported with its request. No span names a missing parent.

// runIDTag is the tag the SDK's tracing interceptor gives a workflow's spans with its run id.
const runIDTag = "temporalRunID"

// runSpans is the SDK's OpenTelemetry tracer with the run's span handled as above.
type runSpans struct {
	interceptor.Tracer
	// fresh holds the ids of the runs whose code is running from their start for the first time,
	// not replayed: the workflow interceptor sets one just before the tracer starts the run's span.
	fresh sync.Map
}

// spanContextOf is what a span reference read from a header (the OpenTelemetry tracer's) has.
type spanContextOf interface {
	TraceID() trace.TraceID
	SpanID() trace.SpanID
	TraceFlags() trace.TraceFlags
	TraceState() trace.TraceState
}

func (r *runSpans) StartSpan(opts *interceptor.TracerStartSpanOptions) (interceptor.TracerSpan, error) {
	if opts.Operation != "RunWorkflow" {
		return r.Tracer.StartSpan(opts)
	}
	_, fresh := r.fresh.LoadAndDelete(opts.Tags[runIDTag])
	parent, hasParent := opts.Parent.(spanContextOf)
	if !fresh && hasParent {
		// A replay: the parent stands in for the run's span, recording nothing of its own.
		sc := trace.NewSpanContext(trace.SpanContextConfig{TraceID: parent.TraceID(), SpanID: parent.SpanID(),
			TraceFlags: parent.TraceFlags(), TraceState: parent.TraceState(), Remote: true})
		if span := r.Tracer.SpanFromContext(trace.ContextWithSpanContext(context.Background(), sc)); span != nil {
			return span, nil
		}
	}
	span, err := r.Tracer.StartSpan(opts)
	if err != nil || !fresh {
		return span, err
	}
	// The OpenTelemetry tracer's span is an OpenTelemetry span: ended now, it is exported now;
	// the interceptor's end of it when the workflow returns does nothing more.
	if s, ok := span.(interface{ End(...trace.SpanEndOption) }); ok {
		s.End()
	}
	return span, nil
}

// runsInterceptor is the SDK's tracing interceptor, which tells runSpans which runs are fresh.
type runsInterceptor struct {
	interceptor.Interceptor
	runs *runSpans
}

func (i *runsInterceptor) InterceptWorkflow(ctx workflow.Context, next interceptor.WorkflowInboundInterceptor) interceptor.WorkflowInboundInterceptor {
	return &freshRun{
		WorkflowInboundInterceptorBase: interceptor.WorkflowInboundInterceptorBase{Next: i.Interceptor.InterceptWorkflow(ctx, next)},
		runs:                           i.runs,
	}
}

// freshRun marks its run fresh when the workflow's code starts without replaying, just before the
// tracing interceptor under it starts the run's span.
type freshRun struct {
	interceptor.WorkflowInboundInterceptorBase
	runs *runSpans
}

func (f *freshRun) ExecuteWorkflow(ctx workflow.Context, in *interceptor.ExecuteWorkflowInput) (any, error) {
	if !workflow.IsReplaying(ctx) {
		run := workflow.GetInfo(ctx).WorkflowExecution.RunID
		f.runs.fresh.Store(run, struct{}{})
		// Gone already once the run's span started; left when the interceptor refused the run's
		// header before it started one. The workflow's code returns when it ends or leaves the cache.
		defer f.runs.fresh.Delete(run)
	}
	return f.Next.ExecuteWorkflow(ctx, in)
}
