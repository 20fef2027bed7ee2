package actual

import (
	"context"

	"rackflow/inventory"
)

// fetchMachines reads every machine, DPUs included, then the optional power,
// position and inventory calls for the HOST machines.
func fetchMachines(ctx context.Context, core inventory.Core) (Snapshot, error) {
	ids, err := core.MachineIDs(ctx)
	if err != nil {
		return Snapshot{}, err
	}
	machines, err := core.Machines(ctx, ids)
	if err != nil {
		return Snapshot{}, err
	}
	// The snapshot keeps only what the planner reads of each machine, so
	// that the machines (540,000 at 10,000 racks, with their discovery data)
	// are garbage once converted.
	s := Snapshot{Type: inventory.Compute, DPUs: map[string]DPU{}}
	for i := range machines {
		m := &machines[i]
		switch m.Type {
		case inventory.MachineHost:
			s.Objects = append(s.Objects, machineObject(m))
		case inventory.MachineDPU:
			s.DPUs[m.ID] = DPU{MAC: m.BMC.MAC, IP: m.BMC.IP}
		}
	}
	hostIDs := objectIDs(s.Objects)
	s.Power, s.PowerErr = powerByID(ctx, core, hostIDs)
	s.Positions, s.PositionsErr = positionsByID(ctx, core, hostIDs)
	entries, invErr := core.ComponentInventory(ctx, inventory.Compute, hostIDs)
	s.Inventory, s.InventoryErr = indexEntries(entries), invErr
	return s, nil
}

func machineObject(m *inventory.Machine) Object {
	serial := trim(m.DMI.ChassisSerial)
	return Object{ID: m.ID, MAC: normalizeOrEmpty(m.BMC.MAC), RawMAC: m.BMC.MAC, RackID: trim(m.RackID),
		Serial: serial, SerialKnown: true, DPUIDs: m.DPUIDs, BMCFirmware: trim(m.BMC.FirmwareVersion)}
}

func powerByID(ctx context.Context, core inventory.Core, ids []string) (map[string]inventory.PowerOption, error) {
	opts, err := core.PowerOptions(ctx, ids)
	if err != nil {
		return nil, err
	}
	m := make(map[string]inventory.PowerOption, len(opts))
	for _, o := range opts {
		m[o.MachineID] = o
	}
	return m, nil
}

func positionsByID(ctx context.Context, core inventory.Core, ids []string) (map[string]inventory.Position, error) {
	ps, err := core.Positions(ctx, ids)
	if err != nil {
		return nil, err
	}
	m := make(map[string]inventory.Position, len(ps))
	for _, p := range ps {
		m[p.MachineID] = p
	}
	return m, nil
}

// machineRuntime returns a matched machine's power state and BMC firmware,
// each only when Core stated it this cycle.
func machineRuntime(s Snapshot, o Object) (power *inventory.PowerState, firmware string, entryFailed bool) {
	if s.PowerErr == nil {
		if p, ok := s.Power[o.ID]; ok {
			power = &p.Actual
		}
	}
	if s.InventoryErr != nil {
		return power, "", false
	}
	r := s.Inventory[o.ID]
	if !r.OK {
		return power, "", true
	}
	if firmware = r.Firmware; firmware == "" {
		firmware = o.BMCFirmware
	}
	return power, firmware, false
}

// positionDiffs compares a compute tray's expected slot, tray and host with
// GetMachinePositionInfo. Unknown expected values are skipped; a value Core
// lacks is <missing>.
func positionDiffs(c inventory.Component, s Snapshot, o Object) []inventory.Diff {
	p, has := s.Positions[o.ID]
	fields := []struct {
		name     string
		expected *int64
		actual   *int64
	}{
		{inventory.ColSlotID, c.SlotID, p.Slot},
		{inventory.ColTrayIndex, c.TrayIndex, p.Tray},
		{inventory.ColHostID, c.HostID, p.Host},
	}
	var diffs []inventory.Diff
	for _, f := range fields {
		if f.expected == nil {
			continue
		}
		actual := inventory.MissingValue
		if has && f.actual != nil {
			actual = itoa(*f.actual)
		}
		if exp := itoa(*f.expected); exp != actual {
			diffs = append(diffs, inventory.Diff{FieldName: f.name, ExpectedValue: exp, ActualValue: actual})
		}
	}
	return diffs
}

// machineRules are the Compute differences: HOST machines only, a serial
// fallback, positions in the drift, power from GetPowerOptions and DPU BMCs.
var machineRules = typeRules{
	runtime:        machineRuntime,
	serialFallback: true,
	positions:      positionDiffs,
	dpus:           true,
}

func init() { rules[inventory.Compute] = machineRules }
