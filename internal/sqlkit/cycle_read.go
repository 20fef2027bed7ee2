package sqlkit

import "rackflow/inventory"

// CycleList is the listing of sync_cycle rows.
func CycleList(d Dialect, q inventory.CycleQuery) (Listing[inventory.Cycle], error) {
	spec, err := q.Page.Resolve(inventory.CycleListing)
	if err == nil {
		err = q.Validate()
	}
	if err != nil {
		return Listing[inventory.Cycle]{}, err
	}
	w := NewWhere(d.Mark)
	w.AddIn("status", "%s", Strings(q.Status))
	w.AddIn("trigger", "%s", Strings(q.Trigger))
	s := listSQL{columns: d.CycleColumns, from: "sync_cycle",
		keys: map[string]Key{"started_at": timeKey("started_at")}, id: d.uuidKey("id")}
	return newListing(d, w, s, spec, func(c inventory.Cycle) (string, string) {
		return inventory.CursorTime(c.StartedAt), c.ID
	})
}
