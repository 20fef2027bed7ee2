package sqlite

import (
	"context"
	"fmt"

	"rackflow/inventory"
)

// BMCs returns every bmc row. Credentials are never read.
func (t *tx) BMCs(ctx context.Context) ([]inventory.BMC, error) {
	rows, err := t.conn.QueryContext(ctx, `SELECT mac_address, type, component_id, ip_address FROM bmc`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: reading bmcs: %w", mapErr(err))
	}
	defer rows.Close()
	var bs []inventory.BMC
	for rows.Next() {
		var b inventory.BMC
		if err := rows.Scan(&b.MAC, &b.Type, &b.ComponentID, &b.IPAddress); err != nil {
			return nil, fmt.Errorf("sqlite: reading bmcs: %w", err)
		}
		bs = append(bs, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: reading bmcs: %w", mapErr(err))
	}
	// Sorting here rather than in SQL spares a lookup per row through the
	// text primary key's index.
	inventory.SortBMCs(bs)
	return bs, nil
}
