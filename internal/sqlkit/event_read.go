package sqlkit

import (
	"strconv"

	"rackflow/inventory"
)

// EventList is the listing of the audit trail.
func EventList(d Dialect, q inventory.EventQuery) (Listing[inventory.Event], error) {
	spec, err := q.Page.Resolve(inventory.EventListing)
	if err == nil {
		err = q.Validate()
	}
	if err != nil {
		return Listing[inventory.Event]{}, err
	}
	w := NewWhere(d.Mark)
	eventFilters(d, w, q)
	id := d.intKey("id")
	s := listSQL{columns: d.EventColumns, from: "inventory_event", keys: map[string]Key{"id": id}, id: id}
	return newListing(d, w, s, spec, func(e inventory.Event) (string, string) {
		id := strconv.FormatInt(e.ID, 10)
		return id, id
	})
}

func eventFilters(d Dialect, w *Where, q inventory.EventQuery) {
	w.AddIn("entity", "%s", q.Entity)
	w.AddIn("entity_id", "%s", q.NormalizedEntityIDs())
	w.AddIn("action", "%s", Strings(q.Action))
	w.AddIn("source", "%s", Strings(q.Source))
	w.AddIn("cycle_id", d.UUIDParam, q.CycleID)
	if !q.Since.IsZero() {
		w.Add("at >= %s", d.Time(q.Since))
	}
	if !q.Until.IsZero() {
		w.Add("at < %s", d.Time(q.Until))
	}
}
