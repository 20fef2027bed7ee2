package storetest

import (
	"testing"

	"rackflow/inventory"
)

func softDelete(id string) inventory.RowUpdate {
	return inventory.RowUpdate{Key: id, Changes: inventory.Changes{
		inventory.ColDeletedAt: {Old: nil, New: ptr(t0)},
	}}
}

func testRackNameUniqueAcrossTombstones(t *testing.T, s inventory.Store) {
	a := rack("r1", "SN-1", nil)
	mustApply(t, s, inventory.Writes{RackInserts: []inventory.Rack{a}})
	mustApply(t, s, inventory.Writes{RackSoftDeletes: []inventory.RowUpdate{softDelete(a.ID)}})
	err := apply(t, s, inventory.Writes{RackInserts: []inventory.Rack{rack("r1", "SN-2", nil)}})
	wantErr(t, err, inventory.ErrConflict, "inserting a rack named like a tombstone")
	mustApply(t, s, inventory.Writes{RackInserts: []inventory.Rack{rack("r2", "SN-2", nil)}})
}

func testRackChassisUniqueAcrossTombstones(t *testing.T, s inventory.Store) {
	a := rack("r1", "SN-1", nil)
	mustApply(t, s, inventory.Writes{RackInserts: []inventory.Rack{a}})
	mustApply(t, s, inventory.Writes{RackSoftDeletes: []inventory.RowUpdate{softDelete(a.ID)}})
	err := apply(t, s, inventory.Writes{RackInserts: []inventory.Rack{rack("r2", "SN-1", nil)}})
	wantErr(t, err, inventory.ErrConflict, "inserting a rack with a tombstone's chassis")
	other := rack("r2", "SN-1", nil)
	other.Manufacturer = "Quanta"
	mustApply(t, s, inventory.Writes{RackInserts: []inventory.Rack{other}})
}

func testRackExternalIDPartialUnique(t *testing.T, s inventory.Store) {
	mustApply(t, s, inventory.Writes{RackInserts: []inventory.Rack{
		rack("r1", "SN-1", nil), rack("r2", "SN-2", nil), rack("r3", "SN-3", ptr("a12")),
	}})
	err := apply(t, s, inventory.Writes{RackInserts: []inventory.Rack{rack("r4", "SN-4", ptr("a12"))}})
	wantErr(t, err, inventory.ErrConflict, "inserting a second rack with external id a12")
	if got := len(read(t, s).racks); got != 3 {
		t.Fatalf("racks = %d, want 3", got)
	}
}

func testRackExternalIDNeverEmpty(t *testing.T, s inventory.Store) {
	err := apply(t, s, inventory.Writes{RackInserts: []inventory.Rack{rack("r1", "SN-1", ptr(""))}})
	wantErr(t, err, inventory.ErrInvalid, "inserting a rack with an empty external id")
}

func testComponentKeyGlobal(t *testing.T, s inventory.Store) {
	c := component(inventory.Compute, "X")
	mustApply(t, s, inventory.Writes{ComponentInserts: []inventory.Component{c}})
	err := apply(t, s, inventory.Writes{ComponentInserts: []inventory.Component{component(inventory.NVSwitch, "X")}})
	wantErr(t, err, inventory.ErrConflict, "inserting a switch with a compute tray's key")
	mustApply(t, s, inventory.Writes{ComponentSoftDeletes: []inventory.RowUpdate{softDelete(c.ID)}})
	err = apply(t, s, inventory.Writes{ComponentInserts: []inventory.Component{component(inventory.PowerShelf, "X")}})
	wantErr(t, err, inventory.ErrConflict, "inserting a shelf with a tombstone's key")
}

func testComponentExternalIDPerType(t *testing.T, s inventory.Store) {
	a, b := component(inventory.Compute, "A"), component(inventory.NVSwitch, "B")
	a.ExternalID, b.ExternalID = ptr("id-1"), ptr("id-1")
	n1, n2 := component(inventory.Compute, "N1"), component(inventory.Compute, "N2")
	mustApply(t, s, inventory.Writes{ComponentInserts: []inventory.Component{a, b, n1, n2}})
	c := component(inventory.Compute, "C")
	c.ExternalID = ptr("id-1")
	err := apply(t, s, inventory.Writes{ComponentInserts: []inventory.Component{c}})
	wantErr(t, err, inventory.ErrConflict, "inserting a second compute tray with external id id-1")
}

