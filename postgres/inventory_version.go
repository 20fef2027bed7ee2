package postgres

import (
	"context"
	"fmt"

	"rackflow/inventory"
)

var _ inventory.VersionedTx = (*tx)(nil)

// InventoryVersion reads the inventory's write counter: the last value the
// write triggers drew from the inventory_version sequence, 0 before any.
func (t *tx) InventoryVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := t.tx.QueryRow(ctx, `SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM inventory_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("postgres: reading the inventory version: %w", mapErr(err))
	}
	return v, nil
}
