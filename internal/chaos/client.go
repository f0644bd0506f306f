package chaos

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

// caseRecord is what the clients were told about one case they registered.
type caseRecord struct {
	key     string // the Idempotency-Key of its registration, also in its subject
	subject string
	user    string
	acked   bool // answered 201
	id      string
	number  string
	notes   map[string]bool // note marker → answered 200 (true) or outcome unknown (false)
}

// request is one API call a client makes, with what it must not be answered.
type request struct {
	method, path, user, key string
	body                    any
	// refuse: the body holds text the API must refuse (4xx), so a 2xx is a defect.
	refuse bool
	// valid: nothing in the request is wrong (a note), so only a case that moved on (404,
	// 409) or the rate limit (429) may refuse it.
	valid bool
}

// do makes one call and returns its status and body.
func (c *campaign) do(ctx context.Context, method, path, token, key string, body any) (int, []byte, error) {
	return c.center.Do(ctx, method, path, token, key, body)
}

// send makes the request, and when retry is set retries it with the same Idempotency-Key on a
// transport error, a 5xx or a 429, for up to three minutes (longer than any outage). It returns
// the last status (0: no answer).
func (c *campaign) send(ctx context.Context, rq request, retry bool) (int, []byte) {
	giveUp := time.Now().Add(3 * time.Minute)
	wait := 500 * time.Millisecond
	for {
		t0 := time.Now()
		status, body, err := c.do(ctx, rq.method, rq.path, c.tokens[rq.user], rq.key, rq.body)
		if took := time.Since(t0); took > 10*time.Second || (status >= 500 && status != http.StatusServiceUnavailable) {
			c.logf("slow or failed: %s %s (key %s): %d %v after %s: %s", rq.method, rq.path, rq.key, status, err,
				took.Round(time.Millisecond), truncate(strings.TrimSpace(string(body)), 200))
		}
		c.count(func(r *Report) {
			r.Requests++
			switch {
			case err != nil:
				r.NoAnswer++
			case status >= 500:
				r.Status5xx[status]++
				if status != http.StatusServiceUnavailable && len(r.Samples5xx) < 5 {
					r.Samples5xx = append(r.Samples5xx, fmt.Sprintf("%s %s: %d %s", rq.method, rq.path, status, truncate(strings.TrimSpace(string(body)), 300)))
				}
			case status >= 400:
				r.Status4xx[status]++
				if rq.valid && status != http.StatusConflict && status != http.StatusNotFound && status != http.StatusTooManyRequests {
					r.Unexpected4xx++
					if len(r.Samples4xx) < 5 {
						r.Samples4xx = append(r.Samples4xx, fmt.Sprintf("%s %s: %d %s", rq.method, rq.path, status, truncate(strings.TrimSpace(string(body)), 300)))
					}
				}
			default:
				if rq.refuse {
					r.HostileAccepted++
					r.Samples4xx = append(r.Samples4xx, fmt.Sprintf("%s %s: %d for text that must be refused", rq.method, rq.path, status))
				}
			}
			if rq.refuse && status >= 400 && status < 500 {
				r.HostileRefused++
			}
		})
		transient := err != nil || status >= 500 || status == http.StatusTooManyRequests
		if !retry || !transient || time.Now().After(giveUp) || ctx.Err() != nil {
			return status, body
		}
		time.Sleep(wait + time.Duration(rand.Int64N(int64(wait))))
		wait = min(2*wait, 5*time.Second)
	}
}

// clients runs the clients until every case's script has run.
func (c *campaign) clients(ctx context.Context) {
	scripts := make(chan int)
	var wg sync.WaitGroup
	for range c.cfg.Clients {
		wg.Go(func() {
			for n := range scripts {
				// Each case is a clerk's session: a share of them never retry.
				c.script(ctx, n, rand.Float64() >= c.cfg.NoRetry)
			}
		})
	}
	// Registrations are spread over the first four fifths of the campaign, so that the last
	// cases still meet a fault or a timer.
	// The campaign is bounded by its duration too: when the center is slower than the clients'
	// pace, registrations stop at Duration and the report says how many were made.
	every := c.cfg.Duration * 4 / 5 / time.Duration(max(c.cfg.Cases, 1))
	end := c.started.Add(c.cfg.Duration)
	for n := range c.cfg.Cases {
		if ctx.Err() != nil || time.Now().After(end) {
			c.logf("duration reached after %d cases", n)
			break
		}
		scripts <- n
		if n%100 == 99 {
			c.logf("%d cases started", n+1)
		}
		time.Sleep(every)
	}
	close(scripts)
	wg.Wait()
}

