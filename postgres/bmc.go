package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgtype"

	"rackflow/inventory"
)

// BMCs returns every bmc row. Credentials are never read.
func (t *tx) BMCs(ctx context.Context) ([]inventory.BMC, error) {
	rows, err := t.tx.Query(ctx, `SELECT mac_address, type, component_id, ip_address FROM bmc`)
	if err != nil {
		return nil, fmt.Errorf("postgres: reading bmcs: %w", mapErr(err))
	}
	defer rows.Close()
	var mac, typ, ip rawText
	var component pgtype.UUID
	seen := newSeenValues()
	var bs []inventory.BMC
	for rows.Next() {
		if err := rows.Scan(&mac, &typ, &component, &ip); err != nil {
			return nil, fmt.Errorf("postgres: reading bmcs: %w", mapErr(err))
		}
		bs = append(bs, inventory.BMC{MAC: string(mac.b), Type: inventory.BMCType(seen.str(typ.b)),
			ComponentID: uuidString(component), IPAddress: ip.ptr()})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: reading bmcs: %w", mapErr(err))
	}
	// Sorted here: ORDER BY would sort by the column's collation, on the
	// server, spilling to disk on a large site.
	inventory.SortBMCs(bs)
	return bs, nil
}
