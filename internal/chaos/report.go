package chaos

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/check"
	"github.com/onedoor/onedoor/store"
)

// Report is what a campaign did and found.
type Report struct {
	Config Config

	// Requests is every HTTP request the clients made, retries included; NoAnswer those that got
	// no answer (the center was down or the client's deadline passed).
	Requests, NoAnswer int
	Status4xx          map[int]int
	Status5xx          map[int]int
	// Unexpected4xx are refusals of valid registrations and notes other than 404, 409 and 429
	// (the case moved on, the rate limit): informational. Other actions are drawn at random and
	// are often refused by design.
	Unexpected4xx int
	Samples4xx    []string
	Samples5xx    []string
	// HostileRefused and HostileAccepted count requests carrying text the API must refuse.
	HostileRefused, HostileAccepted int

	Kills, Cuts                           int
	LongestCut                            time.Duration
	MirrorFaultsBefore, MirrorFaultsAfter int

	// Registered is how many registrations the clients attempted; Acknowledged how many were
	// answered 201; Found how many of those are in the read model and Temporal afterwards.
	Registered, Acknowledged, Found int
	// Lost lists the acknowledged cases the center does not have (or has under another number).
	Lost []string
	// Unacknowledged is how many cases exist whose registration the client never heard answered.
	Unacknowledged int
	// Duplicated lists the Idempotency-Keys that ended as more than one case.
	Duplicated []string

	// NotesAcknowledged is how many notes were answered 200; NotesLost lists those missing from
	// their case's audit log, NotesDuplicated the notes found there more than once.
	NotesAcknowledged          int
	NotesLost, NotesDuplicated []string

	// Workflows is how many case workflows Temporal has.
	Workflows int
	// FirstCheck counts the findings of the first check after the faults, by kind; Settled those
	// that remained when every case had settled (or Settle ran out); EverAhead the cases the read
	// model showed ahead of their workflow in any round.
	FirstCheck, Settled map[check.Kind]int
	EverAhead           int
	Findings            []check.Finding

	Campaign, Settling time.Duration
}

func newReport(cfg Config) *Report {
	return &Report{Config: cfg, Status4xx: map[int]int{}, Status5xx: map[int]int{},
		FirstCheck: map[check.Kind]int{}, Settled: map[check.Kind]int{}}
}

// Failures says what the campaign proved wrong: nothing when the center kept every promise.
func (r *Report) Failures() []string {
	var out []string
	fail := func(n int, what string) {
		if n > 0 {
			out = append(out, fmt.Sprintf("%d %s", n, what))
		}
	}
	fail(len(r.Lost), "acknowledged cases lost")
	fail(len(r.Duplicated), "Idempotency-Keys that made more than one case")
	fail(len(r.NotesLost), "acknowledged notes missing from the audit log")
	fail(len(r.NotesDuplicated), "notes applied more than once")
	fail(r.EverAhead, "cases whose read model was ahead of their workflow")
	fail(r.Settled[check.Diverging], "cases whose read model diverges from their workflow")
	fail(r.Settled[check.Failed], "failed or unanswering workflows")
	fail(r.Settled[check.AuditGap], "cases with a gap in their audit log")
	fail(r.Settled[check.Missing]+r.Settled[check.NoWorkflow], "cases missing from the read model or from Temporal")
	fail(r.Settled[check.Behind]+r.Settled[check.Stuck], "cases whose read model never caught up")
	fail(r.HostileAccepted, "requests with forbidden text accepted")
	for status, n := range r.Status5xx {
		if status != 503 {
			fail(n, fmt.Sprintf("answers %d", status))
		}
	}
	if r.Acknowledged == 0 {
		out = append(out, "no case was acknowledged: the campaign tested nothing")
	}
	return out
}

