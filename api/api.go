// Package api is OneDoor's HTTP API: REST over huma, documented by the OpenAPI document it
// serves at /openapi.json and /docs. Domain errors are mapped to problem+json here, once.
package api

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/google/uuid"
	"github.com/realclientip/realclientip-go"
	"go.temporal.io/sdk/client"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/auth"
	"github.com/onedoor/onedoor/blob"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/lookup"
	"github.com/onedoor/onedoor/service"
	"github.com/onedoor/onedoor/store"
)

// Version is the API's version in the OpenAPI document.
const Version = "0.1.0"

// bearer is the name of the security scheme every /v1 operation requires.
const bearer = "bearer"

// mirrorWait is how long a read waits for a case whose registration has begun, perhaps through
// another API node, to reach the read model (store.CaseSoon): as long as that registration's
// answer waits for it.
const mirrorWait = service.MirrorWait

// Server holds what the API's handlers need.
type Server struct {
	Store *store.Store
	// Temporal is the client the case service (package service) starts and updates case
	// workflows with; the API itself never calls it.
	Temporal client.Client
	Verifier *auth.Verifier
	Logger   *slog.Logger
	// NumberOrg is the prefix of case numbers for a county whose government unit names none (an
	// organisation without a government level); a county's own number_prefix comes first.
	NumberOrg string
	// TaskQueue is where case workflows run; workflows.TaskQueue when empty.
	TaskQueue string
	// Namespace is the Temporal namespace of Temporal's client; "default" when empty.
	Namespace string
	// Behind, when set, reports whether the case workflows' tasks wait for a worker (a timer
	// storm): registrations and clerks' actions then go ahead of them (service/backlog.go).
	Behind func(context.Context) bool
	// RateLimit is the steady rate of requests a user may make per second (a client address,
	// for requests without a valid bearer token); DefaultRateLimit when 0, no limit when negative.
	RateLimit int
	// ResidentRate is the steady rate of residents' requests without an account (status, rating)
	// a client address may make per second, in bursts of five seconds' worth; DefaultResidentRate
	// when 0, no limit when negative.
	ResidentRate int
	// TrustedProxies are the reverse proxies in front of the API whose X-Forwarded-For tells the
	// client's address to the rate limits (clientaddr.go); none when empty.
	TrustedProxies []net.IPNet
	// RequestTimeout is how long a request may take before it is answered 503;
	// DefaultRequestTimeout when 0, none when negative.
	RequestTimeout time.Duration
	// DevSignIn, when set, offers sign-in as a demo user without a password (onedoor dev only).
	DevSignIn *DevSignIn
	// OIDC, when set, is the OpenID Connect provider the workbench signs in at (GET /v1/auth/config).
	OIDC *OIDCClient
	// PublicURL is where residents reach the center's public pages (scheme://host[/prefix]), for
	// the QR code of the acceptance notice; the address a request reached when empty.
	PublicURL string
	// Blobs keeps the bytes of attachments (attachments.go); without it they are answered 503.
	Blobs blob.Store
	// AttachmentMaxBytes bounds an attachment's size; DefaultAttachmentMaxBytes when 0.
	AttachmentMaxBytes int64
	// Lookup is the key of the resident lookup's hashes (lookup.go); without it the lookup answers
	// 503 and registrations record no hashes.
	Lookup *lookup.Key

	forms sync.Map       // procedure "key@version" → *definitions.Procedure of published versions
	cases *service.Cases // set by Register
	// migrating are the ids of the migration plans this node applies now (migrations.go).
	migrating sync.Map
	// forwarded reads the client's address from X-Forwarded-For (clientaddr.go); set by Register
	// when there are TrustedProxies.
	forwarded realclientip.Strategy
	events    events      // wakes this node's event streams
	sse       streamEnder // ends them on shutdown (shutdown.go)
}

// Handler returns the API's HTTP handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	api := humago.New(mux, Config())
	s.Register(api)
	mux.Handle("GET /", webHandler()) // the workbench, at every path the API does not own
	return mux
}

