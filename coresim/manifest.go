package coresim

import (
	"time"
)

// Manifest is a simulated site: Core's settings, its expected and actual
// inventory, and the faults to inject. Tests may build one in Go; files are
// read with ParseManifest or LoadManifest. Line fields record where an object
// was written, for error messages; they are zero for manifests built in Go.
type Manifest struct {
	Version  int        `yaml:"version"`
	Core     CoreConfig `yaml:"core,omitempty"`
	Expected Expected   `yaml:"expected,omitempty"`
	Actual   Actual     `yaml:"actual,omitempty"`
	Faults   []Fault    `yaml:"faults,omitempty"`
}

// CoreConfig is what the simulator reports about itself.
type CoreConfig struct {
	// BuildVersion is returned by Version.
	BuildVersion string `yaml:"build_version,omitempty"`
	// MaxFindByIDs is the by-ids limit: requests with more ids fail with
	// INVALID_ARGUMENT. Nil means Core's default, 100; 0 means no limit, and
	// Version then reports 0.
	MaxFindByIDs *uint32 `yaml:"max_find_by_ids,omitempty"`
	// MachineLayout is "flat" (the default, current Core) or "nested" (newer
	// builds, with discovery data under Machine.status).
	MachineLayout string `yaml:"machine_layout,omitempty"`
}

// Expected is Core's expected inventory.
type Expected struct {
	Racks        []ExpectedRack      `yaml:"racks,omitempty"`
	Machines     []ExpectedComponent `yaml:"machines,omitempty"`
	Switches     []ExpectedComponent `yaml:"switches,omitempty"`
	PowerShelves []ExpectedComponent `yaml:"power_shelves,omitempty"`
}

// ExpectedRack is one expected rack. An empty RackID is unset on the wire.
type ExpectedRack struct {
	RackID      string `yaml:"rack_id,omitempty"`
	Profile     string `yaml:"profile,omitempty"`
	Name        string `yaml:"name,omitempty"`
	Description string `yaml:"description,omitempty"`
	Labels      Labels `yaml:"labels,omitempty"`
	Line        int    `yaml:"-"`
}

// ExpectedComponent is one expected machine, switch or power shelf. Values
// are sent exactly as written; the simulator normalises nothing.
type ExpectedComponent struct {
	// ID is Core's id of the expectation (a UUID in Core).
	ID          string `yaml:"id,omitempty"`
	BMCMAC      string `yaml:"bmc_mac"`
	BMCIP       string `yaml:"bmc_ip,omitempty"`
	BMCUser     string `yaml:"bmc_user,omitempty"`
	BMCPassword string `yaml:"bmc_password,omitempty"`
	// Serial is the chassis, switch or shelf serial number.
	Serial      string `yaml:"serial"`
	RackID      string `yaml:"rack_id,omitempty"`
	Name        string `yaml:"name,omitempty"`
	Description string `yaml:"description,omitempty"`
	Labels      Labels `yaml:"labels,omitempty"`
	// SKU and FallbackDPUSerials apply to machines only.
	SKU                string   `yaml:"sku,omitempty"`
	FallbackDPUSerials []string `yaml:"fallback_dpu_serials,omitempty"`
	// NVOSMACs applies to switches only.
	NVOSMACs []string `yaml:"nvos_macs,omitempty"`
	Line     int      `yaml:"-"`
}

// Actual is what Core has discovered.
type Actual struct {
	Machines     []ActualMachine `yaml:"machines,omitempty"`
	Switches     []ActualDevice  `yaml:"switches,omitempty"`
	PowerShelves []ActualDevice  `yaml:"power_shelves,omitempty"`
}

// Machine types in a manifest.
const (
	TypeHost = "host"
	TypeDPU  = "dpu"
)

// Power states in a manifest. An empty power is the same as PowerUnset.
const (
	PowerOn       = "on"
	PowerOff      = "off"
	PowerDisabled = "disabled"
	PowerUnset    = "unset"
)

