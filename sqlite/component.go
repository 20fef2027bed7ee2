package sqlite

import (
	"context"
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
	var cs []inventory.Component
	for rows.Next() {
		var c inventory.Component
		if err := rows.Scan(&c.ID, &c.Name, &c.Type, &c.Manufacturer, &c.SerialNumber, &c.Model,
			jsonText{&c.Description}, &c.FirmwareVersion, &c.RackID, &c.SlotID, &c.TrayIndex, &c.HostID,
			&c.ExternalID, &c.PowerState, nullTimeText{&c.IngestedAt}, timeText{&c.UpdatedAt},
			nullTimeText{&c.DeletedAt}); err != nil {
			return nil, fmt.Errorf("sqlite: reading components: %w", err)
		}
		cs = append(cs, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: reading components: %w", mapErr(err))
	}
	// Sorting here rather than in SQL spares a lookup per row through the
	// text primary key's index.
	inventory.SortComponents(cs)
	return cs, nil
}
