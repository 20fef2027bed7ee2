package actual

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"rackflow/inventory"
)

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func opts() Options { return Options{Now: now, CycleID: "c0000000-0000-4000-8000-000000000001"} }

// site is a small fixture: components with their host BMCs, and racks.
type site struct{ st State }

func (s *site) rack(id, ext string) {
	s.st.Racks = append(s.st.Racks, inventory.Rack{ID: id, Name: ext, ExternalID: inventory.Ptr(ext)})
}

func (s *site) comp(t inventory.ComponentType, id, serial, mac string, edit ...func(*inventory.Component)) {
	c := inventory.Component{ID: id, Type: t, Manufacturer: "Foxconn", SerialNumber: serial}
	for _, e := range edit {
		e(&c)
	}
	s.st.Components = append(s.st.Components, c)
	if mac != "" {
		s.st.BMCs = append(s.st.BMCs, inventory.BMC{MAC: mac, Type: inventory.HostBMC, ComponentID: id})
	}
}

func host(id, mac, serial string, dpus ...string) Object {
	m := inventory.Machine{ID: id, Type: inventory.MachineHost, BMC: inventory.BMCInfo{MAC: mac}, DMI: inventory.DMIData{ChassisSerial: serial}, DPUIDs: dpus}
	return machineObject(&m)
}

func computeSnap(objs ...Object) Snapshot {
	return Snapshot{Type: inventory.Compute, Objects: objs, DPUs: map[string]DPU{},
		Power: map[string]inventory.PowerOption{}, Positions: map[string]inventory.Position{}, Inventory: map[string]Report{}}
}

func device(t inventory.ComponentType, id, mac string) Object {
	return Object{ID: id, MAC: normalizeOrEmpty(mac), RawMAC: mac, SerialKnown: true}
}

func mustPlan(t *testing.T, snap Snapshot, st State) Plan {
	t.Helper()
	p, err := PlanType(snap, st, opts())
	if err != nil {
		t.Fatalf("PlanType: %v", err)
	}
	return p
}

func update(p Plan, id string) inventory.Changes {
	for _, u := range p.Writes.ComponentUpdates {
		if u.Key == id {
			return u.Changes
		}
	}
	return nil
}

// driftsByType returns the drift rows a plan leaves open, by drift type.
func openDrifts(p Plan) map[inventory.DriftType][]inventory.Drift {
	out := map[inventory.DriftType][]inventory.Drift{}
	for _, d := range append(append([]inventory.Drift(nil), p.Writes.DriftUpdates...), p.Writes.DriftInserts...) {
		out[d.DriftType] = append(out[d.DriftType], d)
	}
	return out
}

func TestPlanType_MatchesByHostMACAndWritesRuntimeColumns(t *testing.T) {
	var s site
	s.comp(inventory.Compute, "c1", "SN-1", "aa:bb:cc:00:00:01")
	o := host("m-1", "AA:BB:CC:00:00:01", "SN-1")
	o.BMCFirmware = "9.9"
	snap := computeSnap(o)
	snap.Power["m-1"] = inventory.PowerOption{MachineID: "m-1", Actual: inventory.PowerOff}
	snap.Inventory["m-1"] = reportOf(inventory.InventoryEntry{ComponentID: "m-1", Status: inventory.InventorySuccess,
		Report: &inventory.InventoryReport{FirmwareVersions: map[string]string{"bmc": "25.04.1"}}})
	p := mustPlan(t, snap, s.st)

	cs := update(p, "c1")
	if got := cs[inventory.ColExternalID].New; *got.(*string) != "m-1" {
		t.Errorf("external_id = %v, want m-1", got)
	}
	if got := cs[inventory.ColPowerState].New; *got.(*inventory.PowerState) != inventory.PowerOff {
		t.Errorf("power_state = %v, want off", got)
	}
	if got := cs[inventory.ColFirmwareVersion].New; *got.(*string) != "25.04.1" {
		t.Errorf("firmware = %v, want the report's 25.04.1 over bmc_info", got)
	}
	if len(p.Writes.Events) != 1 || p.Writes.Events[0].Source != inventory.SourceActual || p.Writes.Events[0].Action != inventory.ActionUpdate {
		t.Errorf("events = %+v, want one actual update", p.Writes.Events)
	}
	if !p.Writes.At.Equal(now) {
		t.Errorf("writes.At = %v, want the cycle's time %v: it is every updated row's updated_at", p.Writes.At, now)
	}
	c := p.Counters
	if c.Matched != 1 || c.ExternalIDSet != 1 || c.PowerUpdated != 1 || c.FirmwareUpdated != 1 || c.DriftOpen != 0 {
		t.Errorf("counters = %+v", c)
	}
}

