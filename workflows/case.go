// Package workflows holds OneDoor's durable procedures: one case workflow that carries any matter
// through the procedure version it started on.
package workflows

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/activities"
	"github.com/onedoor/onedoor/definitions"
)

// TaskQueue is the task queue of OneDoor's workflows and activities.
const TaskQueue = "onedoor"

// Names of the case workflow, its query and its updates, as the worker registers them and
// clients call them. Histories record CaseWorkflow: renaming it breaks running cases.
const (
	CaseWorkflow = "Case"    // the case workflow, Case
	QueryState   = "state"   // the case's full state
	QueryAllowed = "allowed" // the actions a user may take now; argument: the user, answer: []Offer
	UpdateOpen   = "open"    // waits until the case is registered and returns it
	UpdateAction = "action"  // a clerk's or supervisor's action; see Action
)

// Search attributes of case workflows. They carry no personal data.
var (
	SAMatter  = temporal.NewSearchAttributeKeyKeyword("OneDoorMatter")
	SALevel   = temporal.NewSearchAttributeKeyKeyword("OneDoorLevel")
	SAOrgUnit = temporal.NewSearchAttributeKeyKeyword("OneDoorOrgUnit")
	SAStatus  = temporal.NewSearchAttributeKeyKeyword("OneDoorStatus")
	SADueAt   = temporal.NewSearchAttributeKeyTime("OneDoorDueAt")
)

// SearchAttributes lists the custom search attributes the namespace must have.
var SearchAttributes = []temporal.SearchAttributeKey{SAMatter, SALevel, SAOrgUnit, SAStatus, SADueAt}

// CaseInput starts a case workflow. Everything the case needs to run is in it, by value, so a
// later edit of a procedure or of the organisation never changes a running case behind a clerk.
type CaseInput struct {
	// Case is the case as received, with the number the API reserved for it.
	Case onedoor.Case
	// Procedure is the published procedure version the case follows.
	Procedure *definitions.Procedure
	// Chain is the receiving org unit and its ancestors, bottom up: where escalation goes.
	Chain []definitions.OrgUnit
	// Holidays are the regional holidays of the calendar the deadlines are counted on.
	Holidays []definitions.Holiday
	// Notices are the State Council notices of the calendar, from the year before the case's;
	// nil for a case started before the notices were stored, which counts on the built-in ones.
	Notices []definitions.Notice `json:",omitempty"`
	// Departments are the departments a case may be diverted to, with their stationing mode and
	// the response deadline of a summons (吹哨报到).
	Departments []definitions.Department
	// Resume is the state a case continues from after continue-as-new; nil for a new case.
	Resume *CaseState `json:",omitempty"`
	// HistoryLimit is the history length past which the case continues as new even if the server
	// does not suggest it yet; 0 means DefaultHistoryLimit.
	HistoryLimit int `json:",omitempty"`
	// Changes is how many of the workflow's code changes (changes, oldest first) the run was
	// started with: it takes those without asking workflow.GetVersion, which at the first call in
	// a run records a marker and upserts Temporal's TemporalChangeVersion search attribute, two
	// writes to the visibility store at every new case for a path only old cases replay. Zero for
	// a run started before the field existed, which asks as it always did. The API starts a case with
	// CurrentChanges, and continue-as-new carries a case on with it.
	Changes int `json:",omitempty"`
}

// calendar is the calendar the case's deadlines are counted on.
func (in CaseInput) calendar() *definitions.Calendar {
	if in.Notices == nil {
		return definitions.NewCalendar(in.Holidays...)
	}
	return definitions.CalendarOf(in.Notices, in.Holidays)
}

// DefaultHistoryLimit keeps a long case's history well below the server's limits.
const DefaultHistoryLimit = 10000

// Changes of the workflow's code that running cases replay, for workflow.GetVersion. Each is
// kept until no case that ran the old code is open (docs/operations.md, "Changing the workflow").
const (
	// changeEvaluationWindow: version 1 keeps a closed case open for the whole window after
	// closing, for notes after the evaluation; the default version ended at the evaluation.
	changeEvaluationWindow = "evaluation-window"
	// changeOverdueOrder: version 1 issues a supervision order to the holder of a task that goes
	// overdue; the default version only flagged it.
	changeOverdueOrder = "overdue-order"
	// changeSameSearchAttributes: version 1 leaves out an upsert of the search attributes when they
	// are what the workflow last upserted (an overdue flag changes none of them); the default
	// version upserted them at every event. Each upsert is a write to Temporal's visibility store,
	// the busiest part of a midnight when every deadline falls due (`make storm`).
	changeSameSearchAttributes = "same-search-attributes"
	// changeNoticesInCase: version 1 sends the outbox messages of its events itself, an activity
	// per message; the default version left it to the mirror activity, which started a Notice
	// workflow per event.
	changeNoticesInCase = "notices-in-case"
	// changeDeadlineTimer: version 1 keeps one timer for the next deadline, started again only
	// when that deadline moves; the default version started a timer at every change of the case
	// (AwaitWithTimeout), and left the one before running: a case with a hundred notes had a
	// hundred timers pending, all firing at its next deadline.
	changeDeadlineTimer = "deadline-timer"
	// changeOutboxRelay: version 1 leaves its events' notices to the outbox relay of the worker
	// processes (activities.Relay); the default version sent them itself (changeNoticesInCase),
	// an activity per message and a workflow task after them, for every event that sent any.
	changeOutboxRelay = "outbox-relay"
)

// changes are the changes above, oldest first: a run started with CaseInput.Changes = n takes
// the first n without asking. A new change goes at the end, behind workflow.GetVersion like the
// others, so that a run started before it (with a smaller Changes) asks.
var changes = []string{changeEvaluationWindow, changeOverdueOrder, changeSameSearchAttributes, changeNoticesInCase, changeDeadlineTimer,
	changeOutboxRelay}

// CurrentChanges is the CaseInput.Changes of a case started on today's code.
var CurrentChanges = len(changes)

