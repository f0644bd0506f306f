package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

// loadNumbers are what a measured load achieved: registrations and notes answered per second,
// and their latencies.
type loadNumbers struct {
	regs, notes []time.Duration
	elapsed     time.Duration
}

func (n loadNumbers) String() string {
	q := func(d []time.Duration, p int) time.Duration {
		if len(d) == 0 {
			return 0
		}
		return d[min(len(d)-1, len(d)*p/100)].Round(time.Millisecond)
	}
	slices.Sort(n.regs)
	slices.Sort(n.notes)
	return fmt.Sprintf("registrations %.1f/s (p50 %s, p99 %s), notes %.1f/s (p50 %s, p99 %s)",
		float64(len(n.regs))/n.elapsed.Seconds(), q(n.regs, 50), q(n.regs, 99),
		float64(len(n.notes))/n.elapsed.Seconds(), q(n.notes, 50), q(n.notes, 99))
}

// measureLoad runs clients clerks for d, each registering a petition through the nodes in turn
// and adding a note to it, as fast as answers come, with no fault: the numbers of issue 14's
// closing note, for the cluster and for `onedoor dev` alike. Every request must succeed.
func measureLoad(t *testing.T, c *apiClient, prefix string, clients int, d time.Duration) loadNumbers {
	t.Helper()
	ctx := context.Background()
	var (
		mu  sync.Mutex
		out loadNumbers
		wg  sync.WaitGroup
	)
	begun := time.Now()
	for w := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Since(begun) < d; i++ {
				n := w*100000 + i
				key := fmt.Sprintf("%s-%d", prefix, n)
				t0 := time.Now()
				status, answer, _ := c.send(ctx, n%len(c.nodes), http.MethodPost, "/v1/cases", "clerk-galutu", key, map[string]any{
					"matter": "petition", "channel": "visit", "subject": key + " 草场边界纠纷", "resident_name": "张三",
					"data": map[string]any{"petitioner": "张三", "phone": phoneOf(n), "id_number": residentID(n), "channel": "visit",
						"category": "request", "topic": "land", "people": 1, "facts": "邻居占用草场，多次协商未果。"}})
				took := time.Since(t0)
				var created struct{ Number string }
				if status != http.StatusCreated || json.Unmarshal(answer, &created) != nil {
					t.Errorf("%s: registration %s: %d %s", prefix, key, status, answer)
					return
				}
				t1 := time.Now()
				status, answer, _ = c.send(ctx, (n+1)%len(c.nodes), http.MethodPost, "/v1/cases/"+created.Number+"/actions", "clerk-galutu",
					key+"-note", map[string]any{"type": "note", "reason": "电话回访"})
				if status != http.StatusOK {
					t.Errorf("%s: note on %s: %d %s", prefix, created.Number, status, answer)
					return
				}
				mu.Lock()
				out.regs = append(out.regs, took)
				out.notes = append(out.notes, time.Since(t1))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	out.elapsed = time.Since(begun)
	return out
}
