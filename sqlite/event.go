package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

// Events returns audit events matching f, oldest first.
func (db *DB) Events(ctx context.Context, f inventory.EventFilter) ([]inventory.Event, error) {
	where, args := []string{"1"}, []any{}
	add := func(cond string, v any) {
		where = append(where, cond)
		args = append(args, v)
	}
	if f.CycleID != "" {
		add("cycle_id = ?", f.CycleID)
	}
	if f.Entity != "" {
		add("entity = ?", f.Entity)
	}
	if f.EntityID != "" {
		add("entity_id = ?", f.EntityID)
	}
	if !f.Since.IsZero() {
		add("at >= ?", sqlkit.FormatTime(f.Since))
	}
	if f.AfterID > 0 {
		add("id > ?", f.AfterID)
	}
	args = append(args, sqlkit.Limit(f.Limit))
	q := `SELECT id, cycle_id, at, entity, entity_id, action, changes, source FROM inventory_event
		WHERE ` + strings.Join(where, " AND ") + ` ORDER BY id LIMIT ?`
	rows, err := db.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: events: %w", mapErr(err))
	}
	defer rows.Close()
	var es []inventory.Event
	for rows.Next() {
		var e inventory.Event
		var changes json.RawMessage
		if err := rows.Scan(&e.ID, &e.CycleID, timeText{&e.At}, &e.Entity, &e.EntityID, &e.Action,
			jsonText{&changes}, &e.Source); err != nil {
			return nil, fmt.Errorf("sqlite: events: %w", err)
		}
		if e.Changes, err = sqlkit.ChangesFromJSON(changes); err != nil {
			return nil, err
		}
		es = append(es, e)
	}
	return es, mapErr(rows.Err())
}
