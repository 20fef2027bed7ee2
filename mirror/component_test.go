package mirror

import (
	"errors"
	"log/slog"
	"testing"

	"rackflow/inventory"
)

const (
	mac1 = "aa:bb:cc:00:00:01"
	mac2 = "aa:bb:cc:00:00:02"
	mac3 = "aa:bb:cc:00:00:03"
	mac4 = "aa:bb:cc:00:00:04"
	mac5 = "aa:bb:cc:00:00:05"
)

var noRacks = RackPull{Outcome: Empty}

// Example 1.
func TestMirror_FirstCycleFillsAnEmptyDatabase(t *testing.T) {
	w := newWorld(nil, nil, nil)
	racks := rackPull(coreRack("a12", "F", "R-1"), coreRack("b07", "F", "R-2"))
	pulls := []ComponentPull{
		compPull(inventory.Compute,
			coreComp(inventory.Compute, "NV", "C-1", "AA:BB:CC:00:00:01", inRack("a12"), withIP("10.0.0.1")),
			coreComp(inventory.Compute, "NV", "C-2", "aabb.cc00.0002", inRack("a12")),
			coreComp(inventory.Compute, "NV", "C-3", "aa-bb-cc-00-00-03", inRack("a12"))),
		compPull(inventory.NVSwitch, coreComp(inventory.NVSwitch, "NV", "S-1", "aabbcc000004", inRack("b07"))),
		compPull(inventory.PowerShelf, coreComp(inventory.PowerShelf, "NV", "P-1", mac5, inRack("b07"))),
	}
	plans := runCycle(t, w, racks, pulls, testOptions())

	if len(w.racks) != 2 || len(w.comps) != 5 || len(w.bmcs) != 5 {
		t.Fatalf("got %d racks, %d components, %d BMCs; want 2, 5, 5", len(w.racks), len(w.comps), len(w.bmcs))
	}
	a12, b07 := rackByExt(t, w, "a12").ID, rackByExt(t, w, "b07").ID
	for serial, rack := range map[string]string{"C-1": a12, "C-2": a12, "C-3": a12, "S-1": b07, "P-1": b07} {
		c := compByKey(t, w, serial)
		if deref(c.RackID) != rack || len(hostsOf(w, c.ID)) != 1 {
			t.Errorf("%s: rack %v, hosts %v; want rack %s and one host BMC", serial, deref(c.RackID), hostsOf(w, c.ID), rack)
		}
	}
	if got := w.bmcs[mac1].IPAddress; deref(got) != "10.0.0.1" {
		t.Errorf("C-1 BMC IP = %v", got)
	}
	assertCounters(t, plans.comps[inventory.Compute].Counters, Counters{Pulled: 3, Inserted: 3, BMCInserted: 3})
	assertSettled(t, w, racks, pulls...)
}

// Example 2.
func TestMirror_ResurrectsComponentWithSameUUID(t *testing.T) {
	w := newWorld(nil, []inventory.Component{dbComp("c1", inventory.Compute, "NV", "C-1"), dbComp("c2", inventory.Compute, "NV", "C-2")},
		[]inventory.BMC{hostBMC(mac1, "c1"), hostBMC(mac2, "c2")})
	keep := coreComp(inventory.Compute, "NV", "C-2", mac2)
	gone := runCycle(t, w, noRacks, []ComponentPull{compPull(inventory.Compute, keep)}, testOptions())
	assertCounters(t, gone.comps[inventory.Compute].Counters, Counters{Pulled: 1, SoftDeleted: 1})
	if w.comps["c1"].Live() || len(hostsOf(w, "c1")) != 1 {
		t.Fatalf("c1 should be a tombstone that keeps its BMC: %+v", w.comps["c1"])
	}

	back := compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "C-1", mac1), keep)
	again := runCycle(t, w, noRacks, []ComponentPull{back}, testOptions())
	assertCounters(t, again.comps[inventory.Compute].Counters, Counters{Pulled: 2, Resurrected: 1})
	if e := eventFor(t, again.comps[inventory.Compute].Writes, inventory.EntityComponent, "c1"); e.Action != inventory.ActionResurrect {
		t.Errorf("event = %+v, want resurrect", e)
	}
	assertSettled(t, w, noRacks, back)
}