// Print writes the report as a table.
func (r *Report) Print(w io.Writer) {
	row := func(name string, format string, args ...any) {
		fmt.Fprintf(w, "  %-34s %s\n", name, fmt.Sprintf(format, args...))
	}
	fmt.Fprintf(w, "\nchaos campaign: %d cases over %s, %d clients (%.0f%% never retry)\n",
		r.Config.Cases, r.Config.Duration, r.Config.Clients, r.Config.NoRetry*100)
	row("requests", "%d (no answer: %d)", r.Requests, r.NoAnswer)
	row("answers 4xx", "%s (unexpected: %d)", statuses(r.Status4xx), r.Unexpected4xx)
	row("answers 5xx", "%s", statuses(r.Status5xx))
	row("forbidden text refused / accepted", "%d / %d", r.HostileRefused, r.HostileAccepted)
	row("faults: SIGKILL + restart", "%d", r.Kills)
	row("faults: PostgreSQL cut", "%d (longest %s)", r.Cuts, r.LongestCut.Round(time.Second))
	row("faults: mirror failed before write", "%d", r.MirrorFaultsBefore)
	row("faults: mirror failed after commit", "%d", r.MirrorFaultsAfter)
	row("cases registered (attempted)", "%d", r.Registered)
	row("cases acknowledged (201)", "%d", r.Acknowledged)
	row("cases found", "%d (+%d whose 201 the client never saw)", r.Found, r.Unacknowledged)
	row("cases lost", "%d", len(r.Lost))
	row("cases duplicated", "%d", len(r.Duplicated))
	row("notes acknowledged / lost / dup.", "%d / %d / %d", r.NotesAcknowledged, len(r.NotesLost), len(r.NotesDuplicated))
	row("workflows", "%d", r.Workflows)
	row("check right after the faults", "%s", kinds(r.FirstCheck))
	row("check once settled", "%s", kinds(r.Settled))
	row("read model ever ahead", "%d", r.EverAhead)
	row("diverging / ahead / failed", "%d / %d / %d", r.Settled[check.Diverging], r.EverAhead, r.Settled[check.Failed])
	row("time: campaign / settling", "%s / %s", r.Campaign.Round(time.Second), r.Settling.Round(time.Second))
	for _, s := range r.Samples5xx {
		fmt.Fprintf(w, "  5xx: %s\n", s)
	}
	for _, s := range r.Samples4xx {
		fmt.Fprintf(w, "  4xx: %s\n", s)
	}
	for i, f := range r.Findings {
		if i == 20 {
			fmt.Fprintf(w, "  … %d more findings\n", len(r.Findings)-20)
			break
		}
		fmt.Fprintf(w, "  finding: %-10s %s %s: %s\n", f.Kind, f.Number, f.CaseID, f.Detail)
	}
	for _, l := range [][]string{r.Lost, r.Duplicated, r.NotesLost, r.NotesDuplicated} {
		for i, s := range l {
			if i == 10 {
				break
			}
			fmt.Fprintf(w, "  %s\n", s)
		}
	}
	if f := r.Failures(); len(f) > 0 {
		fmt.Fprintf(w, "FAILED: %s\n", strings.Join(f, "; "))
	} else {
		fmt.Fprintln(w, "PASSED: nothing lost, duplicated, diverging, ahead or failed; no 500")
	}
}

func statuses(m map[int]int) string {
	if len(m) == 0 {
		return "none"
	}
	var parts []string
	for _, s := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%d×%d", m[s], s))
	}
	return strings.Join(parts, ", ")
}

var allKinds = []check.Kind{check.Ahead, check.Diverging, check.Behind, check.Stuck, check.Missing, check.NoWorkflow, check.Failed, check.AuditGap}