func TestPlanType_FirmwareFallsBackToBMCInfoOnlyWithASuccessfulReport(t *testing.T) {
	var s site
	s.comp(inventory.Compute, "c1", "SN-1", "aa:bb:cc:00:00:01")
	s.comp(inventory.Compute, "c2", "SN-2", "aa:bb:cc:00:00:02", func(c *inventory.Component) { c.FirmwareVersion = inventory.Ptr("old") })
	o1, o2 := host("m-1", "aa:bb:cc:00:00:01", "SN-1"), host("m-2", "aa:bb:cc:00:00:02", "SN-2")
	o1.BMCFirmware, o2.BMCFirmware = "1.1", "2.2"
	snap := computeSnap(o1, o2)
	snap.Inventory["m-1"] = reportOf(inventory.InventoryEntry{ComponentID: "m-1", Status: inventory.InventorySuccess, Report: &inventory.InventoryReport{}})
	snap.Inventory["m-2"] = reportOf(inventory.InventoryEntry{ComponentID: "m-2", Status: inventory.InventoryNotFound})
	p := mustPlan(t, snap, s.st)
	if got := update(p, "c1")[inventory.ColFirmwareVersion].New; got == nil || *got.(*string) != "1.1" {
		t.Errorf("c1 firmware = %v, want bmc_info's 1.1", got)
	}
	if _, changed := update(p, "c2")[inventory.ColFirmwareVersion]; changed {
		t.Errorf("c2 firmware changed despite a failed inventory entry")
	}
	if _, changed := update(p, "c2")[inventory.ColPowerState]; changed {
		t.Errorf("c2 power changed without a power entry")
	}
	if p.Counters.InventoryEntryErrors != 1 {
		t.Errorf("inventory_entry_errors = %d, want 1", p.Counters.InventoryEntryErrors)
	}
}

func TestPlanType_SerialFallbackNeedsExactlyOneMachine(t *testing.T) {
	var s site
	s.comp(inventory.Compute, "c1", "SN-1", "aa:bb:cc:00:00:01")
	s.comp(inventory.Compute, "c2", "SN-2", "aa:bb:cc:00:00:02")
	snap := computeSnap(host("m-1", "", "SN-1"), host("m-2a", "", "SN-2"), host("m-2b", "", "SN-2"))
	p := mustPlan(t, snap, s.st)
	if p.Counters.Matched != 1 || p.Counters.MatchedBySerial != 1 {
		t.Fatalf("counters = %+v, want c1 matched by serial only", p.Counters)
	}
	d := openDrifts(p)
	if len(d[inventory.MissingInActual]) != 1 || *d[inventory.MissingInActual][0].ComponentID != "c2" {
		t.Errorf("missing_in_actual = %+v, want c2", d[inventory.MissingInActual])
	}
	if len(d[inventory.MissingInExpected]) != 2 {
		t.Errorf("missing_in_expected = %+v, want m-2a and m-2b", d[inventory.MissingInExpected])
	}
}

func TestPlanType_SwitchesHaveNoSerialFallback(t *testing.T) {
	var s site
	s.comp(inventory.NVSwitch, "s1", "SN-S1", "aa:bb:cc:00:01:01")
	o := device(inventory.NVSwitch, "sw-1", "")
	o.Serial = "SN-S1"
	p := mustPlan(t, Snapshot{Type: inventory.NVSwitch, Objects: []Object{o}}, s.st)
	if p.Counters.Matched != 0 {
		t.Fatalf("matched = %d, want 0", p.Counters.Matched)
	}
}

