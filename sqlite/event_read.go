package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

var eventSortKeys = map[string]sqlkit.Key{"id": intKey("id")}

// ListEvents lists the audit trail.
func (db *DB) ListEvents(ctx context.Context, q inventory.EventQuery) (inventory.List[inventory.Event], error) {
	var zero inventory.List[inventory.Event]
	spec, err := q.Page.Resolve(inventory.EventListing)
	if err != nil {
		return zero, err
	}
	w := sqlkit.NewWhere(placeholder)
	if err := eventFilters(w, q); err != nil {
		return zero, err
	}
	total, err := db.count(ctx, `SELECT count(*) FROM inventory_event WHERE `+w.String(), w.Args())
	if err != nil {
		return zero, fmt.Errorf("sqlite: events: %w", err)
	}
	order, err := keyset(w, eventSortKeys, intKey("id"), spec)
	if err != nil {
		return zero, err
	}
	sql := fmt.Sprintf(`SELECT id, cycle_id, at, entity, entity_id, action, changes, source
		FROM inventory_event WHERE %s %s LIMIT %d`, w, order, spec.Limit+1)
	es, err := collect(ctx, db, sql, w.Args(), scanEvent)
	if err != nil {
		return zero, fmt.Errorf("sqlite: events: %w", err)
	}
	return sqlkit.FinishPage(es, total, spec, func(e inventory.Event) (string, string) {
		id := strconv.FormatInt(e.ID, 10)
		return id, id
	}), nil
}

func eventFilters(w *sqlkit.Where, q inventory.EventQuery) error {
	if err := q.Validate(); err != nil {
		return err
	}
	w.AddIn("entity", "%s", q.Entity)
	w.AddIn("entity_id", "%s", q.NormalizedEntityIDs())
	w.AddIn("action", "%s", strs(q.Action))
	w.AddIn("source", "%s", strs(q.Source))
	w.AddIn("cycle_id", "%s", q.CycleID)
	if !q.Since.IsZero() {
		w.Add("at >= %s", sqlkit.FormatTime(q.Since))
	}
	if !q.Until.IsZero() {
		w.Add("at < %s", sqlkit.FormatTime(q.Until))
	}
	return nil
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