// Config is the huma configuration: the OpenAPI document's description and security scheme.
func Config() huma.Config {
	cfg := huma.DefaultConfig("OneDoor API", Version)
	cfg.Info.Description = "OneDoor: the workflow engine of a county's comprehensive governance center (综治中心). " +
		"Every /v1 operation needs a bearer token, but for how to sign in (/v1/auth/config), what residents do without " +
		"an account (/v1/public/: docs/residents.md) and what grid systems post with a token of their own (/v1/grid/: docs/grid.md); in development `onedoor token --user ID` prints one."
	cfg.Components.Schemas = huma.NewMapRegistry("#/components/schemas/", schemaNamer()) // Clock is two types
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		bearer: {Type: "http", Scheme: "bearer", BearerFormat: "JWT"},
		gridScheme: {Type: "http", Scheme: "bearer", Description: "A grid source's token, printed once by `onedoor grid-sources add`: " +
			"for the grid systems that post grid events (/v1/grid/), not for staff. See docs/grid.md."},
	}
	// The docs page loads its renderer from the OpenAPI document at /openapi.json.
	cfg.DocsRenderer = huma.DocsRendererScalar
	// huma sets a read deadline on the connection to read a body and leaves it there, so a
	// handler that outlives it (an action waiting for its workflow and the read model) has its
	// request cancelled by net/http. The edge middleware reads bodies under bodyReadTimeout
	// instead and lifts the deadline once the body is in.
	cfg.OnAddOperation = append(cfg.OnAddOperation, func(_ *huma.OpenAPI, op *huma.Operation) { op.BodyReadTimeout = -1 })
	// Every problem gets its codes, and its messages in Chinese when the client prefers it.
	cfg.Transformers = append(cfg.Transformers, localizeErrors)
	cfg.Info.Description += " Errors are problem+json with a stable `code` beside each message; the messages are in " +
		"Chinese when Accept-Language prefers it (zh, zh-CN), in English otherwise."
	return cfg
}

// Register adds every operation and the authentication middleware to api.
func (s *Server) Register(api huma.API) {
	s.cases = &service.Cases{Temporal: s.Temporal, TaskQueue: s.TaskQueue, Namespace: s.Namespace, Behind: s.Behind, Store: s.Store, Logger: s.Logger}
	if len(s.TrustedProxies) > 0 {
		strategy, err := realclientip.NewRightmostTrustedRangeStrategy("X-Forwarded-For", s.TrustedProxies)
		if err != nil {
			panic(err) // only for a header name other than the library's own two; this is one of them
		}
		s.forwarded = strategy
	}
	// Request bodies are limited by huma's default MaxBodyBytes (1 MiB, 413 beyond it); edge.go
	// refuses bad text and unreadable bodies, and answers a panic 500.
	api.UseMiddleware(s.logRequests, s.recoverPanics(api), s.withDeadline,
		s.authenticate(api, newLimiter(api, cmp.Or(s.RateLimit, DefaultRateLimit))), s.edge(api), s.inContext, s.endStreams)
	s.registerHealth(api)
	s.registerCases(api)
	s.registerDocuments(api)
	s.registerAttachments(api)
	s.registerProcedures(api)
	s.registerMigrations(api)
	s.registerOverrides(api)
	s.registerStudio(api)
	s.registerAssessment(api)
	s.registerCalendar(api)
	s.registerTasks(api)
	s.registerBatch(api)
	s.registerSearch(api)
	s.registerSupervision(api)
	s.registerEvents(api)
	s.registerStats(api)
	s.registerNotices(api)
	s.registerOrg(api)
	s.registerDirectory(api)
	s.registerOrgEditing(api)
	s.registerMe(api)
	s.registerAuthConfig(api)
	s.registerResidents(api)
	s.registerLookup(api)
	s.registerJoin(api)
	s.registerCourt(api)
	s.registerConferences(api)
	s.registerGrid(api)
	if s.DevSignIn != nil {
		s.registerDevSignIn(api)
	}
}

type userKey struct{}

// inContext puts the server in the request's context, for the input resolvers that check a
// request against the database (CreateCaseInput.Resolve).
func (s *Server) inContext(ctx huma.Context, next func(huma.Context)) {
	next(huma.WithValue(ctx, serverKey{}, s))
}