func TestPlanType_AmbiguousMatchesLeaveEveryoneUnmatched(t *testing.T) {
	var s site
	// c1 and c2 both hold a host MAC of sw-1; c3 holds the MACs of two switches.
	s.comp(inventory.NVSwitch, "c1", "A", "aa:bb:cc:00:01:01")
	s.comp(inventory.NVSwitch, "c2", "B", "aa:bb:cc:00:01:09")
	s.st.BMCs = append(s.st.BMCs, inventory.BMC{MAC: "aa:bb:cc:00:01:01", Type: inventory.HostBMC, ComponentID: "c2"})
	s.comp(inventory.NVSwitch, "c3", "C", "aa:bb:cc:00:01:02")
	s.st.BMCs = append(s.st.BMCs, inventory.BMC{MAC: "aa:bb:cc:00:01:03", Type: inventory.HostBMC, ComponentID: "c3"})
	snap := Snapshot{Type: inventory.NVSwitch, Objects: []Object{
		device(inventory.NVSwitch, "sw-1", "aa:bb:cc:00:01:01"), device(inventory.NVSwitch, "sw-2", "aa:bb:cc:00:01:02"),
		device(inventory.NVSwitch, "sw-3", "aa:bb:cc:00:01:03"),
	}}
	p := mustPlan(t, snap, s.st)
	if p.Counters.Ambiguous != 3 || p.Counters.Matched != 0 {
		t.Fatalf("counters = %+v, want 3 ambiguous, 0 matched", p.Counters)
	}
	d := openDrifts(p)
	if len(d[inventory.MissingInActual]) != 3 || len(d[inventory.MissingInExpected]) != 3 {
		t.Errorf("drift = %d missing_in_actual, %d missing_in_expected; want 3 and 3", len(d[inventory.MissingInActual]), len(d[inventory.MissingInExpected]))
	}
	if len(p.Writes.ComponentUpdates) != 0 {
		t.Errorf("ambiguous components were written: %+v", p.Writes.ComponentUpdates)
	}
}

func TestPlanType_SwapsExternalIDsBetweenTwoSwitches(t *testing.T) {
	var s site
	s.comp(inventory.NVSwitch, "s1", "A", "aa:bb:cc:00:01:01", func(c *inventory.Component) { c.ExternalID = inventory.Ptr("sw-2") })
	s.comp(inventory.NVSwitch, "s2", "B", "aa:bb:cc:00:01:02", func(c *inventory.Component) { c.ExternalID = inventory.Ptr("sw-1") })
	snap := Snapshot{Type: inventory.NVSwitch, Objects: []Object{
		device(inventory.NVSwitch, "sw-1", "aa:bb:cc:00:01:01"), device(inventory.NVSwitch, "sw-2", "aa:bb:cc:00:01:02")}}
	p := mustPlan(t, snap, s.st)
	if got := *update(p, "s1")[inventory.ColExternalID].New.(*string); got != "sw-1" {
		t.Errorf("s1 external id = %s, want sw-1", got)
	}
	if got := *update(p, "s2")[inventory.ColExternalID].New.(*string); got != "sw-2" {
		t.Errorf("s2 external id = %s, want sw-2", got)
	}
	if p.Counters.ExternalIDSet != 2 || p.Counters.ExternalIDCleared != 0 {
		t.Errorf("counters = %+v, want 2 set, 0 cleared", p.Counters)
	}
}

func TestPlanType_ClearsAnExternalIDHeldByATombstoneOrAnUnmatchedRow(t *testing.T) {
	var s site
	s.comp(inventory.PowerShelf, "p1", "A", "aa:bb:cc:00:02:01")
	s.comp(inventory.PowerShelf, "old", "Z", "", func(c *inventory.Component) { c.ExternalID = inventory.Ptr("ps-1"); c.DeletedAt = &now })
	s.comp(inventory.PowerShelf, "stale", "Y", "aa:bb:cc:00:02:09", func(c *inventory.Component) { c.ExternalID = inventory.Ptr("ps-9") })
	snap := Snapshot{Type: inventory.PowerShelf, Objects: []Object{device(inventory.PowerShelf, "ps-1", "aa:bb:cc:00:02:01")}}
	p := mustPlan(t, snap, s.st)
	if ch := update(p, "old")[inventory.ColExternalID]; ch.New.(*string) != nil {
		t.Errorf("tombstone external id change = %+v, want cleared", ch)
	}
	if update(p, "stale") != nil {
		t.Errorf("an unmatched component lost its external id")
	}
	d := openDrifts(p)[inventory.MissingInActual]
	if len(d) != 1 || *d[0].ComponentID != "stale" || *d[0].ExternalID != "ps-9" {
		t.Errorf("missing_in_actual = %+v, want stale with its stale id ps-9", d)
	}
	if p.Counters.ExternalIDCleared != 1 {
		t.Errorf("external_id_cleared = %d, want 1", p.Counters.ExternalIDCleared)
	}
}

