package storm

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"
)

// Report is what a campaign measured.
type Report struct {
	Config Config

	// Registered cases, in RegisterTime; Due is the instant they all fell due.
	Registered   int
	RegisterTime time.Duration
	Due          time.Time

	// Overdue and Escalated are the cases the read model showed overdue, and escalated to the
	// town, by the end; Missed those it never showed escalated.
	Overdue, Escalated, Missed int
	// OverdueLate and EscalatedLate are how long after the due instant the read model first
	// showed each case overdue, and escalated (polled every half second).
	OverdueLate, EscalatedLate Percentiles
	// WorkflowOverdue and WorkflowEscalated count the cases whose audit log records them overdue
	// and escalated; WorkflowLate is how late the escalation was by the workflow's own clock.
	WorkflowOverdue, WorkflowEscalated int
	WorkflowLate                       Percentiles
	// Storm is from the due instant to the last escalation seen.
	Storm time.Duration
	// Notifications (the bells) and Outbox messages (SMS and webhooks, a DeliverNotice activity each)
	// the storm's cases wrote from the due instant on.
	Notifications, Outbox int

	// Clerks' requests in the minute before the due instant (Quiet) and during the storm, from
	// the first try to the answer; Retried counts the 503s (the request deadline) they were
	// answered before it, Failed the requests that ended in another error or a fourth 503.
	QuietReads, StormReads, QuietWrites, StormWrites Percentiles
	Retried, Failed                                  int

	// The `onedoor dev` process (API, worker and the embedded Temporal server): its resident
	// memory before any case, with every case open just before the storm and at its peak; the
	// CPU it and PostgreSQL used during the storm, in cores.
	IdleRSS, OpenRSS, PeakRSS int64
	CenterCores, PGCores      float64
}

// Percentiles of a set of durations.
type Percentiles struct {
	N             int
	P50, P99, Max time.Duration
}

func percentiles(d []time.Duration) Percentiles {
	if len(d) == 0 {
		return Percentiles{}
	}
	slices.Sort(d)
	return Percentiles{N: len(d), P50: d[len(d)/2], P99: d[len(d)*99/100], Max: d[len(d)-1]}
}

func (p Percentiles) String() string {
	if p.N == 0 {
		return "none"
	}
	r := func(d time.Duration) string {
		if d < time.Second && d > -time.Second {
			return d.Round(100 * time.Microsecond).String()
		}
		return d.Round(10 * time.Millisecond).String()
	}
	return fmt.Sprintf("p50 %s  p99 %s  max %s  (%d)", r(p.P50), r(p.P99), r(p.Max), p.N)
}

// measure fills the report from what the campaign saw, the readers' calls and the samples.
func (r *Report) measure(seen map[string]*seenCase, calls []call, samples []sample, due time.Time) {
	var overdue, escalated []time.Duration
	last := due
	for _, s := range seen {
		overdue = append(overdue, s.overdue.Sub(due))
		if !s.escalated.IsZero() {
			escalated = append(escalated, s.escalated.Sub(due))
			last = maxTime(last, s.escalated)
		}
	}
	r.Overdue, r.Escalated = len(overdue), len(escalated)
	r.Missed = r.Registered - r.Escalated
	r.OverdueLate, r.EscalatedLate = percentiles(overdue), percentiles(escalated)
	r.Storm = last.Sub(due)

	var qr, sr, qw, sw []time.Duration
	for _, c := range calls {
		r.Retried += c.retried
		if !c.ok {
			r.Failed++
			continue
		}
		quiet := c.at.Before(due) && c.at.After(due.Add(-r.Config.Quiet))
		storm := !c.at.Before(due) && !c.at.After(last)
		switch {
		case quiet && c.kind == "read":
			qr = append(qr, c.took)
		case quiet:
			qw = append(qw, c.took)
		case storm && c.kind == "read":
			sr = append(sr, c.took)
		case storm:
			sw = append(sw, c.took)
		}
	}
	r.QuietReads, r.StormReads, r.QuietWrites, r.StormWrites = percentiles(qr), percentiles(sr), percentiles(qw), percentiles(sw)

	// CPU over the storm: the samples around its start and its end.
	var before, after *sample
	for i := range samples {
		s := &samples[i]
		r.PeakRSS = max(r.PeakRSS, s.centerRSS)
		if !s.at.After(due) {
			before = s
			r.OpenRSS = s.centerRSS
		}
		if after == nil && !s.at.Before(last) {
			after = s
		}
	}
	if after == nil && len(samples) > 0 {
		after = &samples[len(samples)-1]
	}
	if before != nil && after != nil && after.at.After(before.at) {
		secs := after.at.Sub(before.at).Seconds()
		r.CenterCores = (after.centerCPU - before.centerCPU) / secs
		r.PGCores = (after.pgCPU - before.pgCPU) / secs
	}
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// Print writes the report for a person.
func (r *Report) Print(w io.Writer) {
	mb := func(b int64) string { return fmt.Sprintf("%.0f MB", float64(b)/(1<<20)) }
	fmt.Fprintf(w, "\n== Timer storm: %d cases due at %s ==\n", r.Registered, r.Due.Format(time.TimeOnly))
	fmt.Fprintf(w, "registered in %s (%.1f cases/s, %d clients)\n", r.RegisterTime.Round(time.Second),
		float64(r.Registered)/r.RegisterTime.Seconds(), r.Config.Clients)
	fmt.Fprintf(w, "read model overdue:    %s\n", r.OverdueLate)
	fmt.Fprintf(w, "read model escalated:  %s\n", r.EscalatedLate)
	fmt.Fprintf(w, "workflow escalated:    %s (by the workflows' clock)\n", r.WorkflowLate)
	fmt.Fprintf(w, "missed: %d (read model: %d overdue, %d escalated; audit log: %d overdue, %d escalated)\n",
		r.Missed, r.Overdue, r.Escalated, r.WorkflowOverdue, r.WorkflowEscalated)
	fmt.Fprintf(w, "storm lasted %s; it wrote %d notifications and %d outbox messages\n", r.Storm.Round(time.Second), r.Notifications, r.Outbox)
	fmt.Fprintf(w, "clerks' reads:  quiet %s\n                storm %s\n", r.QuietReads, r.StormReads)
	fmt.Fprintf(w, "clerks' notes:  quiet %s\n                storm %s\n", r.QuietWrites, r.StormWrites)
	fmt.Fprintf(w, "requests answered 503 and retried: %d; failed: %d\n", r.Retried, r.Failed)
	fmt.Fprintf(w, "onedoor dev RSS: idle %s, %d cases open %s, peak %s\n", mb(r.IdleRSS), r.Registered, mb(r.OpenRSS), mb(r.PeakRSS))
	fmt.Fprintf(w, "CPU during the storm: onedoor dev %.2f cores, PostgreSQL %.2f cores\n", r.CenterCores, r.PGCores)
}

// do makes one call as user and returns its status and body.
func (c *campaign) do(ctx context.Context, method, path, user, key string, body any) (int, []byte, error) {
	return c.center.Do(ctx, method, path, c.tokens[user], key, body)
}

func decode(b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("storm: answer %q: %w", b, err)
	}
	return nil
}