// script registers one case and acts on it a few times, as a clerk at a window would: petitions
// at the town of Galutu, mediations on one-minute deadlines at the village of Sarula.
func (c *campaign) script(ctx context.Context, n int, retry bool) {
	petition := n%3 != 0
	rec := &caseRecord{key: fmt.Sprintf("chaos-%d-%d", c.started.Unix(), n), notes: map[string]bool{}}
	rec.subject = fmt.Sprintf("%s %s", rec.key, subjects[rand.IntN(len(subjects))])
	var body map[string]any
	if petition {
		rec.user = "clerk-galutu"
		body = map[string]any{
			"matter": "petition", "channel": "visit", "subject": rec.subject, "resident_name": "张三",
			"data": map[string]any{
				"petitioner": "张三", "phone": "13800138000", "channel": "visit", "category": "request",
				"topic": "land", "people": 1 + rand.IntN(9), "facts": facts(5000),
			},
		}
	} else {
		rec.user = "clerk-sarula"
		body = map[string]any{
			"matter": "mediation", "procedure": "minute", "channel": "visit", "subject": rec.subject,
			"resident_name": "李四", "data": map[string]any{"facts": facts(500)},
		}
	}
	// Now and then the clerk first pastes text the center must refuse.
	if rand.IntN(10) == 0 {
		bad := clone(body)
		bad["subject"] = rec.subject + hostile[rand.IntN(len(hostile))]
		c.send(ctx, request{method: http.MethodPost, path: "/v1/cases", user: rec.user, key: rec.key + "-bad", body: bad, refuse: true}, retry)
	}
	c.mu.Lock()
	c.cases = append(c.cases, rec)
	c.mu.Unlock()
	status, answer := c.send(ctx, request{method: http.MethodPost, path: "/v1/cases", user: rec.user, key: rec.key, body: body, valid: true}, retry)
	if status != http.StatusCreated {
		return
	}
	var created struct{ ID, Number string }
	if err := json.Unmarshal(answer, &created); err != nil {
		return
	}
	c.mu.Lock()
	rec.acked, rec.id, rec.number = true, created.ID, created.Number
	c.rep.Acknowledged++
	c.mu.Unlock()

	for i := range rand.IntN(7) {
		time.Sleep(time.Duration(rand.Int64N(int64(time.Second))))
		key := fmt.Sprintf("%s-a%d", rec.key, i)
		rq := request{method: http.MethodPost, path: "/v1/cases/" + rec.number + "/actions", user: rec.user, key: key}
		var marker string
		rq.body, marker, rq.refuse = action(petition, key)
		rq.valid = marker != ""
		status, _ := c.send(ctx, rq, retry)
		if marker == "" {
			continue
		}
		c.mu.Lock()
		switch {
		case status == http.StatusOK:
			rec.notes[marker] = true
			c.rep.NotesAcknowledged++
		case status == 0 || status >= 500:
			rec.notes[marker] = false // applied or not: the client never heard
		}
		c.mu.Unlock()
	}
}

// action is a random action on a case of the kind, with the marker of a note (which the audit
// log must then hold once) and whether the API must refuse it.
func action(petition bool, key string) (body map[string]any, marker string, refuse bool) {
	marker = "[" + key + "]"
	switch r := rand.IntN(20); {
	case r < 6:
		return map[string]any{"type": "note", "reason": marker + " " + facts(300)}, marker, false
	case r == 6: // exactly at the limit of 2,000 characters
		return map[string]any{"type": "note", "reason": pad(marker+" ", 2000)}, marker, false
	case r == 7: // one over the limit
		return map[string]any{"type": "note", "reason": pad(marker+" ", 2001)}, "", true
	case r == 8:
		return map[string]any{"type": "note", "reason": marker + " " + hostile[rand.IntN(len(hostile))]}, "", true
	case r == 9: // odd but allowed text
		return map[string]any{"type": "note", "reason": marker + " " + odd[rand.IntN(len(odd))]}, marker, false
	case r == 10:
		return map[string]any{"type": "escalate", "reason": "超出本级职权，报请上级处理"}, "", false
	case r == 11:
		return map[string]any{"type": "suspend", "reason": "等待鉴定结论"}, "", false
	case r == 12:
		return map[string]any{"type": "resume"}, "", false
	case !petition && r < 15:
		return map[string]any{"type": "complete", "outcome": []string{"settled", "failed"}[rand.IntN(2)]}, "", false
	case !petition:
		return map[string]any{"type": "note", "reason": marker + " 电话回访"}, marker, false
	case r < 16:
		return map[string]any{"type": "complete", "outcome": "register"}, "", false
	case r < 18:
		return map[string]any{"type": "complete", "outcome": "accept"}, "", false
	default:
		return map[string]any{"type": "complete", "outcome": "handle_here"}, "", false
	}
}

var subjects = []string{"草场边界纠纷", "邻里噪音扰民", "拖欠农民工工资", "宅基地权属争议", "婚姻家庭矛盾", "征地补偿款分配"}

// hostile is text no person types, which the API must refuse before any workflow sees it.
var hostile = []string{"\x00", "事实\x00补充", "\x01\x02\x03", "响铃\x07", "\x1b[31m红色\x1b[0m", "退格\x08\x08", "\x7f删除" + "\x00"}

// odd is text that looks strange but is allowed: it must be stored and shown as sent.
var odd = []string{
	"😀🙏🏽 表情", "\u202e右至左覆盖\u202c", "零宽\u200b空格\u200d连接", "组合字符 e\u0301 a\u0308",
	"'; drop table cases; --", "<script>alert(1)</script>", "=HYPERLINK(\"http://x\")", "制表\t换行\n回车\r",
	"𠀀𪚥𰻞 生僻字", "\\u0000 不是 NUL", "%00%0a", strings.Repeat("长", 1000),
}

// facts is a Chinese account of at most limit characters, usually short and now and then at the
// limit.
func facts(limit int) string {
	if rand.IntN(8) == 0 {
		return pad("事实与诉求：", limit)
	}
	return "邻居占用草场，多次协商未果。" + strings.Repeat("当事人情绪激动。", rand.IntN(10))
}

// pad fills s with Chinese text to exactly n characters.
func pad(s string, n int) string {
	const fill = "当事人反映情况属实，需进一步核查处理。"
	r := []rune(s)
	for len(r) < n {
		r = append(r, []rune(fill)...)
	}
	return string(r[:n])
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
