package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

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
