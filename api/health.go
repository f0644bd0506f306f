package api

import (
	"cmp"
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	enumspb "go.temporal.io/api/enums/v1"

	"github.com/onedoor/onedoor/workflows"
)

// HealthOutput is the body of GET /healthz: each dependency is ok or unavailable, and nothing
// more, since anyone may ask; why one is unavailable is in the server log.
type HealthOutput struct {
	Body struct {
		Status   string `json:"status" example:"ok" doc:"ok when every dependency answers."`
		Postgres string `json:"postgres" example:"ok" enum:"ok,unavailable"`
		Temporal string `json:"temporal" example:"ok" enum:"ok,unavailable"`
		Workers  string `json:"workers" example:"ok" enum:"ok,unavailable" doc:"ok when workers poll the case task queue for both workflow and activity tasks."`
	}
}

// LiveOutput is the body of GET /livez.
type LiveOutput struct {
	Body struct {
		Status string `json:"status" example:"ok"`
	}
}

// pollerFresh is how recently a worker must have polled the task queue to count as running. An
// idle worker's long poll lasts about a minute, so a live one has always polled within two; the
// server keeps dead pollers listed for five.
const pollerFresh = 2 * time.Minute

// healthRetryAfter is the Retry-After of a 503 from /healthz, in seconds.
const healthRetryAfter = "5"

func (s *Server) registerHealth(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "health",
		Method:      http.MethodGet,
		Path:        "/healthz",
		Summary:     "Readiness: can the API serve cases now",
		Description: "200 when PostgreSQL and Temporal answer and workers poll the case task queue; otherwise 503 naming what is " +
			"unavailable, with Retry-After. Each dependency is only `ok` or `unavailable` here: the reason is in the server log. " +
			"Route traffic by this; restart by /livez.",
		Tags:   []string{"Operations"},
		Errors: []int{http.StatusServiceUnavailable},
	}, func(ctx context.Context, _ *struct{}) (*HealthOutput, error) {
		ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		out := &HealthOutput{}
		out.Body.Status, out.Body.Postgres, out.Body.Temporal, out.Body.Workers = "ok", "ok", "ok", "ok"
		var down []string
		if err := s.Store.Ping(ctx); err != nil {
			s.Logger.WarnContext(ctx, "health: PostgreSQL does not answer", "error", err)
			down = append(down, "postgres")
		}
		if _, err := s.Temporal.CheckHealth(ctx, nil); err != nil {
			s.Logger.WarnContext(ctx, "health: Temporal does not answer", "error", err)
			down = append(down, "temporal")
		} else if why := s.workersPolling(ctx); why != "" {
			s.Logger.WarnContext(ctx, "health: no worker polls the case task queue", "task_queue", s.taskQueue(), "why", why)
			down = append(down, "workers")
		}
		if len(down) > 0 {
			details := make([]error, len(down))
			for i, d := range down {
				details[i] = &huma.ErrorDetail{Location: d, Message: "unavailable"}
			}
			return nil, huma.ErrorWithHeaders(
				huma.Error503ServiceUnavailable(strings.Join(down, " and ")+" unavailable", details...),
				http.Header{"Retry-After": {healthRetryAfter}})
		}
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "live",
		Method:      http.MethodGet,
		Path:        "/livez",
		Summary:     "Liveness: the process serves HTTP",
		Description: "Always 200 while the process serves requests; it checks no dependency, so an outage of PostgreSQL, " +
			"Temporal or the workers never makes an orchestrator restart the API.",
		Tags: []string{"Operations"},
	}, func(ctx context.Context, _ *struct{}) (*LiveOutput, error) {
		out := &LiveOutput{}
		out.Body.Status = "ok"
		return out, nil
	})
}

// taskQueue is where the server starts case workflows.
func (s *Server) taskQueue() string {
	return cmp.Or(s.TaskQueue, workflows.TaskQueue)
}

// workersPolling is "" when some worker has lately polled the case task queue for workflow tasks
// and for activity tasks, and otherwise says which is missing.
func (s *Server) workersPolling(ctx context.Context) string {
	for _, kind := range []enumspb.TaskQueueType{enumspb.TASK_QUEUE_TYPE_WORKFLOW, enumspb.TASK_QUEUE_TYPE_ACTIVITY} {
		resp, err := s.Temporal.DescribeTaskQueue(ctx, s.taskQueue(), kind)
		if err != nil {
			return "describe task queue: " + err.Error()
		}
		fresh := false
		for _, p := range resp.GetPollers() {
			if t := p.GetLastAccessTime(); t != nil && time.Since(t.AsTime()) < pollerFresh {
				fresh = true
				break
			}
		}
		if !fresh {
			return "no " + strings.ToLower(kind.String()) + " poller in the last " + pollerFresh.String()
		}
	}
	return ""
}