func kinds(m map[check.Kind]int) string {
	var parts []string
	for _, k := range allKinds {
		if m[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
		}
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}

// transient kinds are a read model still catching up.
func transient(k check.Kind) bool {
	return k == check.Behind || k == check.Stuck || k == check.Missing
}

// verify waits for the cases to settle, checks them, and compares what the clients were told
// with what the center kept.
func (c *campaign) verify(ctx context.Context, s *store.Store, tc client.Client) error {
	start := time.Now()
	checker := &check.Checker{Store: s, Temporal: tc}
	c.logf("checking every case")
	rep, err := checker.Run(ctx, check.Options{Namespace: "default"})
	if err != nil {
		return fmt.Errorf("check: %w", err)
	}
	c.rep.Workflows = rep.Workflows
	ahead := map[string]bool{}
	for _, f := range rep.Findings {
		c.rep.FirstCheck[f.Kind]++
		if f.Kind == check.Ahead {
			ahead[f.CaseID] = true
		}
	}
	// Re-check the cases with findings until none is left or Settle runs out: a read model
	// behind its workflow catches up, and timers keep firing on the minute cases.
	findings := rep.Findings
	deadline := time.Now().Add(c.cfg.Settle)
	for len(findings) > 0 && time.Now().Before(deadline) {
		ids := map[string]bool{}
		for _, f := range findings {
			ids[f.CaseID] = true
		}
		c.logf("settling: %d findings on %d cases (%s)", len(findings), len(ids), kinds(count(findings)))
		time.Sleep(3 * time.Second)
		again, err := checker.Run(ctx, check.Options{Namespace: "default", Cases: slices.Sorted(maps.Keys(ids))})
		if err != nil {
			return fmt.Errorf("check: %w", err)
		}
		findings = again.Findings
		for _, f := range findings {
			if f.Kind == check.Ahead {
				ahead[f.CaseID] = true
			}
		}
		if !slices.ContainsFunc(findings, func(f check.Finding) bool { return transient(f.Kind) }) {
			// Only lasting disagreements are left: one more look, then they stand.
			time.Sleep(2 * time.Second)
			if again, err = checker.Run(ctx, check.Options{Namespace: "default", Cases: slices.Sorted(maps.Keys(ids))}); err != nil {
				return fmt.Errorf("check: %w", err)
			}
			findings = again.Findings
			break
		}
	}
	c.rep.Settling = time.Since(start)
	c.rep.Settled = count(findings)
	c.rep.Findings = findings
	c.rep.EverAhead = len(ahead)

	// What the clients were promised.
	c.logf("comparing %d registrations with the read model", len(c.cases))
	c.rep.Registered = len(c.cases)
	byKey := map[string]*caseRecord{}
	for _, rec := range c.cases {
		byKey[rec.key] = rec
		if !rec.acked {
			continue
		}
		got, err := s.Case(ctx, rec.id)
		if onedoor.ErrorCode(err) == onedoor.ENotFound {
			c.rep.Lost = append(c.rep.Lost, fmt.Sprintf("lost: %s (%s, key %s): answered 201, not in the read model", rec.number, rec.id, rec.key))
			continue
		} else if err != nil {
			return err
		}
		if got.Number != rec.number {
			c.rep.Lost = append(c.rep.Lost, fmt.Sprintf("lost: %s (%s): answered 201 with this number, now numbered %s", rec.number, rec.id, got.Number))
			continue
		}
		if slices.ContainsFunc(findings, func(f check.Finding) bool {
			return f.CaseID == rec.id && (f.Kind == check.NoWorkflow || f.Kind == check.Missing)
		}) {
			c.rep.Lost = append(c.rep.Lost, fmt.Sprintf("lost: %s (%s): answered 201, workflow or read model missing", rec.number, rec.id))
			continue
		}
		c.rep.Found++
		audit, err := s.Audit(ctx, rec.id)
		if err != nil {
			return err
		}
		for marker, acked := range rec.notes {
			n := 0
			for _, e := range audit {
				if e.Action == "note" && strings.HasPrefix(e.Reason, marker+" ") {
					n++
				}
			}
			switch {
			case n > 1:
				c.rep.NotesDuplicated = append(c.rep.NotesDuplicated, fmt.Sprintf("note duplicated: %s %s: %d times", rec.number, marker, n))
			case n == 0 && acked:
				c.rep.NotesLost = append(c.rep.NotesLost, fmt.Sprintf("note lost: %s %s: answered 200, not in the audit log", rec.number, marker))
			}
		}
	}
	// Every case of the read model, by the key its subject starts with.
	ids, err := s.CaseIDs(ctx)
	if err != nil {
		return err
	}
	perKey := map[string][]string{}
	for _, id := range ids {
		cs, err := s.Case(ctx, id)
		if err != nil {
			return err
		}
		key, _, _ := strings.Cut(cs.Subject, " ")
		if strings.HasPrefix(key, "chaos-") {
			perKey[key] = append(perKey[key], cs.Number)
		}
	}
	for key, numbers := range perKey {
		if len(numbers) > 1 {
			c.rep.Duplicated = append(c.rep.Duplicated, fmt.Sprintf("duplicated: key %s made %s", key, strings.Join(numbers, ", ")))
		}
		if rec := byKey[key]; rec != nil && !rec.acked {
			c.rep.Unacknowledged++
		}
	}
	return nil
}

func count(fs []check.Finding) map[check.Kind]int {
	m := map[check.Kind]int{}
	for _, f := range fs {
		m[f.Kind]++
	}
	return m
}
