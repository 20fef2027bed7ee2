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
	// DPUIDs are the machine's DPUs (Compute only).
	DPUIDs []string
	// BMCFirmware is the machine's own BMC firmware (its bmc_info), the
	// fallback when its inventory report names none (Compute only).
	BMCFirmware string
}

// DPU is what the planner reads of a discovered DPU machine: its BMC.
type DPU struct {
	MAC string // as Core reported it; normalised when planned
	IP  string
}

// Report is what the planner reads of one object's inventory entry. The
// entries themselves (firmware maps, service and system lists) are dropped
// once read: at 10,000 racks they hold tens of megabytes.
type Report struct {
	// OK is true when the entry succeeded and carried a report; every other
	// field is empty when it is false.
	OK bool
	// Firmware is the report's BMC firmware (InventoryReport.BMCFirmware).
	Firmware string
	// Power is the power state of the report's first system; nil when it
	// lists none.
	Power *inventory.PowerState
	// Serial is the serial number of the report's first chassis, trimmed.
	Serial string
}

// Snapshot is what Core reports for one component type in one cycle.
type Snapshot struct {
	Type    inventory.ComponentType
	Objects []Object
	// DPUs are the discovered DPU machines by id (Compute only).
	DPUs map[string]DPU
	// Power holds GetPowerOptions entries by machine id (Compute only).
	Power    map[string]inventory.PowerOption
	PowerErr error
	// Positions holds GetMachinePositionInfo entries by machine id (Compute only).
	Positions    map[string]inventory.Position
	PositionsErr error
	// Inventory holds what the GetComponentInventory entries say, by object id.
	Inventory    map[string]Report
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

func indexEntries(es []inventory.InventoryEntry) map[string]Report {
	m := make(map[string]Report, len(es))
	for _, e := range es {
		m[e.ComponentID] = reportOf(e)
	}
	return m
}

// reportOf keeps what the planner reads of an entry; an entry that failed, or
// that succeeded without a report, is not OK.
func reportOf(e inventory.InventoryEntry) Report {
	r := e.Report
	if e.Status != inventory.InventorySuccess || r == nil {
		return Report{}
	}
	out := Report{OK: true, Firmware: r.BMCFirmware()}
	if len(r.Systems) > 0 {
		p := r.Systems[0].PowerState
		out.Power = &p
	}
	if len(r.Chassis) > 0 {
		out.Serial = trim(r.Chassis[0].SerialNumber)
	}
	return out
}

func trim(s string) string { return strings.TrimSpace(s) }
