// Package chaos is OneDoor's fault campaign (issue 8, `make chaos`): concurrent clients register
// cases and act on them through the HTTP API of an `onedoor dev` process while the campaign
// kills that process with SIGKILL and restarts it, cuts its PostgreSQL for seconds at a time and
// makes its mirror activity fail on purpose (ONEDOOR_FAULT_MIRROR). Then it waits until every
// case has settled, compares every case's workflow, read model and audit log with check.Checker,
// and reports what the clients were promised against what the center kept.
package chaos

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/onedoor/onedoor/codec"
	"github.com/onedoor/onedoor/internal/devcenter"
	"github.com/onedoor/onedoor/internal/tcpproxy"
	"github.com/onedoor/onedoor/store"
)

// Config sizes a campaign.
type Config struct {
	// Bin is the onedoor binary under test.
	Bin string
	// Procedure is the YAML of a procedure with minute deadlines, published as version 1 of its
	// key so that timers fire during the campaign (e2e/testdata/minute.yaml).
	Procedure []byte
	// Dir is a folder of the campaign's own (the center's data, PostgreSQL, the center's log);
	// the postgres system user must be able to reach it when the campaign runs as root.
	Dir string
	// Cases is how many cases the clients register (about: a client that does not retry may
	// lose some to a fault).
	Cases int
	// Duration is how long the clients and the faults run; settling and checking come after.
	Duration time.Duration
	// Clients is how many clients act at once; NoRetry is the share of cases whose client never
	// retries a request (its outcome is then unknown to it, as for a browser that was closed).
	Clients int
	NoRetry float64
	// Kills is how many times the center is killed with SIGKILL and restarted.
	Kills int
	// Cuts is how many times PostgreSQL is cut off, each for between CutMin and CutMax.
	Cuts           int
	CutMin, CutMax time.Duration
	// MirrorFaults is the share of mirror activity attempts that fail on purpose.
	MirrorFaults float64
	// Settle bounds the wait for every case's read model to catch up after the faults.
	Settle time.Duration
	// Log receives the campaign's progress; nothing when nil.
	Log io.Writer
}

// Defaults is the full campaign of `make chaos`.
func Defaults() Config {
	return Config{
		Cases: 2000, Duration: 10 * time.Minute, Clients: 24, NoRetry: 0.25,
		Kills: 6, Cuts: 4, CutMin: 5 * time.Second, CutMax: 60 * time.Second,
		MirrorFaults: 0.2, Settle: 5 * time.Minute,
	}
}

// campaign is one running campaign.
type campaign struct {
	cfg     Config
	center  *devcenter.Center
	proxy   *tcpproxy.Proxy
	rep     *Report
	mu      sync.Mutex // guards rep's counters and the cases
	cases   []*caseRecord
	tokens  map[string]string
	started time.Time
	logMu   sync.Mutex
}

func (c *campaign) logf(format string, args ...any) {
	if c.cfg.Log == nil {
		return
	}
	c.logMu.Lock()
	defer c.logMu.Unlock()
	fmt.Fprintf(c.cfg.Log, "chaos %6.1fs  %s\n", time.Since(c.started).Seconds(), fmt.Sprintf(format, args...))
}

// Run runs a campaign and reports what it found. An error means the campaign itself could not
// run (a process that would not start); what it found about the center is in the report
// (Report.Failures).
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Bin == "" || cfg.Dir == "" {
		return nil, errors.New("chaos: Bin and Dir are required")
	}
	if cfg.Clients <= 0 {
		cfg.Clients = 8
	}
	if cfg.CutMax < cfg.CutMin {
		cfg.CutMax = cfg.CutMin
	}
	if cfg.Settle <= 0 {
		cfg.Settle = 3 * time.Minute
	}
	c := &campaign{cfg: cfg, rep: newReport(cfg), started: time.Now(), tokens: map[string]string{}}

	c.logf("starting PostgreSQL")
	pg, err := devcenter.Postgres(ctx, cfg.Dir)
	if err != nil {
		return nil, err
	}
	defer func() { _ = pg.Stop(context.WithoutCancel(ctx)) }()
	if c.proxy, err = tcpproxy.Start(fmt.Sprintf("127.0.0.1:%d", pg.Port())); err != nil {
		return nil, err
	}
	defer c.proxy.Close()

	c.center = &devcenter.Center{
		Bin: cfg.Bin, Data: filepath.Join(cfg.Dir, "center"), LogPath: filepath.Join(cfg.Dir, "center.log"),
		DatabaseURL: fmt.Sprintf("postgres://postgres@%s/postgres?sslmode=disable", c.proxy.Addr()),
		Env:         []string{fmt.Sprintf("ONEDOOR_FAULT_MIRROR=%g", cfg.MirrorFaults)},
	}
	if err := devcenter.Launch(ctx, c.center, c.logf); err != nil {
		return nil, err
	}
	defer c.center.Stop()
	for _, u := range []string{"admin", "clerk-galutu", "clerk-sarula"} {
		if c.tokens[u], err = c.center.Token(u); err != nil {
			return nil, err
		}
	}
	if err := c.publishMinute(ctx); err != nil {
		return nil, err
	}

	c.logf("campaign: %d cases, %d clients (%.0f%% never retry), %s; %d kills, %d database cuts of %s–%s, mirror faults %.2f",
		cfg.Cases, cfg.Clients, cfg.NoRetry*100, cfg.Duration, cfg.Kills, cfg.Cuts, cfg.CutMin, cfg.CutMax, cfg.MirrorFaults)
	faultsDone := make(chan error, 1)
	go func() { faultsDone <- c.faults(ctx) }()
	c.clients(ctx)
	c.logf("clients done: %d requests", c.rep.Requests)
	if err := <-faultsDone; err != nil {
		return c.rep, err
	}
	c.rep.MirrorFaultsBefore, c.rep.MirrorFaultsAfter = mirrorFaultsInjected(c.center.LogPath)
	c.rep.Campaign = time.Since(c.started)

	s, err := store.Open(ctx, pg.URL("postgres"))
	if err != nil {
		return c.rep, err
	}
	defer s.Close()
	// The center seals its payloads with the key ring of its data folder: the check opens them.
	keys, err := codec.DevKeys(c.center.Data)
	if err != nil {
		return c.rep, err
	}
	pc, err := codec.New(keys)
	if err != nil {
		return c.rep, err
	}
	tc, err := client.Dial(client.Options{HostPort: fmt.Sprintf("127.0.0.1:%d", c.center.TemporalPort), Logger: quietLogger{}, DataConverter: pc.DataConverter(), FailureConverter: pc.FailureConverter()})
	if err != nil {
		return c.rep, err
	}
	defer tc.Close()
	if err := c.verify(ctx, s, tc); err != nil {
		return c.rep, err
	}
	return c.rep, nil
}

