package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

const driftColumns = `d.id::text, d.component_id::text, d.external_id, d.component_type, d.drift_type,
	d.diffs::text, d.first_seen_at, d.checked_at`

func scanDrift(row pgx.CollectableRow) (inventory.Drift, error) {
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
}

const driftItemColumns = `d.id::text, d.state, d.component_id::text, d.external_id, d.component_type,
	d.drift_type, d.diffs::text, d.first_seen_at, d.last_seen_at, d.resolved_at, c.rack_id::text, r.name,
	c.serial_number`

// ListDrift lists open drift, resolved drift, or both.
func (db *DB) ListDrift(ctx context.Context, q inventory.DriftQuery) (inventory.List[inventory.DriftItem], error) {
	l, err := sqlkit.DriftList(dialect, q)
	if err != nil {
		return inventory.List[inventory.DriftItem]{}, err
	}
	page, err := list(ctx, db, l, scanDriftItem)
	if err != nil {
		return page, fmt.Errorf("postgres: drift: %w", err)
	}
	return page, nil
}

// strs converts values of a string type to plain strings.
func strs[T ~string](xs []T) []string { return sqlkit.Strings(xs) }

func scanDriftItem(row pgx.CollectableRow) (inventory.DriftItem, error) {
	var d inventory.DriftItem
	var diffs string
	if err := row.Scan(&d.ID, &d.State, &d.ComponentID, &d.ExternalID, &d.ComponentType, &d.DriftType,
		&diffs, &d.FirstSeenAt, &d.LastSeenAt, &d.ResolvedAt, &d.RackID, &d.RackName, &d.SerialNumber); err != nil {
		return d, err
	}
	d.FirstSeenAt, d.LastSeenAt, d.ResolvedAt = d.FirstSeenAt.UTC(), utcPtr(d.LastSeenAt), utcPtr(d.ResolvedAt)
	var err error
	d.Diffs, err = sqlkit.DiffsFromJSON([]byte(diffs))
	return d, err
}

// DriftSummary counts open drift by type, age and rack.
func (db *DB) DriftSummary(ctx context.Context, q inventory.DriftSummaryQuery) (inventory.DriftSummary, error) {
	if q.Now.IsZero() {
		q.Now = time.Now()
	}
	items, err := collect(ctx, db, `SELECT d.drift_type, d.component_type, d.first_seen_at, c.rack_id::text, r.name
		FROM component_drift d LEFT JOIN component c ON c.id = d.component_id LEFT JOIN rack r ON r.id = c.rack_id`,
		nil, func(row pgx.CollectableRow) (inventory.DriftItem, error) {
			var d inventory.DriftItem
			err := row.Scan(&d.DriftType, &d.ComponentType, &d.FirstSeenAt, &d.RackID, &d.RackName)
			return d, err
		})
	if err != nil {
		return inventory.DriftSummary{}, fmt.Errorf("postgres: drift summary: %w", err)
	}
	return inventory.SummarizeDrift(items, q.Now, q.TopRacks), nil
}
