package metrics

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func newRegistered(t *testing.T) (*Cycle, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	c, err := NewCycle(reg)
	if err != nil {
		t.Fatalf("NewCycle: %v", err)
	}
	return c, reg
}

func TestCycle_ObserveCycleCountsTimesAndStampsByStatus(t *testing.T) {
	c, reg := newRegistered(t)
	started := time.Unix(1_700_000_000, 0)
	c.ObserveCycle("ok", started, started.Add(2*time.Second))
	c.ObserveCycle("ok", started, started.Add(3*time.Second))
	c.ObserveCycle("partial", started, started.Add(90*time.Second))

	if got := testutil.ToFloat64(c.cycles.WithLabelValues("ok")); got != 2 {
		t.Errorf(`rackflow_cycles_total{status="ok"} = %v, want 2`, got)
	}
	if got := testutil.ToFloat64(c.cycles.WithLabelValues("partial")); got != 1 {
		t.Errorf(`rackflow_cycles_total{status="partial"} = %v, want 1`, got)
	}
	if got, want := testutil.ToFloat64(c.lastCycle.WithLabelValues("partial")), 1_700_000_090.0; got != want {
		t.Errorf(`rackflow_last_cycle_timestamp_seconds{status="partial"} = %v, want %v`, got, want)
	}
	want := `
# HELP rackflow_cycle_duration_seconds Wall-clock duration of finished inventory cycles.
# TYPE rackflow_cycle_duration_seconds histogram
rackflow_cycle_duration_seconds_bucket{le="0.1"} 0
rackflow_cycle_duration_seconds_bucket{le="0.25"} 0
rackflow_cycle_duration_seconds_bucket{le="0.5"} 0
rackflow_cycle_duration_seconds_bucket{le="1"} 0
rackflow_cycle_duration_seconds_bucket{le="2.5"} 1
rackflow_cycle_duration_seconds_bucket{le="5"} 2
rackflow_cycle_duration_seconds_bucket{le="10"} 2
rackflow_cycle_duration_seconds_bucket{le="30"} 2
rackflow_cycle_duration_seconds_bucket{le="60"} 2
rackflow_cycle_duration_seconds_bucket{le="120"} 3
rackflow_cycle_duration_seconds_bucket{le="300"} 3
rackflow_cycle_duration_seconds_bucket{le="600"} 3
rackflow_cycle_duration_seconds_bucket{le="+Inf"} 3
rackflow_cycle_duration_seconds_sum 95
rackflow_cycle_duration_seconds_count 3
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "rackflow_cycle_duration_seconds"); err != nil {
		t.Error(err)
	}
}

func TestCycle_GaugesCarryTheirLabels(t *testing.T) {
	c, reg := newRegistered(t)
	c.SetHeldDeletes("Compute", 42)
	c.SetHeldDeletes("rack", 0)
	c.SetDriftOpen("NVSwitch", "mismatch", 3)
	c.SetLeader(true)
	c.CycleStartFailed()
	c.CycleStartFailed()

	want := `
# HELP rackflow_cycle_start_failures_total Cycles that could not start because the database was unreachable, so no cycle row could be written.
# TYPE rackflow_cycle_start_failures_total counter
rackflow_cycle_start_failures_total 2
# HELP rackflow_drift_open Open drift records after the last cycle, by component type and drift type.
# TYPE rackflow_drift_open gauge
rackflow_drift_open{drift_type="mismatch",type="NVSwitch"} 3
# HELP rackflow_leader 1 while this instance holds the leader lock and runs cycles, else 0.
# TYPE rackflow_leader gauge
rackflow_leader 1
# HELP rackflow_mirror_held_deletes Deletes the mass-delete guard held back in the last cycle, by resource type.
# TYPE rackflow_mirror_held_deletes gauge
rackflow_mirror_held_deletes{type="Compute"} 42
rackflow_mirror_held_deletes{type="rack"} 0
`
	names := []string{"rackflow_cycle_start_failures_total", "rackflow_drift_open", "rackflow_leader", "rackflow_mirror_held_deletes"}
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), names...); err != nil {
		t.Error(err)
	}
	c.SetLeader(false)
	if got := testutil.ToFloat64(c.leader); got != 0 {
		t.Errorf("rackflow_leader after losing the lock = %v, want 0", got)
	}
}

func TestNewCycle_RegistersEveryMetricOnceAndRefusesASecondRegistration(t *testing.T) {
	_, reg := newRegistered(t)
	if _, err := NewCycle(reg); err == nil {
		t.Fatal("a second NewCycle on the same registry succeeded")
	}
	// Unlabelled metrics show up in a scrape before anything is recorded.
	n, err := testutil.GatherAndCount(reg, "rackflow_cycle_duration_seconds", "rackflow_cycle_start_failures_total", "rackflow_leader")
	if err != nil || n != 3 {
		t.Fatalf("GatherAndCount = %d, %v; want 3", n, err)
	}
}

func TestCycle_ObserveStepRecordsEachStageItReached(t *testing.T) {
	c, reg := newRegistered(t)
	c.ObserveStep("mirror", "Compute", StepTiming{Pull: time.Second, Plan: 2 * time.Second, Apply: 3 * time.Second, Total: 6 * time.Second})
	c.ObserveStep("actual", "NVSwitch", StepTiming{Pull: time.Second, Total: time.Second})

	got := stepSamples(t, reg)
	want := map[string][2]float64{
		"mirror/Compute/pull": {1, 1}, "mirror/Compute/plan": {1, 2}, "mirror/Compute/apply": {1, 3},
		"mirror/Compute/total": {1, 6}, "actual/NVSwitch/pull": {1, 1}, "actual/NVSwitch/total": {1, 1},
	}
	if len(got) != len(want) {
		t.Errorf("step histograms = %v, want %v", got, want)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("step %s: count and sum %v, want %v", k, got[k], w)
		}
	}
}

// stepSamples returns the sample count and sum of every step histogram, by
// phase/type/stage.
func stepSamples(t *testing.T, reg *prometheus.Registry) map[string][2]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][2]float64{}
	for _, mf := range mfs {
		if mf.GetName() != "rackflow_cycle_step_duration_seconds" {
			continue
		}
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			h := m.GetHistogram()
			out[labels["phase"]+"/"+labels["type"]+"/"+labels["stage"]] = [2]float64{float64(h.GetSampleCount()), h.GetSampleSum()}
		}
	}
	return out
}