func TestMirror_ResurrectReinsertsAMissingHostBMC(t *testing.T) {
	w := newWorld(nil, []inventory.Component{deadComp(dbComp("c1", inventory.Compute, "NV", "C-1"))}, nil)
	pull := compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "C-1", mac1))
	plans := runCycle(t, w, noRacks, []ComponentPull{pull}, testOptions())
	assertCounters(t, plans.comps[inventory.Compute].Counters, Counters{Pulled: 1, Resurrected: 1, BMCInserted: 1})
	if got := hostsOf(w, "c1"); len(got) != 1 || got[0] != mac1 {
		t.Errorf("hosts = %v", got)
	}
}

// Example 5.
func TestMirror_UpdateLeavesRuntimeColumnsAlone(t *testing.T) {
	c := dbComp("c1", inventory.Compute, "NV", "C-1")
	c.Model, c.ExternalID, c.FirmwareVersion = inventory.Ptr("old"), inventory.Ptr("machine-9"), inventory.Ptr("1.2")
	c.PowerState = inventory.Ptr(inventory.PowerOn)
	w := newWorld(nil, []inventory.Component{c}, []inventory.BMC{hostBMC(mac1, "c1")})
	pull := compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "C-1", mac1, compModel("new")))
	plans := runCycle(t, w, noRacks, []ComponentPull{pull}, testOptions())

	u := plans.comps[inventory.Compute].Writes.ComponentUpdates
	if len(u) != 1 || len(u[0].Changes) != 1 || u[0].Changes[inventory.ColModel].New.(*string) == nil {
		t.Fatalf("updates = %+v, want only the model", u)
	}
	got := w.comps["c1"]
	if *got.ExternalID != "machine-9" || *got.FirmwareVersion != "1.2" || *got.PowerState != inventory.PowerOn || *got.Model != "new" {
		t.Errorf("component = %+v", got)
	}
	assertSettled(t, w, noRacks, pull)
}

func TestMirror_UnchangedComponentGetsNoWrite(t *testing.T) {
	c := dbComp("c1", inventory.Compute, "NV", "C-1")
	c.Name, c.SlotID = inventory.Ptr("node-1"), inventory.Ptr(int64(4))
	w := newWorld(nil, []inventory.Component{c}, []inventory.BMC{hostBMC(mac1, "c1")})
	pull := compPull(inventory.Compute, coreComp(inventory.Compute, " NV ", " C-1 ", " AA:BB:CC:00:00:01 ",
		compNamed("node-1"), compLabel(labelSlotID, "04")))
	plans := runCycle(t, w, noRacks, []ComponentPull{pull}, testOptions())
	if p := plans.comps[inventory.Compute]; !p.Writes.Empty() {
		t.Errorf("plan writes:%s", describeEvents(p.Writes.Events))
	}
}

func TestMirror_UpdateRecordsEveryChangedField(t *testing.T) {
	c := dbComp("c1", inventory.Compute, "NV", "C-1")
	c.SlotID, c.HostID = inventory.Ptr(int64(1)), inventory.Ptr(int64(2))
	w := newWorld([]inventory.Rack{dbRack("r1", "a12", "a12", "F", "R-1")}, []inventory.Component{c}, []inventory.BMC{hostBMC(mac1, "c1")})
	pull := compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "C-1", mac1,
		compNamed("n"), inRack("a12"), compLabel(labelSlotID, "3"), compLabel(labelTrayIndex, "5")))
	plans := runCycle(t, w, noRacks, []ComponentPull{pull}, testOptions())

	e := eventFor(t, plans.comps[inventory.Compute].Writes, inventory.EntityComponent, "c1")
	want := []string{inventory.ColHostID, inventory.ColName, inventory.ColRackID, inventory.ColSlotID, inventory.ColTrayIndex}
	if diff := cmpDiff(want, changeKeys(e.Changes)); diff != "" || e.Action != inventory.ActionUpdate {
		t.Errorf("event %s changes (-want +got):\n%s", e.Action, diff)
	}
	if ch := e.Changes[inventory.ColHostID]; *ch.Old.(*int64) != 2 || ch.New.(*int64) != nil {
		t.Errorf("host_id change = %+v, want 2 → NULL", ch)
	}
	assertSettled(t, w, noRacks, pull)
}

