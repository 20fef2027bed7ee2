package storetest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"rackflow/inventory"
)

// testReadsComeInStoreOrder inserts rows in an order unrelated to their
// keys, then updates some so that the table's physical order moves too.
// Every read must still come sorted by key, byte by byte.
func testReadsComeInStoreOrder(t *testing.T, s inventory.Store) {
	var w inventory.Writes
	for i := range 12 {
		r := rack(fmt.Sprintf("r%02d", i), fmt.Sprintf("SN-R%02d", i), nil)
		c := component(inventory.Compute, fmt.Sprintf("SN-C%02d", i))
		c.RackID = &r.ID
		w.RackInserts = append(w.RackInserts, r)
		w.ComponentInserts = append(w.ComponentInserts, c)
		w.BMCInserts = append(w.BMCInserts, inventory.BMC{MAC: fmt.Sprintf("%02x:%02x:00:00:00:01", 11-i, 7*i%12),
			Type: inventory.HostBMC, ComponentID: c.ID})
	}
	mustApply(t, s, w)
	var upd inventory.Writes
	for _, c := range w.ComponentInserts[:6] {
		upd.ComponentUpdates = append(upd.ComponentUpdates, inventory.RowUpdate{Key: c.ID,
			Changes: inventory.Changes{inventory.ColFirmwareVersion: {Old: nil, New: ptr("2.0")}}})
	}
	mustApply(t, s, upd)

	got := read(t, s)
	if ids := keys(got.racks, func(r inventory.Rack) string { return r.ID }); !sortedBytewise(ids) || len(ids) != 12 {
		t.Errorf("rack ids in read order: %v", ids)
	}
	if ids := keys(got.components, func(c inventory.Component) string { return c.ID }); !sortedBytewise(ids) || len(ids) != 12 {
		t.Errorf("component ids in read order: %v", ids)
	}
	if macs := keys(got.bmcs, func(b inventory.BMC) string { return b.MAC }); !sortedBytewise(macs) || len(macs) != 12 {
		t.Errorf("bmc MACs in read order: %v", macs)
	}
}

func keys[T any](rows []T, key func(T) string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = key(r)
	}
	return out
}

func sortedBytewise(s []string) bool { return slices.IsSortedFunc(s, strings.Compare) }

// testReadsEveryComponentColumn writes components with every column set to
// a value no other column holds, and one with every nullable column NULL,
// and reads them back as written.
func testReadsEveryComponentColumn(t *testing.T, s inventory.Store) {
	r := rack("r1", "SN-R1", nil)
	full := component(inventory.NVSwitch, "SN-FULL")
	full.Model, full.FirmwareVersion, full.ExternalID = ptr("model-x"), ptr("fw-1.2"), ptr("ext-9")
	full.RackID, full.SlotID, full.TrayIndex, full.HostID = &r.ID, ptr(int64(11)), ptr(int64(-22)), ptr(int64(1)<<40)
	full.PowerState, full.Description = ptr(inventory.PowerOff), []byte(`{"k":"v"}`)
	full.IngestedAt, full.DeletedAt = ptr(t0.Add(-time.Hour)), ptr(t0.Add(time.Minute))
	bare := inventory.Component{ID: inventory.NewID(), Type: inventory.PowerShelf, Manufacturer: "Delta", SerialNumber: "SN-BARE", UpdatedAt: t0}
	mustApply(t, s, inventory.Writes{RackInserts: []inventory.Rack{r}, ComponentInserts: []inventory.Component{full, bare}})
	got := read(t, s)
	for _, want := range []inventory.Component{full, bare} {
		gotRow := got.component(t, want.ID)
		// A store may reformat JSON (PostgreSQL's jsonb does): compared decoded.
		if (gotRow.Description == nil) != (want.Description == nil) || want.Description != nil && !jsonEqual(gotRow.Description, string(want.Description)) {
			t.Errorf("component %s: description %s, want %s", want.SerialNumber, gotRow.Description, want.Description)
		}
		gotRow.Description, want.Description = nil, nil
		if !reflect.DeepEqual(gotRow, want) {
			t.Errorf("component %s read as\n%s\nwant\n%s", want.SerialNumber, describe(gotRow), describe(want))
		}
	}
}

// describe prints a component with the values its pointers point at.
func describe(c inventory.Component) string {
	b, _ := json.Marshal(c)
	return string(b)
}
