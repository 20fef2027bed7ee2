package sqlite

import (
	"context"
	"fmt"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

var _ inventory.ImportTx = (*tx)(nil)

// WrittenBy returns the ids of entity that have an audit event from one of
// sources, in one statement.
func (t *tx) WrittenBy(ctx context.Context, entity string, ids []string, sources []inventory.Source) (map[string]bool, error) {
	out := map[string]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := t.conn.QueryContext(ctx, `SELECT DISTINCT entity_id FROM inventory_event WHERE entity = ?
		AND entity_id IN (SELECT value FROM json_each(?)) AND source IN (SELECT value FROM json_each(?))`,
		entity, string(sqlkit.IDsJSON(ids)), string(sqlkit.IDsJSON(strs(sources))))
	if err != nil {
		return nil, fmt.Errorf("sqlite: provenance of %s rows: %w", entity, mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sqlite: provenance of %s rows: %w", entity, err)
		}
		out[id] = true
	}
	return out, mapErr(rows.Err())
}
