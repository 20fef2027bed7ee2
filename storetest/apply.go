package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"rackflow/inventory"
)

func event(entity, id string, action inventory.Action, cs inventory.Changes) inventory.Event {
	return inventory.Event{CycleID: ptr("6f1c1a52-2b7e-4d2a-9b7e-000000000001"), At: t0, Entity: entity,
		EntityID: id, Action: action, Changes: cs, Source: inventory.SourceMirror}
}

func testMixedPlan(t *testing.T, s inventory.Store) {
	r := rack("r1", "SN-1", ptr("a12"))
	gone := rack("r0", "SN-0", ptr("z99"))
	old := component(inventory.Compute, "OLD")
	mustApply(t, s, inventory.Writes{RackInserts: []inventory.Rack{r, gone}, ComponentInserts: []inventory.Component{old},
		BMCInserts: []inventory.BMC{{MAC: "aa:bb:cc:00:00:09", Type: inventory.HostBMC, ComponentID: old.ID}}})

	c := component(inventory.Compute, "A")
	c.RackID, c.SlotID = &r.ID, ptr(int64(3))
	w := inventory.Writes{
		RackUpdates: []inventory.RowUpdate{{Key: r.ID, Changes: inventory.Changes{
			inventory.ColLocation: {Old: nil, New: json.RawMessage(`{"room":"hall-1"}`)},
		}}},
		RackSoftDeletes:      []inventory.RowUpdate{softDelete(gone.ID)},
		BMCDeletes:           []string{"aa:bb:cc:00:00:09"},
		ComponentInserts:     []inventory.Component{c},
		BMCInserts:           []inventory.BMC{{MAC: "aa:bb:cc:00:00:01", Type: inventory.HostBMC, ComponentID: c.ID, IPAddress: ptr("10.0.0.1")}},
		ComponentSoftDeletes: []inventory.RowUpdate{softDelete(old.ID)},
		Events: []inventory.Event{
			event("rack", r.ID, inventory.ActionUpdate, inventory.Changes{"location": {Old: nil, New: json.RawMessage(`{"room":"hall-1"}`)}}),
			event("rack", gone.ID, inventory.ActionSoftDelete, inventory.Changes{"deleted_at": {Old: nil, New: t0}}),
			event("bmc", "aa:bb:cc:00:00:09", inventory.ActionHardDelete, inventory.Changes{}),
			event("component", c.ID, inventory.ActionInsert, inventory.Changes{"slot_id": {Old: nil, New: ptr(int64(3))}}),
		},
	}
	mustApply(t, s, w)

	snap := read(t, s)
	if loc := snap.rack(t, r.ID).Location; !jsonEqual(loc, `{"room":"hall-1"}`) {
		t.Errorf("rack location = %s, want {\"room\":\"hall-1\"}", loc)
	}
	if snap.rack(t, gone.ID).DeletedAt == nil {
		t.Errorf("rack %s not soft-deleted", gone.ID)
	}
	if got := snap.component(t, c.ID); got.RackID == nil || *got.RackID != r.ID || got.SlotID == nil || *got.SlotID != 3 {
		t.Errorf("inserted component = %+v, want rack %s slot 3", got, r.ID)
	}
	if snap.component(t, old.ID).DeletedAt == nil {
		t.Errorf("component %s not soft-deleted", old.ID)
	}
	if len(snap.bmcs) != 1 || snap.bmcs[0].MAC != "aa:bb:cc:00:00:01" || snap.bmcs[0].ComponentID != c.ID {
		t.Errorf("bmcs = %+v, want only the new host BMC", snap.bmcs)
	}

	es := events(t, s, inventory.EventFilter{CycleID: "6f1c1a52-2b7e-4d2a-9b7e-000000000001"})
	if len(es) != 4 {
		t.Fatalf("events = %d, want 4", len(es))
	}
	for i, want := range w.Events {
		got := es[i]
		if got.Entity != want.Entity || got.EntityID != want.EntityID || got.Action != want.Action || !got.At.Equal(t0) {
			t.Errorf("event %d = %+v, want %+v", i, got, want)
		}
		if i > 0 && got.ID <= es[i-1].ID {
			t.Errorf("event ids not increasing: %d after %d", got.ID, es[i-1].ID)
		}
	}
	if ch := es[3].Changes["slot_id"]; ch.Old != nil || ch.New != float64(3) {
		t.Errorf("insert event slot_id change = %+v, want {nil 3}", ch)
	}
	if ch := es[0].Changes["location"]; fmt.Sprint(ch.New) != "map[room:hall-1]" {
		t.Errorf("update event location change = %+v, want the object", ch)
	}
	if got := events(t, s, inventory.EventFilter{Entity: "bmc", EntityID: "aa:bb:cc:00:00:09"}); len(got) != 1 {
		t.Errorf("events for bmc aa:bb:cc:00:00:09 = %d, want 1", len(got))
	}
}

