package telemetry

import (
	"context"
	"log/slog"

	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/workflow"
)

// WorkerInterceptor logs, at info on logger, each workflow started and each update a workflow
// handled, with the id of the request that caused it, and adds request_id to the workflow and
// activity loggers (workflow.GetLogger, activity.GetLogger) wherever a request is known: in an
// update's handler and the activities it schedules. The workflow's own code (timers, the mirror
// of its events) serves no request and logs none. Nothing is logged while a workflow replays.
func WorkerInterceptor(logger *slog.Logger) interceptor.WorkerInterceptor {
	return &workerInterceptor{logger: logger}
}

type workerInterceptor struct {
	interceptor.WorkerInterceptorBase
	logger *slog.Logger
}

func (w *workerInterceptor) InterceptWorkflow(_ workflow.Context, next interceptor.WorkflowInboundInterceptor) interceptor.WorkflowInboundInterceptor {
	return &workflowInbound{WorkflowInboundInterceptorBase: interceptor.WorkflowInboundInterceptorBase{Next: next}, logger: w.logger}
}

func (w *workerInterceptor) InterceptActivity(_ context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	return &activityInbound{ActivityInboundInterceptorBase: interceptor.ActivityInboundInterceptorBase{Next: next}}
}

type workflowInbound struct {
	interceptor.WorkflowInboundInterceptorBase
	logger *slog.Logger
}

func (i *workflowInbound) Init(outbound interceptor.WorkflowOutboundInterceptor) error {
	return i.Next.Init(&workflowOutbound{WorkflowOutboundInterceptorBase: interceptor.WorkflowOutboundInterceptorBase{Next: outbound}})
}

func (i *workflowInbound) ExecuteWorkflow(ctx workflow.Context, in *interceptor.ExecuteWorkflowInput) (any, error) {
	info := workflow.GetInfo(ctx)
	if id := WorkflowRequestID(ctx); id != "" && !workflow.IsReplaying(ctx) {
		i.logger.Info("workflow started", "request_id", id, "workflow_type", info.WorkflowType.Name,
			"workflow_id", info.WorkflowExecution.ID, "run_id", info.WorkflowExecution.RunID)
	}
	// The workflow's own code outlives the request that started it: what its timers do later
	// is no request's doing.
	return i.Next.ExecuteWorkflow(workflow.WithValue(ctx, requestIDKey{}, ""), in)
}

func (i *workflowInbound) ExecuteUpdate(ctx workflow.Context, in *interceptor.UpdateInput) (any, error) {
	out, err := i.Next.ExecuteUpdate(ctx, in)
	if id := WorkflowRequestID(ctx); id != "" && !workflow.IsReplaying(ctx) {
		info := workflow.GetInfo(ctx)
		attrs := []any{"request_id", id, "update", in.Name, "workflow_id", info.WorkflowExecution.ID, "run_id", info.WorkflowExecution.RunID}
		if err != nil {
			attrs = append(attrs, "refused", err.Error())
		}
		i.logger.Info("workflow update", attrs...)
	}
	return out, err
}

type workflowOutbound struct {
	interceptor.WorkflowOutboundInterceptorBase
}

func (o *workflowOutbound) GetLogger(ctx workflow.Context) log.Logger {
	l := o.Next.GetLogger(ctx)
	if id := WorkflowRequestID(ctx); id != "" {
		return log.With(l, "request_id", id)
	}
	return l
}

type activityInbound struct {
	interceptor.ActivityInboundInterceptorBase
}

func (i *activityInbound) Init(outbound interceptor.ActivityOutboundInterceptor) error {
	return i.Next.Init(&activityOutbound{ActivityOutboundInterceptorBase: interceptor.ActivityOutboundInterceptorBase{Next: outbound}})
}

type activityOutbound struct {
	interceptor.ActivityOutboundInterceptorBase
}

func (o *activityOutbound) GetLogger(ctx context.Context) log.Logger {
	l := o.Next.GetLogger(ctx)
	if id := RequestID(ctx); id != "" {
		return log.With(l, "request_id", id)
	}
	return l
}
