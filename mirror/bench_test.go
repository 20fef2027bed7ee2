package mirror

import (
	"fmt"
	"testing"

	"rackflow/inventory"
)

// largeSite is a generated 1,000-rack site: 35 components per rack, each with
// its host BMC, spread over the three types.
func largeSite() (RackPull, []ComponentPull) {
	racks := RackPull{Outcome: Rows}
	pulls := map[inventory.ComponentType]*ComponentPull{}
	for _, t := range inventory.MirroredTypes {
		pulls[t] = &ComponentPull{Type: t, Outcome: Rows}
	}
	n := 0
	for r := range 1000 {
		rackID := fmt.Sprintf("rack-%04d", r)
		racks.Racks = append(racks.Racks, coreRack(rackID, "F", "R"+rackID))
		for i := range 35 {
			t := typeOfSlot(i)
			n++
			mac := fmt.Sprintf("02:00:00:%02x:%02x:%02x", n>>16&0xff, n>>8&0xff, n&0xff)
			pulls[t].Specs = append(pulls[t].Specs, coreComp(t, "NV", fmt.Sprintf("SN-%06d", n), mac,
				inRack(rackID), compLabel(labelSlotID, fmt.Sprint(i))))
		}
	}
	return racks, []ComponentPull{*pulls[inventory.Compute], *pulls[inventory.NVSwitch], *pulls[inventory.PowerShelf]}
}

func typeOfSlot(i int) inventory.ComponentType {
	switch {
	case i < 18:
		return inventory.Compute
	case i < 27:
		return inventory.NVSwitch
	}
	return inventory.PowerShelf
}

// BenchmarkMirror_LargeSite plans (and applies in memory) a first mirror of
// the large site, and plans the no-op repeat over its end state. The no-op
// case times the planners alone, over state read once, as the cycle holds it:
// applying an empty plan in the test world only runs the world's own checks,
// which would otherwise be most of what is measured.
func BenchmarkMirror_LargeSite(b *testing.B) {
	racks, pulls := largeSite()
	b.Run("first", func(b *testing.B) {
		for range b.N {
			runCycle(b, newWorld(nil, nil, nil), racks, pulls, testOptions())
		}
	})
	w := newWorld(nil, nil, nil)
	runCycle(b, w, racks, pulls, testOptions())
	if again := runCycle(b, w, racks, pulls, testOptions()); !cycleEmpty(again) {
		b.Fatal("repeat is not a no-op")
	}
	state := w.state()
	b.Run("noop", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if !planNoop(racks, pulls, state) {
				b.Fatal("repeat is not a no-op")
			}
		}
	})
}

// planNoop plans one mirror over state, as the cycle does when nothing was
// written (one index shared by the component steps), and reports whether
// every plan is empty.
func planNoop(racks RackPull, pulls []ComponentPull, state ComponentState) bool {
	opt := testOptions()
	opt.Index = inventory.NewRowIndex(state.Racks, state.Components, state.BMCs)
	if !PlanRacks(racks, state.Racks, state.Components, opt).Writes.Empty() {
		return false
	}
	prepared := prepareAll(pulls)
	for _, typ := range inventory.MirroredTypes {
		plan := PlanComponents(typ, prepared, state, opt)
		if !plan.Writes.Empty() {
			return false
		}
		SettleClaims(prepared, plan, true)
	}
	return true
}

// BenchmarkPlanRacks_GCManyTombstones plans a rack step in which 1,000 old
// tombstones are garbage-collected because new Core racks want their names,
// over 35,000 components that each reference one of the tombstones.
func BenchmarkPlanRacks_GCManyTombstones(b *testing.B) {
	var current []inventory.Rack
	var comps []inventory.Component
	pull := RackPull{Outcome: Rows}
	for r := range 1000 {
		id := fmt.Sprintf("old-%04d", r)
		name := fmt.Sprintf("name-%04d", r)
		current = append(current, tombstone(dbRack(id, "gone-"+id, name, "F", "SN-old-"+id)))
		pull.Racks = append(pull.Racks, coreRack(fmt.Sprintf("new-%04d", r), "F", "SN-new-"+id, named(name)))
		for i := range 35 {
			comps = append(comps, inventory.Component{ID: fmt.Sprintf("c-%04d-%02d", r, i), Type: inventory.Compute,
				Manufacturer: "M", SerialNumber: fmt.Sprintf("S-%04d-%02d", r, i), RackID: inventory.Ptr(id)})
		}
	}
	b.ReportAllocs()
	for range b.N {
		plan := PlanRacks(pull, current, comps, testOptions())
		if plan.Counters.TombstonesGC != 1000 || len(plan.Writes.ComponentRackClears) != len(comps) {
			b.Fatalf("GC'd %d tombstones and cleared %d components, want 1000 and %d",
				plan.Counters.TombstonesGC, len(plan.Writes.ComponentRackClears), len(comps))
		}
	}
}
