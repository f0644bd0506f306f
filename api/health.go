package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
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
		if err := s.cases.CheckTemporal(ctx); err != nil {
			s.Logger.WarnContext(ctx, "health: Temporal does not answer", "error", err)
			down = append(down, "temporal")
		} else if err := s.cases.CheckWorkers(ctx); err != nil {
			s.Logger.WarnContext(ctx, "health: no worker polls the case task queue", "task_queue", s.cases.Queue(), "why", err)
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
