package mirror

import (
	"log/slog"
	"testing"

	"rackflow/inventory"
)

// Example 6.
func TestMirror_DeletesExtraHostBMCsAndKeepsDPUs(t *testing.T) {
	w := newWorld(nil, []inventory.Component{dbComp("c1", inventory.Compute, "NV", "C-1")},
		[]inventory.BMC{dpuBMC(mac1, "c1"), hostBMC(mac2, "c1"), hostBMC(mac3, "c1")})
	pull := compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "C-1", mac3))
	plans := runCycle(t, w, noRacks, []ComponentPull{pull}, testOptions())

	assertCounters(t, plans.comps[inventory.Compute].Counters, Counters{Pulled: 1, BMCDeleted: 1})
	if _, ok := w.bmcs[mac2]; ok {
		t.Error("the extra Host BMC survived")
	}
	if b, ok := w.bmcs[mac1]; !ok || b.Type != inventory.DPUBMC {
		t.Error("the DPU BMC was touched")
	}
	if e := eventFor(t, plans.comps[inventory.Compute].Writes, inventory.EntityBMC, mac2); e.Action != inventory.ActionHardDelete || e.Changes[inventory.ColComponentID].Old != "c1" {
		t.Errorf("event = %+v", e)
	}
	assertSettled(t, w, noRacks, pull)
}

// Example 7.
func TestMirror_BoardSwapReplacesTheHostBMC(t *testing.T) {
	w := newWorld(nil, []inventory.Component{dbComp("c1", inventory.Compute, "NV", "C-1")},
		[]inventory.BMC{hostBMC(mac1, "c1"), dpuBMC(mac5, "c1")})
	pull := compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "C-1", mac2, withIP("10.0.0.2")))
	plans := runCycle(t, w, noRacks, []ComponentPull{pull}, testOptions())

	assertCounters(t, plans.comps[inventory.Compute].Counters, Counters{Pulled: 1, BMCInserted: 1, BMCDeleted: 1})
	if got := hostsOf(w, "c1"); len(got) != 1 || got[0] != mac2 || deref(w.bmcs[mac2].IPAddress) != "10.0.0.2" {
		t.Errorf("hosts = %v, want only %s with its IP", got, mac2)
	}
	if _, ok := w.bmcs[mac5]; !ok {
		t.Error("the DPU BMC was deleted")
	}
	assertSettled(t, w, noRacks, pull)
}

func TestMirror_UpdatesHostBMCIPOnly(t *testing.T) {
	b := hostBMC(mac1, "c1")
	b.IPAddress = inventory.Ptr("10.0.0.1")
	w := newWorld(nil, []inventory.Component{dbComp("c1", inventory.Compute, "NV", "C-1")}, []inventory.BMC{b})
	tests := []struct {
		name string
		ip   string
		want *string
	}{
		{"a new IP is written", "10.0.0.9", inventory.Ptr("10.0.0.9")},
		{"an empty IP becomes NULL", " ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pull := compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "C-1", mac1, withIP(tt.ip)))
			plans := runCycle(t, w, noRacks, []ComponentPull{pull}, testOptions())
			p := plans.comps[inventory.Compute]
			assertCounters(t, p.Counters, Counters{Pulled: 1, BMCUpdated: 1})
			if !inventory.EqualPtr(w.bmcs[mac1].IPAddress, tt.want) {
				t.Errorf("ip = %v, want %v", deref(w.bmcs[mac1].IPAddress), deref(tt.want))
			}
			if e := eventFor(t, p.Writes, inventory.EntityBMC, mac1); e.Action != inventory.ActionUpdate {
				t.Errorf("event = %+v", e)
			}
			assertSettled(t, w, noRacks, pull)
		})
	}
}