func TestPlanType_DriftRows(t *testing.T) {
	var s site
	s.rack("r1", "a12")
	slot := func(v int64) func(*inventory.Component) {
		return func(c *inventory.Component) { c.SlotID = inventory.Ptr(v); c.RackID = inventory.Ptr("r1") }
	}
	s.comp(inventory.Compute, "c1", "SN-1", "aa:bb:cc:00:00:01", slot(3), func(c *inventory.Component) { c.TrayIndex = inventory.Ptr(int64(1)) })
	s.comp(inventory.Compute, "c2", "SN-2", "aa:bb:cc:00:00:02", slot(4))
	s.comp(inventory.Compute, "c3", "SN-3", "aa:bb:cc:00:00:03")
	s.comp(inventory.Compute, "gone", "SN-4", "aa:bb:cc:00:00:04")
	o1 := host("m-1", "aa:bb:cc:00:00:01", "SN-X")
	o1.RackID = "b07"
	o2 := host("m-2", "aa:bb:cc:00:00:02", "")
	o3 := host("m-3", "aa:bb:cc:00:00:03", "SN-3")
	o3.RackID = "b07"
	snap := computeSnap(o1, o2, o3, host("m-extra", "aa:bb:cc:00:00:05", "SN-5"))
	snap.Positions["m-1"] = inventory.Position{MachineID: "m-1", Slot: inventory.Ptr(int64(5)), Host: inventory.Ptr(int64(0))}
	// m-2 has no position entry at all.
	p := mustPlan(t, snap, s.st)

	byComp := map[string]inventory.Drift{}
	for _, d := range openDrifts(p)[inventory.Mismatch] {
		byComp[*d.ComponentID] = d
	}
	want1 := []inventory.Diff{
		{FieldName: "slot_id", ExpectedValue: "3", ActualValue: "5"},
		{FieldName: "tray_index", ExpectedValue: "1", ActualValue: inventory.MissingValue},
		{FieldName: "rack_id", ExpectedValue: "a12", ActualValue: "b07"},
		{FieldName: "serial_number", ExpectedValue: "SN-1", ActualValue: "SN-X"},
	}
	if got := byComp["c1"].Diffs; !reflect.DeepEqual(got, want1) {
		t.Errorf("c1 diffs = %+v\nwant %+v (host_id skipped: expected unknown)", got, want1)
	}
	want2 := []inventory.Diff{{FieldName: "slot_id", ExpectedValue: "4", ActualValue: inventory.MissingValue}}
	if got := byComp["c2"].Diffs; !reflect.DeepEqual(got, want2) {
		t.Errorf("c2 diffs = %+v, want %+v (no position entry; empty Core serial not compared)", got, want2)
	}
	if _, ok := byComp["c3"]; ok {
		t.Errorf("c3 has a mismatch, but it has no rack and no position expectations: %+v", byComp["c3"])
	}
	if *byComp["c1"].ExternalID != "m-1" {
		t.Errorf("mismatch external id = %s, want Core id m-1", *byComp["c1"].ExternalID)
	}
	d := openDrifts(p)
	if len(d[inventory.MissingInActual]) != 1 || *d[inventory.MissingInActual][0].ComponentID != "gone" ||
		len(d[inventory.MissingInActual][0].Diffs) != 0 || d[inventory.MissingInActual][0].Diffs == nil {
		t.Errorf("missing_in_actual = %+v", d[inventory.MissingInActual])
	}
	if len(d[inventory.MissingInExpected]) != 1 || d[inventory.MissingInExpected][0].ComponentID != nil || *d[inventory.MissingInExpected][0].ExternalID != "m-extra" {
		t.Errorf("missing_in_expected = %+v", d[inventory.MissingInExpected])
	}
	if p.Counters.DriftOpened != 4 || p.Counters.DriftOpen != 4 || len(p.Writes.DriftHistory) != 4 {
		t.Errorf("counters = %+v, history = %d; want 4 opened", p.Counters, len(p.Writes.DriftHistory))
	}
}

