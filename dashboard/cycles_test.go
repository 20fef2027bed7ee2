package dashboard

import (
	"encoding/json"
	"reflect"
	"testing"

	"rackflow/inventory"
)

func TestStepRows_ReadCountersErrorsHeldAndDurationInCycleOrder(t *testing.T) {
	steps := json.RawMessage(`{"actual": {"Compute": {"matched": 3, "drift_open": 0}},
		"mirror": {"PowerShelf": {"error": "pull failed"}, "rack": {"inserted": 2, "held": ["a", "b"], "duration_seconds": 1.25,
		"pull_seconds": 0.9, "plan_seconds": 0.05, "apply_seconds": 0.3,
		"optional_errors": {"FindMachineIDs": "timeout"}, "flags": ["empty_pull"]}}}`)
	got := stepRows(steps)
	want := []stepRow{
		{Phase: "mirror", Type: "rack", Duration: "1.2s", Stages: "pull 900ms · plan 50ms · apply 300ms", Counters: []string{"inserted=2"}, Held: 2,
			Notes: []string{"FindMachineIDs failed: timeout", "empty_pull"}},
		{Phase: "mirror", Type: "PowerShelf", Duration: "–", Error: "pull failed", Failed: true},
		{Phase: "actual", Type: "Compute", Duration: "–", Counters: []string{"matched=3"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stepRows =\n%+v\nwant\n%+v", got, want)
	}
}

func TestStepRows_ShowNothingForStepsThatDoNotParse(t *testing.T) {
	for _, raw := range []string{"", "null", "[1]", `{"mirror": 3}`} {
		if got := stepRows(json.RawMessage(raw)); len(got) != 0 {
			t.Errorf("stepRows(%q) = %v, want none", raw, got)
		}
	}
}

func TestWorstDrift_MissingOutranksMismatchOutranksUnexpected(t *testing.T) {
	for _, c := range []struct {
		in   inventory.DriftCounts
		want inventory.DriftType
	}{
		{inventory.DriftCounts{}, ""},
		{inventory.DriftCounts{MissingInExpected: 3, Total: 3}, inventory.MissingInExpected},
		{inventory.DriftCounts{MissingInExpected: 3, Mismatch: 1, Total: 4}, inventory.Mismatch},
		{inventory.DriftCounts{MissingInActual: 1, Mismatch: 5, Total: 6}, inventory.MissingInActual},
	} {
		if got := worstDrift(c.in); got != c.want {
			t.Errorf("worstDrift(%+v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCycleRow_NamesTheFailedStepsOfAPartialCycle(t *testing.T) {
	c := inventory.Cycle{ID: "c1", Status: inventory.CyclePartial,
		Steps: json.RawMessage(`{"mirror": {"rack": {"error": "x"}, "Compute": {"pulled": 1}}, "actual": {"NVSwitch": {"error": "y"}}}`)}
	if got, want := newCycleRow(c, c.StartedAt).Error, "failed: mirror rack, actual NVSwitch"; got != want {
		t.Errorf("problem = %q, want %q", got, want)
	}
	c.Error = inventory.Ptr("cancelled")
	if got := newCycleRow(c, c.StartedAt).Error; got != "cancelled" {
		t.Errorf("problem of a cycle with its own error = %q, want that error", got)
	}
}