func TestMirror_EvictsAnotherComponentsHostBMCAsOneOperation(t *testing.T) {
	old := hostBMC(mac1, "c9")
	old.IPAddress = inventory.Ptr("10.0.0.9")
	w := newWorld(nil, []inventory.Component{dbComp("c9", inventory.Compute, "NV", "C-9")}, []inventory.BMC{old})
	// C-9 is not in this pull, so it is soft-deleted, but its MAC moves.
	pull := compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "C-1", mac1, withIP("10.0.0.1")))
	plans := runCycle(t, w, noRacks, []ComponentPull{pull}, testOptions())
	p := plans.comps[inventory.Compute]

	assertCounters(t, p.Counters, Counters{Pulled: 1, Inserted: 1, SoftDeleted: 1, BMCEvicted: 1})
	c1 := compByKey(t, w, "C-1").ID
	if len(p.Writes.BMCMoves) != 1 || len(p.Writes.BMCInserts) != 0 || len(p.Writes.BMCDeletes) != 0 {
		t.Fatalf("writes = %+v, want a single move", p.Writes)
	}
	e := eventFor(t, p.Writes, inventory.EntityBMC, mac1)
	owner, ip := e.Changes[inventory.ColComponentID], e.Changes[inventory.ColIPAddress]
	if e.Action != inventory.ActionEvict || owner.Old != "c9" || owner.New != c1 ||
		deref(ip.Old.(*string)) != "10.0.0.9" || deref(ip.New.(*string)) != "10.0.0.1" {
		t.Errorf("event = %+v", e)
	}
	assertSettled(t, w, noRacks, pull)
}

func TestMirror_ExtraHostClaimedByAnotherComponentBecomesOneEviction(t *testing.T) {
	for _, order := range []string{"owner first", "claimant first"} {
		t.Run(order, func(t *testing.T) {
			w := newWorld(nil, []inventory.Component{dbComp("c1", inventory.Compute, "NV", "C-1"), dbComp("c2", inventory.Compute, "NV", "C-2")},
				[]inventory.BMC{hostBMC(mac1, "c1"), hostBMC(mac2, "c1")})
			specs := []inventory.ExpectedComponent{coreComp(inventory.Compute, "NV", "C-1", mac1), coreComp(inventory.Compute, "NV", "C-2", mac2)}
			if order == "claimant first" {
				specs[0], specs[1] = specs[1], specs[0]
			}
			pull := compPull(inventory.Compute, specs...)
			plans := runCycle(t, w, noRacks, []ComponentPull{pull}, testOptions())
			assertCounters(t, plans.comps[inventory.Compute].Counters, Counters{Pulled: 2, BMCEvicted: 1})
			if w.bmcs[mac2].ComponentID != "c2" {
				t.Errorf("mac2 belongs to %s", w.bmcs[mac2].ComponentID)
			}
			assertSettled(t, w, noRacks, pull)
		})
	}
}

func TestMirror_SwapsHostBMCsBetweenComponents(t *testing.T) {
	w := newWorld(nil, []inventory.Component{dbComp("c1", inventory.Compute, "NV", "C-1"), dbComp("c2", inventory.NVSwitch, "NV", "S-2")},
		[]inventory.BMC{hostBMC(mac1, "c1"), hostBMC(mac2, "c2")})
	pulls := []ComponentPull{
		compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "C-1", mac2)),
		compPull(inventory.NVSwitch, coreComp(inventory.NVSwitch, "NV", "S-2", mac1)),
	}
	plans := runCycle(t, w, noRacks, pulls, testOptions())
	// The Compute transaction evicts mac2 and drops mac1 as C-1's old host;
	// the switch transaction then inserts mac1 afresh.
	assertCounters(t, plans.comps[inventory.Compute].Counters, Counters{Pulled: 1, BMCEvicted: 1, BMCDeleted: 1})
	assertCounters(t, plans.comps[inventory.NVSwitch].Counters, Counters{Pulled: 1, BMCInserted: 1})
	if w.bmcs[mac1].ComponentID != "c2" || w.bmcs[mac2].ComponentID != "c1" {
		t.Errorf("bmcs = %+v", w.bmcs)
	}
	assertSettled(t, w, noRacks, pulls...)
}