func testBMCMACNormalised(t *testing.T, s inventory.Store) {
	c := component(inventory.Compute, "A")
	mustApply(t, s, inventory.Writes{
		ComponentInserts: []inventory.Component{c},
		BMCInserts:       []inventory.BMC{{MAC: "AA-BB-CC-00-00-01", Type: inventory.HostBMC, ComponentID: c.ID}},
	})
	bmcs := read(t, s).bmcs
	if len(bmcs) != 1 || bmcs[0].MAC != "aa:bb:cc:00:00:01" {
		t.Fatalf("bmcs = %+v, want one with MAC aa:bb:cc:00:00:01", bmcs)
	}
	err := apply(t, s, inventory.Writes{BMCInserts: []inventory.BMC{{MAC: "AABB.CC00.0001", Type: inventory.HostBMC, ComponentID: c.ID}}})
	wantErr(t, err, inventory.ErrConflict, "inserting the same MAC in another form")
	err = apply(t, s, inventory.Writes{BMCInserts: []inventory.BMC{{MAC: "00:00:00:00:00:00", Type: inventory.HostBMC, ComponentID: c.ID}}})
	wantErr(t, err, inventory.ErrInvalid, "inserting the all-zero MAC")

	mustApply(t, s, inventory.Writes{BMCUpdates: []inventory.RowUpdate{{Key: "AA:BB:CC:00:00:01",
		Changes: inventory.Changes{inventory.ColIPAddress: {New: ptr("10.0.0.9")}}}}})
	if ip := read(t, s).bmcs[0].IPAddress; ip == nil || *ip != "10.0.0.9" {
		t.Fatalf("ip after update by upper-case MAC = %v, want 10.0.0.9", ip)
	}
	mustApply(t, s, inventory.Writes{BMCDeletes: []string{"aabbcc000001"}})
	if got := len(read(t, s).bmcs); got != 0 {
		t.Fatalf("bmcs after delete by bare MAC = %d, want 0", got)
	}
}

func testForeignKeysEnforced(t *testing.T, s inventory.Store) {
	c := component(inventory.Compute, "A")
	c.RackID = ptr(inventory.NewID())
	err := apply(t, s, inventory.Writes{ComponentInserts: []inventory.Component{c}})
	wantErr(t, err, inventory.ErrInvalid, "inserting a component in a rack that does not exist")
	err = apply(t, s, inventory.Writes{BMCInserts: []inventory.BMC{{MAC: "aa:bb:cc:00:00:01", Type: inventory.HostBMC, ComponentID: inventory.NewID()}}})
	wantErr(t, err, inventory.ErrInvalid, "inserting a BMC of a component that does not exist")
}

func testComponentDeleteCascades(t *testing.T, s inventory.Store) {
	c, keep := component(inventory.Compute, "A"), component(inventory.Compute, "B")
	mustApply(t, s, inventory.Writes{
		ComponentInserts: []inventory.Component{c, keep},
		BMCInserts: []inventory.BMC{
			{MAC: "aa:bb:cc:00:00:01", Type: inventory.HostBMC, ComponentID: c.ID},
			{MAC: "aa:bb:cc:00:00:02", Type: inventory.DPUBMC, ComponentID: c.ID},
			{MAC: "aa:bb:cc:00:00:03", Type: inventory.HostBMC, ComponentID: keep.ID},
		},
	})
	mustApply(t, s, inventory.Writes{ComponentDeletes: []string{c.ID}})
	bmcs := read(t, s).bmcs
	if len(bmcs) != 1 || bmcs[0].MAC != "aa:bb:cc:00:00:03" {
		t.Fatalf("bmcs after deleting component = %+v, want only the other component's", bmcs)
	}
}

func testRackDeleteSetsNull(t *testing.T, s inventory.Store) {
	r := rack("r1", "SN-1", ptr("a12"))
	c := component(inventory.Compute, "A")
	c.RackID = &r.ID
	mustApply(t, s, inventory.Writes{RackInserts: []inventory.Rack{r}, ComponentInserts: []inventory.Component{c}})
	mustApply(t, s, inventory.Writes{RackDeletes: []string{r.ID}})
	snap := read(t, s)
	if len(snap.racks) != 0 {
		t.Fatalf("racks = %d, want 0", len(snap.racks))
	}
	if got := snap.component(t, c.ID).RackID; got != nil {
		t.Fatalf("component rack_id = %s, want NULL", *got)
	}
}
