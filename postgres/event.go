package postgres

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

// Events returns audit events matching f, oldest first.
func (db *DB) Events(ctx context.Context, f inventory.EventFilter) ([]inventory.Event, error) {
	w := sqlkit.NewWhere(placeholder)
	if f.CycleID != "" {
		w.Add("cycle_id = %s::uuid", f.CycleID)
	}
	if f.Entity != "" {
		w.Add("entity = %s", f.Entity)
	}
	if f.EntityID != "" {
		w.Add("entity_id = %s", f.EntityID)
	}
	if !f.Since.IsZero() {
		w.Add("at >= %s", inventory.Timestamp(f.Since))
	}
	if f.AfterID > 0 {
		w.Add("id > %s", f.AfterID)
	}
	limit := w.Param(sqlkit.Limit(f.Limit))
	sql := fmt.Sprintf(`SELECT id, cycle_id::text, at, entity, entity_id, action, changes::text, source
		FROM inventory_event WHERE %s ORDER BY id LIMIT %s`, w, limit)
	rows, err := db.pool.Query(ctx, sql, w.Args()...)
	if err != nil {
		return nil, fmt.Errorf("postgres: events: %w", mapErr(err))
	}
	es, err := pgx.CollectRows(rows, scanEvent)
	if err != nil {
		return nil, fmt.Errorf("postgres: events: %w", mapErr(err))
	}
	return es, nil
}

func scanEvent(row pgx.CollectableRow) (inventory.Event, error) {
	var e inventory.Event
	var changes string
	if err := row.Scan(&e.ID, &e.CycleID, &e.At, &e.Entity, &e.EntityID, &e.Action, &changes, &e.Source); err != nil {
		return e, err
	}
	e.At = e.At.UTC()
	cs, err := sqlkit.ChangesFromJSON([]byte(changes))
	e.Changes = cs
	return e, err
}

// placeholder is PostgreSQL's nth parameter.
func placeholder(n int) string { return "$" + strconv.Itoa(n) }