func TestPlanType_DriftKeepsFirstSeenAndRecordsChangesAndResolutions(t *testing.T) {
	var s site
	s.comp(inventory.Compute, "c1", "SN-1", "aa:bb:cc:00:00:01", func(c *inventory.Component) { c.SlotID = inventory.Ptr(int64(3)) })
	s.comp(inventory.Compute, "c2", "SN-2", "aa:bb:cc:00:00:02", func(c *inventory.Component) { c.SlotID = inventory.Ptr(int64(4)) })
	earlier := now.Add(-time.Hour)
	s.st.Drifts = []inventory.Drift{
		{ID: "d1", ComponentID: inventory.Ptr("c1"), ExternalID: inventory.Ptr("m-1"), ComponentType: inventory.Compute, DriftType: inventory.Mismatch,
			Diffs: []inventory.Diff{{FieldName: "slot_id", ExpectedValue: "3", ActualValue: "9"}}, FirstSeenAt: earlier, CheckedAt: earlier},
		{ID: "d2", ComponentID: inventory.Ptr("c2"), ExternalID: inventory.Ptr("m-2"), ComponentType: inventory.Compute, DriftType: inventory.Mismatch,
			Diffs: []inventory.Diff{{FieldName: "slot_id", ExpectedValue: "4", ActualValue: "9"}}, FirstSeenAt: earlier, CheckedAt: earlier},
		{ID: "d3", ExternalID: inventory.Ptr("m-old"), ComponentType: inventory.Compute, DriftType: inventory.MissingInExpected, FirstSeenAt: earlier, CheckedAt: earlier},
	}
	snap := computeSnap(host("m-1", "aa:bb:cc:00:00:01", "SN-1"), host("m-2", "aa:bb:cc:00:00:02", "SN-2"))
	snap.Positions["m-1"] = inventory.Position{MachineID: "m-1", Slot: inventory.Ptr(int64(9))}
	snap.Positions["m-2"] = inventory.Position{MachineID: "m-2", Slot: inventory.Ptr(int64(8))}
	p := mustPlan(t, snap, s.st)

	if len(p.Writes.DriftInserts) != 0 || len(p.Writes.DriftUpdates) != 2 {
		t.Fatalf("inserts %d, updates %d; want 0 and 2", len(p.Writes.DriftInserts), len(p.Writes.DriftUpdates))
	}
	for _, d := range p.Writes.DriftUpdates {
		if !d.FirstSeenAt.Equal(earlier) || !d.CheckedAt.Equal(now) {
			t.Errorf("drift %s first_seen %v checked %v; want first_seen kept and checked now", d.ID, d.FirstSeenAt, d.CheckedAt)
		}
	}
	if !reflect.DeepEqual(p.Writes.DriftDeletes, []string{"d3"}) {
		t.Errorf("deletes = %v, want [d3]", p.Writes.DriftDeletes)
	}
	events := map[string]inventory.DriftEvent{}
	for _, h := range p.Writes.DriftHistory {
		events[h.DriftID] = h.Event
	}
	want := map[string]inventory.DriftEvent{"d2": inventory.DriftChanged, "d3": inventory.DriftResolved}
	if !reflect.DeepEqual(events, want) {
		t.Errorf("history = %v, want %v (d1 unchanged writes no history)", events, want)
	}
	if c := p.Counters; c.DriftChanged != 1 || c.DriftResolved != 1 || c.DriftOpened != 0 || c.DriftOpen != 2 {
		t.Errorf("counters = %+v", c)
	}
}

