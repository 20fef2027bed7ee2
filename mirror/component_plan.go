package mirror

import (
	"log/slog"
	"slices"

	"rackflow/inventory"
)

// ComponentState is what one component transaction reads: every rack,
// component and BMC row, tombstones included. For a dry run, Racks is the
// rack step's planned end state (RackPlan.EndRacks).
type ComponentState struct {
	Racks      []inventory.Rack
	Components []inventory.Component
	BMCs       []inventory.BMC
}

// ComponentPlan is every write of one component type's transaction.
type ComponentPlan struct {
	Type     inventory.ComponentType
	Writes   inventory.Writes
	Counters Counters
	// Held lists the ids of components whose soft delete the guard held, sorted.
	Held     []string
	Findings []Finding
	// Conflicts are the natural keys of the specs skipped as conflicts.
	Conflicts []inventory.ChassisKey
}

// compRow is one component the transaction writes or considers.
type compRow struct {
	cur       inventory.Component
	isNew     bool
	spec      *ComponentSpec
	resurrect bool
	changes   inventory.Changes
}

type componentPlanner struct {
	t       inventory.ComponentType
	opt     Options
	prep    PreparedComponents
	cur     ComponentState
	ix      *inventory.RowIndex // of cur
	rows    []compRow           // in response order; one per spec, allocated at once
	deletes []string
	bmcs    *bmcModel
	plan    ComponentPlan
}

// PlanComponents plans type t's transaction. prepared holds the cycle's
// prepared pulls of every type still counted: a type whose transaction rolled
// back this cycle must be left out, because its claims on MACs no longer count.
// cur is this transaction's own read.
func PlanComponents(t inventory.ComponentType, prepared map[inventory.ComponentType]PreparedComponents, cur ComponentState, opt Options) ComponentPlan {
	prep, ok := prepared[t]
	p := newComponentPlanner(t, prep, cur, opt)
	if !ok || prep.Outcome == Error {
		return p.plan
	}
	contest := settleMACs(prepared, cur, p.ix)
	for i := range prep.Specs {
		p.mirror(&prep.Specs[i])
	}
	if prep.Outcome == Rows {
		p.planDeletes()
	}
	p.reconcileBMCs(contest)
	p.emit()
	return p.plan
}

func newComponentPlanner(t inventory.ComponentType, prep PreparedComponents, cur ComponentState, opt Options) *componentPlanner {
	ix := opt.Index
	if ix == nil {
		ix = inventory.NewRowIndex(cur.Racks, cur.Components, cur.BMCs)
	}
	p := &componentPlanner{t: t, opt: opt, prep: prep, cur: cur, ix: ix, bmcs: newBMCModel(ix),
		rows: make([]compRow, 0, len(prep.Specs))}
	p.plan = ComponentPlan{Type: t, Counters: prep.Counters, Findings: slices.Clone(prep.Findings)}
	return p
}

func (p *componentPlanner) find(f Finding) { p.plan.Findings = append(p.plan.Findings, f) }

// mirror matches one spec against rows of every type, because the natural
// key is unique across types.
func (p *componentPlanner) mirror(s *ComponentSpec) {
	row, found := p.ix.Component(s.Key)
	switch {
	case !found:
		p.insert(s)
	case row.Live() && row.Type != p.t:
		p.plan.Counters.SkippedConflict++
		p.plan.Conflicts = append(p.plan.Conflicts, s.Key)
		p.find(warn("component skipped: its serial belongs to a live component of another type",
			slog.String("type", string(p.t)), slog.String("manufacturer", s.Key.Manufacturer),
			slog.String("serial_number", s.Key.SerialNumber), slog.String("existing_id", row.ID),
			slog.String("existing_type", string(row.Type))))
	default:
		p.update(s, *row)
	}
}

func (p *componentPlanner) insert(s *ComponentSpec) {
	c := inventory.Component{
		ID: p.opt.newID(), Name: inventory.Ptr(s.Name), Type: p.t,
		Manufacturer: s.Key.Manufacturer, SerialNumber: s.Key.SerialNumber, Model: s.Model,
		SlotID: s.SlotID.Value, TrayIndex: s.TrayIndex.Value, HostID: s.HostID.Value,
		UpdatedAt: p.opt.now(),
	}
	if id, ok := p.resolveRack(s); ok {
		c.RackID = id
	}
	p.rows = append(p.rows, compRow{cur: c, isNew: true, spec: s, changes: componentInsertChanges(c)})
}

