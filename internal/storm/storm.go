// Package storm is the midnight timer storm of issue 15: every due date ends at 24:00 Beijing
// time, so at a nation's scale thousands of deadlines fall due in the same minute. A campaign
// opens N cases through the API of an `onedoor dev` whose deadlines all expire at the same
// instant, then measures how late each overdue flag and the escalation it brings land in the read
// model (and in the workflows' own clock), that none is missed, what clerks' requests cost during
// the storm beside a quiet period before it, and the center's CPU and memory.
//
// The cases are registered after the fact (补录) with one receipt time, on a procedure whose
// village step is due a whole number of minutes after receipt and whose village level escalates
// an overdue case to the town: every case's deadline is the same instant, whatever minute its
// registration took place in.
package storm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onedoor/onedoor/internal/devcenter"
)

// Config is one campaign.
type Config struct {
	// Bin is the onedoor binary; Dir a folder of the campaign's own (PostgreSQL, the center's
	// data and log).
	Bin, Dir string
	// Cases is how many cases fall due at once (20,000 on one dev node in issue 15).
	Cases int
	// Clients register the cases at once; Rate is the registrations per second the campaign
	// expects, which sizes the time between the receipt and the due minute.
	Clients int
	Rate    float64
	// Readers are clerks who each, once a second, read their queue and a case and write a note,
	// from before the storm until it is over.
	Readers int
	// Quiet is the time before the due instant in which no case is registered and the readers'
	// requests are timed as the baseline of the storm's (a minute by default).
	Quiet time.Duration
	// Settle is how long after the due instant the campaign waits for every case to escalate: by
	// default ten minutes, or twice the registrations' expected time when longer (a dev node
	// saturated by the storm escalates cases about as fast as it registered them).
	Settle time.Duration
	// DevArgs are added to `onedoor dev`'s flags: the worker's tuning (--sticky-cache, …).
	DevArgs []string
	// Log receives the campaign's progress.
	Log io.Writer
}

// Defaults is the campaign of issue 15 on one dev node.
func Defaults() Config {
	// 21 to 25 registrations a second on the project's two-core machine, falling as the center
	// fills: a campaign that expects more than it gets runs into its own due instant.
	return Config{Cases: 20_000, Clients: 16, Rate: 18, Readers: 4, Quiet: time.Minute}
}

// campaign is a running Config.
type campaign struct {
	cfg    Config
	center *devcenter.Center
	db     *pgxpool.Pool
	tokens map[string]string
	rep    *Report
}

func (c *campaign) logf(format string, args ...any) {
	if c.cfg.Log != nil {
		fmt.Fprintf(c.cfg.Log, format+"\n", args...)
	}
}

