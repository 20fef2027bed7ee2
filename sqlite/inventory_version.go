package sqlite

import (
	"context"
	"fmt"

	"rackflow/inventory"
)

var _ inventory.VersionedTx = (*tx)(nil)

// InventoryVersion reads the inventory's write counter, which the write
// triggers move on every row written.
func (t *tx) InventoryVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := t.conn.QueryRowContext(ctx, `SELECT version FROM inventory_version WHERE id = 1`).Scan(&v); err != nil {
		return 0, fmt.Errorf("sqlite: reading the inventory version: %w", mapErr(err))
	}
	return v, nil
}
