package inventory

import (
	"context"
	"strings"
)

// Core is what rackflow reads from the site's NICo Core. Implementations return
// domain values: labels flattened (unset values dropped, the last of a repeated
// key wins), credentials dropped, strings otherwise as Core sent them. The
// mirror and the actual sync normalise and validate them.
type Core interface {
	// Version returns Core's build and its by-ids batch limit.
	Version(ctx context.Context) (BuildInfo, error)

	ExpectedRacks(ctx context.Context) ([]ExpectedRack, error)
	// ExpectedComponents returns expected machines (Compute), switches
	// (NVSwitch) or power shelves (PowerShelf).
	ExpectedComponents(ctx context.Context, t ComponentType) ([]ExpectedComponent, error)

	// MachineIDs lists every machine id, DPUs included.
	MachineIDs(ctx context.Context) ([]string, error)
	Machines(ctx context.Context, ids []string) ([]Machine, error)
	// PowerOptions returns entries only for machines Core has one for.
	PowerOptions(ctx context.Context, ids []string) ([]PowerOption, error)
	// Positions returns entries only for machines that have a position.
	Positions(ctx context.Context, ids []string) ([]Position, error)
	SwitchIDs(ctx context.Context) ([]string, error)
	Switches(ctx context.Context, ids []string) ([]Device, error)
	PowerShelfIDs(ctx context.Context) ([]string, error)
	PowerShelves(ctx context.Context, ids []string) ([]Device, error)
	// ComponentInventory returns one entry per id, in request order. t selects
	// which kind of ids they are.
	ComponentInventory(ctx context.Context, t ComponentType, ids []string) ([]InventoryEntry, error)
}

// BuildInfo is Core's Version reply.
type BuildInfo struct {
	BuildVersion string
	// MaxFindByIDs is Core's by-ids limit; 0 when Core did not say.
	MaxFindByIDs uint32
}

