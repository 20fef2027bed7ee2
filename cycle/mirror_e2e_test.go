package cycle_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"rackflow/coresim"
	"rackflow/cycle"
	"rackflow/inventory"
)

func TestCycle_MirrorsEmptyDatabaseThenWritesNothing(t *testing.T) {
	backends(t, func(t *testing.T, s inventory.Store) {
		e := newEnv(t, s, example1().manifest())
		e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
		tb := e.tables()
		if racks, comps := tb.live(); racks != 2 || comps != 5 {
			t.Fatalf("live racks, components = %d, %d; want 2, 5", racks, comps)
		}
		a12, b07 := tb.rackByExternalID(t, "a12"), tb.rackByExternalID(t, "b07")
		for serial, rack := range map[string]string{"SN-C-0001": a12.ID, "SN-C-0003": a12.ID, "SN-S-0001": b07.ID, "SN-P-0001": b07.ID} {
			if c := tb.component(t, serial); c.RackID == nil || *c.RackID != rack {
				t.Errorf("%s rack = %v, want %s", serial, c.RackID, rack)
			}
		}
		hosts := 0
		for _, b := range tb.bmcs {
			if b.Type == inventory.HostBMC {
				hosts++
			}
		}
		if hosts != 5 {
			t.Errorf("host BMCs = %d, want 5", hosts)
		}
		if c := tb.component(t, "SN-C-0002"); c.ExternalID == nil || *c.ExternalID != "m-2" || c.PowerState == nil || *c.PowerState != inventory.PowerOn {
			t.Errorf("actual sync did not set runtime columns: %+v", c)
		}
		for _, c := range tb.components {
			if c.UpdatedAt.IsZero() {
				t.Errorf("component %s updated_at is the zero time after its first cycle", c.SerialNumber)
			}
		}
		for _, ev := range e.events() {
			if b, _ := json.Marshal(ev); strings.Contains(string(b), "hunter2") {
				t.Errorf("an event carries a BMC password: %s", b)
			}
		}
		e.assertNoWrites()
	})
}

func TestCycle_ResurrectsWithSameUUID(t *testing.T) {
	backends(t, func(t *testing.T, s inventory.Store) {
		full := example1()
		e := newEnv(t, s, full.manifest())
		e.cycle(cycle.Request{})
		id := e.tables().component(t, "SN-C-0002").ID

		without := example1()
		without.m.Expected.Machines = append(without.m.Expected.Machines[:1], without.m.Expected.Machines[2:]...)
		e.reload(without.manifest())
		e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
		gone := e.tables().component(t, "SN-C-0002")
		if gone.DeletedAt == nil {
			t.Fatalf("machine Core stopped reporting is still live")
		}
		e.reload(full.manifest())
		e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
		tb := e.tables()
		back := tb.component(t, "SN-C-0002")
		if back.ID != id || back.DeletedAt != nil {
			t.Fatalf("resurrected component = %s deleted %v, want %s live", back.ID, back.DeletedAt, id)
		}
		if macs := tb.bmcsOf(id, inventory.HostBMC); len(macs) != 1 || macs[0] != "aa:bb:cc:00:00:02" {
			t.Errorf("host BMCs after resurrection = %v", macs)
		}
		if !hasEvent(e.events(), id, inventory.ActionResurrect) {
			t.Errorf("no resurrect event for %s", id)
		}
	})
}

func hasEvent(es []inventory.Event, entityID string, action inventory.Action) bool {
	for _, ev := range es {
		if ev.EntityID == entityID && ev.Action == action {
			return true
		}
	}
	return false
}

func TestCycle_AdoptsLegacyRack(t *testing.T) {
	backends(t, func(t *testing.T, s inventory.Store) {
		legacy := inventory.Rack{ID: inventory.NewID(), Name: "legacy-1", Manufacturer: "Foxconn", SerialNumber: "SN-A12",
			Description: json.RawMessage(`{"text":"note","owner":"ops"}`)}
		apply(t, s, inventory.Writes{RackInserts: []inventory.Rack{legacy}})
		e := newEnv(t, s, example1().manifest())
		e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
		r := e.tables().rackByExternalID(t, "a12")
		if r.ID != legacy.ID {
			t.Fatalf("rack a12 = %s, want the adopted legacy row %s", r.ID, legacy.ID)
		}
		if !hasEvent(e.events(), legacy.ID, inventory.ActionAdopt) {
			t.Errorf("no adopt event")
		}
		var desc map[string]any
		if err := json.Unmarshal(r.Description, &desc); err != nil || desc["owner"] != "ops" || desc["text"] != "note" {
			t.Errorf("operator description keys lost: %s", r.Description)
		}
	})
}

