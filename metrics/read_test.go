package metrics

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestCoreRPC_CountsLatencyAndErrorsByMethodAndCode(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewCoreRPC()
	if err := m.Register(reg); err != nil {
		t.Fatal(err)
	}
	m.Observe("FindMachinesByIds", 20*time.Millisecond, nil)
	m.Observe("FindMachinesByIds", 30*time.Millisecond, status.Error(codes.Unavailable, "down"))
	m.Observe("Version", time.Millisecond, errors.New("not a status"))
	if n := testutil.CollectAndCount(m.duration); n != 2 {
		t.Errorf("%d duration series, want one per method", n)
	}
	if got := testutil.ToFloat64(m.errors.WithLabelValues("FindMachinesByIds", "Unavailable")); got != 1 {
		t.Errorf("errors{FindMachinesByIds,Unavailable} = %v, want 1", got)
	}
	if got := testutil.ToFloat64(m.errors.WithLabelValues("Version", "Unknown")); got != 1 {
		t.Errorf("errors{Version,Unknown} = %v, want 1", got)
	}
}

func TestRegisterPool_ReadsTheStatsAtEachScrape(t *testing.T) {
	reg := prometheus.NewRegistry()
	open := 1
	if err := RegisterPool(reg, "sqlite", func() PoolStats { return PoolStats{Max: 4, Open: open, InUse: 1, WaitCount: 3} }); err != nil {
		t.Fatal(err)
	}
	open = 3
	want := `
# HELP rackflow_db_pool_open_connections Connections open, in use or idle.
# TYPE rackflow_db_pool_open_connections gauge
rackflow_db_pool_open_connections{backend="sqlite"} 3
# HELP rackflow_db_pool_waits_total Acquisitions that waited for a connection.
# TYPE rackflow_db_pool_waits_total counter
rackflow_db_pool_waits_total{backend="sqlite"} 3
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "rackflow_db_pool_open_connections", "rackflow_db_pool_waits_total"); err != nil {
		t.Error(err)
	}
}

func TestOldestDrift_AgeGrowsBetweenCyclesAndIsZeroWithoutDrift(t *testing.T) {
	reg := prometheus.NewRegistry()
	o, err := NewOldestDrift(reg)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	o.now = func() time.Time { return now }
	if o.age() != 0 {
		t.Errorf("age without drift = %v, want 0", o.age())
	}
	first := now.Add(-time.Hour)
	o.Set(&first)
	if o.age() != 3600 {
		t.Errorf("age = %v, want 3600", o.age())
	}
	now = now.Add(time.Minute)
	if o.age() != 3660 {
		t.Errorf("age a minute later = %v, want 3660", o.age())
	}
	o.Set(nil)
	if o.age() != 0 {
		t.Errorf("age after the last drift resolved = %v, want 0", o.age())
	}
}
