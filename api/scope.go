package api

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"golang.org/x/time/rate"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/store"
)

// Access rules. A deployment serves one county or many (a city's or a province's platform); a
// county is the subtree of its government-level unit, and nobody inside a county sees another's.
// Every user reads within a scope: admins and auditors their county, or everything below their
// unit when it is above the counties (a city's or province's), or everything when they have no
// unit (the platform's own); department staff the cases of their county that have or had a task
// for their department; everyone else the cases held or received by the units of their org
// unit's subtree (a city supervisor's subtree holds every county of the city). Outside it a case
// does not exist (404); an auditor reads but never acts (403); department staff, auditors and
// grid workers see personal data masked (phone and ID numbers, and the fields a form marks
// personal). Every refusal is logged with the user, the request and why.

// scopeOf is the part of the cases the user may read.
func (s *Server) scopeOf(ctx context.Context, u onedoor.User) (store.Scope, error) {
	overall := u.Role == onedoor.RoleAdmin || u.Role == onedoor.RoleAuditor
	switch {
	case overall && u.OrgUnit == "":
		return store.Scope{All: true}, nil
	case u.Role == onedoor.RoleDepartment && u.Department != "":
		// Fenced to the county they are stationed in; a department of a single-county
		// deployment may name no unit.
		sc := store.Scope{Department: u.Department}
		if u.OrgUnit != "" {
			county, err := s.countyOf(ctx, u.OrgUnit)
			if err != nil {
				return sc, err
			}
			if sc.Units, err = s.Store.Subtree(ctx, county.Code); err != nil {
				return sc, err
			}
		}
		return sc, nil
	case u.OrgUnit == "":
		return store.Scope{}, nil
	}
	code, _, err := s.subtreeScope(ctx, u)
	if err != nil {
		return store.Scope{}, err
	}
	root, err := s.Store.IsRoot(ctx, code)
	if err != nil || root {
		return store.Scope{All: root}, err
	}
	units, err := s.Store.Subtree(ctx, code)
	return store.Scope{Units: units}, err
}

// subtreeScope is the org unit whose subtree is the user's scope; ok is false when the scope is
// no unit's subtree (everything, nothing, a department's). It agrees with scopeOf.
func (s *Server) subtreeScope(ctx context.Context, u onedoor.User) (code string, ok bool, err error) {
	if u.OrgUnit == "" || (u.Role == onedoor.RoleDepartment && u.Department != "") {
		return "", false, nil
	}
	if u.Role != onedoor.RoleAdmin && u.Role != onedoor.RoleAuditor {
		return u.OrgUnit, true, nil
	}
	county, err := s.countyOf(ctx, u.OrgUnit)
	return county.Code, err == nil, err
}

// countyOf is the top unit of the county the org unit is in (its government-level ancestor);
// for a unit above every county (a city, a province) it is the unit itself.
func (s *Server) countyOf(ctx context.Context, code string) (definitions.OrgUnit, error) {
	chain, err := s.Store.Chain(ctx, code)
	if err != nil {
		return definitions.OrgUnit{}, err
	}
	if county, ok := definitions.County(chain); ok {
		return county, nil
	}
	return chain[0], nil
}

// inCounty reports whether the user works inside a county, not above the counties: such an
// administrator changes only their county, never what every county shares.
func (s *Server) inCounty(ctx context.Context, u onedoor.User) (bool, error) {
	if u.OrgUnit == "" {
		return false, nil
	}
	county, err := s.countyOf(ctx, u.OrgUnit)
	if err != nil {
		return false, err
	}
	return !county.Level.Above(), nil
}