// publishMinute publishes the procedure whose deadlines are minutes, so that timers fire,
// escalate cases and write the read model during the faults.
func (c *campaign) publishMinute(ctx context.Context) error {
	status, body, err := c.do(ctx, http.MethodPost, "/v1/procedures", c.tokens["admin"], "", map[string]any{"yaml": string(c.cfg.Procedure)})
	if err != nil || status != http.StatusCreated {
		return fmt.Errorf("create the minute procedure: %d %v %s", status, err, body)
	}
	status, body, err = c.do(ctx, http.MethodPost, "/v1/procedures/minute/versions/1/publish", c.tokens["admin"], "", nil)
	if err != nil || status != http.StatusOK {
		return fmt.Errorf("publish the minute procedure: %d %v %s", status, err, body)
	}
	return nil
}

// faults injects the kills and cuts at random moments spread over the campaign, one at a time:
// the center restarts only with its database reachable, as an operator would bring it back.
func (c *campaign) faults(ctx context.Context) error {
	kinds := make([]string, 0, c.cfg.Kills+c.cfg.Cuts)
	for range c.cfg.Kills {
		kinds = append(kinds, "kill")
	}
	for range c.cfg.Cuts {
		kinds = append(kinds, "cut")
	}
	rand.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })
	slot := c.cfg.Duration / time.Duration(len(kinds)+1)
	for i, kind := range kinds {
		at := c.started.Add(slot*time.Duration(i+1) + time.Duration(rand.Int64N(int64(slot/2))) - slot/4)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Until(at)):
		}
		switch kind {
		case "kill":
			c.logf("fault: SIGKILL")
			c.center.Kill()
			c.count(func(r *Report) { r.Kills++ })
			time.Sleep(time.Duration(rand.Int64N(int64(3 * time.Second))))
			if err := c.center.Start(ctx); err != nil {
				return err
			}
			c.logf("fault: restarted")
		case "cut":
			d := c.cfg.CutMin + time.Duration(rand.Int64N(int64(c.cfg.CutMax-c.cfg.CutMin)+1))
			c.logf("fault: PostgreSQL cut for %s", d.Round(time.Second))
			c.proxy.Cut()
			c.count(func(r *Report) {
				r.Cuts++
				r.LongestCut = max(r.LongestCut, d)
			})
			time.Sleep(d)
			c.proxy.Restore()
			c.logf("fault: PostgreSQL back")
		}
	}
	return nil
}

func (c *campaign) count(f func(*Report)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f(c.rep)
}

// quietLogger keeps the Temporal SDK's retry chatter out of the campaign's output.
type quietLogger struct{}

func (quietLogger) Debug(string, ...any) {}
func (quietLogger) Info(string, ...any)  {}
func (quietLogger) Warn(string, ...any)  {}
func (quietLogger) Error(string, ...any) {}

// mirrorFaultsInjected counts the mirror faults the center logged (to logPath), before and after
// writing.
func mirrorFaultsInjected(logPath string) (before, after int) {
	b, err := os.ReadFile(logPath)
	if err != nil {
		return 0, 0
	}
	for line := range strings.Lines(string(b)) {
		if !strings.Contains(line, "mirror fault injected") {
			continue
		}
		if strings.Contains(line, "when=before") {
			before++
		} else {
			after++
		}
	}
	return before, after
}
