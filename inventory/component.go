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
	ID              string
	Name            *string
	Type            ComponentType
	Manufacturer    string
	SerialNumber    string
	Model           *string
	Description     json.RawMessage
	FirmwareVersion *string
	RackID          *string
	SlotID          *int64
	TrayIndex       *int64
	HostID          *int64
	ExternalID      *string
	PowerState      *PowerState
	IngestedAt      *time.Time
	UpdatedAt       time.Time
	DeletedAt       *time.Time
}

// Live reports whether the component is not soft-deleted.
func (c Component) Live() bool { return c.DeletedAt == nil }

// Key returns the component's natural key, unique over every type.
func (c Component) Key() ChassisKey {
	return ChassisKey{Manufacturer: c.Manufacturer, SerialNumber: c.SerialNumber}
}
