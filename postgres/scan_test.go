package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"rackflow/inventory"
	"rackflow/postgres/pgtest"
)

// The full component and bmc reads scan raw values into their own records.
// They must give exactly what pgx's own conversion of the text forms gives,
// for every column, set or NULL.
func TestComponentsAndBMCs_TheFullReadsAgreeWithPgxOnEveryColumn(t *testing.T) {
	db := pgtest.Open(t)
	ctx := context.Background()
	at := time.Date(2026, 12, 6, 10, 11, 12, 345678000, time.UTC)
	r := inventory.Rack{ID: inventory.NewID(), Name: "r1", Manufacturer: "Foxconn", SerialNumber: "R1", CreatedAt: at, UpdatedAt: at}
	var cs []inventory.Component
	var bs []inventory.BMC
	for i := range 40 {
		c := inventory.Component{ID: inventory.NewID(), Type: inventory.MirroredTypes[i%3], Manufacturer: []string{"NVIDIA", "Foxconn"}[i%2],
			SerialNumber: fmt.Sprintf("SN-%02d", i), UpdatedAt: at.Add(time.Duration(i) * time.Second)}
		if i%4 != 0 { // every fourth row leaves every nullable column NULL
			c.Name, c.Model, c.FirmwareVersion = inventory.Ptr(fmt.Sprintf("tray %d", i)), inventory.Ptr([]string{"GB200", ""}[i%2]), inventory.Ptr("1.2.3")
			c.RackID, c.SlotID, c.TrayIndex, c.HostID = &r.ID, inventory.Ptr(int64(i)), inventory.Ptr(int64(-i)), inventory.Ptr(int64(1)<<40+int64(i))
			c.ExternalID, c.PowerState = inventory.Ptr(fmt.Sprintf("m-%d", i)), inventory.Ptr(inventory.PowerState(i%3))
			c.Description, c.IngestedAt = json.RawMessage(`{"k": [1, "v"]}`), inventory.Ptr(at.Add(-time.Hour))
			if i%8 == 1 {
				c.DeletedAt = inventory.Ptr(at.Add(time.Minute))
			}
		}
		cs = append(cs, c)
		bs = append(bs, inventory.BMC{MAC: fmt.Sprintf("aa:bb:cc:00:00:%02x", i), Type: inventory.HostBMC, ComponentID: c.ID})
		if i%2 == 0 {
			bs = append(bs, inventory.BMC{MAC: fmt.Sprintf("02:00:00:00:%02x:01", i), Type: inventory.DPUBMC, ComponentID: c.ID,
				IPAddress: inventory.Ptr(fmt.Sprintf("10.0.0.%d", i))})
		}
	}
	err := db.Write(ctx, func(tx inventory.Tx) error {
		return tx.Apply(ctx, inventory.Writes{At: at, RackInserts: []inventory.Rack{r}, ComponentInserts: cs, BMCInserts: bs})
	})
	if err != nil {
		t.Fatal(err)
	}
	// rackflow writes no JSON null, but another writer may: it is not SQL NULL.
	if _, err := db.Pool().Exec(ctx, `UPDATE component SET description = 'null'::jsonb WHERE id = $1`, cs[2].ID); err != nil {
		t.Fatal(err)
	}
	var got []inventory.Component
	if err := db.View(ctx, func(tx inventory.ReadTx) (err error) { got, err = tx.Components(ctx); return err }); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Pool().Query(ctx, `SELECT id::text, name, type, manufacturer, serial_number, model, description::text,
		firmware_version, rack_id::text, slot_id, tray_index, host_id, external_id, power_state, ingested_at, updated_at,
		deleted_at FROM component ORDER BY id::text COLLATE "C"`)
	if err != nil {
		t.Fatal(err)
	}
	want, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (inventory.Component, error) {
		var c inventory.Component
		var desc *string
		var power *int32
		err := row.Scan(&c.ID, &c.Name, &c.Type, &c.Manufacturer, &c.SerialNumber, &c.Model, &desc, &c.FirmwareVersion,
			&c.RackID, &c.SlotID, &c.TrayIndex, &c.HostID, &c.ExternalID, &power, &c.IngestedAt, &c.UpdatedAt, &c.DeletedAt)
		if desc != nil {
			c.Description = json.RawMessage(*desc)
		}
		if power != nil {
			c.PowerState = inventory.Ptr(inventory.PowerState(*power))
		}
		c.UpdatedAt, c.IngestedAt, c.DeletedAt = c.UpdatedAt.UTC(), utc(c.IngestedAt), utc(c.DeletedAt)
		return c, err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != len(cs) {
		t.Fatalf("pgx read %d components, want %d", len(want), len(cs))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the full component read differs from pgx's (-pgx +full read):\n%s", diff)
	}

	var gotBMCs []inventory.BMC
	if err := db.View(ctx, func(tx inventory.ReadTx) (err error) { gotBMCs, err = tx.BMCs(ctx); return err }); err != nil {
		t.Fatal(err)
	}
	rows, err = db.Pool().Query(ctx, `SELECT mac_address, type, component_id::text, ip_address FROM bmc ORDER BY mac_address COLLATE "C"`)
	if err != nil {
		t.Fatal(err)
	}
	wantBMCs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (inventory.BMC, error) {
		var b inventory.BMC
		return b, row.Scan(&b.MAC, &b.Type, &b.ComponentID, &b.IPAddress)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(wantBMCs) != len(bs) {
		t.Fatalf("pgx read %d BMCs, want %d", len(wantBMCs), len(bs))
	}
	if diff := cmp.Diff(wantBMCs, gotBMCs); diff != "" {
		t.Errorf("the full bmc read differs from pgx's (-pgx +full read):\n%s", diff)
	}
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	return inventory.Ptr(t.UTC())
}

// A timestamp PostgreSQL can hold but a time.Time cannot (infinity, written
// by someone else) fails the read, naming the row and the column, instead
// of reading as some other instant.
func TestComponents_AnInfiniteTimestampFailsTheReadNamingIt(t *testing.T) {
	db := pgtest.Open(t)
	ctx := context.Background()
	c := inventory.Component{ID: inventory.NewID(), Type: inventory.Compute, Manufacturer: "NVIDIA", SerialNumber: "SN-1",
		UpdatedAt: time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)}
	err := db.Write(ctx, func(tx inventory.Tx) error {
		return tx.Apply(ctx, inventory.Writes{At: c.UpdatedAt, ComponentInserts: []inventory.Component{c}})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, `UPDATE component SET deleted_at = 'infinity'`); err != nil {
		t.Fatal(err)
	}
	err = db.View(ctx, func(tx inventory.ReadTx) error { _, err := tx.Components(ctx); return err })
	if err == nil || !strings.Contains(err.Error(), "deleted_at is infinity") || !strings.Contains(err.Error(), c.ID) {
		t.Fatalf("reading a component deleted at infinity: %v, want an error naming %s and deleted_at", err, c.ID)
	}
}
