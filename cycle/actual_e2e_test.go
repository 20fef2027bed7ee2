package cycle_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"rackflow/coresim"
	"rackflow/cycle"
	"rackflow/inventory"
)

func TestCycle_DriftKeepsFirstSeenAndResolvesWithHistory(t *testing.T) {
	backends(t, func(t *testing.T, s inventory.Store) {
		st := example1()
		wrong := int32(9)
		st.m.Actual.Machines[0].Position.Slot = &wrong
		e := newEnv(t, s, st.manifest())
		e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
		first := e.tables().drifts[inventory.Compute]
		if len(first) != 1 || first[0].DriftType != inventory.Mismatch || first[0].Diffs[0].ActualValue != "9" {
			t.Fatalf("drift after the first cycle = %+v, want one slot mismatch", first)
		}
		e.cycle(cycle.Request{})
		second := e.tables().drifts[inventory.Compute]
		if len(second) != 1 || second[0].ID != first[0].ID || !second[0].FirstSeenAt.Equal(first[0].FirstSeenAt) || !second[0].CheckedAt.After(first[0].CheckedAt) {
			t.Fatalf("drift after the second cycle = %+v, want the same row, first_seen kept, checked later", second)
		}
		right := int32(1)
		st.m.Actual.Machines[0].Position.Slot = &right
		e.reload(st.manifest())
		e.cycle(cycle.Request{})
		if d := e.tables().drifts[inventory.Compute]; len(d) != 0 {
			t.Fatalf("drift after the fix = %+v, want none", d)
		}
		hs, err := s.DriftHistory(context.Background(), inventory.DriftHistoryFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(hs) != 2 || hs[0].Event != inventory.DriftOpened || hs[1].Event != inventory.DriftResolved || hs[1].DriftID != first[0].ID || len(hs[1].Diffs) != 1 {
			t.Fatalf("history = %+v, want opened then resolved with the last diffs", hs)
		}
	})
}

func TestCycle_SnapshotFailureKeepsThatTypesDrift(t *testing.T) {
	backends(t, func(t *testing.T, s inventory.Store) {
		st := example1()
		st.m.Actual.Switches[0].RackID = "a12" // expected in b07: a rack mismatch
		e := newEnv(t, s, st.manifest())
		e.cycle(cycle.Request{})
		before := e.tables().drifts[inventory.NVSwitch]
		if len(before) != 1 {
			t.Fatalf("switch drift = %+v, want one", before)
		}
		st.m.Actual.Switches[0].RackID = "b07"
		e.reload(st.fault(coresim.Fault{RPC: "FindSwitchIds", Error: "UNAVAILABLE"}).manifest())
		res := e.cycle(cycle.Request{})
		e.wantStatus(res, inventory.CyclePartial)
		after := e.tables().drifts[inventory.NVSwitch]
		if len(after) != 1 || after[0].ID != before[0].ID || !after[0].CheckedAt.Equal(before[0].CheckedAt) {
			t.Fatalf("switch drift after a failed snapshot = %+v, want it untouched", after)
		}
		if stepsJSON(t, res.Cycle)["actual"]["NVSwitch"]["error"] == nil {
			t.Errorf("the failed snapshot is not recorded in the cycle")
		}
	})
}

func TestCycle_SwapsExternalIDsBetweenTwoSwitches(t *testing.T) {
	backends(t, func(t *testing.T, s inventory.Store) {
		st := example1().nvswitch(2, "b07")
		e := newEnv(t, s, st.manifest())
		e.cycle(cycle.Request{})
		tb := e.tables()
		if c := tb.component(t, "SN-S-0001"); *c.ExternalID != "sw-1" {
			t.Fatalf("switch 1 external id = %s", *c.ExternalID)
		}
		st.m.Actual.Switches[0].ID, st.m.Actual.Switches[1].ID = "sw-2", "sw-1"
		e.reload(st.manifest())
		e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
		tb = e.tables()
		if a, b := *tb.component(t, "SN-S-0001").ExternalID, *tb.component(t, "SN-S-0002").ExternalID; a != "sw-2" || b != "sw-1" {
			t.Fatalf("external ids after the swap = %s, %s; want sw-2, sw-1", a, b)
		}
	})
}

func TestCycle_DPUBMCsAreCreatedThenRemoved(t *testing.T) {
	backends(t, func(t *testing.T, s inventory.Store) {
		st := example1()
		st.m.Actual.Machines = append(st.m.Actual.Machines,
			coresim.ActualMachine{ID: "d-1", Type: coresim.TypeDPU, BMCMAC: "dd:00:00:00:00:01", BMCIP: "10.9.0.1"},
			coresim.ActualMachine{ID: "d-2", Type: coresim.TypeDPU, BMCMAC: "dd:00:00:00:00:02"})
		st.m.Actual.Machines[0].DPUs = []string{"d-1", "d-2"}
		e := newEnv(t, s, st.manifest())
		e.cycle(cycle.Request{})
		one := e.tables().component(t, "SN-C-0001").ID
		if macs := e.tables().bmcsOf(one, inventory.DPUBMC); len(macs) != 2 {
			t.Fatalf("DPU BMCs = %v, want two", macs)
		}
		st.m.Actual.Machines[0].DPUs = []string{"d-1"}
		e.reload(st.manifest())
		e.cycle(cycle.Request{})
		if macs := e.tables().bmcsOf(one, inventory.DPUBMC); len(macs) != 1 || macs[0] != "dd:00:00:00:00:01" {
			t.Fatalf("DPU BMCs after Core dropped d-2 = %v, want only d-1's", macs)
		}
		if !hasEvent(e.events(), "dd:00:00:00:00:02", inventory.ActionHardDelete) {
			t.Errorf("no hard_delete event for the removed DPU BMC")
		}
	})
}

func TestCycle_OverItsTimeBudgetIsFailedAndKeepsCommittedSteps(t *testing.T) {
	backends(t, func(t *testing.T, s inventory.Store) {
		st := example1().fault(coresim.Fault{RPC: "FindMachinesByIds", Delay: coresim.Duration(30 * time.Second)})
		e := newEnv(t, s, st.manifest())
		// Long enough for the mirror; the actual sync then waits on the delayed call.
		e.runner.Budget = 2 * time.Second
		res := e.cycle(cycle.Request{})
		e.wantStatus(res, inventory.CycleFailed)
		if res.Cycle.Error == nil || !strings.Contains(*res.Cycle.Error, "time budget") {
			t.Errorf("cycle error = %v, want it to name the time budget", res.Cycle.Error)
		}
		if _, comps := e.tables().live(); comps != 5 {
			t.Errorf("live components = %d, want the mirror's 5 to stay committed", comps)
		}
	})
}

// TestCycle_CancelledInsideATransactionLeavesNothingOfIt cancels the cycle
// while the Compute mirror's transaction is open, just before it would
// commit: that transaction rolls back whole, the racks committed before it
// stay, and the cycle is failed as cancelled.
func TestCycle_CancelledInsideATransactionLeavesNothingOfIt(t *testing.T) {
	backends(t, func(t *testing.T, s inventory.Store) {
		e := newEnv(t, s, example1().manifest())
		ctx, cancel := context.WithCancel(context.Background())
		commits := 0
		e.runner.BeforeCommit = func(txCtx context.Context) error {
			if commits++; commits == 2 { // the rack step commits first, then Compute
				cancel()
				<-txCtx.Done()
				return txCtx.Err()
			}
			return nil
		}
		res, err := e.runner.Run(ctx, cycle.Request{Trigger: inventory.TriggerOnce})
		if err != nil {
			t.Fatal(err)
		}
		e.wantStatus(res, inventory.CycleFailed)
		tb := e.tables()
		if racks, comps := tb.live(); racks != 2 || comps != 0 || len(tb.bmcs) != 0 {
			t.Fatalf("after cancelling inside the Compute transaction: %d racks, %d components, %d BMCs; want 2, 0, 0", racks, comps, len(tb.bmcs))
		}
		for _, ev := range e.events() {
			if ev.Entity != inventory.EntityRack {
				t.Errorf("an event of the rolled-back transaction survived: %+v", ev)
			}
		}
	})
}
