// Package check compares, case by case, the three records OneDoor keeps of a case: its workflow
// (the source of truth), the read model and the audit log. Operators run it after an incident
// (`onedoor check`), the fault tests after every campaign; with Repair it re-mirrors the read
// model of a diverging case from its workflow.
package check

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/store"
	"github.com/onedoor/onedoor/workflows"
)

// Kind is a kind of disagreement between a case's records.
type Kind string

// The kinds of disagreement.
const (
	// Ahead: the read model shows an event the workflow does not have. Never expected.
	Ahead Kind = "ahead"
	// Diverging: the read model and the workflow are at the same event but disagree.
	Diverging Kind = "diverging"
	// Behind: the workflow has events the read model has not caught up with yet. Expected for a
	// moment after every change, and for as long as the database is away.
	Behind Kind = "behind"
	// Stuck: the activity that writes the read model keeps failing.
	Stuck Kind = "stuck"
	// Missing: the workflow exists but the read model has no row for its case.
	Missing Kind = "missing"
	// NoWorkflow: the read model has a case whose workflow does not exist.
	NoWorkflow Kind = "no_workflow"
	// Failed: the case's workflow failed, was terminated or timed out: nothing moves it any more.
	Failed Kind = "failed"
	// AuditGap: the audit log lacks events, or has more than the read model says.
	AuditGap Kind = "audit_gap"
)

// Finding is one disagreement about one case.
type Finding struct {
	CaseID   string `json:"case_id"`
	Number   string `json:"number,omitempty"`
	Kind     Kind   `json:"kind"`
	Detail   string `json:"detail"`
	Repaired bool   `json:"repaired,omitempty"`
}

// Report is what a check found.
type Report struct {
	Cases     int       `json:"cases"`
	Workflows int       `json:"workflows"`
	Seeded    int       `json:"seeded" doc:"Synthetic cases of onedoor seed, which have no workflow by design."`
	Findings  []Finding `json:"findings"`
}

// Count is how many findings are of the kind.
func (r *Report) Count(k Kind) int {
	n := 0
	for _, f := range r.Findings {
		if f.Kind == k {
			n++
		}
	}
	return n
}

// Options choose what a check looks at and does.
type Options struct {
	// Namespace is the Temporal namespace of the case workflows.
	Namespace string
	// Cases limits the check to these case ids or numbers; every case when empty.
	Cases []string
	// Repair re-mirrors the read model of every ahead, diverging, behind or missing case from
	// its workflow.
	Repair bool
	// StuckAttempts is the attempt of the mirror activity from which it counts as stuck; 5 when 0.
	StuckAttempts int32
	// Progress, when set, is told how many cases were checked of how many.
	Progress func(done, total int)
}

// Checker checks cases against their workflows.
type Checker struct {
	Store    *store.Store
	Temporal client.Client
}

// Run checks the cases.
func (c *Checker) Run(ctx context.Context, o Options) (*Report, error) {
	ids, err := c.caseIDs(ctx, o.Cases)
	if err != nil {
		return nil, err
	}
	rep := &Report{}
	workflowsByCase, err := c.workflows(ctx, o)
	if err != nil {
		return nil, err
	}
	rep.Workflows = len(workflowsByCase)
	if len(o.Cases) == 0 {
		// Every case: those of the read model and those only Temporal has.
		known := make(map[string]bool, len(ids))
		for _, id := range ids {
			known[id] = true
		}
		for id := range workflowsByCase {
			if !known[id] {
				ids = append(ids, id)
			}
		}
	}
	slices.Sort(ids)
	rep.Cases = len(ids)
	for i, id := range ids {
		if err := c.checkCase(ctx, o, rep, id, workflowsByCase[id]); err != nil {
			return rep, fmt.Errorf("check case %s: %w", id, err)
		}
		if o.Progress != nil {
			o.Progress(i+1, len(ids))
		}
	}
	return rep, nil
}

