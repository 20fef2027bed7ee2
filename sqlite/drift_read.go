package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

const driftColumns = `d.id, d.component_id, d.external_id, d.component_type, d.drift_type,
	d.diffs, d.first_seen_at, d.checked_at`

func scanDrift(row scanner) (inventory.Drift, error) {
	var d inventory.Drift
	var diffs json.RawMessage
	if err := row.Scan(&d.ID, &d.ComponentID, &d.ExternalID, &d.ComponentType, &d.DriftType, jsonText{&diffs},
		timeText{&d.FirstSeenAt}, timeText{&d.CheckedAt}); err != nil {
		return d, err
	}
	var err error
	d.Diffs, err = sqlkit.DiffsFromJSON(diffs)
	return d, err
}

// Open drift, and resolved drift rebuilt from its history: first_seen_at
// from its "opened" row (the resolution time if that row was pruned).
const (
	openDriftSQL = `SELECT id, 'open' AS state, component_id, external_id, component_type, drift_type, diffs,
		first_seen_at, checked_at AS last_seen_at, NULL AS resolved_at FROM component_drift`
	resolvedDriftSQL = `SELECT h.drift_id AS id, 'resolved' AS state, h.component_id, h.external_id,
		h.component_type, h.drift_type, h.diffs, coalesce((SELECT min(o.at) FROM drift_history o
		WHERE o.drift_id = h.drift_id AND o.event = 'opened'), h.at) AS first_seen_at,
		NULL AS last_seen_at, h.at AS resolved_at FROM drift_history h WHERE h.event = 'resolved'`
)

func driftSource(s inventory.DriftState) string {
	switch s {
	case inventory.DriftStateResolved:
		return resolvedDriftSQL
	case inventory.DriftStateAll:
		return openDriftSQL + ` UNION ALL ` + resolvedDriftSQL
	}
	return openDriftSQL
}

const driftItemColumns = `d.id, d.state, d.component_id, d.external_id, d.component_type,
	d.drift_type, d.diffs, d.first_seen_at, d.last_seen_at, d.resolved_at, c.rack_id, r.name,
	c.serial_number`

var driftSortKeys = map[string]sqlkit.Key{
	"first_seen_at": timeKey("d.first_seen_at"), "component_type": textKey("d.component_type"),
	"drift_type": textKey("d.drift_type"),
}

// ListDrift lists open drift, resolved drift, or both.
func (db *DB) ListDrift(ctx context.Context, q inventory.DriftQuery) (inventory.List[inventory.DriftItem], error) {
	var zero inventory.List[inventory.DriftItem]
	spec, err := q.Page.Resolve(inventory.DriftListing)
	if err == nil {
		err = q.Validate()
	}
	if err != nil {
		return zero, err
	}
	if q.Now.IsZero() {
		q.Now = time.Now()
	}
	q.State, _ = inventory.ParseDriftState(string(q.State))
	from := `(` + driftSource(q.State) + `) d LEFT JOIN component c ON c.id = d.component_id
		LEFT JOIN rack r ON r.id = c.rack_id`
	w := sqlkit.NewWhere(placeholder)
	driftFilters(w, q)
	total, err := db.count(ctx, `SELECT count(*) FROM `+from+` WHERE `+w.String(), w.Args())
	if err != nil {
		return zero, fmt.Errorf("sqlite: drift: %w", err)
	}
	order, err := keyset(w, driftSortKeys, uuidKey("d.id"), spec)
	if err != nil {
		return zero, err
	}
	sql := fmt.Sprintf(`SELECT %s FROM %s WHERE %s %s LIMIT %d`, driftItemColumns, from, w, order, spec.Limit+1)
	items, err := collect(ctx, db, sql, w.Args(), scanDriftItem(q.Now))
	if err != nil {
		return zero, fmt.Errorf("sqlite: drift: %w", err)
	}
	return sqlkit.FinishPage(items, total, spec, func(d inventory.DriftItem) (string, string) {
		return driftSortValue(d, spec.Order.Column), d.ID
	}), nil
}

func driftFilters(w *sqlkit.Where, q inventory.DriftQuery) {
	w.AddIn("d.drift_type", "%s", strs(q.Type))
	w.AddIn("d.component_type", "%s", strs(q.ComponentType))
	if cond := w.In("e.value->>'field_name'", "%s", q.Field); cond != "" {
		w.Raw("EXISTS (SELECT 1 FROM json_each(d.diffs) e WHERE " + cond + ")")
	}
	ids, names := splitIDs(q.Rack)
	w.AnyOf(w.In("c.rack_id", "%s", ids), w.In("r.name", "%s", names))
	if q.MinAge > 0 {
		w.Add("d.first_seen_at <= %s", sqlkit.FormatTime(q.Now.Add(-q.MinAge)))
	}
	if !q.OpenedAfter.IsZero() {
		w.Add("d.first_seen_at >= %s", sqlkit.FormatTime(q.OpenedAfter))
	}
	if !q.OpenedBefore.IsZero() {
		w.Add("d.first_seen_at < %s", sqlkit.FormatTime(q.OpenedBefore))
	}
}

func driftSortValue(d inventory.DriftItem, col string) string {
	switch col {
	case "component_type":
		return string(d.ComponentType)
	case "drift_type":
		return string(d.DriftType)
	}
	return inventory.CursorTime(d.FirstSeenAt)
}

func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

func scanDriftItem(now time.Time) func(scanner) (inventory.DriftItem, error) {
	return func(row scanner) (inventory.DriftItem, error) {
		var d inventory.DriftItem
		var diffs json.RawMessage
		if err := row.Scan(&d.ID, &d.State, &d.ComponentID, &d.ExternalID, &d.ComponentType, &d.DriftType,
			jsonText{&diffs}, timeText{&d.FirstSeenAt}, nullTimeText{&d.LastSeenAt}, nullTimeText{&d.ResolvedAt},
			&d.RackID, &d.RackName, &d.SerialNumber); err != nil {
			return d, err
		}
		var err error
		d.Diffs, err = sqlkit.DiffsFromJSON(diffs)
		return d.WithAge(now), err
	}
}

// DriftSummary counts open drift by type, age and rack.
func (db *DB) DriftSummary(ctx context.Context, q inventory.DriftSummaryQuery) (inventory.DriftSummary, error) {
	if q.Now.IsZero() {
		q.Now = time.Now()
	}
	items, err := collect(ctx, db, `SELECT d.drift_type, d.component_type, d.first_seen_at, c.rack_id, r.name
		FROM component_drift d LEFT JOIN component c ON c.id = d.component_id LEFT JOIN rack r ON r.id = c.rack_id`,
		nil, func(row scanner) (inventory.DriftItem, error) {
			var d inventory.DriftItem
			err := row.Scan(&d.DriftType, &d.ComponentType, timeText{&d.FirstSeenAt}, &d.RackID, &d.RackName)
			return d, err
		})
	if err != nil {
		return inventory.DriftSummary{}, fmt.Errorf("sqlite: drift summary: %w", err)
	}
	return inventory.SummarizeDrift(items, q.Now, q.TopRacks), nil
}