// update diffs an existing row, live of this type or a tombstone of any
// type, against the spec; only differing fields are written. The changes map
// is made at the first difference, so an unchanged row allocates none.
func (p *componentPlanner) update(s *ComponentSpec, c inventory.Component) {
	r := compRow{cur: c, spec: s, resurrect: !c.Live()}
	ch := &r.changes
	if c.Name == nil || *c.Name != s.Name {
		setChange(ch, inventory.ColName, c.Name, inventory.Ptr(s.Name))
	}
	if c.Type != p.t {
		setChange(ch, inventory.ColType, string(c.Type), string(p.t))
	}
	diffPtr(ch, inventory.ColModel, c.Model, s.Model)
	if id, set, ok := p.rackOf(s); ok && !sameRack(c.RackID, id, set) {
		setChange(ch, inventory.ColRackID, c.RackID, rackPtr(id, set))
	}
	diffLabel(ch, inventory.ColSlotID, c.SlotID, s.SlotID)
	diffLabel(ch, inventory.ColTrayIndex, c.TrayIndex, s.TrayIndex)
	diffLabel(ch, inventory.ColHostID, c.HostID, s.HostID)
	if r.resurrect {
		setChange(ch, inventory.ColDeletedAt, c.DeletedAt, nullTime())
	}
	p.rows = append(p.rows, r)
}

// setChange records one column's change, making the map on the first one.
func setChange(ch *inventory.Changes, col string, old, new any) {
	if *ch == nil {
		*ch = inventory.Changes{}
	}
	(*ch)[col] = inventory.Change{Old: old, New: new}
}

func diffPtr[T comparable](ch *inventory.Changes, col string, old, new *T) {
	if !inventory.EqualPtr(old, new) {
		setChange(ch, col, old, new)
	}
}

// diffLabel leaves a malformed label out of the diff, keeping the stored value.
func diffLabel(ch *inventory.Changes, col string, old *int64, l IntLabel) {
	if !l.Malformed {
		diffPtr(ch, col, old, l.Value)
	}
}

// resolveRack maps Core's rack reference to a live rack's id. ok is false when
// the reference does not resolve: an insert then gets no rack and an update
// keeps its current one, until a later cycle finds the rack.
func (p *componentPlanner) resolveRack(s *ComponentSpec) (id *string, ok bool) {
	rid, set, ok := p.rackOf(s)
	return rackPtr(rid, set), ok
}

// rackOf is resolveRack without the pointer: set is false when Core names no
// rack, which clears the column.
func (p *componentPlanner) rackOf(s *ComponentSpec) (id string, set, ok bool) {
	if s.RackRef == "" {
		return "", false, true
	}
	if rid, found := p.ix.LiveRack(s.RackRef); found {
		return rid, true, true
	}
	p.find(warn("component rack reference does not resolve to a live rack",
		slog.String("type", string(p.t)), slog.String("serial_number", s.Key.SerialNumber),
		slog.String("rack_id", s.RackRef)))
	return "", false, false
}

// rackPtr is the rack_id column's value: nil when no rack is set.
func rackPtr(id string, set bool) *string {
	if !set {
		return nil
	}
	return inventory.Ptr(id)
}

// sameRack reports whether the stored rack_id already is the resolved one.
func sameRack(cur *string, id string, set bool) bool {
	if cur == nil || !set {
		return cur == nil && !set
	}
	return *cur == id
}

func componentInsertChanges(c inventory.Component) inventory.Changes {
	ch := inventory.Changes{
		inventory.ColName:         {New: c.Name},
		inventory.ColType:         {New: string(c.Type)},
		inventory.ColManufacturer: {New: c.Manufacturer},
		inventory.ColSerialNumber: {New: c.SerialNumber},
	}
	setIfPresent(ch, inventory.ColModel, c.Model)
	setIfPresent(ch, inventory.ColRackID, c.RackID)
	setIfPresent(ch, inventory.ColSlotID, c.SlotID)
	setIfPresent(ch, inventory.ColTrayIndex, c.TrayIndex)
	setIfPresent(ch, inventory.ColHostID, c.HostID)
	return ch
}

func setIfPresent[T any](ch inventory.Changes, col string, v *T) {
	if v != nil {
		ch[col] = inventory.Change{New: v}
	}
}

// planDeletes soft-deletes live rows of the type whose key Core did not name,
// subject to the guard. Their BMC rows stay.
func (p *componentPlanner) planDeletes() {
	var planned []string
	live := 0
	for _, c := range p.cur.Components {
		if c.Live() && c.Type == p.t {
			live++
			if !p.prep.Seen[c.Key()] {
				planned = append(planned, c.ID)
			}
		}
	}
	slices.Sort(planned)
	v := guardDeletes(string(p.t), live, planned, p.opt)
	p.deletes = v.Delete
	p.plan.Held = v.Held
	p.plan.Counters.HeldDeletes = len(v.Held)
	if v.Finding != nil {
		p.find(*v.Finding)
	}
}
