// Package metrics owns rackflow's Prometheus metrics about cycles, held
// deletes, open drift and leadership. They are registered on a registry the
// caller passes in, never on the global one, so tests and several servers in
// one process don't collide.
package metrics

import (
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Namespace prefixes every rackflow metric.
const Namespace = "rackflow"

// durationBuckets spans a small site's sub-second cycle up to the default
// 10-minute cycle budget.
var durationBuckets = []float64{0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600}

// stepBuckets spans a 100-rack site's millisecond stages up to a step that
// takes most of the cycle budget.
var stepBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600}

// Cycle holds the metrics an inventory cycle reports. Its methods are safe
// for concurrent use.
type Cycle struct {
	cycles        *prometheus.CounterVec
	duration      prometheus.Histogram
	stepDuration  *prometheus.HistogramVec
	lastCycle     *prometheus.GaugeVec
	heldDeletes   *prometheus.GaugeVec
	driftOpen     *prometheus.GaugeVec
	startFailures prometheus.Counter
	leader        prometheus.Gauge
}

// NewCycle creates the cycle metrics and registers them on reg.
func NewCycle(reg prometheus.Registerer) (*Cycle, error) {
	c := newCycle()
	for _, col := range c.collectors() {
		if err := reg.Register(col); err != nil {
			return nil, fmt.Errorf("metrics: registering cycle metrics: %w", err)
		}
	}
	return c, nil
}

func newCycle() *Cycle {
	return &Cycle{
		cycles: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Name: "cycles_total",
			Help: "Inventory cycles finished, by status (ok, partial or failed).",
		}, []string{"status"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: Namespace, Name: "cycle_duration_seconds",
			Help:    "Wall-clock duration of finished inventory cycles.",
			Buckets: durationBuckets,
		}),
		stepDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Name: "cycle_step_duration_seconds",
			Help:    "Wall-clock duration of cycle steps by phase (mirror, actual), type and stage (pull, plan, apply, total).",
			Buckets: stepBuckets,
		}, []string{"phase", "type", "stage"}),
		lastCycle: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: Namespace, Name: "last_cycle_timestamp_seconds",
			Help: "Unix time at which the last cycle of each status finished.",
		}, []string{"status"}),
		heldDeletes: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: Namespace, Name: "mirror_held_deletes",
			Help: "Deletes the mass-delete guard held back in the last cycle, by resource type.",
		}, []string{"type"}),
		driftOpen: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: Namespace, Name: "drift_open",
			Help: "Open drift records after the last cycle, by component type and drift type.",
		}, []string{"type", "drift_type"}),
		startFailures: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: Namespace, Name: "cycle_start_failures_total",
			Help: "Cycles that could not start because the database was unreachable, so no cycle row could be written.",
		}),
		leader: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: Namespace, Name: "leader",
			Help: "1 while this instance holds the leader lock and runs cycles, else 0.",
		}),
	}
}

func (c *Cycle) collectors() []prometheus.Collector {
	return []prometheus.Collector{c.cycles, c.duration, c.stepDuration, c.lastCycle, c.heldDeletes, c.driftOpen, c.startFailures, c.leader}
}

// ObserveCycle records a finished cycle with its final status.
func (c *Cycle) ObserveCycle(status string, started, finished time.Time) {
	c.cycles.WithLabelValues(status).Inc()
	c.duration.Observe(finished.Sub(started).Seconds())
	c.lastCycle.WithLabelValues(status).Set(float64(finished.UnixNano()) / 1e9)
}

// StepTiming is where one step's time went; see cycle.Timing.
type StepTiming struct {
	Pull, Plan, Apply, Total time.Duration
}

// ObserveStep records one finished step of a phase ("mirror" or "actual")
// and a type ("rack", "Compute", "NVSwitch", "PowerShelf"). A stage the step
// never reached (zero) is not observed, so a failed pull does not count as a
// fast plan.
func (c *Cycle) ObserveStep(phase, typ string, t StepTiming) {
	for _, s := range []struct {
		stage string
		d     time.Duration
	}{{"pull", t.Pull}, {"plan", t.Plan}, {"apply", t.Apply}, {"total", t.Total}} {
		if s.d > 0 {
			c.stepDuration.WithLabelValues(phase, typ, s.stage).Observe(s.d.Seconds())
		}
	}
}

// SetHeldDeletes records how many deletes of one resource type (rack,
// Compute, NVSwitch, PowerShelf) the guard held back. Set it to 0 when a
// cycle holds none, so that a release shows.
func (c *Cycle) SetHeldDeletes(typ string, n int) {
	c.heldDeletes.WithLabelValues(typ).Set(float64(n))
}

// SetDriftOpen records how many drifts of one component type and drift type
// are open. Set it to 0 when the last one resolves.
func (c *Cycle) SetDriftOpen(typ, driftType string, n int) {
	c.driftOpen.WithLabelValues(typ, driftType).Set(float64(n))
}

// CycleStartFailed counts a cycle that could not write its row.
func (c *Cycle) CycleStartFailed() { c.startFailures.Inc() }

// SetLeader records whether this instance currently leads.
func (c *Cycle) SetLeader(leader bool) {
	v := 0.0
	if leader {
		v = 1
	}
	c.leader.Set(v)
}