// Example 10.
func TestMirror_MalformedIntegerLabels(t *testing.T) {
	w := newWorld(nil, nil, nil)
	first := compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "C-1", mac1,
		compLabel(labelTrayIndex, "x"), compLabel(labelSlotID, "7")))
	plans := runCycle(t, w, noRacks, []ComponentPull{first}, testOptions())
	c := compByKey(t, w, "C-1")
	if c.TrayIndex != nil || *c.SlotID != 7 {
		t.Errorf("inserted tray %v slot %v, want NULL and 7", c.TrayIndex, c.SlotID)
	}
	assertFinding(t, plans.comps[inventory.Compute].Findings, slog.LevelWarn, "malformed", "Compute", "C-1", "tray_idx", "x")

	later := compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "C-1", mac1,
		compLabel(labelTrayIndex, "2"), compLabel(labelSlotID, "abc")))
	plans = runCycle(t, w, noRacks, []ComponentPull{later}, testOptions())
	c = compByKey(t, w, "C-1")
	if *c.SlotID != 7 || *c.TrayIndex != 2 {
		t.Errorf("after update slot %v tray %v, want 7 kept and 2", c.SlotID, c.TrayIndex)
	}
	e := eventFor(t, plans.comps[inventory.Compute].Writes, inventory.EntityComponent, c.ID)
	if _, ok := e.Changes[inventory.ColSlotID]; ok {
		t.Errorf("slot_id is in the diff: %+v", e.Changes)
	}
	assertSettled(t, w, noRacks, later)
}

// Example 12.
func TestMirror_ResurrectsRetypedTombstoneAsTheNewType(t *testing.T) {
	w := newWorld(nil, []inventory.Component{deadComp(dbComp("c1", inventory.Compute, "NV", "X"))}, nil)
	pull := compPull(inventory.NVSwitch, coreComp(inventory.NVSwitch, "NV", "X", mac1))
	plans := runCycle(t, w, noRacks, []ComponentPull{pull}, testOptions())

	got := w.comps["c1"]
	if !got.Live() || got.Type != inventory.NVSwitch {
		t.Fatalf("component = %+v, want c1 live as NVSwitch", got)
	}
	e := eventFor(t, plans.comps[inventory.NVSwitch].Writes, inventory.EntityComponent, "c1")
	if ch := e.Changes[inventory.ColType]; e.Action != inventory.ActionResurrect || ch.Old != "Compute" || ch.New != "NVSwitch" {
		t.Errorf("event = %+v", e)
	}
	assertSettled(t, w, noRacks, pull)
}

func TestMirror_LiveComponentOfAnotherTypeIsAConflict(t *testing.T) {
	w := newWorld(nil, []inventory.Component{dbComp("c1", inventory.Compute, "NV", "X")}, []inventory.BMC{hostBMC(mac1, "c1")})
	pulls := []ComponentPull{
		compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "X", mac1)),
		compPull(inventory.NVSwitch, coreComp(inventory.NVSwitch, "NV", "X", mac2), coreComp(inventory.NVSwitch, "NV", "S-2", mac1)),
	}
	plans := runCycle(t, w, noRacks, pulls, testOptions())
	sw := plans.comps[inventory.NVSwitch]
	assertCounters(t, sw.Counters, Counters{Pulled: 2, SkippedConflict: 1, Inserted: 1, BMCContested: 1})
	assertFinding(t, sw.Findings, slog.LevelWarn, "another type", "X", "c1", "Compute")
	if w.comps["c1"].Type != inventory.Compute {
		t.Errorf("c1 changed type")
	}
	assertSettled(t, w, noRacks, pulls...)
}

