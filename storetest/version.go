package storetest

import (
	"context"
	"testing"

	"rackflow/inventory"
)

// version reads the inventory's write counter in a write transaction, as a
// cycle step does.
func version(t *testing.T, s inventory.Store) int64 {
	t.Helper()
	var v int64
	err := s.Write(context.Background(), func(tx inventory.Tx) error {
		vt, ok := tx.(inventory.VersionedTx)
		if !ok {
			t.Fatalf("%T has no inventory version", tx)
		}
		var err error
		v, err = vt.InventoryVersion(context.Background())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func testInventoryVersionMovesWithInventoryWritesOnly(t *testing.T, s inventory.Store) {
	start := version(t, s)
	if again := version(t, s); again != start {
		t.Fatalf("version moved from %d to %d with no write", start, again)
	}
	r := rack("Rack 1", "SN-R1", nil)
	c := component(inventory.Compute, "SN-C1")
	c.RackID = &r.ID
	mustApply(t, s, inventory.Writes{RackInserts: []inventory.Rack{r}, ComponentInserts: []inventory.Component{c},
		BMCInserts: []inventory.BMC{{MAC: "aa:bb:cc:dd:ee:01", Type: inventory.HostBMC, ComponentID: c.ID}}})
	inserted := version(t, s)
	if inserted == start {
		t.Fatalf("version stayed %d after inserts", start)
	}
	mustApply(t, s, inventory.Writes{Events: []inventory.Event{event("rack", r.ID, inventory.ActionInsert, nil)}})
	if v := version(t, s); v != inserted {
		t.Errorf("version moved from %d to %d on an events-only write", inserted, v)
	}
	mustApply(t, s, inventory.Writes{BMCUpdates: []inventory.RowUpdate{{Key: "aa:bb:cc:dd:ee:01",
		Changes: inventory.Changes{inventory.ColIPAddress: {New: ptr("10.0.0.1")}}}}})
	if v := version(t, s); v == inserted {
		t.Errorf("version stayed %d after a BMC update", v)
	}
}