// Run runs the campaign. Its error is the campaign's own failure (a center that would not start,
// registrations that took longer than the window); what it measured, and what the center
// missed, is in the report.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Bin == "" || cfg.Dir == "" || cfg.Cases <= 0 {
		return nil, errors.New("storm: Bin, Dir and Cases are required")
	}
	d := Defaults()
	if cfg.Clients <= 0 {
		cfg.Clients = d.Clients
	}
	if cfg.Rate <= 0 {
		cfg.Rate = d.Rate
	}
	if cfg.Quiet <= 0 {
		cfg.Quiet = d.Quiet
	}
	expected := time.Duration(float64(cfg.Cases) / cfg.Rate * float64(time.Second))
	if cfg.Settle <= 0 {
		cfg.Settle = max(10*time.Minute, 2*expected)
	}
	c := &campaign{cfg: cfg, tokens: map[string]string{}, rep: &Report{Config: cfg}}
	c.logf("starting PostgreSQL")
	pg, err := devcenter.Postgres(ctx, cfg.Dir)
	if err != nil {
		return nil, err
	}
	defer func() { _ = pg.Stop(context.WithoutCancel(ctx)) }()
	c.center = &devcenter.Center{
		Bin: cfg.Bin, Data: filepath.Join(cfg.Dir, "center"), LogPath: filepath.Join(cfg.Dir, "center.log"),
		DatabaseURL: pg.URL("postgres"), Args: cfg.DevArgs,
	}
	if err := devcenter.Launch(ctx, c.center, c.logf); err != nil {
		return nil, err
	}
	defer c.center.Stop()
	if c.db, err = pgxpool.New(ctx, pg.URL("postgres")); err != nil {
		return nil, err
	}
	defer c.db.Close()
	for _, u := range []string{"admin", "clerk-sarula", "clerk-galutu"} {
		if c.tokens[u], err = c.center.Token(u); err != nil {
			return nil, err
		}
	}
	procs := processes{center: c.center.Pid(), postgres: postmaster(filepath.Join(cfg.Dir, "postgres"))}
	c.rep.IdleRSS = procs.sample().centerRSS

	// The due instant leaves time to register the cases at the expected rate, with a fifth more
	// and half a minute to spare, and then the quiet period; the receipt is as many whole minutes
	// before it as reach back past now, so it is never in the future.
	due := time.Now().Add(expected + expected/5 + 30*time.Second + cfg.Quiet).Truncate(time.Second)
	minutes := int(math.Ceil(time.Until(due).Minutes()))
	received := due.Add(-time.Duration(minutes) * time.Minute)
	c.rep.Due = due
	if err := c.publish(ctx, minutes); err != nil {
		return c.rep, err
	}
	c.logf("storm: %d cases received at %s, all due at %s (%d minutes later); %d clients register them",
		cfg.Cases, received.Format(time.TimeOnly), due.Format(time.TimeOnly), minutes, cfg.Clients)

	own, err := c.readerCases(ctx)
	if err != nil {
		return c.rep, err
	}
	if err := c.register(ctx, received, due.Add(-cfg.Quiet)); err != nil {
		return c.rep, err
	}

	// From here on: the read model is watched, the center measured and clerks work.
	watchCtx, stopWatching := context.WithCancel(ctx)
	defer stopWatching()
	var wg sync.WaitGroup
	var samples []sample
	wg.Go(func() { samples = procs.watch(watchCtx) })
	var calls []call
	var callsMu sync.Mutex
	for i := range c.cfg.Readers {
		wg.Go(func() {
			got := c.read(watchCtx, own[i])
			callsMu.Lock()
			calls = append(calls, got...)
			callsMu.Unlock()
		})
	}
	seen := c.watch(ctx, due)
	stopWatching()
	wg.Wait()

	c.rep.measure(seen, calls, samples, due)
	if err := c.workflowTimes(ctx); err != nil {
		return c.rep, err
	}
	if err := c.messages(ctx); err != nil {
		return c.rep, err
	}
	return c.rep, nil
}

// stormProcedure is a mediation whose village step is due the given minutes after receipt, and
// a month after receipt at the levels above; an overdue case leaves the village for the town.
const stormProcedure = `
key: storm
matter: mediation
name: 同时到期（压力测试）
name_en: Due at once (load test)
version: 1
status: draft
form:
  - {name: facts, label: 事实, label_en: Facts, type: long_text, required: true, min_length: 2, max_length: 500}
steps:
  - id: mediate
    name: 调解
    name_en: Mediate
    assignee: {role: clerk}
    deadline: {expr: 'level == "village" ? minutes(%d) : days(30)', from: received}
    outcomes:
      - {id: settled, name: 调解成功, name_en: Settled, next: end, kind: mediated_success}
      - {id: failed, name: 调解不成, name_en: Failed, next: end, kind: mediated_failure}
levels:
  village:
    escalate: overdue
`

// publish stores and publishes the storm procedure.
func (c *campaign) publish(ctx context.Context, minutes int) error {
	yaml := fmt.Sprintf(stormProcedure, minutes)
	status, body, err := c.do(ctx, http.MethodPost, "/v1/procedures", "admin", "", map[string]any{"yaml": yaml})
	if err != nil || status != http.StatusCreated {
		return fmt.Errorf("storm: create the procedure: %d %v %s", status, err, body)
	}
	status, body, err = c.do(ctx, http.MethodPost, "/v1/procedures/storm/versions/1/publish", "admin", "", nil)
	if err != nil || status != http.StatusOK {
		return fmt.Errorf("storm: publish the procedure: %d %v %s", status, err, body)
	}
	return nil
}