// caseIDs are the ids of the cases named, or of every case of the read model.
func (c *Checker) caseIDs(ctx context.Context, refs []string) ([]string, error) {
	if len(refs) == 0 {
		return c.Store.CaseIDs(ctx)
	}
	ids := make([]string, 0, len(refs))
	for _, ref := range refs {
		cs, err := c.Store.Case(ctx, ref)
		if onedoor.ErrorCode(err) == onedoor.ENotFound && strings.Count(ref, "-") == 4 {
			ids = append(ids, ref) // a case id the read model lacks: its workflow may have it
			continue
		} else if err != nil {
			return nil, err
		}
		ids = append(ids, cs.ID)
	}
	return ids, nil
}

// execution is what visibility says of a case's latest workflow run.
type execution struct {
	status enumspb.WorkflowExecutionStatus
}

// workflows lists the latest run of every case workflow by case id (of the cases named, when
// some are).
func (c *Checker) workflows(ctx context.Context, o Options) (map[string]execution, error) {
	out := map[string]execution{}
	var token []byte
	for {
		resp, err := c.Temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Namespace: o.Namespace, Query: "WorkflowType = 'Case'", NextPageToken: token, PageSize: 1000,
		})
		if err != nil {
			return nil, fmt.Errorf("list workflows: %w", err)
		}
		for _, e := range resp.GetExecutions() {
			id, ok := strings.CutPrefix(e.GetExecution().GetWorkflowId(), "case-")
			if !ok {
				continue
			}
			// A case that continued as new has several runs: the running one counts.
			if prev, seen := out[id]; seen && prev.status == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
				continue
			}
			out[id] = execution{status: e.GetStatus()}
		}
		token = resp.GetNextPageToken()
		if len(token) == 0 {
			return out, nil
		}
	}
}

func (c *Checker) checkCase(ctx context.Context, o Options, rep *Report, id string, ex execution) error {
	find := func(number string, k Kind, format string, args ...any) *Finding {
		rep.Findings = append(rep.Findings, Finding{CaseID: id, Number: number, Kind: k, Detail: fmt.Sprintf(format, args...)})
		return &rep.Findings[len(rep.Findings)-1]
	}
	rm, rmErr := c.Store.Case(ctx, id)
	if rmErr != nil && onedoor.ErrorCode(rmErr) != onedoor.ENotFound {
		return rmErr
	}
	hasRow := rmErr == nil
	var rmSeq int64
	if hasRow {
		var err error
		if rmSeq, err = c.Store.CaseSeq(ctx, id); err != nil {
			return err
		}
		if err := c.checkAudit(ctx, rm, rmSeq, find); err != nil {
			return err
		}
	}
	if ex.status == enumspb.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED {
		if hasRow && rm.CreatedBy == store.SeedCreator {
			rep.Seeded++
			return nil
		}
		find(rm.Number, NoWorkflow, "the read model has the case but Temporal has no workflow for it")
		return nil
	}
	switch ex.status {
	case enumspb.WORKFLOW_EXECUTION_STATUS_FAILED, enumspb.WORKFLOW_EXECUTION_STATUS_TERMINATED,
		enumspb.WORKFLOW_EXECUTION_STATUS_TIMED_OUT, enumspb.WORKFLOW_EXECUTION_STATUS_CANCELED:
		find(rm.Number, Failed, "the workflow is %s: reset it to its last good workflow task (docs/operations.md)",
			strings.ToLower(ex.status.String()))
	}

	state, err := c.state(ctx, id)
	if err != nil {
		find(rm.Number, Failed, "the workflow does not answer its state query: %v", err)
		return nil
	}
	number := state.Case.Number
	if ex.status == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		if err := c.checkMirror(ctx, o, id, number, find); err != nil {
			return err
		}
	}
	var f *Finding
	switch {
	case !hasRow:
		f = find(number, Missing, "the workflow is at event %d; the read model has no row", state.Seq)
	case rmSeq > state.Seq:
		f = find(number, Ahead, "the read model is at event %d, the workflow at %d", rmSeq, state.Seq)
	case rmSeq < state.Seq:
		f = find(number, Behind, "the read model is at event %d, the workflow at %d", rmSeq, state.Seq)
	default:
		tasks, err := c.Store.Tasks(ctx, id)
		if err != nil {
			return err
		}
		if diff := compare(state, rm, tasks); diff != "" {
			f = find(number, Diverging, "at event %d: %s", state.Seq, diff)
		}
	}
	if f != nil && o.Repair {
		if err := c.Store.Repair(ctx, state.Case, state.Tasks, state.Seq); err != nil {
			return fmt.Errorf("repair: %w", err)
		}
		f.Repaired = true
	}
	return nil
}

