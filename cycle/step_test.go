package cycle

import (
	"encoding/json"
	"errors"
	"testing"

	"rackflow/inventory"
)

func TestSteps_Status(t *testing.T) {
	ok, failed := Step{}, Step{Err: errors.New("boom")}
	optional := Step{OptionalErrors: map[string]string{"GetPowerOptions": "unavailable"}}
	tests := []struct {
		name  string
		steps Steps
		want  inventory.CycleStatus
	}{
		{"a cycle with no steps is ok", Steps{}, inventory.CycleOK},
		{"every step succeeding is ok", Steps{Mirror: map[string]Step{"rack": ok}, Actual: map[string]Step{"Compute": ok}}, inventory.CycleOK},
		{"one failed step among successes is partial", Steps{Mirror: map[string]Step{"rack": ok, "NVSwitch": failed}}, inventory.CyclePartial},
		{"a failed optional call is partial", Steps{Actual: map[string]Step{"Compute": optional}}, inventory.CyclePartial},
		{"no step succeeding is failed", Steps{Mirror: map[string]Step{"rack": failed}, Actual: map[string]Step{"Compute": failed}}, inventory.CycleFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.steps.Status(); got != tt.want {
				t.Errorf("Status() = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestStep_MarshalJSONFlattensCountersAndAddsOutcome(t *testing.T) {
	type counters struct {
		Pulled int `json:"pulled"`
	}
	b, err := json.Marshal(Step{Counters: counters{Pulled: 3}, Err: errors.New("rpc failed"), Held: []string{"id-1"},
		OptionalErrors: map[string]string{"GetPowerOptions": "x"}, Flags: []string{"empty_pull"}})
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got["pulled"] != float64(3) || got["error"] != "rpc failed" || len(got["held"].([]any)) != 1 ||
		got["optional_errors"] == nil || got["flags"] == nil {
		t.Errorf("step JSON = %s", b)
	}
}