// has reports whether the run takes the code change named change (version 1 of it): at once
// when the run was started with it, else as workflow.GetVersion answers.
func (w *caseWorkflow) has(ctx workflow.Context, change string) bool {
	if i := slices.Index(changes, change); i >= 0 && i < w.in.Changes {
		return true
	}
	return workflow.GetVersion(ctx, change, workflow.DefaultVersion, 1) == 1
}

// deadlineTimer is the case workflow's timer for its next deadline (changeDeadlineTimer).
type deadlineTimer struct {
	at     time.Time
	timer  workflow.Future
	cancel workflow.CancelFunc
}

// set makes the timer fire at next, or not at all when next is zero: the running timer stays
// when it is for the same instant, and is cancelled when it is not.
func (t *deadlineTimer) set(ctx workflow.Context, next time.Time) {
	if t.timer != nil && t.at.Equal(next) {
		return
	}
	if t.timer != nil {
		t.cancel()
	}
	*t = deadlineTimer{}
	if next.IsZero() {
		return
	}
	timerCtx, cancel := workflow.WithCancel(ctx)
	*t = deadlineTimer{at: next, timer: workflow.NewTimer(timerCtx, next.Sub(workflow.Now(ctx))), cancel: cancel}
}

// fired reports whether the timer has fired, forgetting it then.
func (t *deadlineTimer) fired() bool {
	if t.timer == nil || !t.timer.IsReady() {
		return false
	}
	*t = deadlineTimer{}
	return true
}

// OverdueOrderWithin is how long the holder of a task that went overdue has to answer the
// supervision order (督办) it brings.
var OverdueOrderWithin = definitions.Workdays(3)

// AfterClose is how long a closed case's workflow still takes the resident's evaluation (and
// notes) before it completes: the 30-day window of a review request (信访工作条例 Art.35).
const AfterClose = 30 * 24 * time.Hour

// CaseState is the state of a case workflow, as the state query and every action return it.
type CaseState struct {
	Case  onedoor.Case   `json:"case"`
	Tasks []onedoor.Task `json:"tasks"`
	// Seq is the number of the last event applied to the case.
	Seq int64 `json:"seq"`
	// Counters the rules see.
	Returns    int `json:"returns"`
	Transfers  int `json:"transfers"`
	Visits     int `json:"visits"`
	Extensions int `json:"extensions"`
	// Chain is the org unit holding the case and its ancestors, bottom up.
	Chain []definitions.OrgUnit `json:"chain"`
	// Departments are the departments the case was diverted to.
	Departments []string `json:"departments,omitempty"`
	// Withdrawable is the last completion that moved the case to a next step, which its actor
	// may take back (撤回) until someone acts on the case again.
	Withdrawable *Withdrawal `json:"withdrawable,omitempty"`
}

// Withdrawal is what a completion changed, kept so that its actor may take it back: the task
// completed, the tasks it opened, and the case's step, data, statutory clocks and departments
// as they were before it.
type Withdrawal struct {
	Task   string   `json:"task"`
	By     string   `json:"by"`
	Opened []string `json:"opened"`
	// Acted says who acted on the case after the completion (an action and its actor): then the
	// completion can no longer be withdrawn.
	Acted       string              `json:"acted,omitempty"`
	OrgUnit     string              `json:"org_unit"`
	Step        string              `json:"step"`
	Data        map[string]any      `json:"data,omitempty"`
	Clocks      []onedoor.CaseClock `json:"clocks,omitempty"`
	Departments []string            `json:"departments,omitempty"`
}

// OpenTasks are the case's open tasks.
func (s *CaseState) OpenTasks() []*onedoor.Task {
	var open []*onedoor.Task
	for i := range s.Tasks {
		if s.Tasks[i].Status == onedoor.TaskOpen {
			open = append(open, &s.Tasks[i])
		}
	}
	return open
}

// Case is the case workflow.
func Case(ctx workflow.Context, in CaseInput) (CaseState, error) {
	if in.Procedure == nil {
		return CaseState{}, temporal.NewNonRetryableApplicationError("a case needs its procedure", ErrInvalid, nil)
	}
	compiled, err := in.Procedure.Compile()
	if err != nil {
		return CaseState{}, temporal.NewNonRetryableApplicationError("the case's procedure does not compile: "+err.Error(), ErrInvalid, nil)
	}
	w := &caseWorkflow{
		in:       in,
		proc:     compiled,
		calendar: in.calendar(),
		state:    CaseState{Case: in.Case, Chain: in.Chain, Visits: max(1, in.Case.Visits)},
	}
	if in.Resume != nil {
		w.state, w.registered = *in.Resume, true
	}
	if err := w.register(ctx); err != nil {
		return w.state, err
	}

	workflow.Go(ctx, w.mirror)
	if !w.registered {
		if err := w.registerCase(ctx); err != nil {
			return w.state, err
		}
	}

	keep := w.has(ctx, changeDeadlineTimer)
	var timer deadlineTimer
	for w.state.Case.Status != onedoor.StatusClosed {
		if w.historyFull(ctx) {
			return w.continueAsNew(ctx)
		}
		next := w.nextDeadlineEvent()
		w.changed = false
		switch {
		case keep:
			timer.set(ctx, next)
			err = workflow.Await(ctx, func() bool { return w.changed || timer.fired() })
		case next.IsZero():
			err = workflow.Await(ctx, func() bool { return w.changed })
		default:
			_, err = workflow.AwaitWithTimeout(ctx, next.Sub(workflow.Now(ctx)), func() bool { return w.changed })
		}
		if err != nil {
			return w.state, err
		}
		if err := w.fireDeadlines(ctx); err != nil {
			return w.state, err
		}
	}
	// The resident may still evaluate the handling, and clerks record return visits (回访) as
	// notes, for AfterClose; then the case is final. Cases closed before version 1 of this
	// change ended at the evaluation: they replay as they ran.
	if !w.has(ctx, changeEvaluationWindow) {
		if _, err := workflow.AwaitWithTimeout(ctx, AfterClose, func() bool { return w.state.Case.Evaluation != nil }); err != nil {
			return w.state, err
		}
	} else if err := workflow.Sleep(ctx, AfterClose); err != nil {
		return w.state, err
	}
	// Let running update handlers finish and the read model catch up before the workflow completes.
	err = workflow.Await(ctx, w.settled(ctx))
	return w.state, err
}

