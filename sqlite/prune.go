package sqlite

import (
	"context"
	"fmt"
	"time"

	"rackflow/internal/sqlkit"
)

// Prune deletes old audit, history and cycle rows in batches, each batch its
// own short transaction so that pruning never holds the write lock for long.
func (db *DB) Prune(ctx context.Context, before time.Time, batch int) (int64, error) {
	var total int64
	for _, q := range []string{
		`DELETE FROM inventory_event WHERE id IN (SELECT id FROM inventory_event WHERE at < ? ORDER BY id LIMIT ?)`,
		`DELETE FROM drift_history WHERE id IN (SELECT id FROM drift_history WHERE at < ? ORDER BY id LIMIT ?)`,
		`DELETE FROM sync_cycle WHERE id IN (SELECT id FROM sync_cycle WHERE started_at < ? AND status <> 'running' ORDER BY started_at LIMIT ?)`,
	} {
		for {
			res, err := db.db.ExecContext(ctx, q, sqlkit.FormatTime(before), batch)
			if err != nil {
				return total, fmt.Errorf("sqlite: pruning: %w", mapErr(err))
			}
			n, _ := res.RowsAffected()
			total += n
			if n < int64(batch) {
				break
			}
		}
	}
	return total, nil
}
