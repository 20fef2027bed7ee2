package cycle_test

import (
	"testing"

	"rackflow/coresim"
	"rackflow/cycle"
	"rackflow/inventory"
)

func TestCycle_RecordsEachStepsStageTimes(t *testing.T) {
	backends(t, func(t *testing.T, s inventory.Store) {
		e := newEnv(t, s, example1().manifest())
		res := e.cycle(cycle.Request{})
		e.wantStatus(res, inventory.CycleOK)
		steps := stepsJSON(t, res.Cycle)
		names := map[string][]string{"mirror": {cycle.RackStep, "Compute", "NVSwitch", "PowerShelf"},
			"actual": {"Compute", "NVSwitch", "PowerShelf"}}
		for phase, types := range names {
			for _, typ := range types {
				st := steps[phase][typ]
				total, pull, plan, apply := seconds(t, st, "duration_seconds"), seconds(t, st, "pull_seconds"),
					seconds(t, st, "plan_seconds"), seconds(t, st, "apply_seconds")
				if pull <= 0 || plan <= 0 || apply <= 0 || total < pull+plan+apply {
					t.Errorf("%s %s: duration %v, pull %v, plan %v, apply %v; want every stage positive and their sum within the duration",
						phase, typ, total, pull, plan, apply)
				}
			}
		}
	})
}

func TestCycle_AFailedPullRecordsOnlyThePull(t *testing.T) {
	backends(t, func(t *testing.T, s inventory.Store) {
		e := newEnv(t, s, example1().fault(coresim.Fault{RPC: "FindSwitchIds", Error: "UNAVAILABLE"}).manifest())
		res := e.cycle(cycle.Request{})
		e.wantStatus(res, inventory.CyclePartial)
		st := stepsJSON(t, res.Cycle)["actual"]["NVSwitch"]
		if pull, total := seconds(t, st, "pull_seconds"), seconds(t, st, "duration_seconds"); pull <= 0 || total < pull {
			t.Errorf("failed snapshot: pull %v, duration %v; want the pull counted", pull, total)
		}
		if plan, apply := seconds(t, st, "plan_seconds"), seconds(t, st, "apply_seconds"); plan != 0 || apply != 0 {
			t.Errorf("failed snapshot: plan %v, apply %v; want zero, no transaction ran", plan, apply)
		}
	})
}

// seconds returns a step member that must be a number.
func seconds(t *testing.T, step map[string]any, name string) float64 {
	t.Helper()
	v, ok := step[name].(float64)
	if !ok {
		t.Fatalf("step member %s = %#v, want a number; step %v", name, step[name], step)
	}
	return v
}
