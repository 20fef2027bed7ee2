package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

// Events returns audit events matching f, oldest first.
func (db *DB) Events(ctx context.Context, f inventory.EventFilter) ([]inventory.Event, error) {
	w := sqlkit.NewWhere(placeholder)
	if f.CycleID != "" {
		w.Add("cycle_id = %s", f.CycleID)
	}
	if f.Entity != "" {
		w.Add("entity = %s", f.Entity)
	}
	if f.EntityID != "" {
		w.Add("entity_id = %s", f.EntityID)
	}
	if !f.Since.IsZero() {
		w.Add("at >= %s", sqlkit.FormatTime(f.Since))
	}
	if f.AfterID > 0 {
		w.Add("id > %s", f.AfterID)
	}
	q := `SELECT id, cycle_id, at, entity, entity_id, action, changes, source FROM inventory_event
		WHERE ` + w.String() + ` ORDER BY id LIMIT ` + w.Param(sqlkit.Limit(f.Limit))
	rows, err := db.db.QueryContext(ctx, q, w.Args()...)
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

// placeholder is SQLite's parameter, the same for every position.
func placeholder(int) string { return "?" }
