package sqlite

import (
	"context"
	"encoding/json"
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
		return page, fmt.Errorf("sqlite: events: %w", err)
	}
	return page, nil
}

func scanEvent(row scanner) (inventory.Event, error) {
	var e inventory.Event
	var changes json.RawMessage
	if err := row.Scan(&e.ID, &e.CycleID, timeText{&e.At}, &e.Entity, &e.EntityID, &e.Action,
		jsonText{&changes}, &e.Source); err != nil {
		return e, err
	}
	var err error
	e.Changes, err = sqlkit.ChangesFromJSON(changes)
	return e, err
}
