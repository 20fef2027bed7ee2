package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"rackflow/inventory"
)

// BMCs returns every bmc row. Credentials are never read.
func (t *tx) BMCs(ctx context.Context) ([]inventory.BMC, error) {
	rows, err := t.tx.Query(ctx, `SELECT mac_address, type, component_id, ip_address FROM bmc`)
	if err != nil {
		return nil, fmt.Errorf("postgres: reading bmcs: %w", mapErr(err))
	}
	bs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (inventory.BMC, error) {
		var b inventory.BMC
		err := row.Scan(&b.MAC, &b.Type, &b.ComponentID, &b.IPAddress)
		return b, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: reading bmcs: %w", mapErr(err))
	}
	// Sorted here: ORDER BY would sort by the column's collation, on the
	// server, spilling to disk on a large site.
	inventory.SortBMCs(bs)
	return bs, nil
}
