package inventory

import (
	"encoding/json"
	"time"
)

// Rack is a row of the rack table. ExternalID is Core's rack_id; it is nil when
// Core has none (legacy racks created by import or the API) and is never "".
type Rack struct {
	ID           string          `json:"id"`
	Name         string          `json:"name"`
	Manufacturer string          `json:"manufacturer"`
	SerialNumber string          `json:"serial_number"`
	Description  json.RawMessage `json:"description"` // nil is NULL; the mirror owns keys "model" and "text"
	Location     json.RawMessage `json:"location"`    // nil is NULL; keys region, datacenter, room, position
	NVLDomainID  *string         `json:"nvldomain_id"`
	Status       string          `json:"status"`
	CreatedAt    time.Time       `json:"created_at"`
	UpdatedAt    time.Time       `json:"updated_at"`
	IngestedAt   *time.Time      `json:"ingested_at"`
	DeletedAt    *time.Time      `json:"deleted_at"`
	ExternalID   *string         `json:"external_id"`
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