func TestMirror_ConflictingSpecDoesNotClaimItsMAC(t *testing.T) {
	w := newWorld(nil, []inventory.Component{dbComp("c1", inventory.Compute, "NV", "X")}, nil)
	// The switch spec X conflicts with live Compute X, so the shelf is the
	// only claimant of mac2 and gets it.
	pulls := []ComponentPull{
		compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "X", mac1)),
		compPull(inventory.NVSwitch, coreComp(inventory.NVSwitch, "NV", "X", mac2)),
		compPull(inventory.PowerShelf, coreComp(inventory.PowerShelf, "NV", "P-1", mac2)),
	}
	plans := runCycle(t, w, noRacks, pulls, testOptions())
	assertCounters(t, plans.comps[inventory.PowerShelf].Counters, Counters{Pulled: 1, Inserted: 1, BMCInserted: 1})
}

func TestMirror_DuplicateComponentsLastEntryWins(t *testing.T) {
	w := newWorld(nil, []inventory.Component{dbComp("c1", inventory.Compute, "NV", "C-1")}, nil)
	pull := compPull(inventory.Compute,
		coreComp(inventory.Compute, "NV", "C-1", mac1, compModel("first")),
		coreComp(inventory.Compute, "NV", "C-1", "bad-mac", compModel("invalid")),
		coreComp(inventory.Compute, "NV", "C-2", mac3),
		coreComp(inventory.Compute, "NV", "C-1", mac2, compModel("last")))
	plans := runCycle(t, w, noRacks, []ComponentPull{pull}, testOptions())
	assertCounters(t, plans.comps[inventory.Compute].Counters,
		Counters{Pulled: 4, SkippedDuplicate: 2, Updated: 1, Inserted: 1, BMCInserted: 2})
	if got := w.comps["c1"]; *got.Model != "last" || hostsOf(w, "c1")[0] != mac2 {
		t.Errorf("c1 = %+v with hosts %v, want the last entry", got, hostsOf(w, "c1"))
	}
	assertFinding(t, plans.comps[inventory.Compute].Findings, slog.LevelWarn, "duplicate", "C-1", "bad-mac", mac2)
}

func TestMirror_DuplicateLosingToAnInvalidEntryIsStillSeen(t *testing.T) {
	w := newWorld(nil, []inventory.Component{dbComp("c1", inventory.Compute, "NV", "C-1")}, nil)
	pull := compPull(inventory.Compute,
		coreComp(inventory.Compute, "NV", "C-1", mac1), coreComp(inventory.Compute, "NV", "C-1", "not-a-mac"),
		coreComp(inventory.Compute, "NV", "C-9", mac2))
	plans := runCycle(t, w, noRacks, []ComponentPull{pull}, testOptions())
	assertCounters(t, plans.comps[inventory.Compute].Counters,
		Counters{Pulled: 3, SkippedDuplicate: 1, SkippedInvalid: 1, Inserted: 1, BMCInserted: 1})
	if !w.comps["c1"].Live() {
		t.Error("c1 was deleted although Core named it")
	}
}

func TestMirror_InvalidSpecsAreSkippedButSeen(t *testing.T) {
	w := newWorld(nil, []inventory.Component{dbComp("c1", inventory.Compute, "NV", "C-1")}, nil)
	pull := compPull(inventory.Compute,
		coreComp(inventory.Compute, "NV", "C-1", "aa:bb:cc:dd:ee:ff:00:11"),
		coreComp(inventory.Compute, "", "C-2", mac2),
		coreComp(inventory.Compute, "NV", "C-3", "00:00:00:00:00:00"),
		coreComp(inventory.Compute, "NV", "C-4", mac4))
	plans := runCycle(t, w, noRacks, []ComponentPull{pull}, testOptions())
	p := plans.comps[inventory.Compute]
	assertCounters(t, p.Counters, Counters{Pulled: 4, SkippedInvalid: 3, Inserted: 1, BMCInserted: 1})
	if !w.comps["c1"].Live() {
		t.Error("c1 was deleted although Core named it")
	}
	assertFinding(t, p.Findings, slog.LevelWarn, "MAC", "C-1", "aa:bb:cc:dd:ee:ff:00:11")
	assertFinding(t, p.Findings, slog.LevelWarn, "required", "C-2")
}

