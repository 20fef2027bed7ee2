package actual

import (
	"context"
	"fmt"
	"strings"

	"rackflow/inventory"
)

// Object is one discovered Core object of a type, prepared for matching.
type Object struct {
	ID     string
	MAC    string // normalised BMC MAC; "" when Core's is absent or invalid
	RawMAC string
	RackID string
	// Serial is Core's serial for drift: the DMI chassis serial of a machine,
	// or chassis[0].serial_number of a device's inventory report.
	Serial string
	// SerialKnown is false when the serial could not be read this cycle (a
	// failed inventory call or entry), so its diff carries over.
	SerialKnown bool
	// Machine is the discovered machine, for Compute only.
	Machine *inventory.Machine
}

// Snapshot is what Core reports for one component type in one cycle.
type Snapshot struct {
	Type    inventory.ComponentType
	Objects []Object
	// DPUs are the discovered DPU machines by id (Compute only).
	DPUs map[string]*inventory.Machine
	// Power holds GetPowerOptions entries by machine id (Compute only).
	Power    map[string]inventory.PowerOption
	PowerErr error
	// Positions holds GetMachinePositionInfo entries by machine id (Compute only).
	Positions    map[string]inventory.Position
	PositionsErr error
	// Inventory holds GetComponentInventory entries by object id.
	Inventory    map[string]inventory.InventoryEntry
	InventoryErr error
}

// OptionalErrors lists the optional calls that failed, by RPC name.
func (s Snapshot) OptionalErrors() map[string]string {
	out := map[string]string{}
	for name, err := range map[string]error{"GetPowerOptions": s.PowerErr, "GetMachinePositionInfo": s.PositionsErr, "GetComponentInventory": s.InventoryErr} {
		if err != nil {
			out[name] = err.Error()
		}
	}
	return out
}

// Fetch reads the snapshot of one component type from Core. An error means the
// snapshot failed and the type must be left untouched; failures of optional
// calls are recorded in the snapshot instead.
func Fetch(ctx context.Context, core inventory.Core, t inventory.ComponentType) (Snapshot, error) {
	var s Snapshot
	var err error
	switch t {
	case inventory.Compute:
		s, err = fetchMachines(ctx, core)
	case inventory.NVSwitch:
		s, err = fetchDevices(ctx, core, t, core.SwitchIDs, core.Switches)
	case inventory.PowerShelf:
		s, err = fetchDevices(ctx, core, t, core.PowerShelfIDs, core.PowerShelves)
	default:
		return Snapshot{}, fmt.Errorf("actual: %w: no snapshot for type %s", inventory.ErrInvalid, t)
	}
	if err != nil {
		return Snapshot{}, fmt.Errorf("actual: %s snapshot: %w", t, err)
	}
	if err := checkUniqueMACs(s.Objects); err != nil {
		return Snapshot{}, fmt.Errorf("actual: %s snapshot: %w", t, err)
	}
	return s, nil
}

// checkUniqueMACs fails a snapshot in which two objects share a valid MAC:
// matching by MAC would be meaningless.
func checkUniqueMACs(objs []Object) error {
	seen := map[string]string{}
	for _, o := range objs {
		if o.MAC == "" {
			continue
		}
		if other, dup := seen[o.MAC]; dup {
			return fmt.Errorf("%w: objects %s and %s share BMC MAC %s", inventory.ErrInvalid, other, o.ID, o.MAC)
		}
		seen[o.MAC] = o.ID
	}
	return nil
}

func normalizeOrEmpty(raw string) string {
	mac, err := inventory.NormalizeMAC(raw)
	if err != nil {
		return ""
	}
	return mac
}

func objectIDs(objs []Object) []string {
	ids := make([]string, len(objs))
	for i, o := range objs {
		ids[i] = o.ID
	}
	return ids
}

func indexEntries(es []inventory.InventoryEntry) map[string]inventory.InventoryEntry {
	m := make(map[string]inventory.InventoryEntry, len(es))
	for _, e := range es {
		m[e.ComponentID] = e
	}
	return m
}

// successReport returns the entry's report when the entry succeeded.
func successReport(e inventory.InventoryEntry, ok bool) *inventory.InventoryReport {
	if !ok || e.Status != inventory.InventorySuccess {
		return nil
	}
	return e.Report
}

func trim(s string) string { return strings.TrimSpace(s) }