// ExpectedRack is one entry of GetAllExpectedRacks. Empty strings are unset.
type ExpectedRack struct {
	RackID      string            `json:"rack_id,omitempty"`
	ProfileID   string            `json:"profile_id,omitempty"`
	Name        string            `json:"name,omitempty"`
	Description string            `json:"description,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
}

// ExpectedComponent is one expected machine, switch or power shelf. The BMC
// username and password Core sends are never carried here.
type ExpectedComponent struct {
	Type         ComponentType     `json:"type"`
	BMCMAC       string            `json:"bmc_mac,omitempty"`
	BMCIP        string            `json:"bmc_ip,omitempty"`
	SerialNumber string            `json:"serial_number,omitempty"`
	Name         string            `json:"name,omitempty"`
	Description  string            `json:"description,omitempty"`
	Labels       map[string]string `json:"labels,omitempty"`
	RackID       string            `json:"rack_id,omitempty"`
	// ExpectedID is Core's id of the expectation (id, expected_switch_id or
	// expected_power_shelf_id).
	ExpectedID string `json:"expected_id,omitempty"`
	// SKU and FallbackDPUSerials are set for machines only.
	SKU                string   `json:"sku,omitempty"`
	FallbackDPUSerials []string `json:"fallback_dpu_serials,omitempty"`
	// NVOSMACs is set for switches only.
	NVOSMACs []string `json:"nvos_macs,omitempty"`
}

// MachineType is Core's classification of a discovered machine.
type MachineType string

// Machine types.
const (
	MachineUnknown    MachineType = "UNKNOWN"
	MachineDPU        MachineType = "DPU"
	MachineHost       MachineType = "HOST"
	MachinePowerShelf MachineType = "POWER_SHELF"
)

// BMCInfo is what Core discovered about an object's BMC.
type BMCInfo struct {
	IP              string `json:"ip,omitempty"`
	MAC             string `json:"mac,omitempty"`
	Version         string `json:"version,omitempty"`
	FirmwareVersion string `json:"firmware_version,omitempty"`
}

// DMIData is the DMI section of a machine's discovery info.
type DMIData struct {
	ProductSerial string `json:"product_serial,omitempty"`
	BoardSerial   string `json:"board_serial,omitempty"`
	ChassisSerial string `json:"chassis_serial,omitempty"`
	ProductName   string `json:"product_name,omitempty"`
	SysVendor     string `json:"sys_vendor,omitempty"`
}

// Machine is a discovered machine (host or DPU).
type Machine struct {
	ID     string      `json:"id"`
	State  string      `json:"state,omitempty"`
	Type   MachineType `json:"type"`
	BMC    BMCInfo     `json:"bmc"`
	DMI    DMIData     `json:"dmi"`
	DPUIDs []string    `json:"dpu_ids,omitempty"`
	RackID string      `json:"rack_id,omitempty"`
}

// Device is a discovered switch or power shelf.
type Device struct {
	ID              string  `json:"id"`
	ControllerState string  `json:"controller_state,omitempty"`
	BMC             BMCInfo `json:"bmc"`
	RackID          string  `json:"rack_id,omitempty"`
}

// PowerOption is a machine's entry in GetPowerOptions, mapped to stored power
// states. A machine without an entry has no known power state.
type PowerOption struct {
	MachineID string     `json:"machine_id"`
	Desired   PowerState `json:"desired"`
	Actual    PowerState `json:"actual"`
}

// Position is a machine's physical position. Nil fields are unset in Core.
type Position struct {
	MachineID string `json:"machine_id"`
	Slot      *int64 `json:"slot,omitempty"`
	Tray      *int64 `json:"tray,omitempty"`
	Host      *int64 `json:"host,omitempty"`
}

// InventoryStatus is the ComponentManagerStatusCode of an inventory entry.
type InventoryStatus string

// Inventory entry statuses.
const (
	InventorySuccess         InventoryStatus = "SUCCESS"
	InventoryInvalidArgument InventoryStatus = "INVALID_ARGUMENT"
	InventoryInternalError   InventoryStatus = "INTERNAL_ERROR"
	InventoryNotFound        InventoryStatus = "NOT_FOUND"
	InventoryAlreadyExists   InventoryStatus = "ALREADY_EXISTS"
	InventoryUnavailable     InventoryStatus = "UNAVAILABLE"
)

// InventoryEntry is one component's result in GetComponentInventory.
type InventoryEntry struct {
	ComponentID string           `json:"component_id"`
	Status      InventoryStatus  `json:"status"`
	Error       string           `json:"error,omitempty"`
	Report      *InventoryReport `json:"report,omitempty"`
}

// InventoryReport is an explored BMC report.
type InventoryReport struct {
	Systems          []ReportSystem    `json:"systems,omitempty"`
	Chassis          []ReportChassis   `json:"chassis,omitempty"`
	Services         []ReportService   `json:"services,omitempty"`
	FirmwareVersions map[string]string `json:"firmware_versions,omitempty"`
}

// ReportSystem is a computer system in a report. PowerState is already mapped
// to a stored power state.
type ReportSystem struct {
	ID           string     `json:"id,omitempty"`
	Manufacturer string     `json:"manufacturer,omitempty"`
	Model        string     `json:"model,omitempty"`
	SerialNumber string     `json:"serial_number,omitempty"`
	PowerState   PowerState `json:"power_state"`
}

// ReportChassis is a chassis in a report.
type ReportChassis struct {
	ID           string `json:"id,omitempty"`
	Model        string `json:"model,omitempty"`
	SerialNumber string `json:"serial_number,omitempty"`
	Manufacturer string `json:"manufacturer,omitempty"`
}

// ReportService is a firmware service in a report.
type ReportService struct {
	ID          string            `json:"id,omitempty"`
	Inventories []ReportInventory `json:"inventories,omitempty"`
}

// ReportInventory is one firmware inventory item.
type ReportInventory struct {
	ID          string `json:"id,omitempty"`
	Description string `json:"description,omitempty"`
	Version     string `json:"version,omitempty"`
}

// BMCFirmware returns the BMC firmware version a report states, by the
// precedence in core-wire.md: firmware_versions["bmc"], then an inventory with a
// BMC id, then one described as "BMC image". It returns "" when none applies.
func (r *InventoryReport) BMCFirmware() string {
	if r == nil {
		return ""
	}
	if v := strings.TrimSpace(r.FirmwareVersions["bmc"]); v != "" {
		return v
	}
	if v := r.firstInventory(func(i ReportInventory) bool {
		return i.ID == "BMC" || i.ID == "FW_BMC_0" || i.ID == "HostBMC_0"
	}); v != "" {
		return v
	}
	return r.firstInventory(func(i ReportInventory) bool { return i.Description == "BMC image" })
}

func (r *InventoryReport) firstInventory(match func(ReportInventory) bool) string {
	for _, s := range r.Services {
		for _, inv := range s.Inventories {
			if match(inv) && strings.TrimSpace(inv.Version) != "" {
				return strings.TrimSpace(inv.Version)
			}
		}
	}
	return ""
}
