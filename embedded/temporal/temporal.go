// Package temporal runs a Temporal server inside the OneDoor process for development and tests,
// with its state in a SQLite file so that cases survive a restart.
//
// It links the whole Temporal server, which makes every binary that imports it large and slow to
// link: only cmd/onedoor imports it. Tests reach it through the built binary (`onedoor testenv`),
// never by importing this package.
package temporal

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/membership/static"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	"go.temporal.io/server/common/primitives"
	sqliteschema "go.temporal.io/server/schema/sqlite"
	"go.temporal.io/server/temporal"
)

// Options configures an embedded server.
type Options struct {
	// Dir holds the SQLite database and the server log. Empty means in memory.
	Dir string
	// Host is the address the frontend binds to; 127.0.0.1 when empty.
	Host string
	// Port is the frontend gRPC port; a free port when 0.
	Port int
	// Namespace is registered on first start.
	Namespace string
	// SearchAttributes are the custom search attributes registered with the namespace.
	SearchAttributes map[string]enumspb.IndexedValueType
	// LogLevel of the server log (debug, info, warn, error); warn when empty.
	LogLevel string
	// LogFile receives the server log; Dir/temporal.log when empty, or stderr without a Dir.
	LogFile string
	// Synchronous is SQLite's synchronous setting of the database in Dir: SyncFull (the default)
	// writes every commit through to the disk; SyncNormal leaves that to checkpoints, which no
	// process crash can undo but a power loss may, for the last commits (the SQLite
	// documentation's "WAL mode"), and which `make storm` measured 2.6 times as fast at working off
	// 1,000 deadlines due at once.
	Synchronous string
	// TaskWorkers is how many of the history service's timer, transfer and visibility tasks run
	// at once, of each kind; DefaultTaskWorkers when 0. The SQLite plugin writes through one
	// connection, which database/sql hands to a random one of the calls waiting for it: with
	// Temporal's 512 of each kind, the deadlines of a storm kept hundreds of calls waiting, and a
	// clerk's write waited seconds among them.
	TaskWorkers int
}

// DefaultTaskWorkers is Options.TaskWorkers when it is 0 (docs/operations.md, the midnight storm).
const DefaultTaskWorkers = 16

// SQLite's synchronous settings a server in a folder may use.
const (
	SyncFull   = "full"
	SyncNormal = "normal"
)

// Server is a running embedded Temporal server.
type Server struct {
	server  temporal.Server
	address string
}

// Address is the frontend's host:port, for TEMPORAL_ADDRESS.
func (s *Server) Address() string { return s.address }

// Stop stops every service of the server.
func (s *Server) Stop() error { return s.server.Stop() }

