package mirrorref_test

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"rackflow/inventory"
)

// tables is what the comparison looks at: the mirrored tables as the model
// keeps them, sorted by key.
type tables struct {
	Racks      []refRack
	Components []refComp
	BMCs       []refBMC
}

func (db *refDB) tables() tables {
	return tables{
		Racks:      sortedValues(db.racks),
		Components: sortedValues(db.comps),
		BMCs:       sortedValues(db.bmcs),
	}
}

func sortedValues[T any](m map[string]T) []T {
	out := make([]T, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, m[k])
	}
	return out
}

// diffTables returns a readable difference, empty when the tables match.
func diffTables(model, store tables) string {
	return cmp.Diff(model, store, cmpopts.EquateEmpty())
}

// storeRows is a full read of the store's mirrored tables.
type storeRows struct {
	racks []inventory.Rack
	comps []inventory.Component
	bmcs  []inventory.BMC
}

func readStore(t *testing.T, s inventory.Store) storeRows {
	t.Helper()
	var rows storeRows
	err := s.View(context.Background(), func(tx inventory.ReadTx) error {
		ctx := context.Background()
		var err error
		if rows.racks, err = tx.Racks(ctx); err != nil {
			return err
		}
		if rows.comps, err = tx.Components(ctx); err != nil {
			return err
		}
		rows.bmcs, err = tx.BMCs(ctx)
		return err
	})
	if err != nil {
		t.Fatalf("reading the store: %v", err)
	}
	return rows
}

// view turns the store's rows into the model's shape.
func (s storeRows) view() *refDB {
	db := newRefDB()
	for _, r := range s.racks {
		db.racks[r.ID] = refRack{ID: r.ID, Name: r.Name, Manufacturer: r.Manufacturer, Serial: r.SerialNumber,
			ExternalID: r.ExternalID, Description: decodeJSON(r.Description), Location: decodeJSON(r.Location),
			Status: r.Status, Deleted: r.DeletedAt != nil}
	}
	for _, c := range s.comps {
		rc := refComp{ID: c.ID, Name: c.Name, Type: string(c.Type), Manufacturer: c.Manufacturer, Serial: c.SerialNumber,
			Model: c.Model, RackID: c.RackID, Slot: c.SlotID, Tray: c.TrayIndex, Host: c.HostID,
			Description: decodeJSON(c.Description), ExternalID: c.ExternalID, Firmware: c.FirmwareVersion,
			Deleted: c.DeletedAt != nil}
		if c.PowerState != nil {
			rc.PowerState = ptr(int(*c.PowerState))
		}
		db.comps[c.ID] = rc
	}
	for _, b := range s.bmcs {
		db.bmcs[b.MAC] = refBMC{MAC: b.MAC, Type: string(b.Type), ComponentID: b.ComponentID, IP: b.IPAddress}
	}
	return db
}

// seedWrites is the store write that creates the model's initial rows.
func seedWrites(db *refDB, at time.Time) inventory.Writes {
	w := inventory.Writes{At: at}
	deleted := func(d bool) *time.Time {
		if d {
			return ptr(at)
		}
		return nil
	}
	for _, r := range sortedValues(db.racks) {
		w.RackInserts = append(w.RackInserts, inventory.Rack{ID: r.ID, Name: r.Name, Manufacturer: r.Manufacturer,
			SerialNumber: r.Serial, Description: encodeJSON(r.Description), Location: encodeJSON(r.Location),
			Status: r.Status, CreatedAt: at, UpdatedAt: at, DeletedAt: deleted(r.Deleted), ExternalID: r.ExternalID})
	}
	for _, c := range sortedValues(db.comps) {
		ic := inventory.Component{ID: c.ID, Name: c.Name, Type: inventory.ComponentType(c.Type),
			Manufacturer: c.Manufacturer, SerialNumber: c.Serial, Model: c.Model, Description: encodeJSON(c.Description),
			FirmwareVersion: c.Firmware, RackID: c.RackID, SlotID: c.Slot, TrayIndex: c.Tray, HostID: c.Host,
			ExternalID: c.ExternalID, UpdatedAt: at, DeletedAt: deleted(c.Deleted)}
		if c.PowerState != nil {
			ic.PowerState = ptr(inventory.PowerState(*c.PowerState))
		}
		w.ComponentInserts = append(w.ComponentInserts, ic)
	}
	for _, b := range sortedValues(db.bmcs) {
		w.BMCInserts = append(w.BMCInserts, inventory.BMC{MAC: b.MAC, Type: inventory.BMCType(b.Type),
			ComponentID: b.ComponentID, IPAddress: b.IP})
	}
	return w
}
