package inventory

import (
	"encoding/json"
	"time"
)

// Rack is a row of the rack table. ExternalID is Core's rack_id; it is nil when
// Core has none (legacy racks created by import or the API) and is never "".
type Rack struct {
	ID           string
	Name         string
	Manufacturer string
	SerialNumber string
	Description  json.RawMessage // nil is NULL; the mirror owns keys "model" and "text"
	Location     json.RawMessage // nil is NULL; keys region, datacenter, room, position
	NVLDomainID  *string
	Status       string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	IngestedAt   *time.Time
	DeletedAt    *time.Time
	ExternalID   *string
}

// Live reports whether the rack is not soft-deleted.
func (r Rack) Live() bool { return r.DeletedAt == nil }

// Chassis returns the rack's natural key.
func (r Rack) Chassis() ChassisKey {
	return ChassisKey{Manufacturer: r.Manufacturer, SerialNumber: r.SerialNumber}
}

// ChassisKey is the (manufacturer, serial_number) pair that identifies a rack or
// a component. For components it is unique across all types.
type ChassisKey struct {
	Manufacturer string
	SerialNumber string
}

func (k ChassisKey) String() string { return k.Manufacturer + "/" + k.SerialNumber }

// MovingPlaceholder is the reserved value a NOT NULL unique column holds for the
// instant between the two steps of a unique-value move (schema.md). It never
// survives a transaction.
func MovingPlaceholder(rowID string) string { return "\u0001moving:" + rowID }