// Start composes a single-process Temporal server (frontend, history, matching and worker
// services) over SQLite, creates the schema and namespace on first start and starts it.
func Start(opts Options) (*Server, error) {
	if opts.Namespace == "" {
		return nil, errors.New("temporal: a namespace is required")
	}
	if opts.Host == "" {
		opts.Host = "127.0.0.1"
	}
	if opts.LogLevel == "" {
		opts.LogLevel = "warn"
	}
	ports, err := freePorts(opts.Host, 5)
	if err != nil {
		return nil, err
	}
	if opts.Port == 0 {
		opts.Port = ports[0]
	}
	const clusterName = "active"
	frontend := net.JoinHostPort(opts.Host, strconv.Itoa(opts.Port))
	frontendHTTP := net.JoinHostPort(opts.Host, strconv.Itoa(ports[1]))

	sqlConf, err := sqlConfig(opts)
	if err != nil {
		return nil, err
	}
	ns, err := sqliteschema.NewNamespaceConfig(clusterName, opts.Namespace, false, opts.SearchAttributes)
	if err != nil {
		return nil, fmt.Errorf("temporal: namespace config: %w", err)
	}
	if err := sqliteschema.CreateNamespaces(sqlConf, ns); err != nil {
		return nil, fmt.Errorf("temporal: create namespace: %w", err)
	}

	service := func(port int) config.Service {
		var s config.Service
		s.RPC.GRPCPort = port
		s.RPC.BindOnIP = opts.Host
		return s
	}
	frontendService := service(opts.Port)
	frontendService.RPC.HTTPPort = ports[1]

	var conf config.Config
	conf.Global.Membership.MaxJoinDuration = 30e9
	conf.Global.Membership.BroadcastAddress = opts.Host
	conf.Persistence.DefaultStore = "sqlite"
	conf.Persistence.VisibilityStore = "sqlite"
	conf.Persistence.NumHistoryShards = 1
	conf.Persistence.DataStores = map[string]config.DataStore{"sqlite": {SQL: sqlConf}}
	conf.ClusterMetadata = &cluster.Config{
		FailoverVersionIncrement: 10,
		MasterClusterName:        clusterName,
		CurrentClusterName:       clusterName,
		ClusterInformation: map[string]cluster.ClusterInformation{
			clusterName: {
				Enabled:                true,
				InitialFailoverVersion: 1,
				RPCAddress:             frontend,
				HTTPAddress:            frontendHTTP,
				ClusterID:              "onedoor-dev",
			},
		},
	}
	conf.DCRedirectionPolicy.Policy = "noop"
	conf.Services = map[string]config.Service{
		"frontend": frontendService,
		"history":  service(ports[2]),
		"matching": service(ports[3]),
		"worker":   service(ports[4]),
	}
	conf.Archival.History.State = "disabled"
	conf.Archival.Visibility.State = "disabled"
	conf.NamespaceDefaults.Archival.History.State = "disabled"
	conf.NamespaceDefaults.Archival.Visibility.State = "disabled"
	conf.PublicClient.HostPort = frontend

	logConf := log.Config{Level: opts.LogLevel, Format: "console", OutputFile: opts.LogFile}
	if logConf.OutputFile == "" && opts.Dir != "" {
		logConf.OutputFile = filepath.Join(opts.Dir, "temporal.log")
	}
	logger := log.NewZapLogger(log.BuildZapLogger(logConf))

	hosts := func(port int) static.Hosts {
		return static.SingleLocalHost(net.JoinHostPort(opts.Host, strconv.Itoa(port)))
	}
	dyn := dynamicconfig.StaticClient{
		// Visibility queries back the supervisors' views in development; the default is low.
		dynamicconfig.FrontendMaxNamespaceVisibilityRPSPerInstance.Key(): 100,
		dynamicconfig.HistoryCacheHostLevelMaxSize.Key():                 8192,
		// The mirror activity a clerk's action schedules comes back with the workflow task's
		// answer, not through matching: half the action's time (docs/deployment.md).
		dynamicconfig.EnableActivityEagerExecution.Key(): true,
		// This server has one history shard, whose transfer queue (the workflow tasks that an
		// activity's or a timer's end schedules) is read at most 20 times a second by default: a
		// clerk's second action on a case waited about 35 ms behind the workflow task of the
		// first one's mirror (docs/deployment.md).
		dynamicconfig.TransferProcessorMaxPollRPS.Key(): 1000,
	}
	workers := cmp.Or(opts.TaskWorkers, DefaultTaskWorkers)
	for _, k := range []dynamicconfig.Key{dynamicconfig.TimerProcessorSchedulerWorkerCount.Key(),
		dynamicconfig.TransferProcessorSchedulerWorkerCount.Key(), dynamicconfig.VisibilityProcessorSchedulerWorkerCount.Key()} {
		dyn[k] = workers
	}
	server, err := temporal.NewServer(
		temporal.WithConfig(&conf),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithStaticHosts(map[primitives.ServiceName]static.Hosts{
			primitives.FrontendService: hosts(opts.Port),
			primitives.HistoryService:  hosts(ports[2]),
			primitives.MatchingService: hosts(ports[3]),
			primitives.WorkerService:   hosts(ports[4]),
		}),
		temporal.WithLogger(logger),
		temporal.WithDynamicConfigClient(dyn),
	)
	if err != nil {
		return nil, fmt.Errorf("temporal: compose server: %w", err)
	}
	if err := server.Start(); err != nil {
		return nil, fmt.Errorf("temporal: start server: %w", err)
	}
	return &Server{server: server, address: frontend}, nil
}

// sqlConfig points the SQLite plugin at the database file, creating its schema on first start.
func sqlConfig(opts Options) (*config.SQL, error) {
	conf := &config.SQL{PluginName: sqliteplugin.PluginName}
	if opts.Dir == "" {
		conf.ConnectAttributes = map[string]string{"mode": "memory", "cache": "shared"}
		conf.DatabaseName = "onedoor-" + strconv.Itoa(os.Getpid())
		return conf, nil // the plugin creates the schema of an in-memory database itself
	}
	if err := os.MkdirAll(opts.Dir, 0o750); err != nil {
		return nil, fmt.Errorf("temporal: data folder: %w", err)
	}
	sync := opts.Synchronous
	if sync == "" {
		sync = SyncFull
	}
	if sync != SyncFull && sync != SyncNormal {
		return nil, fmt.Errorf("temporal: synchronous %q: want %s or %s", sync, SyncFull, SyncNormal)
	}
	conf.ConnectAttributes = map[string]string{"mode": "rwc", "journal_mode": "wal", "synchronous": sync, "busy_timeout": "10000"}
	conf.DatabaseName = filepath.Join(opts.Dir, "temporal.db")
	if _, err := os.Stat(conf.DatabaseName); errors.Is(err, os.ErrNotExist) {
		if err := sqliteschema.SetupSchema(conf); err != nil {
			// A half-made schema would make every later start fail: start again from nothing.
			_ = os.Remove(conf.DatabaseName)
			return nil, fmt.Errorf("temporal: set up schema: %w", err)
		}
	}
	return conf, nil
}

// freePorts asks the kernel for n distinct free ports on host.
func freePorts(host string, n int) ([]int, error) {
	ports := make([]int, 0, n)
	var listeners []net.Listener
	defer func() {
		for _, l := range listeners {
			_ = l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
		if err != nil {
			return nil, fmt.Errorf("temporal: find a free port: %w", err)
		}
		listeners = append(listeners, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}
