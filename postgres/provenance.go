package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

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
	rows, err := t.tx.Query(ctx, `SELECT DISTINCT entity_id FROM inventory_event WHERE entity = $1
		AND entity_id = ANY($2::text[]) AND source = ANY($3::text[])`, entity, ids, strs(sources))
	if err != nil {
		return nil, fmt.Errorf("postgres: provenance of %s rows: %w", entity, mapErr(err))
	}
	found, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: provenance of %s rows: %w", entity, mapErr(err))
	}
	for _, id := range found {
		out[id] = true
	}
	return out, nil
}