// unitScope narrows a scope to the subtree of the org unit code, which must lie in the scope;
// a unit outside it is reported as unknown, like one that does not exist.
func (s *Server) unitScope(ctx context.Context, sc store.Scope, code, location string) (store.Scope, error) {
	if code == "" {
		return sc, nil
	}
	unknown := huma.Error422UnprocessableEntity("unknown org unit",
		&huma.ErrorDetail{Location: location, Message: "no org unit has this code", Value: code})
	if sc.Department != "" || (!sc.All && !contains(sc.Units, code)) {
		s.refused(ctx, "org unit outside the user's scope: "+code)
		return sc, unknown
	}
	if len(sc.Units) > 0 && sc.Units[0] == code {
		// The scope is this unit's subtree already (Store.Subtree lists the unit first): a clerk
		// registering at their own unit.
		return store.Scope{Units: sc.Units}, nil
	}
	units, err := s.Store.Subtree(ctx, code)
	if onedoor.ErrorCode(err) == onedoor.ENotFound {
		return sc, unknown
	} else if err != nil {
		return sc, s.problem(ctx, err) // the database is away: 503, not the client's mistake
	}
	return store.Scope{Units: units}, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// canSee checks that the current user may read the case named ref: outside the user's scope it
// is 404 exactly as a case that does not exist. It masks the case's personal numbers for the
// roles that do not need them.
func (s *Server) canSee(ctx context.Context, ref string, c *onedoor.Case) error {
	if err := s.inScope(ctx, ref, *c); err != nil {
		return err
	}
	return s.redact(ctx, c)
}

// canRead checks that the current user may read the case named ref, as canSee does, or that the
// case was copied to them for information (抄送): then they read that case alone, its personal
// data masked, and never act on it (readsCopy).
func (s *Server) canRead(ctx context.Context, ref string, c *onedoor.Case) error {
	err := s.inScope(ctx, ref, *c)
	if err != nil {
		copied, cerr := s.copiedTo(ctx, c.ID)
		if cerr != nil {
			return s.problem(ctx, cerr)
		}
		if !copied {
			return err
		}
		if a, ok := ctx.Value(userKey{}).(*acting); ok {
			a.copy = true
		}
	}
	return s.redact(ctx, c)
}

// copiedTo reports whether the case was copied to the current user, or to the org unit of one of
// their posts.
func (s *Server) copiedTo(ctx context.Context, caseID string) (bool, error) {
	u := currentUser(ctx)
	var units []string
	for _, p := range allPostsOf(ctx) {
		if p.OrgUnit != "" {
			units = append(units, p.OrgUnit)
		}
	}
	if len(units) == 0 && u.OrgUnit != "" {
		units = []string{u.OrgUnit}
	}
	return s.Store.Copied(ctx, caseID, u.ID, units)
}

// readsCopy reports whether the request reads a case only because it was copied to the user.
func readsCopy(ctx context.Context) bool {
	a, ok := ctx.Value(userKey{}).(*acting)
	return ok && a.copy
}

// canAct checks that the current user may act on the case named ref: 404 outside the scope, 403
// for a role that only reads and for a user the case was only copied to. Whether the action fits
// the case is the workflow's to say.
func (s *Server) canAct(ctx context.Context, ref string, c onedoor.Case) error {
	if err := s.inScope(ctx, ref, c); err != nil {
		if copied, cerr := s.copiedTo(ctx, c.ID); cerr == nil && copied {
			s.refused(ctx, "a case copied for information is read, not acted on: "+c.ID)
			return huma.Error403Forbidden("the case was copied to you for information: you may read it but not act on it")
		}
		return err
	}
	if u := currentUser(ctx); u.Role == onedoor.RoleAuditor {
		s.refused(ctx, "an auditor reads but does not act")
		return huma.Error403Forbidden("an auditor reads cases but does not act on them")
	}
	return nil
}

// inScope checks that the case is in the scope of the post the request acts in. A user of several
// posts whose request names none acts in the first of them that sees the case.
func (s *Server) inScope(ctx context.Context, ref string, c onedoor.Case) error {
	u := currentUser(ctx)
	posts := postsOf(ctx)
	if len(posts) == 0 {
		posts = []onedoor.Post{u.Post()}
	}
	ok := false
	for _, p := range posts {
		// A unit's subtree, the scope of most users, is checked in one statement against the
		// case's units; the other scopes ask the read model.
		code, subtree, err := s.subtreeScope(ctx, u.In(p))
		if err == nil && subtree {
			ok, err = s.Store.Holds(ctx, code, c.OrgUnit, c.ReceivedBy)
		} else if err == nil {
			var sc store.Scope
			if sc, err = s.scopeOf(ctx, u.In(p)); err == nil {
				ok, err = s.Store.InScope(ctx, sc, c.ID)
			}
		}
		if err != nil {
			return s.problem(ctx, err)
		}
		if ok {
			actIn(ctx, p)
			break
		}
	}
	if !ok {
		s.refused(ctx, "case outside the user's scope: "+c.ID)
		// The same answer as for a case that does not exist (store.Case's not-found).
		return s.problem(ctx, onedoor.Errorf(onedoor.ENotFound, "case %s not found", ref))
	}
	return nil
}

// requireShared refuses (EForbidden, logged) an administrator inside one county of several what
// every county shares (procedures, the calendar): that is for the city's or the province's. Its
// errors are for s.problem.
func (s *Server) requireShared(ctx context.Context, u onedoor.User, what string) error {
	in, err := s.inCounty(ctx, u)
	if err != nil || !in {
		return err
	}
	counties, err := s.Store.CountyCount(ctx)
	if err != nil || counties <= 1 {
		return err // the only county's administrator is the deployment's
	}
	s.refused(ctx, "a county administrator may not "+what)
	return onedoor.Errorf(onedoor.EForbidden, "a county's administrator may not %s: every county shares them; the city's or the province's administrator does", what)
}

// requireRole refuses (403, logged) a user whose role is not one of roles.
func (s *Server) requireRole(ctx context.Context, what string, roles ...onedoor.Role) error {
	u := currentUser(ctx)
	for _, r := range roles {
		if u.Role == r {
			return nil
		}
	}
	s.refused(ctx, fmt.Sprintf("role %s may not %s", u.Role, what))
	return huma.Error403Forbidden(fmt.Sprintf("a %s may not %s", u.Role, what))
}

// refused logs a refusal with the user, the request and the reason.
func (s *Server) refused(ctx context.Context, reason string) {
	u := currentUser(ctx)
	s.Logger.WarnContext(ctx, "refused", "user", u.ID, "role", u.Role, "request", requestOf(ctx), "reason", reason)
}

// masks reports whether the role sees personal data masked: department staff, auditors and grid
// workers do not need residents' phone and ID numbers to do their work.
func masks(r onedoor.Role) bool {
	return r == onedoor.RoleDepartment || r == onedoor.RoleAuditor || r == onedoor.RoleGrid
}

// redact masks the case's personal data for the roles that do not need it, and for a reader of
// a copy (抄送), who is informed, not handling: the fields its
// procedure version's form types as phone or resident ID or marks personal, and, for data
// without a form field, the keys named like phone and ID numbers.
func (s *Server) redact(ctx context.Context, c *onedoor.Case) error {
	if !masks(currentUser(ctx).Role) && !readsCopy(ctx) {
		return nil
	}
	form, err := s.caseForm(ctx, *c)
	if err != nil {
		return s.problem(ctx, err)
	}
	c.Data = maskData(form, c.Data)
	for i := range c.Residents {
		r := &c.Residents[i]
		r.Phone, r.IDNumber = mask(r.Phone), mask(r.IDNumber)
	}
	return nil
}

// redactAudit masks the personal data in the case snapshots of the audit entries of c, for the
// roles that do not need it.
func (s *Server) redactAudit(ctx context.Context, c onedoor.Case, entries []store.AuditEntry) error {
	if !masks(currentUser(ctx).Role) && !readsCopy(ctx) {
		return nil
	}
	form, err := s.caseForm(ctx, c)
	if err != nil {
		return s.problem(ctx, err)
	}
	for i := range entries {
		entries[i].Before = maskSnapshot(form, entries[i].Before)
		entries[i].After = maskSnapshot(form, entries[i].After)
	}
	return nil
}

// maskSnapshot masks the personal data of a case snapshot of the audit log by the form.
func maskSnapshot(form definitions.Form, raw json.RawMessage) json.RawMessage {
	var snap map[string]any
	if len(raw) == 0 || json.Unmarshal(raw, &snap) != nil || snap == nil {
		return raw
	}
	if data, ok := snap["data"].(map[string]any); ok {
		snap["data"] = maskData(form, data)
	}
	if residents, ok := snap["residents"].([]any); ok {
		snap["residents"] = maskData(nil, map[string]any{"residents": residents})["residents"]
	}
	b, err := json.Marshal(snap)
	if err != nil {
		return nil
	}
	return b
}

// formOf is the form of a procedure version; a version that is not stored has no form (nil),
// and its data are masked by name only.
func (s *Server) formOf(ctx context.Context, key string, version int) (definitions.Form, error) {
	p, err := s.procedureVersion(ctx, key, version)
	if p == nil || err != nil {
		return nil, err
	}
	return p.Form, nil
}

// procedureVersion is a procedure version, nil when it is not stored. Published and retired versions
// never change, so they are kept in memory.
func (s *Server) procedureVersion(ctx context.Context, key string, version int) (*definitions.Procedure, error) {
	if key == "" {
		return nil, nil
	}
	name := fmt.Sprintf("%s@%d", key, version)
	if p, ok := s.forms.Load(name); ok {
		return p.(*definitions.Procedure), nil
	}
	v, err := s.Store.ProcedureVersion(ctx, key, version)
	if onedoor.ErrorCode(err) == onedoor.ENotFound {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if v.Procedure.Status == definitions.StatusPublished || v.Procedure.Status == definitions.StatusRetired {
		s.forms.Store(name, v.Procedure)
	}
	return v.Procedure, nil
}

// hiddenFor are the form fields hidden (字段权限 hidden) from the current user at the steps of
// the case's open tasks they hold.
func (s *Server) hiddenFor(ctx context.Context, c onedoor.Case, tasks []onedoor.Task) (map[string]bool, error) {
	u := currentUser(ctx)
	var p *definitions.Procedure
	hidden := map[string]bool{}
	for _, t := range tasks {
		if t.Status != onedoor.TaskOpen || !holdsTask(u, t) {
			continue
		}
		if p == nil {
			var err error
			if p, err = s.procedureVersion(ctx, c.ProcedureKey, c.ProcedureVersion); p == nil || err != nil {
				return hidden, err
			}
		}
		step, ok := p.Step(t.Step)
		if !ok {
			continue
		}
		for name, r := range step.Rights(p.Form) {
			if r == definitions.RightHidden {
				hidden[name] = true
			}
		}
	}
	return hidden, nil
}

// holdsTask reports whether u holds the task: its role at its org unit, or staff of its department.
func holdsTask(u onedoor.User, t onedoor.Task) bool {
	if t.Department != "" {
		return u.Role == onedoor.RoleDepartment && u.Department == t.Department
	}
	return string(u.Role) == t.Role && u.OrgUnit == t.OrgUnit
}

// hideFields leaves out of the case's data the fields hidden from the current user at the steps
// of the tasks they hold.
func (s *Server) hideFields(ctx context.Context, c *onedoor.Case, tasks []onedoor.Task) error {
	hidden, err := s.hiddenFor(ctx, *c, tasks)
	if err != nil {
		return s.problem(ctx, err)
	}
	if len(hidden) == 0 || c.Data == nil {
		return nil
	}
	data := make(map[string]any, len(c.Data))
	for k, v := range c.Data {
		if !hidden[k] {
			data[k] = v
		}
	}
	c.Data = data
	return nil
}

// hideSnapshot leaves the hidden fields out of the data of a case snapshot of the audit log.
func hideSnapshot(raw json.RawMessage, hidden map[string]bool) json.RawMessage {
	var snap map[string]any
	if len(raw) == 0 || json.Unmarshal(raw, &snap) != nil || snap == nil {
		return raw
	}
	data, ok := snap["data"].(map[string]any)
	if !ok {
		return raw
	}
	for k := range hidden {
		delete(data, k)
	}
	b, err := json.Marshal(snap)
	if err != nil {
		return nil
	}
	return b
}

// maskedKeys are the data keys taken for phone or resident ID numbers when no form field
// says what they hold: the built-in forms' phone and resident ID fields are named so.
var maskedKeys = map[string]bool{"phone": true, "mobile": true, "id_number": true, "telephone": true, "resident_id": true}

// maskData is a copy of data with the personal values masked: the values of the form's personal
// fields (IsPersonal), and, for keys the form does not have, the values of maskedKeys at any depth.
func maskData(form definitions.Form, data map[string]any) map[string]any {
	if data == nil {
		return nil
	}
	out := make(map[string]any, len(data))
	for k, v := range data {
		if f, ok := form.Field(k); ok {
			if f.IsPersonal() {
				v = maskValue(v)
			}
			out[k] = v
			continue
		}
		switch x := v.(type) {
		case string:
			if maskedKeys[strings.ToLower(k)] {
				v = mask(x)
			}
		case map[string]any:
			v = maskData(nil, x)
		case []any:
			list := make([]any, len(x))
			for i, e := range x {
				if m, ok := e.(map[string]any); ok {
					e = maskData(nil, m)
				}
				list[i] = e
			}
			v = list
		}
		out[k] = v
	}
	return out
}

// maskValue masks a personal field's value: text keeps its ends, anything else (which a form's
// text field should not hold) is hidden whole.
func maskValue(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return mask(x)
	}
	return "***"
}

// mask keeps the ends of a number: 138****8000 for a mobile number, 1501**********1234 for an
// 18-digit resident ID; short values keep only their last character.
func mask(s string) string {
	r := []rune(s)
	keepHead, keepTail := 0, 1
	switch {
	case len(r) >= 15:
		keepHead, keepTail = 4, 4
	case len(r) >= 8:
		keepHead, keepTail = 3, 4
	case len(r) <= 1:
		return strings.Repeat("*", len(r))
	}
	return string(r[:keepHead]) + strings.Repeat("*", len(r)-keepHead-keepTail) + string(r[len(r)-keepTail:])
}

type requestKey struct{}

// requestOf is "METHOD /path" of the request being served, for log lines.
func requestOf(ctx context.Context) string {
	r, _ := ctx.Value(requestKey{}).(string)
	return r
}

// logRequests logs every request with its status and duration, and puts "METHOD /path" in the
// context for the log lines of refusals.
func (s *Server) logRequests(ctx huma.Context, next func(huma.Context)) {
	start := time.Now()
	req := ctx.Method() + " " + ctx.URL().Path
	if op := ctx.Operation(); op != nil && op.Metadata[secretPath] == true {
		req = ctx.Method() + " " + op.Path // a rating link's token stays out of the log
	}
	next(huma.WithValue(ctx, requestKey{}, req))
	s.Logger.LogAttrs(ctx.Context(), slog.LevelInfo, "request", slog.String("request", req),
		slog.Int("status", ctx.Status()), slog.Duration("took", time.Since(start)))
}

// DefaultRateLimit is the steady rate of requests per user (per client address for requests
// without a valid bearer token); a user may burst to five seconds' worth.
const DefaultRateLimit = 20

// limiter keeps one token bucket per user and one per client address.
type limiter struct {
	api     huma.API
	perSec  int
	burst   int
	mu      sync.Mutex
	buckets map[[32]byte]*rate.Limiter
	seen    map[[32]byte]time.Time
}

func newLimiter(api huma.API, perSec int) *limiter {
	return &limiter{api: api, perSec: perSec, burst: 5 * perSec, buckets: map[[32]byte]*rate.Limiter{}, seen: map[[32]byte]time.Time{}}
}

// userBucket and addrBucket are the limiter's keys of an authenticated user and of a client address.
func userBucket(id string) string { return "user:" + id }

func (s *Server) addrBucket(ctx huma.Context) string { return "addr:" + s.clientAddr(ctx) }

// allow spends one request of key's bucket. When the bucket is empty it answers 429 with
// Retry-After and reports false.
func (l *limiter) allow(ctx huma.Context, key string) bool {
	if delay := l.take(key, 1); delay > 0 {
		ctx.SetHeader("Retry-After", retryAfter(delay))
		_ = huma.WriteErr(l.api, ctx, http.StatusTooManyRequests, "too many requests: slow down and retry after the Retry-After seconds")
		return false
	}
	return true
}

// take spends n requests of key's bucket, or none and reports how long to wait until it could.
// It never asks more than a burst less the request that brought the charge, which a full
// bucket can always give.
func (l *limiter) take(key string, n int) time.Duration {
	if l.perSec < 0 {
		return 0
	}
	n = max(1, min(n, l.burst-1))
	now := time.Now()
	sum := sha256.Sum256([]byte(key))
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[sum]
	if !ok {
		if len(l.buckets) > 100_000 {
			// Forget the buckets idle long enough to be full again.
			for k, t := range l.seen {
				if now.Sub(t) > time.Duration(l.burst/l.perSec)*time.Second {
					delete(l.buckets, k)
					delete(l.seen, k)
				}
			}
		}
		b = rate.NewLimiter(rate.Limit(l.perSec), l.burst)
		l.buckets[sum] = b
	}
	l.seen[sum] = now
	r := b.ReserveN(now, n)
	delay := r.DelayFrom(now)
	if delay > 0 {
		r.CancelAt(now)
	}
	return delay
}

func retryAfter(d time.Duration) string {
	return strconv.Itoa(int(math.Ceil(d.Seconds())))
}

type chargeKey struct{}

// charge spends n more requests of the current user's bucket for a request that costs as much
// as n ordinary ones (statistics over a long period), or answers 429 with Retry-After.
func charge(ctx context.Context, n int) error {
	f, ok := ctx.Value(chargeKey{}).(func(int) time.Duration)
	if !ok || n <= 0 {
		return nil
	}
	if delay := f(n); delay > 0 {
		return huma.ErrorWithHeaders(huma.NewError(http.StatusTooManyRequests,
			"too many requests: this request costs as much as "+strconv.Itoa(n+1)+" ordinary ones; retry after the Retry-After seconds"),
			http.Header{"Retry-After": {retryAfter(delay)}})
	}
	return nil
}