// checkAudit reports an audit log that does not hold exactly the events 1 to seq.
func (c *Checker) checkAudit(ctx context.Context, rm onedoor.Case, seq int64, find func(string, Kind, string, ...any) *Finding) error {
	seqs, err := c.Store.AuditSeqs(ctx, rm.ID)
	if err != nil {
		return err
	}
	for i, s := range seqs {
		if s != int64(i+1) {
			find(rm.Number, AuditGap, "the audit log lacks event %d", i+1)
			return nil
		}
	}
	if int64(len(seqs)) != seq {
		find(rm.Number, AuditGap, "the audit log has %d events, the read model is at event %d", len(seqs), seq)
	}
	return nil
}

// checkMirror reports a mirror activity that keeps failing.
func (c *Checker) checkMirror(ctx context.Context, o Options, id, number string, find func(string, Kind, string, ...any) *Finding) error {
	desc, err := c.Temporal.DescribeWorkflowExecution(ctx, onedoor.WorkflowID(id), "")
	if err != nil {
		var nf *serviceerror.NotFound
		if errors.As(err, &nf) {
			return nil
		}
		return err
	}
	stuck := o.StuckAttempts
	if stuck == 0 {
		stuck = 5
	}
	for _, a := range desc.GetPendingActivities() {
		if a.GetAttempt() >= stuck {
			find(number, Stuck, "activity %s failed %d times; last: %s", a.GetActivityType().GetName(),
				a.GetAttempt()-1, a.GetLastFailure().GetMessage())
		}
	}
	return nil
}

// state queries the case's workflow for its state.
func (c *Checker) state(ctx context.Context, id string) (workflows.CaseState, error) {
	var st workflows.CaseState
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := c.Temporal.QueryWorkflow(ctx, onedoor.WorkflowID(id), "", workflows.QueryState)
	if err != nil {
		return st, err
	}
	return st, v.Get(&st)
}

// compare says how the read model of a case differs from its workflow's state at the same event.
func compare(st workflows.CaseState, rm onedoor.Case, tasks []onedoor.Task) string {
	var diffs []string
	diff := func(what string, wf, got any) {
		if fmt.Sprint(wf) != fmt.Sprint(got) {
			diffs = append(diffs, fmt.Sprintf("%s: workflow %v, read model %v", what, wf, got))
		}
	}
	w := st.Case
	diff("number", w.Number, rm.Number)
	diff("status", w.Status, rm.Status)
	diff("step", w.Step, rm.Step)
	diff("level", w.Level, rm.Level)
	diff("org unit", w.OrgUnit, rm.OrgUnit)
	diff("overdue", w.Overdue, rm.Overdue)
	diff("due", timeOf(w.DueAt), timeOf(rm.DueAt))
	diff("escalations", w.Escalations, rm.Escalations)
	diff("tasks", len(st.Tasks), len(tasks))
	byID := map[string]onedoor.Task{}
	for _, t := range tasks {
		byID[t.ID] = t
	}
	for _, t := range st.Tasks {
		got, ok := byID[t.ID]
		if !ok {
			diffs = append(diffs, "task "+t.ID+": missing in the read model")
			continue
		}
		diff("task "+t.ID+" status", t.Status, got.Status)
		diff("task "+t.ID+" due", timeOf(t.DueAt), timeOf(got.DueAt))
		diff("task "+t.ID+" holder", t.OrgUnit+"/"+t.Role+"/"+t.Department, got.OrgUnit+"/"+got.Role+"/"+got.Department)
	}
	return strings.Join(diffs, "; ")
}

func timeOf(t *time.Time) string {
	if t == nil {
		return "none"
	}
	return t.UTC().Format(time.RFC3339)
}