// PostHeader names the post a request acts in (onedoor.Post.Key), for a user who holds several.
// Without it a request about one case acts in the first of the user's posts that sees the case,
// the queue is the union of every post's, and the other lists are the first post's.
const PostHeader = "OneDoor-Post"

// acting is the authenticated user of a request in the post it acts in, and their posts.
type acting struct {
	user   onedoor.User   // in the post acted in
	posts  []onedoor.Post // every post of the user, the first first
	chosen bool           // the request named the post (PostHeader)
	copy   bool           // the case read is in no post's scope, only copied to the user (抄送)
}

// currentUser is the authenticated user of a request, in the post it acts in; operations that
// require a bearer token always have one.
func currentUser(ctx context.Context) onedoor.User {
	if a, ok := ctx.Value(userKey{}).(*acting); ok {
		return a.user
	}
	return onedoor.User{}
}

// postsOf are the posts a request may act in: the one it named, else every post of the user.
func postsOf(ctx context.Context) []onedoor.Post {
	a, ok := ctx.Value(userKey{}).(*acting)
	switch {
	case !ok:
		return nil
	case a.chosen:
		return []onedoor.Post{a.user.Post()}
	}
	return a.posts
}

// allPostsOf are every post of the request's user, the first first, whichever the request acts in.
func allPostsOf(ctx context.Context) []onedoor.Post {
	if a, ok := ctx.Value(userKey{}).(*acting); ok {
		return a.posts
	}
	return nil
}

// actIn makes the request act in post p, one of postsOf.
func actIn(ctx context.Context, p onedoor.Post) {
	if a, ok := ctx.Value(userKey{}).(*acting); ok {
		a.user = a.user.In(p)
	}
}

// authenticate checks the bearer token of every operation whose Security asks for one, and
// limits the rate of requests: an authenticated user's by the user, whatever token they use;
// everything else (operations without a token, missing, bad or unknown tokens) by the client's
// address, so that made-up tokens buy no fresh buckets.
func (s *Server) authenticate(api huma.API, lim *limiter) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		op := ctx.Operation()
		if op != nil && op.OperationID == "live" {
			next(ctx) // a liveness probe answered 429 would have the process restarted
			return
		}
		if usesGridScheme(op) {
			s.authenticateGrid(api, lim, ctx, next)
			return
		}
		if op == nil || len(op.Security) == 0 {
			if lim.allow(ctx, s.addrBucket(ctx)) {
				next(ctx)
			}
			return
		}
		token, ok := strings.CutPrefix(ctx.Header("Authorization"), "Bearer ")
		if !ok || token == "" {
			if lim.allow(ctx, s.addrBucket(ctx)) {
				ctx.SetHeader("WWW-Authenticate", `Bearer realm="onedoor"`)
				_ = huma.WriteErr(api, ctx, http.StatusUnauthorized, "a bearer token is required: Authorization: Bearer <token>")
			}
			return
		}
		id, err := s.Verifier.Verify(token)
		if err != nil {
			if lim.allow(ctx, s.addrBucket(ctx)) {
				msg := "invalid bearer token"
				var e *onedoor.Error
				if errors.As(err, &e) {
					msg = e.Message
				}
				ctx.SetHeader("WWW-Authenticate", `Bearer realm="onedoor", error="invalid_token"`)
				_ = huma.WriteErr(api, ctx, http.StatusUnauthorized, msg)
			}
			return
		}
		user, err := s.Store.User(ctx.Context(), id)
		if err != nil {
			if onedoor.ErrorCode(err) == onedoor.ENotFound {
				if lim.allow(ctx, s.addrBucket(ctx)) {
					// The sign-in worked: what is missing is a post in the staff directory.
					s.Logger.WarnContext(ctx.Context(), "refused", "user", id, "reason", "no such user in the directory")
					_ = huma.WriteErr(api, ctx, http.StatusForbidden, fmt.Sprintf(
						"you signed in as %s, who is not in OneDoor's staff directory: ask your administrator to add user %s with a role and an org unit (工作人员)", id, id))
				}
				return
			}
			_ = huma.WriteErr(api, ctx, http.StatusServiceUnavailable, "cannot look up the user now; try again")
			s.Logger.ErrorContext(ctx.Context(), "look up user", "user", id, "error", err)
			return
		}
		if !lim.allow(ctx, userBucket(user.ID)) {
			return
		}
		act := &acting{user: user, posts: user.AllPosts()}
		if key := ctx.Header(PostHeader); key != "" {
			p, ok := user.PostByKey(key)
			if !ok {
				keys := make([]string, len(act.posts))
				for i, p := range act.posts {
					keys[i] = p.Key()
				}
				_ = huma.WriteErr(api, ctx, http.StatusForbidden, fmt.Sprintf("%s holds no post %s; their posts are %s", user.ID, key, strings.Join(keys, ", ")))
				return
			}
			act.user, act.chosen = user.In(p), true
		}
		ctx = huma.WithValue(ctx, chargeKey{}, func(n int) time.Duration { return lim.take(userBucket(user.ID), n) })
		next(huma.WithValue(ctx, userKey{}, act))
	}
}

