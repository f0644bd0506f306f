package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
)

// HealthOutput is the body of GET /healthz.
type HealthOutput struct {
	Body struct {
		Status   string `json:"status" example:"ok" doc:"ok when every dependency answers."`
		Postgres string `json:"postgres" example:"ok"`
		Temporal string `json:"temporal" example:"ok"`
	}
}

func (s *Server) registerHealth(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "health",
		Method:      http.MethodGet,
		Path:        "/healthz",
		Summary:     "Health of the API and its dependencies",
		Description: "200 when PostgreSQL and Temporal both answer; 503 naming the one that does not.",
		Tags:        []string{"Operations"},
		Errors:      []int{http.StatusServiceUnavailable},
	}, func(ctx context.Context, _ *struct{}) (*HealthOutput, error) {
		ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		out := &HealthOutput{}
		out.Body.Status, out.Body.Postgres, out.Body.Temporal = "ok", "ok", "ok"
		var down []error
		if err := s.Store.Ping(ctx); err != nil {
			out.Body.Postgres = err.Error()
			down = append(down, &huma.ErrorDetail{Location: "postgres", Message: "PostgreSQL does not answer: " + err.Error()})
		}
		if _, err := s.Temporal.CheckHealth(ctx, nil); err != nil {
			out.Body.Temporal = err.Error()
			down = append(down, &huma.ErrorDetail{Location: "temporal", Message: "Temporal does not answer: " + err.Error()})
		}
		if len(down) > 0 {
			names := ""
			for i, d := range down {
				if i > 0 {
					names += " and "
				}
				names += d.(*huma.ErrorDetail).Location
			}
			return nil, huma.Error503ServiceUnavailable(names+" unavailable", down...)
		}
		return out, nil
	})
}
