package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

// Drifts returns the open drifts of one component type.
func (t *tx) Drifts(ctx context.Context, ct inventory.ComponentType) ([]inventory.Drift, error) {
	rows, err := t.tx.Query(ctx, `SELECT id::text, component_id::text, external_id, component_type, drift_type,
		diffs::text, first_seen_at, checked_at FROM component_drift WHERE component_type = $1 ORDER BY id`, string(ct))
	if err != nil {
		return nil, fmt.Errorf("postgres: reading drift: %w", mapErr(err))
	}
	ds, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (inventory.Drift, error) {
		var d inventory.Drift
		var diffs string
		if err := row.Scan(&d.ID, &d.ComponentID, &d.ExternalID, &d.ComponentType, &d.DriftType, &diffs,
			&d.FirstSeenAt, &d.CheckedAt); err != nil {
			return d, err
		}
		d.FirstSeenAt, d.CheckedAt = d.FirstSeenAt.UTC(), d.CheckedAt.UTC()
		var err error
		d.Diffs, err = sqlkit.DiffsFromJSON([]byte(diffs))
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: reading drift: %w", mapErr(err))
	}
	return ds, nil
}

// DeleteDrifts deletes resolved drifts.
func (t *tx) DeleteDrifts(ctx context.Context, ids []string) error {
	return t.exec(ctx, `DELETE FROM component_drift WHERE id = ANY($1::text[]::uuid[])`, ids)
}

const driftRecord = `x(id uuid, component_id uuid, external_id text, component_type text, drift_type text,
	diffs jsonb, first_seen_at timestamptz, checked_at timestamptz)`

// UpdateDrifts rewrites external_id, diffs and checked_at of open drifts.
func (t *tx) UpdateDrifts(ctx context.Context, payload []byte) error {
	return t.exec(ctx, `UPDATE component_drift AS d SET external_id = x.external_id, diffs = x.diffs,
		checked_at = x.checked_at FROM jsonb_to_recordset($1::jsonb) AS `+driftRecord+` WHERE d.id = x.id`, payload)
}

// InsertDrifts inserts newly opened drifts.
func (t *tx) InsertDrifts(ctx context.Context, payload []byte) error {
	return t.exec(ctx, `INSERT INTO component_drift (id, component_id, external_id, component_type, drift_type,
		diffs, first_seen_at, checked_at) SELECT id, component_id, external_id, component_type, drift_type,
		diffs, first_seen_at, checked_at FROM jsonb_to_recordset($1::jsonb) AS `+driftRecord, payload)
}

// InsertDriftHistory appends drift history rows in payload order.
func (t *tx) InsertDriftHistory(ctx context.Context, payload []byte) error {
	return t.exec(ctx, `INSERT INTO drift_history (cycle_id, at, drift_id, component_type, drift_type,
		component_id, external_id, event, diffs) SELECT cycle_id, at, drift_id, component_type, drift_type,
		component_id, external_id, event, diffs FROM jsonb_to_recordset($1::jsonb) AS x(cycle_id uuid,
		at timestamptz, drift_id uuid, component_type text, drift_type text, component_id uuid,
		external_id text, event text, diffs jsonb, seq int) ORDER BY seq`, payload)
}

// DriftHistory returns drift history matching f, oldest first.
func (db *DB) DriftHistory(ctx context.Context, f inventory.DriftHistoryFilter) ([]inventory.DriftHistory, error) {
	w := sqlkit.NewWhere(placeholder)
	if f.ComponentID != "" {
		w.Add("component_id = %s::uuid", f.ComponentID)
	}
	if f.CycleID != "" {
		w.Add("cycle_id = %s::uuid", f.CycleID)
	}
	if !f.Since.IsZero() {
		w.Add("at >= %s", inventory.Timestamp(f.Since))
	}
	limit := w.Param(sqlkit.Limit(f.Limit))
	rows, err := db.pool.Query(ctx, fmt.Sprintf(`SELECT id, cycle_id::text, at, drift_id::text, component_type,
		drift_type, component_id::text, external_id, event, diffs::text FROM drift_history WHERE %s
		ORDER BY id LIMIT %s`, w, limit), w.Args()...)
	if err != nil {
		return nil, fmt.Errorf("postgres: drift history: %w", mapErr(err))
	}
	hs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (inventory.DriftHistory, error) {
		var h inventory.DriftHistory
		var diffs string
		if err := row.Scan(&h.ID, &h.CycleID, &h.At, &h.DriftID, &h.ComponentType, &h.DriftType,
			&h.ComponentID, &h.ExternalID, &h.Event, &diffs); err != nil {
			return h, err
		}
		h.At = h.At.UTC()
		var err error
		h.Diffs, err = sqlkit.DiffsFromJSON([]byte(diffs))
		return h, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: drift history: %w", mapErr(err))
	}
	return hs, nil
}