// problem maps an error to the HTTP error huma writes as problem+json, the one place where
// onedoor.Error codes become statuses: ENotFound 404, EInvalid 422 (with its fields), EConflict
// 409 (an action the case workflow refused, forbidden-by-state included), EForbidden 403,
// EUnauthorized 401, EUnavailable 503. Internal errors are logged with an id and the client gets
// only that id; a request that ran out of time, or a call of the case service that did, is a 503.
func (s *Server) problem(ctx context.Context, err error) error {
	if outOfTime(ctx, err) {
		return s.deadlineProblem(ctx, err)
	}
	var ve *definitions.ValidationError
	if errors.As(err, &ve) {
		// One detail per problem, located by its path in the definition and its place in the YAML.
		details := make([]error, 0, len(ve.Problems))
		for _, p := range ve.Problems {
			msg := p.Message
			if p.Line > 0 {
				msg += fmt.Sprintf(" (line %d, column %d)", p.Line, p.Column)
			}
			details = append(details, &huma.ErrorDetail{Location: p.Path, Message: msg})
		}
		title := "the definition has a problem"
		if len(ve.Problems) != 1 {
			title = fmt.Sprintf("the definition has %d problems", len(ve.Problems))
		}
		return huma.Error422UnprocessableEntity(title, details...)
	}
	if store.Unavailable(err) {
		// The database is away: the client's request may well succeed in a moment.
		s.Logger.WarnContext(ctx, "database unavailable", "request", requestOf(ctx), "error", err)
		return huma.ErrorWithHeaders(huma.Error503ServiceUnavailable("the database is unavailable: try again shortly"),
			http.Header{"Retry-After": {"5"}})
	}
	var e *onedoor.Error
	if !errors.As(err, &e) {
		return s.internal(ctx, err)
	}
	details := make([]error, 0, len(e.Fields))
	for _, f := range e.Fields {
		details = append(details, &huma.ErrorDetail{Location: f.Path, Message: f.Message, Value: f.Value})
	}
	switch e.Code {
	case onedoor.ENotFound:
		return huma.Error404NotFound(e.Message)
	case onedoor.EInvalid:
		return huma.Error422UnprocessableEntity(e.Message, details...)
	case onedoor.EConflict:
		return huma.Error409Conflict(e.Message)
	case onedoor.EForbidden:
		return huma.Error403Forbidden(e.Message)
	case onedoor.EUnauthorized:
		return huma.Error401Unauthorized(e.Message)
	case onedoor.EUnavailable:
		s.Logger.WarnContext(ctx, "dependency unavailable", "request", requestOf(ctx), "error", err)
		return huma.ErrorWithHeaders(huma.Error503ServiceUnavailable(e.Message), http.Header{"Retry-After": {"5"}})
	}
	return s.internal(ctx, err)
}

// internal logs an internal error, its whole chain, with an id, and gives the client only the id.
func (s *Server) internal(ctx context.Context, err error) error {
	id := uuid.NewString()
	s.Logger.ErrorContext(ctx, "internal error", "error_id", id, "error", err)
	return huma.Error500InternalServerError("internal error " + id + ": the details are in the server log")
}

// secured is the Security list of an operation that needs a bearer token.
var secured = []map[string][]string{{bearer: {}}}