func TestPlanType_FailedOptionalCallsCarryDiffsOver(t *testing.T) {
	var s site
	s.comp(inventory.Compute, "c1", "SN-1", "aa:bb:cc:00:00:01", func(c *inventory.Component) { c.SlotID = inventory.Ptr(int64(3)) })
	s.comp(inventory.NVSwitch, "s1", "SN-S", "aa:bb:cc:00:01:01")
	prevSlot := []inventory.Diff{{FieldName: "slot_id", ExpectedValue: "3", ActualValue: "7"}}
	s.st.Drifts = []inventory.Drift{{ID: "d1", ComponentID: inventory.Ptr("c1"), ExternalID: inventory.Ptr("m-1"), ComponentType: inventory.Compute,
		DriftType: inventory.Mismatch, Diffs: prevSlot, FirstSeenAt: now, CheckedAt: now}}
	snap := computeSnap(host("m-1", "aa:bb:cc:00:00:01", "SN-1"))
	snap.PositionsErr = errors.New("unavailable")
	p := mustPlan(t, snap, s.st)
	if len(p.Writes.DriftUpdates) != 1 || !reflect.DeepEqual(p.Writes.DriftUpdates[0].Diffs, prevSlot) || len(p.Writes.DriftHistory) != 0 {
		t.Errorf("with positions failing: updates %+v history %+v; want the slot diff carried over, no history", p.Writes.DriftUpdates, p.Writes.DriftHistory)
	}
	if p.Counters.OptionalErrors != 1 {
		t.Errorf("optional_errors = %d, want 1", p.Counters.OptionalErrors)
	}

	prevSerial := []inventory.Diff{{FieldName: "serial_number", ExpectedValue: "SN-S", ActualValue: "SN-Q"}}
	st := State{Components: s.st.Components, BMCs: s.st.BMCs, Drifts: []inventory.Drift{{ID: "d2", ComponentID: inventory.Ptr("s1"),
		ExternalID: inventory.Ptr("sw-1"), ComponentType: inventory.NVSwitch, DriftType: inventory.Mismatch, Diffs: prevSerial, FirstSeenAt: now, CheckedAt: now}}}
	sw := device(inventory.NVSwitch, "sw-1", "aa:bb:cc:00:01:01")
	sw.SerialKnown = false // its inventory entry failed
	p = mustPlan(t, Snapshot{Type: inventory.NVSwitch, Objects: []Object{sw}, Inventory: map[string]Report{}}, st)
	if len(p.Writes.DriftUpdates) != 1 || !reflect.DeepEqual(p.Writes.DriftUpdates[0].Diffs, prevSerial) {
		t.Errorf("with the switch's entry failing: %+v, want the serial diff carried over", p.Writes.DriftUpdates)
	}
}

func TestPlanType_EmptySnapshotWithLiveComponentsFails(t *testing.T) {
	var s site
	s.comp(inventory.PowerShelf, "p1", "A", "aa:bb:cc:00:02:01")
	_, err := PlanType(Snapshot{Type: inventory.PowerShelf}, s.st, opts())
	if !errors.Is(err, ErrEmptySnapshot) {
		t.Fatalf("PlanType = %v, want ErrEmptySnapshot", err)
	}
	if _, err := PlanType(Snapshot{Type: inventory.NVSwitch}, s.st, opts()); err != nil {
		t.Fatalf("an empty snapshot of a type without live components: %v", err)
	}
}

func TestPlanType_ProjectsDPUBMCs(t *testing.T) {
	var s site
	s.comp(inventory.Compute, "c1", "SN-1", "aa:bb:cc:00:00:01")
	s.comp(inventory.Compute, "c2", "SN-2", "aa:bb:cc:00:00:02")
	s.comp(inventory.Compute, "c3", "SN-3", "aa:bb:cc:00:00:03")
	s.st.BMCs = append(s.st.BMCs,
		inventory.BMC{MAC: "dd:00:00:00:00:01", Type: inventory.DPUBMC, ComponentID: "c1", IPAddress: inventory.Ptr("10.9.0.1")}, // kept, IP changes
		inventory.BMC{MAC: "dd:00:00:00:00:02", Type: inventory.DPUBMC, ComponentID: "c1"},                                       // no longer listed: deleted
		inventory.BMC{MAC: "dd:00:00:00:00:03", Type: inventory.DPUBMC, ComponentID: "c3"},                                       // moves to c2
		inventory.BMC{MAC: "dd:00:00:00:00:09", Type: inventory.DPUBMC, ComponentID: "c2"},                                       // c2 incomplete: kept
	)
	snap := computeSnap(
		host("m-1", "aa:bb:cc:00:00:01", "", "d-1", "d-4"),
		host("m-2", "aa:bb:cc:00:00:02", "", "d-3", "d-missing"),
		host("m-3", "aa:bb:cc:00:00:03", ""),
	)
	dpu := func(id, mac, ip string) {
		snap.DPUs[id] = DPU{MAC: mac, IP: ip}
	}
	dpu("d-1", "DD:00:00:00:00:01", "10.9.0.2")
	dpu("d-3", "dd-00-00-00-00-03", "")
	dpu("d-4", "dd:00:00:00:00:04", "10.9.0.4")
	p := mustPlan(t, snap, s.st)

	if ins := p.Writes.BMCInserts; len(ins) != 1 || ins[0].MAC != "dd:00:00:00:00:04" || ins[0].ComponentID != "c1" || ins[0].Type != inventory.DPUBMC {
		t.Errorf("inserts = %+v, want d-4's MAC on c1", ins)
	}
	if !reflect.DeepEqual(p.Writes.BMCDeletes, []string{"dd:00:00:00:00:02"}) {
		t.Errorf("deletes = %v, want only c1's unlisted DPU (c2 lists a DPU missing from the snapshot)", p.Writes.BMCDeletes)
	}
	ups := map[string]inventory.Changes{}
	for _, u := range p.Writes.BMCUpdates {
		ups[u.Key] = u.Changes
	}
	if ch := ups["dd:00:00:00:00:01"][inventory.ColIPAddress]; ch.New == nil || *ch.New.(*string) != "10.9.0.2" {
		t.Errorf("IP update = %+v", ups["dd:00:00:00:00:01"])
	}
	if ch := ups["dd:00:00:00:00:03"][inventory.ColComponentID]; ch.Old != "c3" || ch.New != "c2" {
		t.Errorf("move = %+v, want c3 -> c2", ups["dd:00:00:00:00:03"])
	}
	if c := p.Counters; c.DPUInserted != 1 || c.DPUUpdated != 2 || c.DPUDeleted != 1 || c.DPUConflicts != 0 {
		t.Errorf("counters = %+v", c)
	}
}

