package metrics

import (
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// PoolStats is a database connection pool's state, as pgxpool and
// database/sql report it.
type PoolStats struct {
	Max, Open, InUse, Idle int
	// WaitCount and WaitDuration are cumulative: acquisitions that had to
	// wait for a connection, and how long they waited in total.
	WaitCount    int64
	WaitDuration time.Duration
}

// pool collects PoolStats at each scrape.
type pool struct {
	stats                   func() PoolStats
	max, open, inUse, idle  *prometheus.Desc
	waitCount, waitDuration *prometheus.Desc
}

// RegisterPool registers the connection pool metrics of the database
// backend (postgres or sqlite), read from stats at each scrape.
func RegisterPool(reg prometheus.Registerer, backend string, stats func() PoolStats) error {
	l := prometheus.Labels{"backend": backend}
	d := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc(prometheus.BuildFQName(Namespace, "db_pool", name), help, nil, l)
	}
	p := &pool{stats: stats,
		max:          d("max_connections", "Largest number of connections the pool opens."),
		open:         d("open_connections", "Connections open, in use or idle."),
		inUse:        d("in_use_connections", "Connections in use."),
		idle:         d("idle_connections", "Idle connections."),
		waitCount:    d("waits_total", "Acquisitions that waited for a connection."),
		waitDuration: d("acquire_seconds_total", "Total time spent acquiring connections (PostgreSQL: every acquisition; SQLite: waits only)."),
	}
	if err := reg.Register(p); err != nil {
		return fmt.Errorf("metrics: registering pool metrics: %w", err)
	}
	return nil
}

func (p *pool) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{p.max, p.open, p.inUse, p.idle, p.waitCount, p.waitDuration} {
		ch <- d
	}
}

func (p *pool) Collect(ch chan<- prometheus.Metric) {
	s := p.stats()
	ch <- prometheus.MustNewConstMetric(p.max, prometheus.GaugeValue, float64(s.Max))
	ch <- prometheus.MustNewConstMetric(p.open, prometheus.GaugeValue, float64(s.Open))
	ch <- prometheus.MustNewConstMetric(p.inUse, prometheus.GaugeValue, float64(s.InUse))
	ch <- prometheus.MustNewConstMetric(p.idle, prometheus.GaugeValue, float64(s.Idle))
	ch <- prometheus.MustNewConstMetric(p.waitCount, prometheus.CounterValue, float64(s.WaitCount))
	ch <- prometheus.MustNewConstMetric(p.waitDuration, prometheus.CounterValue, s.WaitDuration.Seconds())
}
