package metrics

import (
	"fmt"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// OldestDrift exposes the age of the oldest open drift, computed at each
// scrape from the first_seen_at the last cycle found, so that the age keeps
// growing between cycles.
type OldestDrift struct {
	mu    sync.Mutex
	first *time.Time
	now   func() time.Time
}

// NewOldestDrift registers rackflow_drift_oldest_open_age_seconds on reg.
func NewOldestDrift(reg prometheus.Registerer) (*OldestDrift, error) {
	o := &OldestDrift{now: time.Now}
	g := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: Namespace, Name: "drift_oldest_open_age_seconds",
		Help: "Age of the oldest open drift, 0 when nothing drifts.",
	}, o.age)
	if err := reg.Register(g); err != nil {
		return nil, fmt.Errorf("metrics: registering drift age: %w", err)
	}
	return o, nil
}

// Set records the first_seen_at of the oldest open drift; nil when none.
func (o *OldestDrift) Set(first *time.Time) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.first = first
}

func (o *OldestDrift) age() float64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.first == nil {
		return 0
	}
	return max(0, o.now().Sub(*o.first).Seconds())
}