func TestMirror_RackReferences(t *testing.T) {
	racks := []inventory.Rack{dbRack("r1", "a12", "a12", "F", "R-1"), tombstone(dbRack("r2", "gone", "gone", "F", "R-2"))}
	tests := []struct {
		name    string
		current *string // the stored rack of an existing component; nil means insert
		ref     string
		want    *string
		warns   bool
	}{
		{"an insert resolves a live rack", nil, "a12", inventory.Ptr("r1"), false},
		{"an insert with an unknown rack gets none", nil, "zz", nil, true},
		{"a tombstone rack does not resolve", nil, "gone", nil, true},
		{"an update to an unknown rack keeps the current rack", inventory.Ptr("r1"), "zz", inventory.Ptr("r1"), true},
		{"an empty reference clears the rack", inventory.Ptr("r1"), "", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var comps []inventory.Component
			if tt.current != nil {
				c := dbComp("c1", inventory.Compute, "NV", "C-1")
				c.RackID = tt.current
				comps = append(comps, c)
			}
			w := newWorld(racks, comps, []inventory.BMC{})
			pull := compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "C-1", mac1, inRack(tt.ref)))
			plans := runCycle(t, w, noRacks, []ComponentPull{pull}, testOptions())
			if got := compByKey(t, w, "C-1").RackID; !inventory.EqualPtr(got, tt.want) {
				t.Errorf("rack = %v, want %v", deref(got), deref(tt.want))
			}
			if got := hasFinding(plans.comps[inventory.Compute].Findings, slog.LevelWarn, "does not resolve", tt.ref, "C-1"); got != tt.warns {
				t.Errorf("warned %v, want %v", got, tt.warns)
			}
		})
	}
}

func TestMirror_DryRunResolvesRacksAgainstThePlannedEndState(t *testing.T) {
	w := newWorld(nil, nil, nil)
	racks := PlanRacks(rackPull(coreRack("a12", "F", "R-1")), nil, nil, testOptions())
	prepared := prepareAll([]ComponentPull{compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "C-1", mac1, inRack("a12")))})
	plan := PlanComponents(inventory.Compute, prepared, ComponentState{Racks: racks.EndRacks}, testOptions())
	ins := plan.Writes.ComponentInserts
	if len(ins) != 1 || deref(ins[0].RackID) != racks.Writes.RackInserts[0].ID {
		t.Errorf("inserts = %+v, want the planned rack's id", ins)
	}
	if len(w.racks) != 0 {
		t.Error("a dry run wrote")
	}
}

func TestMirror_SoftDeletesUnseenComponentsOfItsTypeOnly(t *testing.T) {
	w := newWorld(nil, []inventory.Component{
		dbComp("c1", inventory.Compute, "NV", "C-1"), dbComp("s1", inventory.NVSwitch, "NV", "S-1"),
		deadComp(dbComp("c9", inventory.Compute, "NV", "C-9")),
	}, []inventory.BMC{hostBMC(mac1, "c1")})
	pull := compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "C-2", mac2))
	plans := runCycle(t, w, noRacks, []ComponentPull{pull}, testOptions())
	assertCounters(t, plans.comps[inventory.Compute].Counters, Counters{Pulled: 1, Inserted: 1, SoftDeleted: 1, BMCInserted: 1})
	if w.comps["c1"].Live() || !w.comps["s1"].Live() || len(hostsOf(w, "c1")) != 1 {
		t.Errorf("want c1 soft-deleted with its BMC kept and the switch untouched")
	}
	if e := eventFor(t, plans.comps[inventory.Compute].Writes, inventory.EntityComponent, "c1"); e.Action != inventory.ActionSoftDelete {
		t.Errorf("event = %+v", e)
	}
}

func TestMirror_EmptyOrFailedPullSkipsDeletes(t *testing.T) {
	tests := []struct {
		name  string
		pull  ComponentPull
		level slog.Level
		msg   string
	}{
		{"an empty response", ComponentPull{Type: inventory.Compute, Outcome: Empty}, slog.LevelWarn, "delete phase skipped"},
		{"only invalid rows", compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "C-2", "")), slog.LevelWarn, "delete phase skipped"},
		{"a failed pull", ComponentPull{Type: inventory.Compute, Outcome: Error, Err: errors.New("boom")}, slog.LevelError, "pull failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(nil, []inventory.Component{dbComp("c1", inventory.Compute, "NV", "C-1")}, nil)
			plans := runCycle(t, w, noRacks, []ComponentPull{tt.pull}, testOptions())
			p := plans.comps[inventory.Compute]
			if !p.Writes.Empty() {
				t.Errorf("plan writes:%s", describeEvents(p.Writes.Events))
			}
			assertFinding(t, p.Findings, tt.level, tt.msg, "Compute")
		})
	}
}