// Firmware sources: where the simulator puts an object's BMC firmware.
const (
	SourceReport               = "report"
	SourceInventoryID          = "inventory_id"
	SourceInventoryDescription = "inventory_description"
	SourceBMCInfo              = "bmc_info"
)

// ActualMachine is a discovered host or DPU.
type ActualMachine struct {
	ID            string `yaml:"id"`
	Type          string `yaml:"type"`
	BMCMAC        string `yaml:"bmc_mac"`
	BMCIP         string `yaml:"bmc_ip,omitempty"`
	ChassisSerial string `yaml:"chassis_serial,omitempty"`
	RackID        string `yaml:"rack_id,omitempty"`
	// Firmware is the BMC firmware, in bmc_info and, by FirmwareSource, in
	// the inventory report.
	Firmware       string    `yaml:"firmware,omitempty"`
	FirmwareSource string    `yaml:"firmware_source,omitempty"`
	Power          string    `yaml:"power,omitempty"`
	Position       *Position `yaml:"position,omitempty"`
	DPUs           []string  `yaml:"dpus,omitempty"`
	State          string    `yaml:"state,omitempty"`
	Line           int       `yaml:"-"`
}

// Position is a machine's physical position; nil fields are unset.
type Position struct {
	Slot *int32 `yaml:"slot,omitempty"`
	Tray *int32 `yaml:"tray,omitempty"`
	// Host is served as topology_id.
	Host *int32 `yaml:"host,omitempty"`
}

// ActualDevice is a discovered switch or power shelf.
type ActualDevice struct {
	ID             string `yaml:"id"`
	BMCMAC         string `yaml:"bmc_mac,omitempty"`
	BMCIP          string `yaml:"bmc_ip,omitempty"`
	RackID         string `yaml:"rack_id,omitempty"`
	Serial         string `yaml:"serial,omitempty"`
	Firmware       string `yaml:"firmware,omitempty"`
	FirmwareSource string `yaml:"firmware_source,omitempty"`
	Power          string `yaml:"power,omitempty"`
	State          string `yaml:"state,omitempty"`
	Line           int    `yaml:"-"`
}

// Fault changes the replies of one RPC while the manifest is loaded. Faults
// of one RPC apply in list order; an Error ends the list for that call.
type Fault struct {
	RPC string `yaml:"rpc"`
	// Error is a gRPC code name (UNAVAILABLE) that fails the call; with IDs,
	// a ComponentManagerStatusCode given to those inventory entries.
	Error string `yaml:"error,omitempty"`
	// Empty makes the reply succeed with zero rows.
	Empty bool `yaml:"empty,omitempty"`
	// Keep truncates the reply to its first Keep rows.
	Keep *int `yaml:"keep,omitempty"`
	// Delay holds the reply back; the caller's deadline still applies.
	Delay Duration `yaml:"delay,omitempty"`
	// ExtraID adds a row with an id nobody requested.
	ExtraID string `yaml:"extra_id,omitempty"`
	// DuplicateID returns the first row twice.
	DuplicateID bool `yaml:"duplicate_id,omitempty"`
	// Times limits the fault to the first Times calls it affects; 0 is
	// every call.
	Times int `yaml:"times,omitempty"`
	// IDs makes a GetComponentInventory fault apply per entry.
	IDs  []string `yaml:"ids,omitempty"`
	Line int      `yaml:"-"`
}

// Duration is a time.Duration written as "2s" in YAML.
type Duration time.Duration

// Label is one metadata label. A nil Value is a label whose value is unset.
type Label struct {
	Key   string
	Value *string
}

// Labels are an object's metadata labels, in order. Repeated keys are kept,
// as Core can hold them. In YAML they are a map, or a list of {key, value}.
type Labels []Label

// LabelMap builds Labels from a map, sorted by key, for sites built in Go.
func LabelMap(m map[string]string) Labels {
	out := make(Labels, 0, len(m))
	for _, k := range sortedKeys(m) {
		v := m[k]
		out = append(out, Label{Key: k, Value: &v})
	}
	return out
}
