package sqlkit

import (
	"fmt"
	"time"

	"rackflow/inventory"
)

// Open drift, and resolved drift rebuilt from its history: first_seen_at
// from its "opened" row (the resolution time if that row was pruned). %s
// is Dialect.NullTime.
const (
	openDriftSQL = `SELECT id, 'open' AS state, component_id, external_id, component_type, drift_type, diffs,
		first_seen_at, checked_at AS last_seen_at, %s AS resolved_at FROM component_drift`
	resolvedDriftSQL = `SELECT h.drift_id AS id, 'resolved' AS state, h.component_id, h.external_id,
		h.component_type, h.drift_type, h.diffs, coalesce((SELECT min(o.at) FROM drift_history o
		WHERE o.drift_id = h.drift_id AND o.event = 'opened'), h.at) AS first_seen_at,
		%s AS last_seen_at, h.at AS resolved_at FROM drift_history h WHERE h.event = 'resolved'`
)

func (d Dialect) driftSource(s inventory.DriftState) string {
	open, resolved := fmt.Sprintf(openDriftSQL, d.NullTime), fmt.Sprintf(resolvedDriftSQL, d.NullTime)
	switch s {
	case inventory.DriftStateResolved:
		return resolved
	case inventory.DriftStateAll:
		return open + ` UNION ALL ` + resolved
	}
	return open
}

func driftSortKeys() map[string]Key {
	return map[string]Key{
		"first_seen_at": timeKey("d.first_seen_at"), "component_type": textKey("d.component_type"),
		"drift_type": textKey("d.drift_type"),
	}
}

// DriftList is the listing of open drift, resolved drift, or both; the
// items' ages are taken at q.Now, now if unset.
func DriftList(d Dialect, q inventory.DriftQuery) (Listing[inventory.DriftItem], error) {
	spec, err := q.Page.Resolve(inventory.DriftListing)
	if err == nil {
		err = q.Validate()
	}
	if err != nil {
		return Listing[inventory.DriftItem]{}, err
	}
	if q.Now.IsZero() {
		q.Now = time.Now()
	}
	q.State, _ = inventory.ParseDriftState(string(q.State))
	w := NewWhere(d.Mark)
	driftFilters(d, w, q)
	s := listSQL{columns: d.DriftItemColumns, from: `(` + d.driftSource(q.State) + `) d
		LEFT JOIN component c ON c.id = d.component_id LEFT JOIN rack r ON r.id = c.rack_id`,
		keys: driftSortKeys(), id: d.uuidKey("d.id")}
	l, err := newListing(d, w, s, spec, func(i inventory.DriftItem) (string, string) {
		return driftSortValue(i, spec.Order.Column), i.ID
	})
	l.each = func(i inventory.DriftItem) inventory.DriftItem { return i.WithAge(q.Now) }
	return l, err
}

func driftFilters(d Dialect, w *Where, q inventory.DriftQuery) {
	w.AddIn("d.drift_type", "%s", Strings(q.Type))
	w.AddIn("d.component_type", "%s", Strings(q.ComponentType))
	from, elem := d.Elements("d.diffs")
	if cond := w.In(elem+"->>'field_name'", "%s", q.Field); cond != "" {
		w.Raw("EXISTS (SELECT 1 FROM " + from + " WHERE " + cond + ")")
	}
	d.rackCond(w, q.Rack)
	if q.MinAge > 0 {
		w.Add("d.first_seen_at <= %s", d.Time(q.Now.Add(-q.MinAge)))
	}
	if !q.OpenedAfter.IsZero() {
		w.Add("d.first_seen_at >= %s", d.Time(q.OpenedAfter))
	}
	if !q.OpenedBefore.IsZero() {
		w.Add("d.first_seen_at < %s", d.Time(q.OpenedBefore))
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