func TestCycle_BoardSwapAndEviction(t *testing.T) {
	backends(t, func(t *testing.T, s inventory.Store) {
		st := example1()
		e := newEnv(t, s, st.manifest())
		e.cycle(cycle.Request{})
		before := e.tables()
		one, two := before.component(t, "SN-C-0001").ID, before.component(t, "SN-C-0002").ID

		// Machine 1 gets a new board (new MAC); machine 2 takes machine 3's MAC,
		// and machine 3 a new one.
		st.m.Expected.Machines[0].BMCMAC = "aa:bb:cc:00:00:a1"
		st.m.Expected.Machines[1].BMCMAC = "aa:bb:cc:00:00:03"
		st.m.Expected.Machines[2].BMCMAC = "aa:bb:cc:00:00:a3"
		e.reload(st.manifest())
		e.cycle(cycle.Request{})
		tb := e.tables()
		if c := tb.component(t, "SN-C-0001"); c.ID != one {
			t.Errorf("board swap changed the UUID")
		}
		if macs := tb.bmcsOf(one, inventory.HostBMC); len(macs) != 1 || macs[0] != "aa:bb:cc:00:00:a1" {
			t.Errorf("machine 1 host BMCs = %v, want only the new board's", macs)
		}
		if macs := tb.bmcsOf(two, inventory.HostBMC); len(macs) != 1 || macs[0] != "aa:bb:cc:00:00:03" {
			t.Errorf("machine 2 host BMCs = %v, want the MAC it took", macs)
		}
		if !hasEvent(e.events(), "aa:bb:cc:00:00:03", inventory.ActionEvict) {
			t.Errorf("no evict event for the MAC that moved between components")
		}
	})
}

func TestCycle_RefusesHostMACThatIsADPUBMC(t *testing.T) {
	backends(t, func(t *testing.T, s inventory.Store) {
		st := example1()
		st.m.Actual.Machines = append(st.m.Actual.Machines, coresim.ActualMachine{ID: "d-1", Type: coresim.TypeDPU, BMCMAC: "dd:00:00:00:00:01"})
		st.m.Actual.Machines[0].DPUs = []string{"d-1"}
		e := newEnv(t, s, st.manifest())
		e.cycle(cycle.Request{})
		one := e.tables().component(t, "SN-C-0001").ID
		if macs := e.tables().bmcsOf(one, inventory.DPUBMC); len(macs) != 1 {
			t.Fatalf("DPU BMCs of machine 1 = %v, want the projected DPU", macs)
		}
		st.m.Expected.Machines[1].BMCMAC = "DD:00:00:00:00:01"
		st.m.Expected.Machines[1].Labels = coresim.LabelMap(map[string]string{"manufacturer": "Foxconn", "model": "new-model"})
		e.reload(st.manifest())
		res := e.cycle(cycle.Request{})
		steps := stepsJSON(t, res.Cycle)
		if got := steps["mirror"]["Compute"]["bmc_refused"]; got != float64(1) {
			t.Errorf("bmc_refused = %v, want 1", got)
		}
		tb := e.tables()
		two := tb.component(t, "SN-C-0002")
		if two.Model == nil || *two.Model != "new-model" {
			t.Errorf("a refused BMC stopped the component's own update: model %v", two.Model)
		}
		if macs := tb.bmcsOf(two.ID, inventory.HostBMC); len(macs) != 1 || macs[0] != "aa:bb:cc:00:00:02" {
			t.Errorf("machine 2 host BMCs = %v, want them unchanged", macs)
		}
		if !strings.Contains(e.logs.String(), "dd:00:00:00:00:01") {
			t.Errorf("no log line names the refused MAC")
		}
	})
}

func TestCycle_HoldsMassDeleteUntilReleased(t *testing.T) {
	backends(t, func(t *testing.T, s inventory.Store) {
		big := newSite().rack("a12", "SN-A12")
		for n := 1; n <= 30; n++ {
			big.machine(n, "a12")
		}
		e := newEnv(t, s, big.manifest())
		e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)

		small := newSite().rack("a12", "SN-A12").machine(1, "a12")
		e.reload(small.manifest())
		res := e.cycle(cycle.Request{})
		held := stepsJSON(t, res.Cycle)["mirror"]["Compute"]["held"]
		if ids, _ := held.([]any); len(ids) != 29 {
			t.Fatalf("held = %v, want 29 ids", held)
		}
		if _, comps := e.tables().live(); comps != 30 {
			t.Fatalf("live components = %d, want 30 while the deletes are held", comps)
		}
		e.cycle(cycle.Request{AllowMassDelete: true})
		if _, comps := e.tables().live(); comps != 1 {
			t.Fatalf("live components after release = %d, want 1", comps)
		}
	})
}

func TestCycle_RPCErrorOnOneTypeIsPartial(t *testing.T) {
	backends(t, func(t *testing.T, s inventory.Store) {
		st := example1()
		e := newEnv(t, s, st.fault(coresim.Fault{RPC: "GetAllExpectedSwitches", Error: "UNAVAILABLE"}).manifest())
		res := e.cycle(cycle.Request{})
		e.wantStatus(res, inventory.CyclePartial)
		tb := e.tables()
		for _, c := range tb.components {
			if c.Type == inventory.NVSwitch {
				t.Errorf("a switch was written although its pull failed: %+v", c)
			}
		}
		if _, comps := tb.live(); comps != 4 {
			t.Errorf("live components = %d, want 4 (machines and the shelf)", comps)
		}
		if msg := stepsJSON(t, res.Cycle)["mirror"]["NVSwitch"]["error"]; msg == nil || !strings.Contains(fmt.Sprint(msg), "Unavailable") && !strings.Contains(fmt.Sprint(msg), "UNAVAILABLE") {
			t.Errorf("NVSwitch step error = %v", msg)
		}
	})
}
