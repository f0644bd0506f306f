package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onedoor/onedoor/workflows"
)

// MaxBatch bounds the tasks of one batch.
const MaxBatch = 50

// BatchTask names one task of a batch.
type BatchTask struct {
	Case string `json:"case" maxLength:"64" doc:"The case's id or number."`
	Task string `json:"task" maxLength:"16" doc:"The task's id within the case (t1, t2, …)."`
}

// BatchInput is the same operation on several tasks (批量办理).
type BatchInput struct {
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"200" doc:"A retried batch with the same key gets the first answer and applies nothing again; the same key with a different batch is refused (422)."`
	AcceptLanguage string `header:"Accept-Language" doc:"zh-CN for the refusals in Chinese."`
	Body           struct {
		Operation string      `json:"operation" enum:"note,claim,complete" doc:"note: add the remark reason to each case; claim: take each task; complete: finish each task with outcome, an outcome its step marks batchable."`
		Outcome   string      `json:"outcome,omitempty" maxLength:"64" doc:"complete: the outcome, batchable at each task's step."`
		Reason    string      `json:"reason,omitempty" maxLength:"2000" doc:"note: its text (required); complete: a remark kept with each completion."`
		Tasks     []BatchTask `json:"tasks" minItems:"1" maxItems:"50" doc:"The tasks, each once."`
	}
}

// BatchResult is what became of one task of a batch.
type BatchResult struct {
	Case       string      `json:"case" doc:"The case as the request named it."`
	Task       string      `json:"task"`
	Status     int         `json:"status" doc:"The HTTP status the operation on this task alone would have answered: 200 when applied."`
	CaseNumber string      `json:"case_number,omitempty"`
	Step       string      `json:"step,omitempty" doc:"complete, note: the case's step after the operation."`
	ClaimedBy  string      `json:"claimed_by,omitempty" doc:"claim: who holds the task now."`
	Problem    *ErrorModel `json:"problem,omitempty" doc:"Why the operation was refused on this task, as the operation alone would have answered."`
}

// BatchOutput is the answer of a batch: each task's result, in the order of the request.
type BatchOutput struct {
	Body struct {
		Operation string        `json:"operation"`
		Applied   int           `json:"applied" doc:"How many tasks the operation was applied to."`
		Refused   int           `json:"refused" doc:"How many it was refused for."`
		Results   []BatchResult `json:"results"`
	}
}

func (s *Server) registerBatch(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "batch-tasks",
		Method:      http.MethodPost,
		Path:        "/v1/tasks/batch",
		Summary:     "Apply one operation to several tasks (批量办理)",
		Description: "Applies the same note, claim or batchable outcome to up to 50 tasks, each validated and applied on its own as " +
			"the single operation would be (POST /v1/cases/{id}/actions, POST /v1/tasks/{case}/{task}/claim): the answer lists " +
			"each task's result, some refused (with the problem the single operation would have answered) while others are " +
			"applied. An outcome is batchable when its procedure marks it so (`batchable`: it needs no written opinion); any " +
			"other is refused for that task. With an Idempotency-Key the batch is idempotent as a whole: a retry gets the first " +
			"answer and applies nothing again. Each task counts as one request against the rate limit.",
		Tags:     []string{"Queues"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusUnprocessableEntity, http.StatusTooManyRequests},
	}, s.batch)
}

func (s *Server) batch(ctx context.Context, in *BatchInput) (*BatchOutput, error) {
	b := in.Body
	var bad []error
	switch {
	case b.Operation == "note" && b.Reason == "":
		bad = append(bad, &huma.ErrorDetail{Location: "body.reason", Message: "a note needs a text (reason)"})
	case b.Operation == "complete" && b.Outcome == "":
		bad = append(bad, &huma.ErrorDetail{Location: "body.outcome", Message: "name the batchable outcome to complete the tasks with"})
	}
	seen := map[BatchTask]bool{}
	for i, t := range b.Tasks {
		if seen[t] {
			bad = append(bad, &huma.ErrorDetail{Location: fmt.Sprintf("body.tasks[%d]", i), Message: "the task is named twice", Value: t.Case + "/" + t.Task})
		}
		seen[t] = true
	}
	if len(bad) > 0 {
		return nil, huma.Error422UnprocessableEntity("the batch is not valid", bad...)
	}
	if err := charge(ctx, len(b.Tasks)-1); err != nil {
		return nil, err
	}
	user := currentUser(ctx)
	zh := chinese(in.AcceptLanguage)
	if in.IdempotencyKey != "" {
		if err := s.rememberKey(ctx, user, "batch", in.IdempotencyKey, b); err != nil {
			return nil, err
		}
		raw, ok, err := s.Store.BatchAnswer(ctx, user.ID, in.IdempotencyKey)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		if ok {
			out := &BatchOutput{}
			if err := json.Unmarshal(raw, &out.Body); err != nil {
				return nil, s.problem(ctx, err)
			}
			return localizeBatch(out, zh), nil
		}
	}

	out := &BatchOutput{}
	out.Body.Operation, out.Body.Results = b.Operation, make([]BatchResult, len(b.Tasks))
	first, _ := ctx.Value(userKey{}).(*acting)
	for i, t := range b.Tasks {
		// Each task is acted on as a request of its own would be, in the post that sees it.
		item := ctx
		if first != nil {
			a := *first
			item = context.WithValue(ctx, userKey{}, &a)
		}
		key := ""
		if in.IdempotencyKey != "" {
			key = fmt.Sprintf("batch:%s:%d", in.IdempotencyKey, i)
		}
		r := s.batchOne(item, b.Operation, b.Outcome, b.Reason, t, key)
		if r.Status == http.StatusOK {
			out.Body.Applied++
		} else {
			out.Body.Refused++
		}
		out.Body.Results[i] = r
	}
	if in.IdempotencyKey != "" {
		raw, err := json.Marshal(out.Body)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		if err := s.Store.SaveBatchAnswer(ctx, user.ID, in.IdempotencyKey, raw); err != nil {
			return nil, s.problem(ctx, err)
		}
	}
	return localizeBatch(out, zh), nil
}

// batchOne applies the operation to one task, as the single operation would.
func (s *Server) batchOne(ctx context.Context, op, outcome, reason string, t BatchTask, key string) BatchResult {
	r := BatchResult{Case: t.Case, Task: t.Task, Status: http.StatusOK}
	var err error
	switch op {
	case "claim":
		var got *ClaimOutput
		if got, err = s.claim(ctx, &TaskRefInput{Case: t.Case, Task: t.Task}); err == nil {
			r.ClaimedBy = got.Body.ClaimedBy
		}
	case "note", "complete":
		in := &ActionInput{ID: t.Case, IdempotencyKey: key}
		in.Body.Type, in.Body.Reason = actionType(workflows.ActNote), reason
		if op == "complete" {
			in.Body.Type, in.Body.Task, in.Body.Outcome = actionType(workflows.ActComplete), t.Task, outcome
			err = s.batchable(ctx, t, outcome)
		}
		if err == nil {
			var got *ActionOutput
			if got, err = s.act(ctx, in); err == nil {
				r.CaseNumber, r.Step = got.Body.Number, got.Body.Step
			}
		}
	}
	if err != nil {
		var p *ErrorModel
		if !errors.As(err, &p) {
			p = &ErrorModel{Status: http.StatusInternalServerError, Title: http.StatusText(http.StatusInternalServerError), Detail: err.Error()}
		}
		r.Status, r.Problem = p.Status, p
	}
	return r
}

// batchable refuses (409) an outcome that the step of the task does not mark batchable: it may
// need a written opinion, a choice of units or departments, and is taken case by case.
func (s *Server) batchable(ctx context.Context, t BatchTask, outcome string) error {
	c, err := s.caseToAct(ctx, t.Case)
	if err != nil {
		return err
	}
	tasks, err := s.Store.Tasks(ctx, c.ID)
	if err != nil {
		return s.problem(ctx, err)
	}
	p, err := s.procedureVersion(ctx, c.ProcedureKey, c.ProcedureVersion)
	if err != nil || p == nil {
		return s.problem(ctx, err)
	}
	for _, task := range tasks {
		if task.ID != t.Task {
			continue
		}
		step, _ := p.Step(task.Step)
		if o, ok := step.Outcome(outcome); ok && !o.Batchable {
			s.refused(ctx, fmt.Sprintf("batch complete of case %s with outcome %s, not batchable", c.ID, outcome))
			return huma.Error409Conflict(fmt.Sprintf("the outcome %s of step %s is not batchable: take it case by case", outcome, step.ID))
		}
	}
	return nil // an unknown task or outcome: the workflow says why
}

// localizeBatch gives each refused task's problem its codes and, when zh, its Chinese text.
func localizeBatch(out *BatchOutput, zh bool) *BatchOutput {
	for i, r := range out.Body.Results {
		if r.Problem != nil {
			out.Body.Results[i].Problem = localize(r.Problem, zh)
		}
	}
	return out
}
