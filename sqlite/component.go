package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"rackflow/inventory"
)

// Components returns every component row of every type, tombstones included.
func (t *tx) Components(ctx context.Context) ([]inventory.Component, error) {
	rows, err := t.conn.QueryContext(ctx, `SELECT id, name, type, manufacturer, serial_number, model,
		description, firmware_version, rack_id, slot_id, tray_index, host_id, external_id, power_state,
		ingested_at, updated_at, deleted_at FROM component`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: reading components: %w", mapErr(err))
	}
	defer rows.Close()
	var scan componentScan
	dests := scan.dests()
	var cs []inventory.Component
	for rows.Next() {
		if err := rows.Scan(dests...); err != nil {
			return nil, fmt.Errorf("sqlite: reading components: %w", err)
		}
		cs = append(cs, scan.row())
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: reading components: %w", mapErr(err))
	}
	// Sorting here rather than in SQL spares a lookup per row through the
	// text primary key's index.
	inventory.SortComponents(cs)
	return cs, nil
}

// componentScan is one row of the full component read. Its nullable
// columns are scanned into sql.Null values, which database/sql fills
// without reflection, and it is reused from row to row; row builds the
// component.
type componentScan struct {
	c                                       inventory.Component
	name, model, firmware, rackID, external sql.NullString
	slot, tray, host, power                 sql.NullInt64
}

// dests are the scan targets, in the order of the full read's columns.
func (s *componentScan) dests() []any {
	c := &s.c
	return []any{&c.ID, &s.name, &c.Type, &c.Manufacturer, &c.SerialNumber, &s.model, jsonText{&c.Description},
		&s.firmware, &s.rackID, &s.slot, &s.tray, &s.host, &s.external, &s.power, nullTimeText{&c.IngestedAt},
		timeText{&c.UpdatedAt}, nullTimeText{&c.DeletedAt}}
}

func (s *componentScan) row() inventory.Component {
	c := s.c
	c.Name, c.Model, c.FirmwareVersion, c.RackID, c.ExternalID = strPtr(s.name), strPtr(s.model), strPtr(s.firmware),
		strPtr(s.rackID), strPtr(s.external)
	c.SlotID, c.TrayIndex, c.HostID = intPtr(s.slot), intPtr(s.tray), intPtr(s.host)
	if s.power.Valid {
		p := inventory.PowerState(s.power.Int64)
		c.PowerState = &p
	}
	return c
}

func strPtr(v sql.NullString) *string {
	if !v.Valid {
		return nil
	}
	return &v.String
}

func intPtr(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	return &v.Int64
}