// settled reports whether every update handler has finished, every event is mirrored and its
// notices are sent.
func (w *caseWorkflow) settled(ctx workflow.Context) func() bool {
	return func() bool {
		return workflow.AllHandlersFinished(ctx) && len(w.outbox) == 0 && !w.mirroring && w.sending == 0
	}
}

// registerCase opens the first step and records the new case: its first event, which creates
// its row in the read model.
func (w *caseWorkflow) registerCase(ctx workflow.Context) error {
	w.state.Case.Step = w.in.Procedure.StartStep()
	w.enterClocks(ctx, definitions.StartReceived)
	w.openStep(ctx, w.state.Case.Step, nil)
	w.taken = true
	if err := w.save(ctx, w.in.Case.CreatedBy, "register", w.registration()); err != nil {
		return err
	}
	// A matter registered after the fact (补录) may be due already: it says so at once.
	if next := w.nextDeadlineEvent(); !next.IsZero() && !next.After(workflow.Now(ctx)) {
		if err := w.fireDeadlines(ctx); err != nil {
			return err
		}
	}
	w.registered = true
	// Rules that move a case at once (a group level that always reports up) apply now.
	return w.afterChange(ctx, "system", "register")
}

// registration is the reason of the register event: empty for a matter registered on receipt.
func (w *caseWorkflow) registration() string {
	c := w.state.Case
	if c.RegisteredAt == nil {
		return gridOrigin(c)
	}
	return fmt.Sprintf("registered after the fact (补录): received %s; %s",
		c.ReceivedAt.In(definitions.Shanghai).Format("2006-01-02 15:04"), c.LateReason)
}

// gridOrigin says which grid system and which of its events a case posted through the grid
// API came from (its grid_event form's source and source_event_id), for the registration's
// audit entry; "" for any other case.
func gridOrigin(c onedoor.Case) string {
	src, _ := c.Data["source"].(string)
	id, _ := c.Data["source_event_id"].(string)
	if c.Channel != onedoor.ChannelGrid || src == "" || id == "" {
		return ""
	}
	return fmt.Sprintf("received from grid source %s, event %s", src, id)
}

// historyFull reports whether the case should continue as new: the server suggests it, or the
// history passed the case's limit.
func (w *caseWorkflow) historyFull(ctx workflow.Context) bool {
	info := workflow.GetInfo(ctx)
	limit := w.in.HistoryLimit
	if limit == 0 {
		limit = DefaultHistoryLimit
	}
	return info.GetContinueAsNewSuggested() || info.GetCurrentHistoryLength() > limit
}

// continueAsNew carries the state into a fresh run once every running action has finished and
// every event is mirrored.
func (w *caseWorkflow) continueAsNew(ctx workflow.Context) (CaseState, error) {
	if err := workflow.Await(ctx, w.settled(ctx)); err != nil {
		return w.state, err
	}
	next := w.in
	state := w.snapshot()
	next.Resume = &state
	// The new run starts on today's code: it asks for no change.
	next.Changes = CurrentChanges
	return w.state, workflow.NewContinueAsNewError(ctx, Case, next)
}

// mirrorOptions are the options of the mirror activity. Its attempts are retried for ever, with
// no overall deadline: the read model must catch up however long the database is away, and the
// workflow itself never waits for it.
var mirrorOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 30 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval: 500 * time.Millisecond, BackoffCoefficient: 2, MaximumInterval: 15 * time.Second,
		MaximumAttempts: 0, // unlimited
	},
}

// MirrorBatch is the most events one mirror activity carries, which keeps its input far below
// Temporal's payload limit when events pile up during a database outage.
const MirrorBatch = 10

// mirror writes the committed events of the outbox to the read model, a batch at a time and in
// order. It runs for the life of the workflow. An event enters the outbox in the workflow task
// that makes it, and the activity that writes it is scheduled by a later command of the same or
// a later task: it exists only once that task is committed, so the read model never shows a
// change the workflow does not have.
func (w *caseWorkflow) mirror(ctx workflow.Context) {
	ctx = workflow.WithActivityOptions(ctx, mirrorOptions)
	var a *activities.Activities
	for {
		if err := workflow.Await(ctx, func() bool { return len(w.outbox) > 0 }); err != nil {
			return
		}
		n := min(len(w.outbox), MirrorBatch)
		w.mirroring = true
		tasks, encoded := w.tasksToMirror(w.outbox[:n])
		in := activities.MirrorInput{Events: w.outbox[:n], Tasks: tasks}
		if in.Relay = w.has(ctx, changeOutboxRelay); !in.Relay {
			in.Send = w.has(ctx, changeNoticesInCase)
		}
		var sent activities.MirrorResult
		err := workflow.ExecuteActivity(ctx, a.Mirror, in).Get(ctx, &sent)
		w.mirroring = false
		for _, p := range sent.Pending {
			w.sending++
			workflow.Go(ctx, func(ctx workflow.Context) {
				defer func() { w.sending-- }()
				if err := sendNotices(ctx, p.IDs, sent.Retry); err != nil {
					// Each message's end is in the outbox (sent, or failed with why).
					workflow.GetLogger(ctx).Warn("notices not sent", "event", p.Seq, "error", err)
				}
			})
		}
		if err != nil {
			// Only cancellation ends an activity retried for ever; keep the events for the next run.
			workflow.GetLogger(ctx).Error("mirror failed", "error", err)
			if workflow.Sleep(ctx, time.Minute) != nil {
				return
			}
			continue
		}
		w.outbox = w.outbox[n:]
		if w.mirrored == nil {
			w.mirrored = map[string]string{}
		}
		maps.Copy(w.mirrored, encoded)
	}
}