// register opens the cases, each with its own Idempotency-Key and retried until answered 201,
// and fails when the last is not registered by the deadline.
func (c *campaign) register(ctx context.Context, received, deadline time.Time) error {
	start := time.Now()
	var next, done atomic.Int64
	var failed atomic.Pointer[error]
	var wg sync.WaitGroup
	for range c.cfg.Clients {
		wg.Go(func() {
			for {
				i := int(next.Add(1))
				if i > c.cfg.Cases || failed.Load() != nil || ctx.Err() != nil {
					return
				}
				body := map[string]any{
					"matter": "mediation", "procedure": "storm", "channel": "visit",
					"subject": fmt.Sprintf("同时到期 %d：草场边界纠纷", i), "resident_name": "李四",
					"received_at": received, "late_reason": "压力测试：同一时刻到期",
					"data": map[string]any{"facts": "邻居占用草场，多次协商未果。"},
				}
				for attempt := 0; ; attempt++ {
					status, answer, err := c.do(ctx, http.MethodPost, "/v1/cases", "clerk-sarula", fmt.Sprintf("storm-%d", i), body)
					if status == http.StatusCreated {
						break
					}
					if attempt == 10 || (status >= 400 && status < 500 && status != http.StatusConflict && status != http.StatusTooManyRequests) {
						err := fmt.Errorf("storm: register case %d: %d %v %s", i, status, err, answer)
						failed.Store(&err)
						return
					}
					time.Sleep(time.Second)
				}
				if n := done.Add(1); n%int64(max(1, c.cfg.Cases/10)) == 0 {
					c.logf("storm: %d cases registered (%.0f/s)", n, float64(n)/time.Since(start).Seconds())
				}
			}
		})
	}
	wg.Wait()
	if err := failed.Load(); err != nil {
		return *err
	}
	c.rep.Registered = int(done.Load())
	c.rep.RegisterTime = time.Since(start)
	if time.Now().After(deadline) {
		return fmt.Errorf("storm: registering %d cases took %s, past the quiet period before the due instant: lower the expected rate (%g/s)",
			c.cfg.Cases, c.rep.RegisterTime.Round(time.Second), c.cfg.Rate)
	}
	return nil
}

// watch polls the read model every half second until every case has escalated or Settle has
// passed since the due instant, and returns when it first saw each case overdue, and escalated.
func (c *campaign) watch(ctx context.Context, due time.Time) map[string]*seenCase {
	seen := map[string]*seenCase{}
	until := due.Add(c.cfg.Settle)
	escalated := 0
	lastLog := time.Now()
	for escalated < c.cfg.Cases && time.Now().Before(until) && ctx.Err() == nil {
		time.Sleep(500 * time.Millisecond)
		now := time.Now()
		rows, err := c.db.Query(ctx, `select id::text, overdue, level <> 'village' from cases
			where procedure_key = 'storm' and (overdue or level <> 'village')`)
		if err != nil {
			c.logf("storm: read model: %v", err)
			continue
		}
		for rows.Next() {
			var id string
			var overdue, up bool
			if rows.Scan(&id, &overdue, &up) != nil {
				continue
			}
			s := seen[id]
			if s == nil {
				s = &seenCase{}
				seen[id] = s
			}
			if s.overdue.IsZero() {
				s.overdue = now // an escalated case was overdue first
			}
			if up && s.escalated.IsZero() {
				s.escalated = now
				escalated++
			}
		}
		rows.Close()
		if now.After(due) && now.Sub(lastLog) > 10*time.Second {
			c.logf("storm: %s after the due instant: %d overdue, %d escalated", now.Sub(due).Round(time.Second), len(seen), escalated)
			lastLog = now
		}
	}
	return seen
}

// seenCase is when the read model first showed a case overdue, and escalated.
type seenCase struct{ overdue, escalated time.Time }