func TestMirror_RefusesAMACThatIsADPUBMC(t *testing.T) {
	w := newWorld(nil, []inventory.Component{dbComp("c1", inventory.Compute, "NV", "C-1"), dbComp("c9", inventory.Compute, "NV", "C-9")},
		[]inventory.BMC{hostBMC(mac1, "c1"), dpuBMC(mac2, "c9")})
	pull := compPull(inventory.Compute,
		coreComp(inventory.Compute, "NV", "C-1", mac2, compModel("M")), coreComp(inventory.Compute, "NV", "C-9", mac3))
	plans := runCycle(t, w, noRacks, []ComponentPull{pull}, testOptions())
	p := plans.comps[inventory.Compute]

	assertCounters(t, p.Counters, Counters{Pulled: 2, Updated: 1, BMCRefused: 1, BMCInserted: 1})
	if got := hostsOf(w, "c1"); len(got) != 1 || got[0] != mac1 {
		t.Errorf("c1 hosts = %v, want its old host kept", got)
	}
	if w.bmcs[mac2].ComponentID != "c9" || w.bmcs[mac2].Type != inventory.DPUBMC {
		t.Errorf("the DPU BMC was touched: %+v", w.bmcs[mac2])
	}
	if *w.comps["c1"].Model != "M" {
		t.Error("the component was not written")
	}
	assertFinding(t, p.Findings, slog.LevelError, "refused", mac2, "c9", "c1")
}

func TestMirror_RefusesTheComponentsOwnDPUMAC(t *testing.T) {
	w := newWorld(nil, []inventory.Component{dbComp("c1", inventory.Compute, "NV", "C-1")},
		[]inventory.BMC{hostBMC(mac1, "c1"), dpuBMC(mac2, "c1")})
	pull := compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "C-1", mac2))
	plans := runCycle(t, w, noRacks, []ComponentPull{pull}, testOptions())
	assertCounters(t, plans.comps[inventory.Compute].Counters, Counters{Pulled: 1, BMCRefused: 1})
	if len(w.bmcs) != 2 {
		t.Errorf("bmcs = %+v", w.bmcs)
	}
}

func TestMirror_ContestedMACs(t *testing.T) {
	tests := []struct {
		name    string
		comps   []inventory.Component
		bmcs    []inventory.BMC
		pulls   []ComponentPull
		winner  string // serial of the component that ends up with mac1
		loserIn inventory.ComponentType
	}{
		{"the spec matching the current owner wins over response order",
			[]inventory.Component{dbComp("c2", inventory.Compute, "NV", "C-2")}, []inventory.BMC{hostBMC(mac1, "c2")},
			[]ComponentPull{compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "C-1", mac1), coreComp(inventory.Compute, "NV", "C-2", mac1))},
			"C-2", inventory.Compute},
		{"the spec matching the current owner wins over type order",
			[]inventory.Component{dbComp("s1", inventory.NVSwitch, "NV", "S-1")}, []inventory.BMC{hostBMC(mac1, "s1")},
			[]ComponentPull{compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "C-1", mac1)),
				compPull(inventory.NVSwitch, coreComp(inventory.NVSwitch, "NV", "S-1", mac1))},
			"S-1", inventory.Compute},
		{"without an owner match type order wins",
			nil, nil,
			[]ComponentPull{compPull(inventory.PowerShelf, coreComp(inventory.PowerShelf, "NV", "P-1", mac1)),
				compPull(inventory.NVSwitch, coreComp(inventory.NVSwitch, "NV", "S-1", mac1))},
			"S-1", inventory.PowerShelf},
		{"without an owner match response order breaks ties within a type",
			nil, nil,
			[]ComponentPull{compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "C-2", mac1), coreComp(inventory.Compute, "NV", "C-1", mac1))},
			"C-2", inventory.Compute},
		{"a DPU owner is not a Host owner, so type order wins",
			[]inventory.Component{dbComp("s1", inventory.NVSwitch, "NV", "S-1")}, []inventory.BMC{dpuBMC(mac1, "s1")},
			[]ComponentPull{compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "C-1", mac1)),
				compPull(inventory.NVSwitch, coreComp(inventory.NVSwitch, "NV", "S-1", mac1))},
			"", inventory.NVSwitch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(nil, tt.comps, tt.bmcs)
			plans := runCycle(t, w, noRacks, tt.pulls, testOptions())
			if tt.winner != "" {
				if got := w.bmcs[mac1].ComponentID; got != compByKey(t, w, tt.winner).ID {
					t.Errorf("mac1 belongs to %s, want %s", got, tt.winner)
				}
			}
			loser := plans.comps[tt.loserIn]
			if loser.Counters.BMCContested != 1 {
				t.Errorf("%s bmc_contested = %d, want 1", tt.loserIn, loser.Counters.BMCContested)
			}
			assertFinding(t, loser.Findings, slog.LevelWarn, "claimed by another component", mac1)
			assertSettled(t, w, noRacks, tt.pulls...)
		})
	}
}