func TestMirror_EmptyPullStillMirrorsValidRows(t *testing.T) {
	w := newWorld(nil, []inventory.Component{dbComp("c1", inventory.Compute, "NV", "C-1")}, nil)
	pull := ComponentPull{Type: inventory.Compute, Outcome: Empty, Specs: []inventory.ExpectedComponent{coreComp(inventory.Compute, "NV", "C-2", mac2)}}
	plans := runCycle(t, w, noRacks, []ComponentPull{pull}, testOptions())
	assertCounters(t, plans.comps[inventory.Compute].Counters, Counters{Pulled: 1, Inserted: 1, BMCInserted: 1})
}

// Example 8.
func TestMirror_FailedSwitchPullTouchesNoSwitch(t *testing.T) {
	w := newWorld(nil, []inventory.Component{dbComp("s1", inventory.NVSwitch, "NV", "S-1"), dbComp("c1", inventory.Compute, "NV", "C-1")}, nil)
	pulls := []ComponentPull{
		compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "C-2", mac2)),
		{Type: inventory.NVSwitch, Outcome: Error, Err: errors.New("unavailable")},
		compPull(inventory.PowerShelf, coreComp(inventory.PowerShelf, "NV", "P-1", mac3)),
	}
	plans := runCycle(t, w, noRacks, pulls, testOptions())
	if !plans.comps[inventory.NVSwitch].Writes.Empty() || !w.comps["s1"].Live() {
		t.Error("the failed type was touched")
	}
	assertCounters(t, plans.comps[inventory.Compute].Counters, Counters{Pulled: 1, Inserted: 1, SoftDeleted: 1, BMCInserted: 1})
	assertCounters(t, plans.comps[inventory.PowerShelf].Counters, Counters{Pulled: 1, Inserted: 1, BMCInserted: 1})
	assertFinding(t, plans.comps[inventory.NVSwitch].Findings, slog.LevelError, "pull failed", "NVSwitch", "unavailable")
}

func TestMirror_GuardHoldsComponentMassDeleteUntilReleased(t *testing.T) {
	var comps []inventory.Component
	for _, id := range ids("c", 40) {
		comps = append(comps, dbComp(id, inventory.Compute, "NV", id))
	}
	w := newWorld(nil, comps, nil)
	pull := compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "c000", mac1))
	plans := runCycle(t, w, noRacks, []ComponentPull{pull}, testOptions())
	p := plans.comps[inventory.Compute]
	if p.Counters.HeldDeletes != 39 || len(p.Held) != 39 || p.Counters.SoftDeleted != 0 || p.Counters.BMCInserted != 1 {
		t.Fatalf("counters = %+v, held %d", p.Counters, len(p.Held))
	}
	assertFinding(t, p.Findings, slog.LevelWarn, "guard", "Compute")

	opt := testOptions()
	opt.Release = p.Held
	plans = runCycle(t, w, noRacks, []ComponentPull{pull}, opt)
	assertCounters(t, plans.comps[inventory.Compute].Counters, Counters{Pulled: 1, SoftDeleted: 39})
}

func TestMirror_GuardRatioOneDeletesEverythingUnseen(t *testing.T) {
	var comps []inventory.Component
	for _, id := range ids("c", 40) {
		comps = append(comps, dbComp(id, inventory.Compute, "NV", id))
	}
	w := newWorld(nil, comps, nil)
	opt := testOptions()
	opt.GuardRatio, opt.GuardMin = 1, 0
	pull := compPull(inventory.Compute, coreComp(inventory.Compute, "NV", "c000", mac1))
	plans := runCycle(t, w, noRacks, []ComponentPull{pull}, opt)
	if got := plans.comps[inventory.Compute].Counters.SoftDeleted; got != 39 {
		t.Errorf("soft_deleted = %d, want 39", got)
	}
}
