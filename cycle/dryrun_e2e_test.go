package cycle_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"rackflow/coresim"
	"rackflow/cycle"
	"rackflow/inventory"
	"rackflow/mirror"
)

// TestPlanMirror_PredictsTheCycle checks that the dry run plans exactly what
// the next cycle's mirror then does, type by type, including effects that
// cross types: a serial retyped from machine to switch, a MAC moving from a
// switch to a machine, and deletes.
func TestPlanMirror_PredictsTheCycle(t *testing.T) {
	backends(t, func(t *testing.T, s inventory.Store) {
		st := example1().nvswitch(2, "b07")
		e := newEnv(t, s, st.manifest())
		e.assertPlanMatchesCycle()

		retyped := st.m.Expected.Machines[1]
		st.m.Expected.Machines = append(st.m.Expected.Machines[:1], st.m.Expected.Machines[2:]...)
		st.m.Expected.Switches = append(st.m.Expected.Switches, coresim.ExpectedComponent{
			BMCMAC: "aa:bb:cc:01:00:77", Serial: retyped.Serial, RackID: "b07", Labels: retyped.Labels})
		st.m.Expected.Machines[0].BMCMAC = st.m.Expected.Switches[1].BMCMAC // a switch's MAC moves to machine 1
		st.m.Expected.Switches[1].BMCMAC = "aa:bb:cc:01:00:99"
		st.m.Expected.PowerShelves = nil
		e.reload(st.manifest())
		e.assertPlanMatchesCycle()
		e.assertPlanMatchesCycle() // and then a settled site plans nothing
	})
}

func (e *env) assertPlanMatchesCycle() {
	e.t.Helper()
	d, err := cycle.PlanMirror(context.Background(), e.store, e.runner.Core, mirror.DefaultGuardRatio, mirror.DefaultGuardMin, time.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	planned := map[string]mirror.Counters{cycle.RackStep: d.Racks.Counters}
	for _, c := range d.Components {
		planned[string(c.Type)] = c.Counters
	}
	res := e.cycle(cycle.Request{})
	for name, want := range planned {
		got, _ := json.Marshal(res.Steps.Mirror[name].Counters)
		wantJSON, _ := json.Marshal(want)
		if string(got) != string(wantJSON) {
			e.t.Errorf("%s: the dry run planned %s\nbut the cycle did %s", name, wantJSON, got)
		}
	}
}