func TestMirror_LosingSpecIsStillMirroredWithItsBMCsUnchanged(t *testing.T) {
	w := newWorld(nil, []inventory.Component{dbComp("c1", inventory.Compute, "NV", "C-1"), deadComp(dbComp("c2", inventory.Compute, "NV", "C-2"))},
		[]inventory.BMC{hostBMC(mac1, "c1"), hostBMC(mac2, "c2")})
	pull := compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "C-2", mac1, compModel("M")), coreComp(inventory.Compute, "NV", "C-1", mac1))
	plans := runCycle(t, w, noRacks, []ComponentPull{pull}, testOptions())
	assertCounters(t, plans.comps[inventory.Compute].Counters, Counters{Pulled: 2, Resurrected: 1, BMCContested: 1})
	if got := hostsOf(w, "c2"); len(got) != 1 || got[0] != mac2 || !w.comps["c2"].Live() {
		t.Errorf("c2 hosts = %v, want its BMC unchanged and the row resurrected", got)
	}
}

func TestMirror_RolledBackTypeNoLongerClaimsMACs(t *testing.T) {
	w := newWorld(nil, nil, nil)
	pulls := []ComponentPull{
		compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "C-1", mac1)),
		compPull(inventory.NVSwitch, coreComp(inventory.NVSwitch, "NV", "S-1", mac1)),
	}
	plans := runCycle(t, w, noRacks, pulls, testOptions(), inventory.Compute)
	assertCounters(t, plans.comps[inventory.NVSwitch].Counters, Counters{Pulled: 1, Inserted: 1, BMCInserted: 1})
	if w.bmcs[mac1].ComponentID != compByKey(t, w, "S-1").ID {
		t.Error("the switch did not get the MAC")
	}
}

func TestSettleMACs_SameOwnerKeyInTwoTypesGoesByTypeOrder(t *testing.T) {
	cur := ComponentState{
		Components: []inventory.Component{deadComp(dbComp("k", inventory.PowerShelf, "NV", "K"))},
		BMCs:       []inventory.BMC{hostBMC(mac1, "k")},
	}
	prepared := prepareAll([]ComponentPull{
		compPull(inventory.NVSwitch, coreComp(inventory.NVSwitch, "NV", "K", mac1)),
		compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "X", mac1), coreComp(inventory.Compute, "NV", "K", mac1)),
	})
	got := settleMACs(prepared, cur, inventory.NewRowIndex(cur.Racks, cur.Components, cur.BMCs))[mac1]
	if got.t != inventory.Compute || got.spec.Key.SerialNumber != "K" {
		t.Errorf("winner = %s %s, want Compute K", got.t, got.spec.Key)
	}
}

// A spec skipped as a conflict in its own transaction was never written, so
// it must not win a MAC in a later type's settlement, even once the row it
// clashed with is gone: the real claimant gets the MAC in the same cycle.
func TestPlanComponents_SkippedConflictSpecOfAnEarlierTypeClaimsNoMAC(t *testing.T) {
	w := newWorld(nil, []inventory.Component{dbComp("x", inventory.NVSwitch, "NV", "C1")}, nil)
	pulls := []ComponentPull{
		compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "C1", mac1)),       // skipped_conflict
		compPull(inventory.NVSwitch, coreComp(inventory.NVSwitch, "NV", "C2", mac2)),     // soft-deletes x
		compPull(inventory.PowerShelf, coreComp(inventory.PowerShelf, "NV", "C3", mac1)), // the real claimant
	}
	plans := runCycle(t, w, RackPull{Outcome: Empty}, pulls, testOptions())
	if c := plans.comps[inventory.Compute].Counters; c.SkippedConflict != 1 {
		t.Fatalf("Compute counters = %+v, want one skipped_conflict", c)
	}
	if n := plans.comps[inventory.PowerShelf].Counters.BMCContested; n != 0 {
		t.Errorf("bmc_contested = %d, want 0", n)
	}
	if b, ok := w.bmcs[mac1]; !ok || w.comps[b.ComponentID].SerialNumber != "C3" {
		t.Errorf("mac1 = %+v, want it given to the power shelf C3", b)
	}
}