// tasksToMirror are the tasks a mirror of events writes: those not yet in the read model as
// they are now (every task, at the first mirror of a run) and those a notification of the
// events names, whose notices quote them; with each one's encoding, to remember once written.
// A note, which changes no task, writes none: a case's closed tasks are not written again at
// every event.
func (w *caseWorkflow) tasksToMirror(events []activities.Event) ([]onedoor.Task, map[string]string) {
	named := map[string]bool{}
	for _, e := range events {
		for _, n := range e.Notifications {
			if n.TaskID != "" {
				named[n.TaskID] = true
			}
		}
	}
	var out []onedoor.Task
	encoded := map[string]string{}
	for _, t := range w.state.Tasks {
		b, err := json.Marshal(t)
		if err == nil && w.mirrored[t.ID] == string(b) && !named[t.ID] {
			continue
		}
		out = append(out, t)
		if err == nil {
			encoded[t.ID] = string(b)
		}
	}
	return out, encoded
}

type caseWorkflow struct {
	in         CaseInput
	proc       *definitions.Compiled
	calendar   *definitions.Calendar
	state      CaseState
	registered bool
	// changed wakes the main loop to recompute its next deadline.
	changed bool
	// pending are notifications to write with the next save.
	pending []onedoor.Notification
	// post is the post of the user whose action the next save records (onedoor.Post.Key).
	post string
	// taken is set when a level has just taken the case, whose accept rule is then applied.
	taken bool
	// failures are the rules that failed to run during the change being made, recorded with it.
	failures []string
	// outbox are the events not yet written to the read model, oldest first; mirroring is set
	// while an activity writes some of them.
	outbox    []activities.Event
	mirroring bool
	// sending counts the events whose outbox messages are being sent (changeNoticesInCase).
	sending int
	// upserted are the search attributes the workflow last upserted in this run.
	upserted *searchAttributes
	// mirrored are the tasks as this run last wrote them to the read model, encoded, by id.
	mirrored map[string]string
}

// searchAttributes are the values of the case's search attributes (a zero due: unset).
type searchAttributes struct {
	matter, level, orgUnit, status string
	due                            string // RFC 3339, empty when unset
}

func (w *caseWorkflow) register(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (CaseState, error) { return w.snapshot(), nil }); err != nil {
		return err
	}
	if err := workflow.SetQueryHandler(ctx, QueryAllowed, func(u onedoor.User) ([]Offer, error) { return w.offers(u), nil }); err != nil {
		return err
	}
	if err := w.registerMigration(ctx); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandler(ctx, UpdateOpen, func(ctx workflow.Context) (CaseState, error) {
		if err := workflow.Await(ctx, func() bool { return w.registered }); err != nil {
			return CaseState{}, err
		}
		return w.snapshot(), nil
	}); err != nil {
		return err
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, UpdateAction,
		func(ctx workflow.Context, act Action) (CaseState, error) {
			if err := workflow.Await(ctx, func() bool { return w.registered }); err != nil {
				return CaseState{}, err
			}
			// The state may have moved while this update waited: check again.
			if err := w.validate(act); err != nil {
				return CaseState{}, err
			}
			if err := w.apply(ctx, act); err != nil {
				return CaseState{}, err
			}
			return w.snapshot(), nil
		},
		workflow.UpdateHandlerOptions{Validator: func(act Action) error { return w.validate(act) }},
	)
}

// snapshot is a copy of the state that later changes do not reach.
func (w *caseWorkflow) snapshot() CaseState {
	s := w.state
	s.Tasks = slices.Clone(s.Tasks)
	s.Chain = slices.Clone(s.Chain)
	s.Departments = slices.Clone(s.Departments)
	s.Case = cloneCase(s.Case)
	if s.Withdrawable != nil {
		wd := *s.Withdrawable
		s.Withdrawable = &wd
	}
	return s
}

// cloneCase is a copy of a case that later changes of the workflow's state do not reach.
func cloneCase(c onedoor.Case) onedoor.Case {
	c.Data = maps.Clone(c.Data)
	c.Supervision = slices.Clone(c.Supervision)
	c.Clocks = slices.Clone(c.Clocks)
	for i := range c.Clocks {
		c.Clocks[i].Suspensions = slices.Clone(c.Clocks[i].Suspensions)
	}
	c.Links = slices.Clone(c.Links)
	return c
}

// level is the level holding the case.
func (w *caseWorkflow) level() definitions.Level { return w.state.Chain[0].Level }

// env is what the rules see of the case now.
func (w *caseWorkflow) env(ctx workflow.Context, data map[string]any) *definitions.Env {
	return w.envAt(workflow.Now(ctx), data)
}

// envAt is the rule environment as of now. Update validators have no workflow clock: they pass
// the time of the case's last change.
func (w *caseWorkflow) envAt(now time.Time, data map[string]any) *definitions.Env {
	c := w.state.Case
	if data == nil {
		data = c.Data
	}
	env := &definitions.Env{
		Matter: string(c.Matter), Procedure: c.ProcedureKey, Step: c.Step,
		Level: string(w.level()), LevelRank: w.level().Rank(), OrgUnit: c.OrgUnit,
		Data:         w.proc.Procedure.Form.Complete(data),
		ElapsedHours: now.Sub(c.ReceivedAt).Hours(), ElapsedDays: int(now.Sub(c.ReceivedAt).Hours() / 24),
		Escalations: c.Escalations, Returns: w.state.Returns, Transfers: w.state.Transfers,
		Visits: w.state.Visits, Departments: w.state.Departments,
	}
	for _, t := range w.state.OpenTasks() {
		env.Extensions = max(env.Extensions, t.Extensions)
		env.Suspended = env.Suspended || t.Suspended
		env.Overdue = env.Overdue || t.Overdue || t.AckOverdue
		if t.DueAt != nil {
			r := t.DueAt.Sub(now).Hours()
			if env.RemainingHours == 0 || r < env.RemainingHours {
				env.RemainingHours = r
			}
		}
	}
	fv, err := w.proc.FirstVisit(w.level(), env)
	env.FirstVisit = err == nil && fv
	return env
}

