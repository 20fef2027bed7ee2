package inventory

import "time"

// RowUpdate sets named columns of one existing row: a rack or component by id,
// or a BMC by MAC. Only each Change's New value is written; Old is for the
// audit event. Every rack or component update also sets updated_at.
type RowUpdate struct {
	Key     string
	Changes Changes
}

// Writes is a plan made concrete: every row write of one transaction. A store
// applies it with set-based statements (never one statement per row), in this
// order, which serves both the rack step and the component steps:
//
//  1. ComponentRackClears: components losing their rack because it is GC'd
//  2. RackDeletes: hard deletes (tombstone GC)
//  3. RackUpdates: updates, adoptions, resurrects, with the two-step move
//  4. RackInserts
//  5. RackSoftDeletes
//  6. BMCDeletes
//  7. ComponentDeletes: hard deletes (never made by the mirror)
//  8. ComponentInserts
//  9. ComponentUpdates: updates and resurrects, with the two-step move
//  10. BMCMoves: evictions, setting component_id and ip_address
//  11. BMCInserts
//  12. BMCUpdates: IP updates
//  13. ComponentSoftDeletes
//  14. Events
//  15. DriftDeletes, DriftUpdates, DriftInserts, DriftHistory
//
// Any update that moves a unique value (a name, a chassis pair, an external id)
// from one row to another is safe: the store first frees every value that
// updated rows give up, then assigns the new values.
type Writes struct {
	At time.Time // updated_at of every rack or component write

	ComponentRackClears  []RowUpdate
	RackDeletes          []string
	RackUpdates          []RowUpdate
	RackInserts          []Rack
	RackSoftDeletes      []RowUpdate
	BMCDeletes           []string
	ComponentDeletes     []string
	ComponentInserts     []Component
	ComponentUpdates     []RowUpdate
	BMCMoves             []RowUpdate
	BMCInserts           []BMC
	BMCUpdates           []RowUpdate
	ComponentSoftDeletes []RowUpdate
	Events               []Event

	// Drift of one component type: resolved drifts are deleted, open ones keep
	// their id and first_seen_at and get new external_id, diffs and checked_at.
	DriftDeletes []string
	DriftUpdates []Drift
	DriftInserts []Drift
	DriftHistory []DriftHistory
}

// Empty reports whether w writes nothing.
func (w Writes) Empty() bool {
	return len(w.ComponentRackClears) == 0 && len(w.RackDeletes) == 0 &&
		len(w.RackUpdates) == 0 && len(w.RackInserts) == 0 && len(w.RackSoftDeletes) == 0 &&
		len(w.BMCDeletes) == 0 && len(w.ComponentDeletes) == 0 && len(w.ComponentInserts) == 0 &&
		len(w.ComponentUpdates) == 0 && len(w.BMCMoves) == 0 && len(w.BMCInserts) == 0 &&
		len(w.BMCUpdates) == 0 && len(w.ComponentSoftDeletes) == 0 && len(w.Events) == 0 &&
		len(w.DriftDeletes) == 0 && len(w.DriftUpdates) == 0 && len(w.DriftInserts) == 0 && len(w.DriftHistory) == 0
}