func TestPlanType_DPUConflictsAreLeftAlone(t *testing.T) {
	var s site
	s.comp(inventory.Compute, "c1", "SN-1", "aa:bb:cc:00:00:01")
	s.comp(inventory.Compute, "c2", "SN-2", "aa:bb:cc:00:00:02")
	snap := computeSnap(host("m-1", "aa:bb:cc:00:00:01", "", "d-host", "d-shared", "d-bad"), host("m-2", "aa:bb:cc:00:00:02", "", "d-shared"))
	snap.DPUs["d-host"] = DPU{MAC: "aa:bb:cc:00:00:02"}
	snap.DPUs["d-shared"] = DPU{MAC: "dd:00:00:00:00:05"}
	snap.DPUs["d-bad"] = DPU{MAC: "not-a-mac"}
	p := mustPlan(t, snap, s.st)
	if p.Counters.DPUConflicts != 3 || len(p.Writes.BMCInserts)+len(p.Writes.BMCUpdates)+len(p.Writes.BMCDeletes) != 0 {
		t.Errorf("counters %+v, writes %+v; want 3 conflicts and no BMC writes", p.Counters, p.Writes)
	}
}

func TestPlanType_RepeatedPlanOverItsResultWritesNothing(t *testing.T) {
	var s site
	s.comp(inventory.Compute, "c1", "SN-1", "aa:bb:cc:00:00:01", func(c *inventory.Component) {
		c.ExternalID, c.PowerState, c.FirmwareVersion = inventory.Ptr("m-1"), inventory.Ptr(inventory.PowerOn), inventory.Ptr("1.0")
	})
	s.st.BMCs = append(s.st.BMCs, inventory.BMC{MAC: "dd:00:00:00:00:01", Type: inventory.DPUBMC, ComponentID: "c1", IPAddress: inventory.Ptr("10.9.0.1")})
	snap := computeSnap(host("m-1", "aa:bb:cc:00:00:01", "SN-1", "d-1"))
	snap.DPUs["d-1"] = DPU{MAC: "dd:00:00:00:00:01", IP: "10.9.0.1"}
	snap.Power["m-1"] = inventory.PowerOption{MachineID: "m-1", Actual: inventory.PowerOn}
	snap.Inventory["m-1"] = reportOf(inventory.InventoryEntry{ComponentID: "m-1", Status: inventory.InventorySuccess,
		Report: &inventory.InventoryReport{FirmwareVersions: map[string]string{"bmc": "1.0"}}})
	p := mustPlan(t, snap, s.st)
	w := p.Writes
	if len(w.ComponentUpdates)+len(w.BMCInserts)+len(w.BMCUpdates)+len(w.BMCDeletes)+len(w.Events)+len(w.DriftHistory) != 0 {
		t.Errorf("an up-to-date component produced writes: %+v", w)
	}
}