// openStep opens the tasks of a step at the case's current level: one for the role that holds
// it, or one per department when the step is held by the departments the case was diverted to.
func (w *caseWorkflow) openStep(ctx workflow.Context, stepID string, departments []string) {
	step, _ := w.proc.Procedure.Step(stepID)
	w.state.Case.Step = stepID
	w.enterClocks(ctx, stepID)
	unit := w.state.Chain[0]
	base := onedoor.Task{
		Kind: onedoor.TaskStep, Step: stepID, Name: step.Name, Level: unit.Level, Status: onedoor.TaskOpen,
		Priority: "normal", OpenedAt: workflow.Now(ctx), WaitsOn: step.WaitsOn,
	}
	switch {
	case step.Assignee.Diverted && len(departments) == 0:
		// No department was named and the diversion rule gave none: the unit's clerk holds the
		// step rather than nobody.
		t := base
		t.OrgUnit, t.Role = unit.Code, string(onedoor.RoleClerk)
		w.addTask(ctx, t)
		w.ruleFailed(ctx, fmt.Sprintf("step %s goes to departments but none was named or given by the %s level's diversion rule: the clerk of %s holds it", stepID, unit.Level, unit.Code))
	case step.Assignee.Diverted:
		for _, d := range departments {
			t := base
			t.Role, t.Department = definitions.RoleDepartment, d
			w.addTask(ctx, t)
		}
	case step.Assignee.Department != "":
		t := base
		t.Role, t.Department = definitions.RoleDepartment, step.Assignee.Department
		w.addTask(ctx, t)
	default:
		holder := w.unitAt(step.Assignee.Level)
		t := base
		t.OrgUnit, t.Level, t.Role = holder.Code, holder.Level, step.Assignee.Role
		w.addTask(ctx, t)
	}
}

// canClimb reports whether there is a level above the case's to escalate to: the chain goes on
// above it and the next unit is of the chain, not the city or province above the county (they
// supervise; they handle no case).
func (w *caseWorkflow) canClimb() bool {
	return len(w.state.Chain) > 1 && !w.state.Chain[1].Level.Above()
}

// unitAt is the org unit of the case's chain at level l, which holds a step assigned to that
// level (a town supervisor approving a village's handling): on the chain above the unit holding
// the case, else on the chain of the unit that received it. It is the unit holding the case
// when l is empty or on neither chain.
func (w *caseWorkflow) unitAt(l definitions.Level) definitions.OrgUnit {
	if l != "" {
		for _, chain := range [][]definitions.OrgUnit{w.state.Chain, w.in.Chain} {
			for _, u := range chain {
				if u.Level == l {
					return u
				}
			}
		}
	}
	return w.state.Chain[0]
}

func (w *caseWorkflow) addTask(ctx workflow.Context, t onedoor.Task) {
	t.ID = fmt.Sprintf("t%d", len(w.state.Tasks)+1)
	w.summon(&t)
	if t.Period != nil {
		// A deadline given with the task (a conference's decision), not the step's.
		t.CountFrom = t.OpenedAt
		w.schedule(&t)
		w.state.Tasks = append(w.state.Tasks, t)
		return
	}
	dl, period, ok, err := w.proc.Deadline(t.Step, t.Level, w.env(ctx, nil))
	if err != nil {
		// A task never goes without a deadline because its rule failed: it gets the safe
		// default, and the failure is recorded and reported.
		period, ok = SafeDeadline, true
		dl.Basis = "safe default after a failed deadline rule"
		w.ruleFailed(ctx, fmt.Sprintf("the deadline rule of step %s at the %s level failed (%v): task %s is due in %s", t.Step, t.Level, err, t.ID, SafeDeadline))
	}
	if ok {
		t.Period = &period
		t.Basis = dl.Basis
		t.CountFrom = t.OpenedAt
		if dl.From == definitions.FromReceived {
			t.CountFrom = w.state.Case.ReceivedAt
		}
		w.schedule(&t)
	}
	w.state.Tasks = append(w.state.Tasks, t)
}

// summon gives a task held by an on-call department the department's response deadline: it
// must report in (吹哨报到) or the task is flagged and the supervisors told.
func (w *caseWorkflow) summon(t *onedoor.Task) {
	if t.Department == "" {
		return
	}
	for _, d := range w.in.Departments {
		if d.Code == t.Department && d.Mode == definitions.StationOnCall && d.ResponseHours > 0 {
			at := t.OpenedAt.Add(time.Duration(d.ResponseHours) * time.Hour)
			t.AckDueAt = &at
		}
	}
}

// schedule computes a task's due date from its period and suspensions, and when to warn: when a
// fifth of the time is left.
func (w *caseWorkflow) schedule(t *onedoor.Task) {
	if t.Period == nil {
		return
	}
	due := w.calendar.Due(t.CountFrom, *t.Period, t.Suspensions...)
	at := due.At
	if c := w.bindingClock(at); c != nil {
		// The step's deadline is an internal target under the case's statutory period.
		at = c.DueAt
		when := at.In(definitions.Shanghai).Format("2006-01-02 15:04")
		due.Explanation.Notes = append(due.Explanation.Notes, fmt.Sprintf("due %s instead, the end of the statutory period %s (%s)", when, c.Name, c.Basis))
		due.Explanation.Summary += fmt.Sprintf("; capped at %s, the end of the statutory period %s (%s)", when, c.Name, c.Basis)
		due.Explanation.SummaryZH += fmt.Sprintf("；法定期限“%s”（%s）于%s届满，以此为准", c.Name, c.Basis, definitions.MomentZH(at))
	}
	warn := at.Add(-at.Sub(t.CountFrom) / 5)
	t.DueAt, t.WarnAt, t.Explanation = &at, &warn, &due.Explanation
}

