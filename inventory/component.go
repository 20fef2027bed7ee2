package inventory

import (
	"encoding/json"
	"fmt"
	"time"
)

// ComponentType is the kind of device a component row describes.
type ComponentType string

// The component types Core reports. Imports may carry others (TorSwitch, UMS,
// CDU); rackflow stores them but never mirrors them.
const (
	Compute    ComponentType = "Compute"
	NVSwitch   ComponentType = "NVSwitch"
	PowerShelf ComponentType = "PowerShelf"
)

// MirroredTypes lists the component types in the order every cycle processes
// them. The order is also the tie-break for contested MACs.
var MirroredTypes = []ComponentType{Compute, NVSwitch, PowerShelf}

// ParseComponentType accepts one of the mirrored type names.
func ParseComponentType(s string) (ComponentType, error) {
	for _, t := range MirroredTypes {
		if string(t) == s {
			return t, nil
		}
	}
	return "", fmt.Errorf("component type %q: %w: want Compute, NVSwitch or PowerShelf", s, ErrInvalid)
}

// PowerState is the stored power state of a component.
type PowerState int

// Stored power states (component.power_state).
const (
	PowerUnknown  PowerState = 0
	PowerOff      PowerState = 1
	PowerOn       PowerState = 2
	PowerDisabled PowerState = 3
)

func (p PowerState) String() string {
	switch p {
	case PowerOff:
		return "off"
	case PowerOn:
		return "on"
	case PowerDisabled:
		return "disabled"
	}
	return "unknown"
}

// Component is a row of the component table. Nil pointers are NULL. The runtime
// columns (FirmwareVersion, ExternalID, PowerState) are written only by the
// actual sync, never by the mirror.
type Component struct {
	ID              string          `json:"id"`
	Name            *string         `json:"name"`
	Type            ComponentType   `json:"type"`
	Manufacturer    string          `json:"manufacturer"`
	SerialNumber    string          `json:"serial_number"`
	Model           *string         `json:"model"`
	Description     json.RawMessage `json:"description"`
	FirmwareVersion *string         `json:"firmware_version"`
	RackID          *string         `json:"rack_id"`
	SlotID          *int64          `json:"slot_id"`
	TrayIndex       *int64          `json:"tray_index"`
	HostID          *int64          `json:"host_id"`
	ExternalID      *string         `json:"external_id"`
	PowerState      *PowerState     `json:"power_state"`
	IngestedAt      *time.Time      `json:"ingested_at"`
	UpdatedAt       time.Time       `json:"updated_at"`
	DeletedAt       *time.Time      `json:"deleted_at"`
}

// Live reports whether the component is not soft-deleted.
func (c Component) Live() bool { return c.DeletedAt == nil }

// Key returns the component's natural key, unique over every type.
func (c Component) Key() ChassisKey {
	return ChassisKey{Manufacturer: c.Manufacturer, SerialNumber: c.SerialNumber}
}