func jsonEqual(raw []byte, want string) bool {
	var a, b any
	if json.Unmarshal(raw, &a) != nil || json.Unmarshal([]byte(want), &b) != nil {
		return false
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}

func testUpdatesNamedColumnsOnly(t *testing.T, s inventory.Store) {
	c := component(inventory.Compute, "A")
	c.Model, c.FirmwareVersion, c.ExternalID = ptr("old"), ptr("1.0"), ptr("m-1")
	c.PowerState, c.Description = ptr(inventory.PowerOn), json.RawMessage(`{"k":"v"}`)
	c.SlotID = ptr(int64(4))
	mustApply(t, s, inventory.Writes{ComponentInserts: []inventory.Component{c}})
	later := t0.Add(1e9)
	mustApply(t, s, inventory.Writes{At: later, ComponentUpdates: []inventory.RowUpdate{{Key: c.ID, Changes: inventory.Changes{
		inventory.ColModel: {Old: ptr("old"), New: ptr("new")}, inventory.ColSlotID: {Old: ptr(int64(4)), New: (*int64)(nil)},
	}}}})
	got := read(t, s).component(t, c.ID)
	if got.Model == nil || *got.Model != "new" || got.SlotID != nil {
		t.Errorf("model, slot = %v, %v; want new, NULL", got.Model, got.SlotID)
	}
	if *got.FirmwareVersion != "1.0" || *got.ExternalID != "m-1" || *got.PowerState != inventory.PowerOn || !jsonEqual(got.Description, `{"k":"v"}`) {
		t.Errorf("an unnamed column changed: %+v", got)
	}
	if !got.UpdatedAt.Equal(later) {
		t.Errorf("updated_at = %v, want %v", got.UpdatedAt, later)
	}
	err := apply(t, s, inventory.Writes{ComponentUpdates: []inventory.RowUpdate{{Key: c.ID, Changes: inventory.Changes{"password": {New: "x"}}}}})
	wantErr(t, err, inventory.ErrInvalid, "updating a column that is not updatable")
}

func testRollback(t *testing.T, s inventory.Store) {
	boom := errors.New("boom")
	err := s.Write(context.Background(), func(tx inventory.Tx) error {
		c := component(inventory.Compute, "A")
		if err := tx.Apply(context.Background(), inventory.Writes{At: t0,
			RackInserts:      []inventory.Rack{rack("r1", "SN-1", nil)},
			ComponentInserts: []inventory.Component{c},
			BMCInserts:       []inventory.BMC{{MAC: "aa:bb:cc:00:00:01", Type: inventory.HostBMC, ComponentID: c.ID}},
			Events:           []inventory.Event{event("component", c.ID, inventory.ActionInsert, inventory.Changes{})},
		}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Write = %v, want boom", err)
	}
	assertEmpty(t, s)
}

func assertEmpty(t *testing.T, s inventory.Store) {
	t.Helper()
	snap := read(t, s)
	if len(snap.racks)+len(snap.components)+len(snap.bmcs) != 0 {
		t.Errorf("rows left behind: %d racks, %d components, %d bmcs", len(snap.racks), len(snap.components), len(snap.bmcs))
	}
	if es := events(t, s, inventory.EventFilter{}); len(es) != 0 {
		t.Errorf("events left behind: %d", len(es))
	}
}

func testFailedApplyRollsBack(t *testing.T, s inventory.Store) {
	c := component(inventory.Compute, "A")
	err := apply(t, s, inventory.Writes{
		RackInserts:      []inventory.Rack{rack("r1", "SN-1", nil)},
		ComponentInserts: []inventory.Component{c},
		BMCInserts: []inventory.BMC{
			{MAC: "aa:bb:cc:00:00:01", Type: inventory.HostBMC, ComponentID: c.ID},
			{MAC: "AA:BB:CC:00:00:01", Type: inventory.HostBMC, ComponentID: c.ID},
		},
	})
	wantErr(t, err, inventory.ErrConflict, "inserting one MAC twice")
	assertEmpty(t, s)
}

func testUnencodableEventRollsBack(t *testing.T, s inventory.Store) {
	r := rack("r1", "SN-1", nil)
	es := make([]inventory.Event, 0, 101)
	for i := range 100 { // the bad event comes after many good ones: the COPY has begun
		es = append(es, event("rack", fmt.Sprintf("r-%d", i), inventory.ActionInsert, inventory.Changes{"name": {New: "x"}}))
	}
	es = append(es, event("rack", "r-bad", inventory.ActionUpdate, inventory.Changes{"name": {New: make(chan int)}}))
	err := apply(t, s, inventory.Writes{RackInserts: []inventory.Rack{r}, Events: es})
	if err == nil || !strings.Contains(err.Error(), "r-bad") {
		t.Fatalf("apply of an event that cannot be encoded: error %v, want one naming the event r-bad", err)
	}
	assertEmpty(t, s)
}

func testSwap(t *testing.T, s inventory.Store) {
	a, b := rack("r-a", "SN-A", ptr("a12")), rack("r-b", "SN-B", ptr("b07"))
	mustApply(t, s, inventory.Writes{RackInserts: []inventory.Rack{a, b}})
	swap := func(x, y inventory.Rack) inventory.RowUpdate {
		return inventory.RowUpdate{Key: x.ID, Changes: inventory.Changes{
			inventory.ColName:         {Old: x.Name, New: y.Name},
			inventory.ColSerialNumber: {Old: x.SerialNumber, New: y.SerialNumber},
			inventory.ColExternalID:   {Old: x.ExternalID, New: y.ExternalID},
		}}
	}
	mustApply(t, s, inventory.Writes{RackUpdates: []inventory.RowUpdate{swap(a, b), swap(b, a)}})
	snap := read(t, s)
	gotA, gotB := snap.rack(t, a.ID), snap.rack(t, b.ID)
	if gotA.Name != "r-b" || gotA.SerialNumber != "SN-B" || *gotA.ExternalID != "b07" {
		t.Errorf("rack a after swap = %s %s %s, want r-b SN-B b07", gotA.Name, gotA.SerialNumber, *gotA.ExternalID)
	}
	if gotB.Name != "r-a" || gotB.SerialNumber != "SN-A" || *gotB.ExternalID != "a12" {
		t.Errorf("rack b after swap = %s %s %s, want r-a SN-A a12", gotB.Name, gotB.SerialNumber, *gotB.ExternalID)
	}
}

func testChain(t *testing.T, s inventory.Store) {
	a, b, c := rack("n1", "S1", ptr("e1")), rack("n2", "S2", ptr("e2")), rack("n3", "S3", ptr("e3"))
	mustApply(t, s, inventory.Writes{RackInserts: []inventory.Rack{a, b, c}})
	// a takes b's values, b takes c's, c takes new ones: order in the list is
	// the worst case for a row-by-row apply.
	move := func(x inventory.Rack, name, serial, ext string) inventory.RowUpdate {
		return inventory.RowUpdate{Key: x.ID, Changes: inventory.Changes{
			inventory.ColName: {Old: x.Name, New: name}, inventory.ColSerialNumber: {Old: x.SerialNumber, New: serial},
			inventory.ColExternalID: {Old: x.ExternalID, New: ptr(ext)},
		}}
	}
	mustApply(t, s, inventory.Writes{RackUpdates: []inventory.RowUpdate{
		move(a, "n2", "S2", "e2"), move(b, "n3", "S3", "e3"), move(c, "n4", "S4", "e4"),
	}})
	snap := read(t, s)
	for _, want := range []struct{ id, name, serial, ext string }{
		{a.ID, "n2", "S2", "e2"}, {b.ID, "n3", "S3", "e3"}, {c.ID, "n4", "S4", "e4"},
	} {
		got := snap.rack(t, want.id)
		if got.Name != want.name || got.SerialNumber != want.serial || *got.ExternalID != want.ext {
			t.Errorf("rack %s = %s %s %s, want %s %s %s", want.id, got.Name, got.SerialNumber, *got.ExternalID, want.name, want.serial, want.ext)
		}
	}
}

func testComponentExternalIDSwap(t *testing.T, s inventory.Store) {
	a, b := component(inventory.NVSwitch, "A"), component(inventory.NVSwitch, "B")
	a.ExternalID, b.ExternalID = ptr("sw-1"), ptr("sw-2")
	mustApply(t, s, inventory.Writes{ComponentInserts: []inventory.Component{a, b}})
	mustApply(t, s, inventory.Writes{ComponentUpdates: []inventory.RowUpdate{
		{Key: a.ID, Changes: inventory.Changes{inventory.ColExternalID: {Old: a.ExternalID, New: b.ExternalID}}},
		{Key: b.ID, Changes: inventory.Changes{inventory.ColExternalID: {Old: b.ExternalID, New: a.ExternalID}}},
	}})
	snap := read(t, s)
	if got := *snap.component(t, a.ID).ExternalID; got != "sw-2" {
		t.Errorf("a external id = %s, want sw-2", got)
	}
	if got := *snap.component(t, b.ID).ExternalID; got != "sw-1" {
		t.Errorf("b external id = %s, want sw-1", got)
	}
}

// testExternalIDChain moves external ids along a chain that starts at a
// row with none: a (none) takes b's, b takes a new one, and c (none) takes
// one nobody held. Only b holds a value to free first.
func testExternalIDChain(t *testing.T, s inventory.Store) {
	a, b, c := component(inventory.NVSwitch, "A"), component(inventory.NVSwitch, "B"), component(inventory.NVSwitch, "C")
	b.ExternalID = ptr("sw-1")
	mustApply(t, s, inventory.Writes{ComponentInserts: []inventory.Component{a, b, c}})
	mustApply(t, s, inventory.Writes{ComponentUpdates: []inventory.RowUpdate{
		{Key: a.ID, Changes: inventory.Changes{inventory.ColExternalID: {Old: nil, New: ptr("sw-1")}}},
		{Key: b.ID, Changes: inventory.Changes{inventory.ColExternalID: {Old: b.ExternalID, New: ptr("sw-2")}}},
		{Key: c.ID, Changes: inventory.Changes{inventory.ColExternalID: {Old: nil, New: ptr("sw-3")},
			inventory.ColModel: {Old: nil, New: ptr("m")}}},
	}})
	snap := read(t, s)
	for id, want := range map[string]string{a.ID: "sw-1", b.ID: "sw-2", c.ID: "sw-3"} {
		if got := snap.component(t, id).ExternalID; got == nil || *got != want {
			t.Errorf("component %s external id = %v, want %s", id, got, want)
		}
	}
	if got := snap.component(t, c.ID).Model; got == nil || *got != "m" {
		t.Errorf("component c model = %v, want m", got)
	}
}

// testSetBased applies thousands of rows per kind of write and checks that the
// number of statements does not grow with the rows.
func testSetBased(t *testing.T, s inventory.Store) {
	counter, ok := s.(StatementCounter)
	if !ok {
		t.Fatalf("%T does not count statements", s)
	}
	const n = 2500
	var w inventory.Writes
	for i := range n {
		c := component(inventory.Compute, fmt.Sprintf("SN-%05d", i))
		w.ComponentInserts = append(w.ComponentInserts, c)
		w.BMCInserts = append(w.BMCInserts, inventory.BMC{MAC: fmt.Sprintf("aa:bb:cc:00:%02x:%02x", i/256, i%256), Type: inventory.HostBMC, ComponentID: c.ID})
		w.Events = append(w.Events, event("component", c.ID, inventory.ActionInsert, inventory.Changes{}))
	}
	before := counter.StatementCount()
	mustApply(t, s, w)
	// A store may split a batch by its own limit on bound parameters (SQLite
	// binds at most 32766 values per statement, 1,927 component rows): at
	// most two statements per kind for these rows, never one per row.
	if got := counter.StatementCount() - before; got > 6 {
		t.Errorf("inserting %d components, BMCs and events took %d statements, want at most 6", n, got)
	}
	var u inventory.Writes
	for _, c := range w.ComponentInserts {
		u.ComponentUpdates = append(u.ComponentUpdates, inventory.RowUpdate{Key: c.ID, Changes: inventory.Changes{
			inventory.ColModel: {Old: nil, New: ptr("m")}, inventory.ColExternalID: {Old: nil, New: ptr("x-" + c.SerialNumber)},
		}})
	}
	before = counter.StatementCount()
	mustApply(t, s, u)
	if got := counter.StatementCount() - before; got > 2 {
		t.Errorf("updating %d components took %d statements, want at most 2", n, got)
	}
	if got := len(read(t, s).components); got != n {
		t.Fatalf("components = %d, want %d", got, n)
	}
}

func testEmptyWrites(t *testing.T, s inventory.Store) {
	counter := s.(StatementCounter)
	before := counter.StatementCount()
	mustApply(t, s, inventory.Writes{})
	if got := counter.StatementCount() - before; got != 0 {
		t.Errorf("empty Writes issued %d statements, want 0", got)
	}
}
