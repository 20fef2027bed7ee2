package actual

import (
	"context"
	"strconv"

	"rackflow/inventory"
)

// fetchDevices reads the switches or power shelves of type t, then their
// explored inventory reports (the optional call that gives firmware, power and
// serial).
func fetchDevices(ctx context.Context, core inventory.Core, t inventory.ComponentType,
	list func(context.Context) ([]string, error), get func(context.Context, []string) ([]inventory.Device, error)) (Snapshot, error) {
	ids, err := list(ctx)
	if err != nil {
		return Snapshot{}, err
	}
	devices, err := get(ctx, ids)
	if err != nil {
		return Snapshot{}, err
	}
	s := Snapshot{Type: t}
	for _, d := range devices {
		s.Objects = append(s.Objects, Object{ID: d.ID, MAC: normalizeOrEmpty(d.BMC.MAC), RawMAC: d.BMC.MAC, RackID: trim(d.RackID)})
	}
	entries, invErr := core.ComponentInventory(ctx, t, objectIDs(s.Objects))
	s.Inventory, s.InventoryErr = indexEntries(entries), invErr
	for i := range s.Objects {
		s.Objects[i].Serial, s.Objects[i].SerialKnown = deviceSerial(s, s.Objects[i].ID)
	}
	return s, nil
}

// deviceSerial is chassis[0].serial_number of a device's report. It is not
// known when the inventory call or the device's entry failed.
func deviceSerial(s Snapshot, id string) (string, bool) {
	if s.InventoryErr != nil {
		return "", false
	}
	r := s.Inventory[id]
	return r.Serial, r.OK
}

// deviceRuntime returns a matched switch's or shelf's power state and BMC
// firmware from its inventory report, each only when the report states it.
func deviceRuntime(s Snapshot, o Object) (power *inventory.PowerState, firmware string, entryFailed bool) {
	if s.InventoryErr != nil {
		return nil, "", false
	}
	r := s.Inventory[o.ID]
	if !r.OK {
		return nil, "", true
	}
	return r.Power, r.Firmware, false
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
