package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

// Events returns audit events matching f, oldest first.
func (db *DB) Events(ctx context.Context, f inventory.EventFilter) ([]inventory.Event, error) {
	where, args := []string{"true"}, []any{}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.CycleID != "" {
		add("cycle_id::text = $%d", f.CycleID)
	}
	if f.Entity != "" {
		add("entity = $%d", f.Entity)
	}
	if f.EntityID != "" {
		add("entity_id = $%d", f.EntityID)
	}
	if !f.Since.IsZero() {
		add("at >= $%d", inventory.Timestamp(f.Since))
	}
	if f.AfterID > 0 {
		add("id > $%d", f.AfterID)
	}
	args = append(args, sqlkit.Limit(f.Limit))
	sql := fmt.Sprintf(`SELECT id, cycle_id::text, at, entity, entity_id, action, changes::text, source
		FROM inventory_event WHERE %s ORDER BY id LIMIT $%d`, strings.Join(where, " AND "), len(args))
	rows, err := db.pool.Query(ctx, sql, args...)
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
