package postgres

import (
	"context"
	"fmt"
	"time"

	"rackflow/inventory"
)

// Prune deletes old audit, history and cycle rows in batches, each batch its
// own short transaction so that pruning never holds locks for long.
func (db *DB) Prune(ctx context.Context, before time.Time, batch int) (int64, error) {
	var total int64
	for _, q := range []string{
		`DELETE FROM inventory_event WHERE id IN (SELECT id FROM inventory_event WHERE at < $1 ORDER BY id LIMIT $2)`,
		`DELETE FROM drift_history WHERE id IN (SELECT id FROM drift_history WHERE at < $1 ORDER BY id LIMIT $2)`,
		`DELETE FROM sync_cycle WHERE id IN (SELECT id FROM sync_cycle WHERE started_at < $1 AND status <> 'running' ORDER BY started_at LIMIT $2)`,
	} {
		for {
			tag, err := db.pool.Exec(ctx, q, inventory.Timestamp(before), batch)
			if err != nil {
				return total, fmt.Errorf("postgres: pruning: %w", mapErr(err))
			}
			total += tag.RowsAffected()
			if tag.RowsAffected() < int64(batch) {
				break
			}
		}
	}
	return total, nil
}
