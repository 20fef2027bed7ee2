package sqlkit

import (
	"encoding/json"
	"fmt"

	"rackflow/inventory"
)

// rackRow is a rack in an insert payload; member names are column names.
type rackRow struct {
	ID           string          `json:"id"`
	Name         string          `json:"name"`
	Manufacturer string          `json:"manufacturer"`
	SerialNumber string          `json:"serial_number"`
	Description  json.RawMessage `json:"description"`
	Location     json.RawMessage `json:"location"`
	NVLDomainID  *string         `json:"nvldomain_id"`
	Status       string          `json:"status"`
	CreatedAt    string          `json:"created_at"`
	UpdatedAt    string          `json:"updated_at"`
	IngestedAt   *string         `json:"ingested_at"`
	DeletedAt    *string         `json:"deleted_at"`
	ExternalID   *string         `json:"external_id"`
}

// RackRows encodes racks for an insert payload. CreatedAt and UpdatedAt default
// to at when zero, and Status to "new".
func RackRows(rs []inventory.Rack, at string) ([]byte, error) {
	out := make([]rackRow, len(rs))
	for i, r := range rs {
		status := r.Status
		if status == "" {
			status = "new"
		}
		out[i] = rackRow{
			ID: r.ID, Name: r.Name, Manufacturer: r.Manufacturer, SerialNumber: r.SerialNumber,
			Description: nullJSON(r.Description), Location: nullJSON(r.Location), NVLDomainID: r.NVLDomainID,
			Status: status, CreatedAt: timeOr(r.CreatedAt.IsZero(), at, FormatTime(r.CreatedAt)),
			UpdatedAt: timeOr(r.UpdatedAt.IsZero(), at, FormatTime(r.UpdatedAt)), IngestedAt: FormatTimePtr(r.IngestedAt),
			DeletedAt: FormatTimePtr(r.DeletedAt), ExternalID: r.ExternalID,
		}
	}
	return json.Marshal(out)
}

// componentRow is a component in an insert payload.
type componentRow struct {
	ID              string          `json:"id"`
	Name            *string         `json:"name"`
	Type            string          `json:"type"`
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
	PowerState      *int64          `json:"power_state"`
	IngestedAt      *string         `json:"ingested_at"`
	UpdatedAt       string          `json:"updated_at"`
	DeletedAt       *string         `json:"deleted_at"`
}

// ComponentRows encodes components for an insert payload. UpdatedAt defaults
// to at when zero.
func ComponentRows(cs []inventory.Component, at string) ([]byte, error) {
	out := make([]componentRow, len(cs))
	for i, c := range cs {
		var ps *int64
		if c.PowerState != nil {
			v := int64(*c.PowerState)
			ps = &v
		}
		out[i] = componentRow{
			ID: c.ID, Name: c.Name, Type: string(c.Type), Manufacturer: c.Manufacturer, SerialNumber: c.SerialNumber,
			Model: c.Model, Description: nullJSON(c.Description), FirmwareVersion: c.FirmwareVersion, RackID: c.RackID,
			SlotID: c.SlotID, TrayIndex: c.TrayIndex, HostID: c.HostID, ExternalID: c.ExternalID, PowerState: ps,
			IngestedAt: FormatTimePtr(c.IngestedAt), UpdatedAt: timeOr(c.UpdatedAt.IsZero(), at, FormatTime(c.UpdatedAt)),
			DeletedAt: FormatTimePtr(c.DeletedAt),
		}
	}
	return json.Marshal(out)
}

// bmcRow is a BMC in an insert payload. The MAC is normalised on write.
type bmcRow struct {
	MAC         string  `json:"mac_address"`
	Type        string  `json:"type"`
	ComponentID string  `json:"component_id"`
	IPAddress   *string `json:"ip_address"`
}

// BMCRows encodes BMCs for an insert payload. Every MAC is normalised; an
// invalid one is an error naming it.
func BMCRows(bs []inventory.BMC) ([]byte, error) {
	out := make([]bmcRow, len(bs))
	for i, b := range bs {
		mac, err := inventory.NormalizeMAC(b.MAC)
		if err != nil {
			return nil, fmt.Errorf("sqlkit: bmc insert: %w", err)
		}
		out[i] = bmcRow{MAC: mac, Type: string(b.Type), ComponentID: b.ComponentID, IPAddress: b.IPAddress}
	}
	return json.Marshal(out)
}

// eventRow is an audit event in an insert payload.
type eventRow struct {
	CycleID  *string         `json:"cycle_id"`
	At       string          `json:"at"`
	Entity   string          `json:"entity"`
	EntityID string          `json:"entity_id"`
	Action   string          `json:"action"`
	Changes  json.RawMessage `json:"changes"`
	Source   string          `json:"source"`
	Seq      int             `json:"seq"`
}

// EventRows encodes events for an insert payload; seq keeps their order.
func EventRows(es []inventory.Event) ([]byte, error) {
	out := make([]eventRow, len(es))
	for i, e := range es {
		ch, err := ChangesJSON(e.Changes)
		if err != nil {
			return nil, fmt.Errorf("sqlkit: event %s %s: %w", e.Entity, e.EntityID, err)
		}
		out[i] = eventRow{CycleID: e.CycleID, At: FormatTime(e.At), Entity: e.Entity, EntityID: e.EntityID,
			Action: string(e.Action), Changes: ch, Source: string(e.Source), Seq: i}
	}
	return json.Marshal(out)
}

// NormalizeMACs normalises MACs used as keys (deletes, updates), so that a
// difference in case never misses a row.
func NormalizeMACs(macs []string) ([]string, error) {
	out := make([]string, len(macs))
	for i, m := range macs {
		n, err := inventory.NormalizeMAC(m)
		if err != nil {
			return nil, fmt.Errorf("sqlkit: %w", err)
		}
		out[i] = n
	}
	return out, nil
}

// IDsJSON encodes a list of keys as a JSON array.
func IDsJSON(ids []string) []byte {
	b, _ := json.Marshal(ids) // a []string always marshals
	return b
}

func nullJSON(m json.RawMessage) json.RawMessage {
	if len(m) == 0 {
		return json.RawMessage("null")
	}
	return m
}

func timeOr(useDefault bool, def, v string) string {
	if useDefault {
		return def
	}
	return v
}
