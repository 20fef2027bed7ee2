package postgres

import (
	"context"
	"fmt"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

// ListEvents lists the audit trail.
func (db *DB) ListEvents(ctx context.Context, q inventory.EventQuery) (inventory.List[inventory.Event], error) {
	l, err := sqlkit.EventList(dialect, q)
	if err != nil {
		return inventory.List[inventory.Event]{}, err
	}
	page, err := list(ctx, db, l, scanEvent)
	if err != nil {
		return page, fmt.Errorf("postgres: events: %w", err)
	}
	return page, nil
}
