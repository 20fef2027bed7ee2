package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

// Drifts returns the open drifts of one component type.
func (t *tx) Drifts(ctx context.Context, ct inventory.ComponentType) ([]inventory.Drift, error) {
	rows, err := t.conn.QueryContext(ctx, `SELECT id, component_id, external_id, component_type, drift_type,
		diffs, first_seen_at, checked_at FROM component_drift WHERE component_type = ? ORDER BY id`, string(ct))
	if err != nil {
		return nil, fmt.Errorf("sqlite: reading drift: %w", mapErr(err))
	}
	defer rows.Close()
	var ds []inventory.Drift
	for rows.Next() {
		var d inventory.Drift
		var diffs json.RawMessage
		if err := rows.Scan(&d.ID, &d.ComponentID, &d.ExternalID, &d.ComponentType, &d.DriftType,
			jsonText{&diffs}, timeText{&d.FirstSeenAt}, timeText{&d.CheckedAt}); err != nil {
			return nil, fmt.Errorf("sqlite: reading drift: %w", err)
		}
		if d.Diffs, err = sqlkit.DiffsFromJSON(diffs); err != nil {
			return nil, err
		}
		ds = append(ds, d)
	}
	return ds, mapErr(rows.Err())
}

// DeleteDrifts deletes resolved drifts.
func (t *tx) DeleteDrifts(ctx context.Context, ids []string) error {
	return t.exec(ctx, `DELETE FROM component_drift WHERE id IN (SELECT value FROM json_each(?))`, string(sqlkit.IDsJSON(ids)))
}

// UpdateDrifts rewrites external_id, diffs and checked_at of open drifts.
func (t *tx) UpdateDrifts(ctx context.Context, payload []byte) error {
	return t.exec(ctx, `UPDATE component_drift SET external_id = json_extract(u.value, '$.external_id'),
		diffs = u.value -> '$.diffs', checked_at = json_extract(u.value, '$.checked_at')
		FROM json_each(?) AS u WHERE component_drift.id = json_extract(u.value, '$.id')`, string(payload))
}

var (
	driftInsert   = insertSQL("component_drift", []string{"id", "component_id", "external_id", "component_type", "drift_type", "diffs", "first_seen_at", "checked_at"})
	historyInsert = insertSQL("drift_history", []string{"cycle_id", "at", "drift_id", "component_type", "drift_type", "component_id", "external_id", "event", "diffs"})
)

// InsertDrifts inserts newly opened drifts.
func (t *tx) InsertDrifts(ctx context.Context, payload []byte) error {
	return t.exec(ctx, driftInsert, string(payload))
}

// InsertDriftHistory appends drift history rows in payload order.
func (t *tx) InsertDriftHistory(ctx context.Context, payload []byte) error {
	return t.exec(ctx, historyInsert, string(payload))
}

// DriftHistory returns drift history matching f, oldest first.
func (db *DB) DriftHistory(ctx context.Context, f inventory.DriftHistoryFilter) ([]inventory.DriftHistory, error) {
	w := sqlkit.NewWhere(placeholder)
	if f.ComponentID != "" {
		w.Add("component_id = %s", f.ComponentID)
	}
	if f.CycleID != "" {
		w.Add("cycle_id = %s", f.CycleID)
	}
	if !f.Since.IsZero() {
		w.Add("at >= %s", sqlkit.FormatTime(f.Since))
	}
	rows, err := db.db.QueryContext(ctx, `SELECT id, cycle_id, at, drift_id, component_type, drift_type,
		component_id, external_id, event, diffs FROM drift_history WHERE `+w.String()+`
		ORDER BY id LIMIT `+w.Param(sqlkit.Limit(f.Limit)), w.Args()...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: drift history: %w", mapErr(err))
	}
	defer rows.Close()
	var hs []inventory.DriftHistory
	for rows.Next() {
		var h inventory.DriftHistory
		var diffs json.RawMessage
		if err := rows.Scan(&h.ID, &h.CycleID, timeText{&h.At}, &h.DriftID, &h.ComponentType, &h.DriftType,
			&h.ComponentID, &h.ExternalID, &h.Event, jsonText{&diffs}); err != nil {
			return nil, fmt.Errorf("sqlite: drift history: %w", err)
		}
		if h.Diffs, err = sqlkit.DiffsFromJSON(diffs); err != nil {
			return nil, err
		}
		hs = append(hs, h)
	}
	return hs, mapErr(rows.Err())
}
