package telemetry

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/onedoor/onedoor/store"
)

// GaugeTTL is how long the read model's gauges are reused before they are counted again: a
// scrape every few seconds, from several Prometheus servers, costs the database one count.
const GaugeTTL = 30 * time.Second

var (
	openCasesDesc = prometheus.NewDesc("onedoor_cases_open", "Open cases, by the level that holds them (from the read model).", []string{"level"}, nil)
	overdueDesc   = prometheus.NewDesc("onedoor_tasks_overdue", "Open tasks past their deadline, by level (from the read model).", []string{"level"}, nil)
	unreadDesc    = prometheus.NewDesc("onedoor_notifications_unread", "Notifications to supervisors and departments nobody has read yet (from the read model).", nil, nil)
	gaugeUpDesc   = prometheus.NewDesc("onedoor_read_model_gauges_up", "1 when the read model's gauges could be counted at the last try, 0 when the database did not answer.", nil, nil)
)

// ReadModelGauges adds the read model's gauges (open cases by level, overdue tasks, unread
// notifications) to the registry, counted when scraped, at most once per GaugeTTL.
func (t *Telemetry) ReadModelGauges(s *store.Store, logger *slog.Logger) {
	t.Registry.MustRegister(&gaugeCollector{count: s.Gauges, logger: logger, ttl: GaugeTTL})
}

// PoolStats adds the store's connection pool (connections acquired, idle, total, and the waits
// for one) to the registry: a process whose requests wait for connections needs a larger
// pool_max_conns, or fewer processes per database.
func (t *Telemetry) PoolStats(s *store.Store) error {
	return s.RecordPoolStats(t.meter)
}

type gaugeCollector struct {
	count  func(context.Context) (store.Gauges, error)
	logger *slog.Logger
	ttl    time.Duration

	mu     sync.Mutex
	at     time.Time
	last   store.Gauges
	lastOK bool
}

func (c *gaugeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- openCasesDesc
	ch <- overdueDesc
	ch <- unreadDesc
	ch <- gaugeUpDesc
}

func (c *gaugeCollector) Collect(ch chan<- prometheus.Metric) {
	g, ok := c.gauges()
	up := 0.0
	if ok {
		up = 1
		for level, n := range g.OpenCases {
			ch <- prometheus.MustNewConstMetric(openCasesDesc, prometheus.GaugeValue, float64(n), level)
		}
		for level, n := range g.OverdueTasks {
			ch <- prometheus.MustNewConstMetric(overdueDesc, prometheus.GaugeValue, float64(n), level)
		}
		ch <- prometheus.MustNewConstMetric(unreadDesc, prometheus.GaugeValue, float64(g.UnreadNotifications))
	}
	ch <- prometheus.MustNewConstMetric(gaugeUpDesc, prometheus.GaugeValue, up)
}

// gauges are the last counts when fresh, else new ones; a scrape waits at most 5 s for them.
func (c *gaugeCollector) gauges() (store.Gauges, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() && time.Since(c.at) < c.ttl {
		return c.last, c.lastOK
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	g, err := c.count(ctx)
	c.at, c.last, c.lastOK = time.Now(), g, err == nil
	if err != nil {
		c.logger.Warn("metrics: cannot count the read model's gauges", "error", err)
	}
	return g, err == nil
}