// workflowTimes reads when each workflow recorded the case overdue and escalated, by its own
// clock (the moment the worker ran the timer's workflow task).
func (c *campaign) workflowTimes(ctx context.Context) error {
	rows, err := c.db.Query(ctx, `select min(a.at) filter (where a.action = 'deadline_overdue'),
			min(a.at) filter (where a.action = 'escalate')
		from audit_log a join cases k on k.id = a.case_id
		where k.procedure_key = 'storm' group by a.case_id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var overdue, escalated []time.Duration
	for rows.Next() {
		var o, e *time.Time
		if err := rows.Scan(&o, &e); err != nil {
			return err
		}
		if o != nil {
			overdue = append(overdue, o.Sub(c.rep.Due))
		}
		if e != nil {
			escalated = append(escalated, e.Sub(c.rep.Due))
		}
	}
	c.rep.WorkflowOverdue, c.rep.WorkflowEscalated = len(overdue), len(escalated)
	c.rep.WorkflowLate = percentiles(escalated)
	return rows.Err()
}

// messages counts what the storm asked to be told: the notifications in the supervisors' and
// departments' bells and the outbox messages (SMS, webhooks), which the workers' outbox relay sends.
func (c *campaign) messages(ctx context.Context) error {
	return c.db.QueryRow(ctx, `select
			(select count(*) from notifications n join cases k on k.id = n.case_id where k.procedure_key = 'storm' and n.at >= $1),
			(select count(*) from outbox o join cases k on k.id = o.case_id where k.procedure_key = 'storm' and o.created_at >= $1)`,
		c.rep.Due).Scan(&c.rep.Notifications, &c.rep.Outbox)
}

// readerCases registers the case each reader notes: a petition at the town of Galutu.
func (c *campaign) readerCases(ctx context.Context) ([]string, error) {
	var ids []string
	for i := range c.cfg.Readers {
		status, answer, err := c.do(ctx, http.MethodPost, "/v1/cases", "clerk-galutu", fmt.Sprintf("storm-reader-%d", i), map[string]any{
			"matter": "petition", "channel": "visit", "subject": fmt.Sprintf("压力测试期间的信访 %d", i), "resident_name": "王五",
			"data": map[string]any{
				"petitioner": "王五", "phone": "13800138000", "channel": "visit", "category": "request",
				"topic": "land", "people": 1, "facts": "反映村道损毁，请求修缮。",
			},
		})
		if err != nil || status != http.StatusCreated {
			return nil, fmt.Errorf("storm: register a reader's case: %d %v %s", status, err, answer)
		}
		var created struct{ ID string }
		if err := decode(answer, &created); err != nil {
			return nil, err
		}
		ids = append(ids, created.ID)
	}
	return ids, nil
}

// read is one clerk at work until ctx ends: once a second the queue, the case and a note on it.
func (c *campaign) read(ctx context.Context, caseID string) []call {
	var calls []call
	time.Sleep(time.Duration(rand.Int64N(int64(time.Second)))) // the readers do not march in step
	for n := 0; ctx.Err() == nil; n++ {
		for _, r := range []struct {
			kind, method, path string
			body               any
		}{
			{"read", http.MethodGet, "/v1/tasks?limit=50", nil},
			{"read", http.MethodGet, "/v1/cases/" + caseID, nil},
			{"write", http.MethodPost, "/v1/cases/" + caseID + "/actions", map[string]any{"type": "note", "reason": fmt.Sprintf("电话回访 %d", n)}},
		} {
			key := ""
			if r.body != nil {
				key = fmt.Sprintf("storm-note-%s-%d", caseID, n)
			}
			// A 503 is the API's "retry": the clerk's page sends the note again, with its key.
			start := time.Now()
			status, _, err := c.do(ctx, r.method, r.path, "clerk-galutu", key, r.body)
			retried := 0
			for status == http.StatusServiceUnavailable && retried < 3 && ctx.Err() == nil {
				retried++
				status, _, err = c.do(ctx, r.method, r.path, "clerk-galutu", key, r.body)
			}
			if ctx.Err() != nil {
				return calls
			}
			calls = append(calls, call{kind: r.kind, at: start, took: time.Since(start), ok: err == nil && status < 300, retried: retried})
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
	return calls
}

// call is one request a reader made.
type call struct {
	kind string // read or write
	at   time.Time
	took time.Duration
	ok   bool
	// retried counts the times the API answered 503 (its deadline passed) before this answer.
	retried int
}
