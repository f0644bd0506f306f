// Package store keeps OneDoor's PostgreSQL data: the organisation, users, the case read model and
// the audit log. It speaks in domain types; pgx types never leave it.
package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"strings"
	"time"

	"github.com/exaring/otelpgx"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/tern/v2/migrate"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/trace"

	"github.com/onedoor/onedoor"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store holds two pools of connections to OneDoor's database (pool and keyed).
type Store struct {
	pool *pgxpool.Pool
	// keyed is a second pool, of sessions that plan a prepared statement once (PostgreSQL's
	// generic plan) instead of at every run: for the statements that look rows up by their key or
	// read a small table whole, whose plan is the same whatever their values. The mirror's writes,
	// the outbox relay, case numbers, the read a request makes while it waits for the read model,
	// and the reads of the organisation, procedures and calendar a request starts with go through
	// it; the read model's queues, searches, boards and statistics stay on pool, planned for their
	// arguments. Planning them at every run was a quarter of PostgreSQL's time for a registration
	// (docs/deployment.md).
	keyed *pgxpool.Pool
	// Clock is the time the store dates publications by (the day a version published without
	// valid_from becomes valid). Open sets time.Now; a caller that keeps its own time, such as
	// a test pinning the day, replaces it.
	Clock func() time.Time
	// PublicURL is where residents reach the center's public pages (ONEDOOR_PUBLIC_URL): the
	// resident's notices link to their case's status page under it. None when empty.
	PublicURL string
	// grams caches the statistics the text search picks a query's gram by (rarestGram).
	grams *gramStats
	// mirrored wakes the requests of this process waiting for a case's read model.
	mirrored mirrorWaits
	// written wakes this process's outbox relay when its mirror has written messages for it.
	written chan struct{}
}

// Open connects to the database at url. It does not migrate it. Every query is traced
// (OpenTelemetry, without its arguments) to the global tracer provider, a no-op unless the process
// configured one, or to the one Traced names.
func Open(ctx context.Context, url string, opts ...Option) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, &onedoor.Error{Code: onedoor.EInvalid, Message: "DATABASE_URL: " + err.Error(), Err: err}
	}
	o := options{tracer: otel.GetTracerProvider()}
	for _, opt := range opts {
		opt(&o)
	}
	// defaultParam sends the setting name = value at connection start unless DATABASE_URL sets it.
	defaultParam := func(name, value string) {
		if _, set := cfg.ConnConfig.RuntimeParams[name]; !set {
			cfg.ConnConfig.RuntimeParams[name] = value
		}
	}
	// Every statement is planned for its arguments. The read model's queries filter by lists of
	// units (a county's subtree) whose selectivity differs from one county to the next;
	// PostgreSQL's generic plan, which it switches to after five runs of a prepared statement,
	// took a county's yearly statistics from 30 ms to 2 s on a platform of ten counties.
	// DATABASE_URL may say otherwise (?plan_cache_mode=auto).
	defaultParam("plan_cache_mode", "force_custom_plan")
	// No parallel workers: the reads here walk a few index ranges, and starting a worker (25 to
	// 50 ms on a 2-core server with 4 GB of shared buffers) cost more than the query. At 6.3
	// million cases the planner, over-estimating a clerk's delegated tasks or a rare word's
	// statements, started two for them: a queue page took 40 ms instead of 2.5, a rare word 75
	// instead of 2.5. DATABASE_URL may say otherwise (?max_parallel_workers_per_gather=2).
	defaultParam("max_parallel_workers_per_gather", "0")
	// No JIT compiling either: at 10 million cases the planner's costs for a search (a rare
	// word's cases sorted newest first) passed jit_above_cost, and compiling took 14 ms of a
	// statement that ran in 3 (a word no case has: 18.8 ms at the median). DATABASE_URL may say
	// otherwise (?jit=on).
	defaultParam("jit", "off")
	// The SQL text names no resident: pgx sends values as parameters, which the spans leave out.
	cfg.ConnConfig.Tracer = queryTracer{otelpgx.NewTracer(otelpgx.WithTracerProvider(o.tracer),
		otelpgx.WithMeterProvider(noop.NewMeterProvider()), otelpgx.WithDisableConnectionDetailsInAttributes(),
		otelpgx.WithDisableAcquireTracer())}
	keyedCfg := cfg.Copy()
	keyedCfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_generic_plan"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: connect: %w", err)
	}
	keyed, err := pgxpool.NewWithConfig(ctx, keyedCfg)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: connect: %w", err)
	}
	return &Store{pool: pool, keyed: keyed, Clock: time.Now, grams: &gramStats{}, written: make(chan struct{}, 1)}, nil
}

