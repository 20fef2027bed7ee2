package sqlite

import (
	"context"
	"fmt"

	"rackflow/inventory"
)

// Racks returns every rack row, tombstones included.
func (t *tx) Racks(ctx context.Context) ([]inventory.Rack, error) {
	rows, err := t.conn.QueryContext(ctx, `SELECT id, name, manufacturer, serial_number, description, location,
		nvldomain_id, coalesce(status, ''), created_at, updated_at, ingested_at, deleted_at, external_id
		FROM rack`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: reading racks: %w", mapErr(err))
	}
	defer rows.Close()
	var racks []inventory.Rack
	for rows.Next() {
		var r inventory.Rack
		if err := rows.Scan(&r.ID, &r.Name, &r.Manufacturer, &r.SerialNumber, jsonText{&r.Description},
			jsonText{&r.Location}, &r.NVLDomainID, &r.Status, timeText{&r.CreatedAt}, timeText{&r.UpdatedAt},
			nullTimeText{&r.IngestedAt}, nullTimeText{&r.DeletedAt}, &r.ExternalID); err != nil {
			return nil, fmt.Errorf("sqlite: reading racks: %w", err)
		}
		racks = append(racks, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: reading racks: %w", mapErr(err))
	}
	// Sorting here rather than in SQL spares a lookup per row through the
	// text primary key's index, and keeps reads in a stable order.
	inventory.SortRacks(racks)
	return racks, nil
}