// refresh recomputes the case's summary of its open tasks: the earliest due date and whether any
// is overdue.
func (w *caseWorkflow) refresh() {
	c := &w.state.Case
	c.DueAt, c.Overdue = nil, false
	for _, t := range w.state.OpenTasks() {
		if t.DueAt != nil && !t.Suspended && (c.DueAt == nil || t.DueAt.Before(*c.DueAt)) {
			d := *t.DueAt
			c.DueAt = &d
		}
		c.Overdue = c.Overdue || t.Overdue || t.AckOverdue
	}
	for _, k := range c.Clocks {
		c.Overdue = c.Overdue || (k.Running() && k.Overdue)
	}
}

// save records an event that changed the case: it numbers it and puts it in the outbox, from
// which the mirror writes it to the read model and the audit log once it is committed. The case
// before the event is the case after the one before, as the audit log shows it.
func (w *caseWorkflow) save(ctx workflow.Context, actor, action, reason string) error {
	if action == ActRuleFailed {
		if len(w.failures) == 0 {
			return nil
		}
		reason = strings.Join(w.failures, "; ")
		w.failures = nil
	}
	w.refresh()
	w.state.Seq++
	now := workflow.Now(ctx)
	w.state.Case.UpdatedAt = now
	w.changed = true
	w.outbox = append(w.outbox, activities.Event{
		Seq: w.state.Seq, At: now, Actor: actor, Post: w.post, Action: action, Reason: reason,
		After: cloneCase(w.state.Case), Notifications: w.pending,
	})
	w.pending, w.post = nil, ""
	if len(w.failures) > 0 && action != ActRuleFailed {
		// A rule that failed while the event was made is an event of its own, right after it.
		return w.save(ctx, "system", ActRuleFailed, "")
	}
	return w.upsertSearchAttributes(ctx)
}

// ActRuleFailed is the audit action of a rule that failed to run: what failed, and the safe
// default the case took instead.
const ActRuleFailed = "rule_failed"

// SafeDeadline is the deadline a task gets when its deadline rule fails: the shortest of the
// statutory periods (信访工作条例 Art.22: 15 days to decide on acceptance), counted in working days.
var SafeDeadline = definitions.Workdays(15)

// ruleFailed records a rule that failed to run, for the event being made, and tells the
// supervisors of the unit holding the case and of its parent.
func (w *caseWorkflow) ruleFailed(ctx workflow.Context, msg string) {
	w.failures = append(w.failures, msg)
	units := w.state.Chain
	if len(units) > 2 {
		units = units[:2]
	}
	for _, u := range units {
		w.pending = append(w.pending, onedoor.Notification{
			OrgUnit: u.Code, Role: definitions.RoleSupervisor, Kind: "rule_failed", CaseID: w.state.Case.ID,
			Message: w.state.Case.Number + ": " + msg, At: workflow.Now(ctx),
		})
	}
}

func (w *caseWorkflow) upsertSearchAttributes(ctx workflow.Context) error {
	c := w.state.Case
	now := searchAttributes{matter: string(c.Matter), level: string(c.Level), orgUnit: c.OrgUnit, status: string(c.Status)}
	if c.DueAt != nil {
		now.due = c.DueAt.UTC().Format(time.RFC3339Nano)
	}
	same := w.upserted != nil && *w.upserted == now
	w.upserted = &now
	if same && w.has(ctx, changeSameSearchAttributes) {
		return nil
	}
	due := SADueAt.ValueUnset()
	if c.DueAt != nil {
		due = SADueAt.ValueSet(*c.DueAt)
	}
	return workflow.UpsertTypedSearchAttributes(ctx,
		SAMatter.ValueSet(string(c.Matter)),
		SALevel.ValueSet(string(c.Level)),
		SAOrgUnit.ValueSet(c.OrgUnit),
		SAStatus.ValueSet(string(c.Status)),
		due,
	)
}

// nextDeadlineEvent is the earliest warning or due time of an open, running task still to fire.
func (w *caseWorkflow) nextDeadlineEvent() time.Time {
	var next time.Time
	consider := func(t *time.Time) {
		if t != nil && (next.IsZero() || t.Before(next)) {
			next = *t
		}
	}
	for _, t := range w.state.OpenTasks() {
		if t.Suspended {
			consider(t.ResumeAt)
			continue
		}
		if !t.Warned {
			consider(t.WarnAt)
		}
		if !t.Overdue {
			consider(t.DueAt)
		}
		if !t.Acknowledged && !t.AckOverdue {
			consider(t.AckDueAt)
		}
	}
	for i := range w.state.Case.Supervision {
		if o := &w.state.Case.Supervision[i]; o.RepliedAt == nil && !o.Overdue {
			consider(&o.DueAt)
		}
	}
	for i := range w.state.Case.Clocks {
		if c := &w.state.Case.Clocks[i]; c.Running() && !c.Suspended && !c.Overdue {
			consider(&c.DueAt)
		}
	}
	consider(w.nextReminder())
	return next
}

