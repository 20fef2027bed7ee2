package sqlite

import (
	"context"
	"fmt"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

// ListCycles lists sync_cycle rows.
func (db *DB) ListCycles(ctx context.Context, q inventory.CycleQuery) (inventory.List[inventory.Cycle], error) {
	l, err := sqlkit.CycleList(dialect, q)
	if err != nil {
		return inventory.List[inventory.Cycle]{}, err
	}
	page, err := list(ctx, db, l, scanCycle)
	if err != nil {
		return page, fmt.Errorf("sqlite: cycles: %w", err)
	}
	return page, nil
}

// HeldDeletes lists what the mass-delete guard holds now, derived from the
// recent cycles' steps.
func (db *DB) HeldDeletes(ctx context.Context, q inventory.HeldDeleteQuery) (inventory.List[inventory.HeldDelete], error) {
	cs, err := db.Cycles(ctx, inventory.HeldCycleWindow)
	if err != nil {
		return inventory.List[inventory.HeldDelete]{}, err
	}
	held, err := inventory.HeldDeletes(cs)
	if err != nil {
		return inventory.List[inventory.HeldDelete]{}, fmt.Errorf("sqlite: held deletes: %w", err)
	}
	return inventory.PageHeld(held, q)
}