func TestPlanType_DeviceDriftComparesRackAndReportSerial(t *testing.T) {
	for _, typ := range []inventory.ComponentType{inventory.NVSwitch, inventory.PowerShelf} {
		t.Run(string(typ), func(t *testing.T) {
			var s site
			s.rack("r1", "a12")
			inRack := func(c *inventory.Component) { c.RackID = inventory.Ptr("r1"); c.SlotID = inventory.Ptr(int64(4)) }
			s.comp(typ, "d1", "SN-1", "aa:bb:cc:00:01:01", inRack)
			s.comp(typ, "d2", "SN-2", "aa:bb:cc:00:01:02", inRack)
			s.comp(typ, "d3", "SN-3", "aa:bb:cc:00:01:03")
			moved := device(typ, "x-1", "aa:bb:cc:00:01:01")
			moved.RackID, moved.Serial = "b07", "SN-OTHER"
			same := device(typ, "x-2", "aa:bb:cc:00:01:02")
			same.RackID, same.Serial = "a12", "" // no chassis serial in the report: not compared
			unplaced := device(typ, "x-3", "aa:bb:cc:00:01:03")
			unplaced.RackID = "c01" // our row has no rack: not compared
			p := mustPlan(t, Snapshot{Type: typ, Objects: []Object{moved, same, unplaced}}, s.st)
			mismatches := openDrifts(p)[inventory.Mismatch]
			if len(mismatches) != 1 || *mismatches[0].ComponentID != "d1" {
				t.Fatalf("mismatches = %+v, want only d1 (positions are never compared for %s)", mismatches, typ)
			}
			want := []inventory.Diff{
				{FieldName: "rack_id", ExpectedValue: "a12", ActualValue: "b07"},
				{FieldName: "serial_number", ExpectedValue: "SN-1", ActualValue: "SN-OTHER"},
			}
			if got := mismatches[0].Diffs; !reflect.DeepEqual(got, want) {
				t.Errorf("d1 diffs = %+v, want %+v", got, want)
			}
		})
	}
}

func TestDeviceSerial_ComesFromTheFirstChassisOfASuccessfulReport(t *testing.T) {
	ok := inventory.InventoryEntry{ComponentID: "sw-1", Status: inventory.InventorySuccess,
		Report: &inventory.InventoryReport{Chassis: []inventory.ReportChassis{{SerialNumber: " SN-1 "}, {SerialNumber: "SN-9"}}}}
	failed := inventory.InventoryEntry{ComponentID: "sw-2", Status: inventory.InventoryNotFound}
	s := Snapshot{Inventory: indexEntries([]inventory.InventoryEntry{ok, failed})}
	if serial, known := deviceSerial(s, "sw-1"); serial != "SN-1" || !known {
		t.Errorf("serial of a good report = %q, %v", serial, known)
	}
	if _, known := deviceSerial(s, "sw-2"); known {
		t.Errorf("a failed entry's serial counts as known")
	}
	s.InventoryErr = errors.New("unavailable")
	if _, known := deviceSerial(s, "sw-1"); known {
		t.Errorf("a serial counts as known although the inventory call failed")
	}
}

func TestReportOf_KeepsWhatThePlannerReads(t *testing.T) {
	off := inventory.PowerOff
	full := &inventory.InventoryReport{
		Systems:          []inventory.ReportSystem{{PowerState: inventory.PowerOff}, {PowerState: inventory.PowerOn}},
		Chassis:          []inventory.ReportChassis{{SerialNumber: " SN-1 "}, {SerialNumber: "SN-9"}},
		FirmwareVersions: map[string]string{"bmc": " 25.04 ", "bios": "1.0"},
	}
	tests := []struct {
		name  string
		entry inventory.InventoryEntry
		want  Report
	}{
		{"a full report", inventory.InventoryEntry{Status: inventory.InventorySuccess, Report: full},
			Report{OK: true, Firmware: "25.04", Power: &off, Serial: "SN-1"}},
		{"an empty report", inventory.InventoryEntry{Status: inventory.InventorySuccess, Report: &inventory.InventoryReport{}},
			Report{OK: true}},
		{"success without a report", inventory.InventoryEntry{Status: inventory.InventorySuccess}, Report{}},
		{"a failed entry with a report", inventory.InventoryEntry{Status: inventory.InventoryNotFound, Report: full}, Report{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := reportOf(tt.entry); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("reportOf = %+v, want %+v", got, tt.want)
			}
		})
	}
}