// fireDeadlines flags the tasks whose warning or due time has come, notifies the supervisors of
// the org unit and its parent, and applies the level's escalation rule.
func (w *caseWorkflow) fireDeadlines(ctx workflow.Context) error {
	if err := w.remind(ctx); err != nil {
		return err
	}
	now := workflow.Now(ctx)
	var resumed []string
	for _, t := range w.state.OpenTasks() {
		if t.Suspended && t.ResumeAt != nil && !now.Before(*t.ResumeAt) {
			w.resume(t, now, "the suspension reached the step's longest allowed")
			resumed = append(resumed, "「"+t.Name+"」")
		}
	}
	if len(resumed) > 0 {
		if err := w.save(ctx, "system", "resume", "中止计时已达最长期限，恢复计时："+strings.Join(resumed, "、")); err != nil {
			return err
		}
	}
	var warned, overdue, late, lapsed []string
	// A warning more than this late came after the center was down: the record says so.
	const lateBy = 5 * time.Minute
	for _, t := range w.state.OpenTasks() {
		if t.Suspended {
			continue
		}
		if !t.Overdue && t.DueAt != nil && !now.Before(*t.DueAt) {
			if !t.Warned && t.WarnAt != nil {
				late = append(late, w.lateWarning(t))
			}
			t.Overdue, t.Warned, t.Priority = true, true, "urgent"
			overdue = append(overdue, "「"+t.Name+"」")
			if w.has(ctx, changeOverdueOrder) {
				w.orderOverdue(ctx, t)
			}
			w.notify(ctx, t, "overdue", fmt.Sprintf("%s：环节「%s」已于 %s 逾期", w.state.Case.Number, t.Name, shanghai(*t.DueAt)))
		} else if !t.Warned && t.WarnAt != nil && !now.Before(*t.WarnAt) {
			if now.Sub(*t.WarnAt) > lateBy {
				late = append(late, w.lateWarning(t))
			}
			t.Warned, t.Priority = true, "high"
			warned = append(warned, "「"+t.Name+"」")
			w.notify(ctx, t, "warning", fmt.Sprintf("%s：环节「%s」将于 %s 到期", w.state.Case.Number, t.Name, shanghai(*t.DueAt)))
		}
	}
	for _, t := range w.state.OpenTasks() {
		if !t.Acknowledged && !t.AckOverdue && t.AckDueAt != nil && !now.Before(*t.AckDueAt) {
			t.AckOverdue, t.Priority = true, "urgent"
			overdue = append(overdue, "「"+t.Name+"」报到")
			w.notify(ctx, t, "overdue", fmt.Sprintf("%s：部门 %s 未在 %s 前报到", w.state.Case.Number, t.Department, shanghai(*t.AckDueAt)))
		}
	}
	for i := range w.state.Case.Supervision {
		o := &w.state.Case.Supervision[i]
		if o.RepliedAt == nil && !o.Overdue && !now.Before(o.DueAt) {
			o.Overdue = true
			lapsed = append(lapsed, o.ID)
			w.notifyUnits(ctx, "", "supervision", fmt.Sprintf("%s：督办 %s 未在 %s 前答复", w.state.Case.Number, o.ID, shanghai(o.DueAt)))
		}
	}
	overdue = append(overdue, w.clocksOverdue(ctx, now)...)
	if len(warned) == 0 && len(overdue) == 0 && len(lapsed) == 0 {
		return nil
	}
	// A lapsed supervision order is not a missed deadline of the case: it has its own action, so
	// that the statistics' overdue count agrees with the board and the search.
	action := "deadline_warning"
	switch {
	case len(overdue) > 0:
		action = "deadline_overdue"
	case len(lapsed) > 0 && len(warned) == 0:
		action = "supervision_overdue"
	}
	// The record is read by clerks: in Chinese, the steps by name.
	var parts []string
	if len(overdue) > 0 {
		parts = append(parts, "逾期："+strings.Join(overdue, "、"))
	}
	if len(warned) > 0 {
		parts = append(parts, "临期："+strings.Join(warned, "、"))
	}
	if len(lapsed) > 0 {
		parts = append(parts, "督办未答复："+strings.Join(lapsed, "、"))
	}
	reason := strings.Join(append(parts, late...), "；")
	if err := w.save(ctx, "system", action, reason); err != nil {
		return err
	}
	return w.afterChange(ctx, "system", action)
}

// lateWarning says why a task's due-soon warning comes late: the matter was registered after
// the moment had passed, or the center was down when it came.
func (w *caseWorkflow) lateWarning(t *onedoor.Task) string {
	at := shanghai(*t.WarnAt)
	if r := w.state.Case.RegisteredAt; r != nil && t.WarnAt.Before(*r) {
		return fmt.Sprintf("「%s」的临期提醒时间 %s 早于登记时间", t.Name, at)
	}
	return fmt.Sprintf("「%s」的临期提醒未按时发出（应于 %s 发出，其时系统未运行）", t.Name, at)
}

// orderOverdue issues the supervision order an overdue task brings to its holder: an answer is
// due within OverdueOrderWithin, and an order not answered is flagged in its turn. Whether the
// case moves up is a supervisor's decision or the holder's report, unless the level's rule says.
func (w *caseWorkflow) orderOverdue(ctx workflow.Context, t *onedoor.Task) {
	now := workflow.Now(ctx)
	due := w.calendar.Due(now, OverdueOrderWithin)
	unit := t.OrgUnit
	if unit == "" {
		unit = w.state.Case.OrgUnit
	}
	w.state.Case.Supervision = append(w.state.Case.Supervision, onedoor.SupervisionOrder{
		ID: fmt.Sprintf("s%d", len(w.state.Case.Supervision)+1), By: "system", OrgUnit: unit, At: now, DueAt: due.At,
		Reason: fmt.Sprintf("逾期督办：%s办理的环节「%s」已于 %s 逾期，请于 %s 前答复", w.holderName(t), t.Name,
			shanghai(*t.DueAt), shanghai(due.At)),
	})
}

// notify addresses the supervisors of the case's org unit and of its parent, and the staff of the
// department that holds the task, if one does.
func (w *caseWorkflow) notify(ctx workflow.Context, t *onedoor.Task, kind, msg string) {
	w.notifyUnits(ctx, t.ID, kind, msg)
	if t.Department != "" {
		w.pending = append(w.pending, onedoor.Notification{
			Department: t.Department, Role: definitions.RoleDepartment, Kind: kind, CaseID: w.state.Case.ID,
			TaskID: t.ID, Message: msg, At: workflow.Now(ctx),
		})
	}
}

