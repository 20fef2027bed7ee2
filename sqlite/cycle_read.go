package sqlite

import (
	"context"
	"fmt"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

var cycleSortKeys = map[string]sqlkit.Key{"started_at": timeKey("started_at")}

// ListCycles lists sync_cycle rows.
func (db *DB) ListCycles(ctx context.Context, q inventory.CycleQuery) (inventory.List[inventory.Cycle], error) {
	var zero inventory.List[inventory.Cycle]
	spec, err := q.Page.Resolve(inventory.CycleListing)
	if err == nil {
		err = q.Validate()
	}
	if err != nil {
		return zero, err
	}
	w := sqlkit.NewWhere(placeholder)
	w.AddIn("status", "%s", strs(q.Status))
	w.AddIn("trigger", "%s", strs(q.Trigger))
	total, err := db.count(ctx, `SELECT count(*) FROM sync_cycle WHERE `+w.String(), w.Args())
	if err != nil {
		return zero, fmt.Errorf("sqlite: cycles: %w", err)
	}
	order, err := keyset(w, cycleSortKeys, uuidKey("id"), spec)
	if err != nil {
		return zero, err
	}
	sql := fmt.Sprintf(`SELECT %s FROM sync_cycle WHERE %s %s LIMIT %d`, cycleColumns, w, order, spec.Limit+1)
	cs, err := collect(ctx, db, sql, w.Args(), scanCycle)
	if err != nil {
		return zero, fmt.Errorf("sqlite: cycles: %w", err)
	}
	return sqlkit.FinishPage(cs, total, spec, func(c inventory.Cycle) (string, string) {
		return inventory.CursorTime(c.StartedAt), c.ID
	}), nil
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