// queryTracer is otelpgx's tracer that also hands the statements run under a context a test
// marked (export_test.go's Record) to its list: how the benchmarks read the plans of the
// queries a read ran. Unmarked, it costs one context lookup per query.
type queryTracer struct{ *otelpgx.Tracer }

// recordKey marks a context whose statements are recorded, into the *[]recorded it holds.
type recordKey struct{}

// recorded is one statement a read ran: its text and its arguments.
type recorded struct {
	SQL  string
	Args []any
}

func (t queryTracer) TraceQueryStart(ctx context.Context, conn *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	if list, ok := ctx.Value(recordKey{}).(*[]recorded); ok {
		*list = append(*list, recorded{SQL: data.SQL, Args: data.Args})
	}
	return t.Tracer.TraceQueryStart(ctx, conn, data)
}

// Option changes how Open connects.
type Option func(*options)

type options struct {
	tracer trace.TracerProvider
}

// Traced sends the spans of the store's queries to tp instead of the global tracer provider.
func Traced(tp trace.TracerProvider) Option {
	return func(o *options) { o.tracer = tp }
}

// Close closes every connection.
func (s *Store) Close() {
	s.pool.Close()
	s.keyed.Close()
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }

// Migrate applies the embedded migrations that the database lacks, each in its own transaction,
// recording the version in schema_version. Processes starting at once take turns on an advisory
// lock, so each migration runs once.
func (s *Store) Migrate(ctx context.Context) (from, to int32, err error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("store: migrate: %w", err)
	}
	defer conn.Release()
	m, err := migrate.NewMigrator(ctx, conn.Conn(), "schema_version")
	if err != nil {
		return 0, 0, fmt.Errorf("store: migrate: %w", err)
	}
	m.Data["builtin_notices"] = builtinNoticesSQL()
	sub, _ := fs.Sub(migrations, "migrations")
	if err := m.LoadMigrations(sub); err != nil {
		return 0, 0, fmt.Errorf("store: load migrations: %w", err)
	}
	if from, err = m.GetCurrentVersion(ctx); err != nil {
		return 0, 0, fmt.Errorf("store: migrate: %w", err)
	}
	if err := m.Migrate(ctx); err != nil {
		return from, 0, fmt.Errorf("store: migrate: %w", err)
	}
	to, err = m.GetCurrentVersion(ctx)
	return from, to, err
}

// interpret turns driver errors into domain errors.
func interpret(err error, what string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return onedoor.Errorf(onedoor.ENotFound, "%s not found", what)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23503" {
		return &onedoor.Error{Code: onedoor.EInvalid, Err: err,
			Message: fmt.Sprintf("%s refers to something that does not exist (%s)", what, pgErr.ConstraintName)}
	}
	return err
}

// Unavailable reports whether err says that PostgreSQL cannot be reached or is going away, as
// opposed to a query that is wrong: the API answers such errors 503, to be retried.
func Unavailable(err error) bool {
	var connect *pgconn.ConnectError
	var network net.Error
	var pg *pgconn.PgError
	switch {
	case errors.As(err, &connect), errors.As(err, &network), pgconn.Timeout(err),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed),
		// A connection the driver closed when its socket went away, used again (a transaction's
		// next statement during a cut: the chaos campaign's 500).
		errors.Is(err, pgconn.ErrConnClosed):
		return true
	case errors.As(err, &pg):
		// Class 08: connection exception; 57P01-57P03: shutting down, cannot connect now.
		return strings.HasPrefix(pg.Code, "08") || pg.Code == "57P01" || pg.Code == "57P02" || pg.Code == "57P03"
	}
	return false
}

// RecordPoolStats reports the connection pool's figures (connections in use and idle, waits for a
// connection) as OpenTelemetry metrics of mp, read when mp's reader collects.
// The two pools' figures carry the attribute pool: "reads" or "keyed" (Store.keyed).
func (s *Store) RecordPoolStats(mp metric.MeterProvider) error {
	for name, p := range map[string]*pgxpool.Pool{"reads": s.pool, "keyed": s.keyed} {
		if err := otelpgx.RecordStats(p, otelpgx.WithStatsMeterProvider(mp),
			otelpgx.WithStatsAttributes(attribute.String("pool", name))); err != nil {
			return err
		}
	}
	return nil
}