// notifyUnits addresses the supervisors of the case's org unit and of its parent.
func (w *caseWorkflow) notifyUnits(ctx workflow.Context, taskID, kind, msg string) {
	units := w.state.Chain
	if len(units) > 2 {
		units = units[:2]
	}
	for _, u := range units {
		w.pending = append(w.pending, onedoor.Notification{
			OrgUnit: u.Code, Role: definitions.RoleSupervisor, Kind: kind, CaseID: w.state.Case.ID,
			TaskID: taskID, Message: msg, At: workflow.Now(ctx),
		})
	}
}

// afterChange applies the escalation rule of the level holding the case, repeatedly, so that a
// case climbs as many levels as the rules say, one recorded move at a time.
func (w *caseWorkflow) afterChange(ctx workflow.Context, actor, cause string) error {
	for w.state.Case.Status == onedoor.StatusOpen && w.canClimb() {
		up, err := w.proc.Escalate(w.level(), w.env(ctx, nil))
		if err != nil {
			// The case stays where it is, and the supervisors hear why.
			w.ruleFailed(ctx, fmt.Sprintf("the %s level's escalation rule failed (%v): the case stays at %s", w.level(), err, w.state.Case.OrgUnit))
			if err := w.save(ctx, "system", ActRuleFailed, ""); err != nil {
				return err
			}
			break
		}
		if !up {
			break
		}
		from := w.state.Chain[0]
		w.moveUp(ctx)
		if err := w.save(ctx, actor, "escalate", fmt.Sprintf("the %s level's escalation rule holds (after %s)", from.Level, cause)); err != nil {
			return err
		}
	}
	return w.checkAccept(ctx)
}

// OutcomeNotAccepted is the outcome of a case that the level holding it may not accept.
const OutcomeNotAccepted = "not_accepted"

// checkAccept applies the accept rule of the level that has just taken the case, at intake or
// by a move up, once the case has climbed as far as the rules take it: a level that may not
// accept the case (信访工作条例 Art.19: the same matter is being handled below) closes it as not
// accepted, saying which rule, and tells its supervisors, who tell the resident.
func (w *caseWorkflow) checkAccept(ctx workflow.Context) error {
	taken := w.taken
	w.taken = false
	if !taken || w.state.Case.Status != onedoor.StatusOpen {
		return nil
	}
	ok, err := w.proc.Accept(w.level(), w.env(ctx, nil))
	if err != nil {
		w.ruleFailed(ctx, fmt.Sprintf("the %s level's accept rule failed (%v): the case is accepted", w.level(), err))
		return w.save(ctx, "system", ActRuleFailed, "")
	}
	if ok {
		return nil
	}
	why := fmt.Sprintf("the %s level's accept rule says no: %s", w.level(), w.in.Procedure.Levels[w.level()].Accept)
	w.closeCase(ctx, OutcomeNotAccepted, "system", why)
	w.notifyUnits(ctx, "", OutcomeNotAccepted, w.state.Case.Number+": not accepted, "+why)
	// A close whose reason starts with its outcome, as the statistics read it.
	return w.save(ctx, "system", string(ActClose), OutcomeNotAccepted+" "+why)
}

// moveUp moves the case to the parent org unit: the open tasks are cancelled and the current
// step opens again at the new level, with that level's deadlines.
func (w *caseWorkflow) moveUp(ctx workflow.Context) {
	w.taken = true
	w.cancelOpen(ctx, "escalated")
	from := w.state.Chain[0]
	w.state.Chain = w.state.Chain[1:]
	w.state.Case.Escalations++
	w.enterLevel()
	w.openStep(ctx, w.state.Case.Step, w.state.Departments)
	w.notifyEscalated(ctx, from)
}

// notifyEscalated tells the supervisors of the unit a case left and of the unit it reached.
func (w *caseWorkflow) notifyEscalated(ctx workflow.Context, from definitions.OrgUnit) {
	to := w.state.Chain[0]
	msg := fmt.Sprintf("%s escalated from %s to %s", w.state.Case.Number, from.Name, to.Name)
	for _, u := range []string{from.Code, to.Code} {
		w.pending = append(w.pending, onedoor.Notification{
			OrgUnit: u, Role: definitions.RoleSupervisor, Kind: "escalated", CaseID: w.state.Case.ID, Message: msg, At: workflow.Now(ctx),
		})
	}
}

// enterLevel points the case at the head of the chain.
func (w *caseWorkflow) enterLevel() {
	w.state.Case.OrgUnit, w.state.Case.Level = w.state.Chain[0].Code, w.state.Chain[0].Level
}

func (w *caseWorkflow) cancelOpen(ctx workflow.Context, why string) {
	now := workflow.Now(ctx)
	for _, t := range w.state.OpenTasks() {
		t.Status, t.Result, t.ClosedAt = onedoor.TaskCancelled, why, &now
	}
}

// closingOutcome reports whether a close may name outcome: a result kind, or an outcome id of
// the procedure, so that the statistics know what the closing means.
func (w *caseWorkflow) closingOutcome(outcome string) bool {
	if definitions.Kind(outcome).Result() {
		return true
	}
	for _, s := range w.proc.Procedure.Steps {
		if _, ok := s.Outcome(outcome); ok {
			return true
		}
	}
	return false
}

func resultKinds() []string {
	var out []string
	for _, k := range definitions.Kinds {
		if k.Result() {
			out = append(out, string(k))
		}
	}
	return out
}

// shanghai writes an instant as the center's clocks show it, to the minute.
func shanghai(t time.Time) string { return t.In(definitions.Shanghai).Format("2006-01-02 15:04") }

// holderName says in Chinese who holds a task: the department, or the role at the unit (by
// its name when the case's chain has it).
func (w *caseWorkflow) holderName(t *onedoor.Task) string {
	if t.Department != "" {
		return "部门 " + t.Department
	}
	unit := t.OrgUnit
	for _, u := range w.state.Chain {
		if u.Code == t.OrgUnit && u.Name != "" {
			unit = u.Name
		}
	}
	role := map[string]string{"clerk": "窗口受理员", "supervisor": "督办员"}[t.Role]
	if role == "" {
		role = t.Role
	}
	return unit + role
}
