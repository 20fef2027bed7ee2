package mirror

import (
	"encoding/json"
	"log/slog"

	"rackflow/inventory"
)

// emit turns the settled rows into writes, events, counters and the end
// state. Events follow the apply order: rack clears, GC, updates, inserts,
// soft deletes.
func (p *rackPlanner) emit() {
	w := &p.plan.Writes
	w.At = p.opt.now()
	var onRack map[string][]int
	for _, r := range p.rows {
		if r.gc {
			if onRack == nil {
				onRack = componentsByRack(p.comps)
			}
			p.emitGC(r, onRack[r.cur.ID])
		}
	}
	for _, r := range p.rows {
		p.settle(r)
		switch {
		case r.gc:
		case r.isNew:
			if !r.dropped {
				p.emitInsert(r)
			}
		case r.want != nil:
			p.emitUpdate(r)
		}
		p.countReverts(r)
	}
	for _, r := range p.rows {
		if r.del == softDelete {
			p.emitSoftDelete(r)
		}
		if !r.gc && !(r.isNew && r.dropped) {
			p.plan.EndRacks = append(p.plan.EndRacks, r.end)
		}
	}
	p.orderEvents()
}

// orderEvents moves component rack clears and GC events ahead of the rest,
// matching the order in which the store applies the writes.
func (p *rackPlanner) orderEvents() {
	var first, rest []inventory.Event
	for _, e := range p.plan.Writes.Events {
		if e.Entity == inventory.EntityComponent || e.Action == inventory.ActionGC {
			first = append(first, e)
		} else {
			rest = append(rest, e)
		}
	}
	p.plan.Writes.Events = append(first, rest...)
}

// settle computes the row's end state and its net changes.
func (p *rackPlanner) settle(r *rackRow) {
	r.end, r.changes = r.cur, inventory.Changes{}
	if r.want == nil || r.gc {
		if r.del == softDelete {
			r.end.DeletedAt = inventory.Ptr(p.opt.now())
			r.end.UpdatedAt = p.opt.now()
		}
		return
	}
	p.settleUnique(r)
	p.settleJSON(r, inventory.ColDescription, &r.end.Description, r.want.description)
	p.settleJSON(r, inventory.ColLocation, &r.end.Location, r.want.location)
	if r.resurrect {
		r.changes[inventory.ColDeletedAt] = inventory.Change{Old: r.cur.DeletedAt, New: nullTime()}
		r.end.DeletedAt = nil
	}
	if len(r.changes) > 0 {
		r.end.UpdatedAt = p.opt.now()
	}
}

func (p *rackPlanner) settleUnique(r *rackRow) {
	d, ch := r.want, r.changes
	if r.change[attrName] {
		ch[inventory.ColName] = inventory.Change{Old: r.end.Name, New: d.name}
		r.end.Name = d.name
	}
	if r.change[attrChassis] {
		setString(ch, inventory.ColManufacturer, &r.end.Manufacturer, d.chassis.Manufacturer)
		setString(ch, inventory.ColSerialNumber, &r.end.SerialNumber, d.chassis.SerialNumber)
	}
	if r.change[attrExt] {
		ch[inventory.ColExternalID] = inventory.Change{Old: r.end.ExternalID, New: d.extID()}
		r.end.ExternalID = d.extID()
	}
}

func setString(ch inventory.Changes, col string, field *string, v string) {
	if *field != v {
		ch[col] = inventory.Change{Old: *field, New: v}
		*field = v
	}
}

// settleJSON merges the owned keys into a description or location column.
func (p *rackPlanner) settleJSON(r *rackRow, col string, field *json.RawMessage, set map[string]string) {
	merged, changed, notObject := mergeOwned(*field, set)
	if notObject {
		p.find(warn("rack column is not a JSON object; left alone",
			slog.String("id", r.cur.ID), slog.String("rack_id", r.want.rackID),
			slog.String("column", col), slog.String("value", string(*field))))
	}
	if changed {
		r.changes[col] = inventory.Change{Old: *field, New: merged}
		*field = merged
	}
}

func (p *rackPlanner) emitUpdate(r *rackRow) {
	if len(r.changes) == 0 {
		return
	}
	action := inventory.ActionUpdate
	switch {
	case r.resurrect:
		action = inventory.ActionResurrect
		p.plan.Counters.Resurrected++
	case r.change[attrExt]:
		action = inventory.ActionAdopt
		p.plan.Counters.Adopted++
	default:
		p.plan.Counters.Updated++
	}
	w := &p.plan.Writes
	w.RackUpdates = append(w.RackUpdates, inventory.RowUpdate{Key: r.cur.ID, Changes: r.changes})
	w.Events = append(w.Events, p.opt.event(inventory.EntityRack, r.cur.ID, action, r.changes))
}

func (p *rackPlanner) emitInsert(r *rackRow) {
	w := &p.plan.Writes
	w.RackInserts = append(w.RackInserts, r.end)
	w.Events = append(w.Events, p.opt.event(inventory.EntityRack, r.cur.ID, inventory.ActionInsert, insertChanges(r.changes)))
	p.plan.Counters.Inserted++
}

// insertChanges records an inserted row's values with no old value.
func insertChanges(ch inventory.Changes) inventory.Changes {
	out := inventory.Changes{}
	for col, c := range ch {
		out[col] = inventory.Change{New: c.New}
	}
	return out
}

func (p *rackPlanner) emitSoftDelete(r *rackRow) {
	ch := inventory.Changes{inventory.ColDeletedAt: {Old: nullTime(), New: inventory.Ptr(p.opt.now())}}
	w := &p.plan.Writes
	w.RackSoftDeletes = append(w.RackSoftDeletes, inventory.RowUpdate{Key: r.cur.ID, Changes: ch})
	w.Events = append(w.Events, p.opt.event(inventory.EntityRack, r.cur.ID, inventory.ActionSoftDelete, ch))
	p.plan.Counters.SoftDeleted++
}

// componentsByRack indexes the components by the rack they reference, each
// rack's list in the order of comps, so that GC'd tombstones need not scan
// every component each.
func componentsByRack(comps []inventory.Component) map[string][]int {
	out := map[string][]int{}
	for i, c := range comps {
		if c.RackID != nil {
			out[*c.RackID] = append(out[*c.RackID], i)
		}
	}
	return out
}

// emitGC hard-deletes a tombstone after clearing the rack of its components
// (onRack, indexes into p.comps), so that the foreign key's SET NULL never
// acts unrecorded.
func (p *rackPlanner) emitGC(r *rackRow, onRack []int) {
	w := &p.plan.Writes
	for _, i := range onRack {
		c := p.comps[i]
		ch := inventory.Changes{inventory.ColRackID: {Old: inventory.Ptr(r.cur.ID), New: (*string)(nil)}}
		w.ComponentRackClears = append(w.ComponentRackClears, inventory.RowUpdate{Key: c.ID, Changes: ch})
		w.Events = append(w.Events, p.opt.event(inventory.EntityComponent, c.ID, inventory.ActionUpdate, ch))
	}
	w.RackDeletes = append(w.RackDeletes, r.cur.ID)
	w.Events = append(w.Events, p.opt.event(inventory.EntityRack, r.cur.ID, inventory.ActionGC, gcChanges(r.cur)))
	p.plan.Counters.TombstonesGC++
}

// gcChanges records the unique values the GC frees.
func gcChanges(r inventory.Rack) inventory.Changes {
	ch := inventory.Changes{
		inventory.ColName:         {Old: r.Name},
		inventory.ColManufacturer: {Old: r.Manufacturer},
		inventory.ColSerialNumber: {Old: r.SerialNumber},
	}
	if r.ExternalID != nil {
		ch[inventory.ColExternalID] = inventory.Change{Old: r.ExternalID, New: (*string)(nil)}
	}
	return ch
}

// countReverts counts each Core rack once: a reverted chassis pair, external
// id or insert is a conflict, which outranks a reverted name.
func (p *rackPlanner) countReverts(r *rackRow) {
	switch {
	case r.isNew && r.dropped, r.reverted[attrChassis], r.reverted[attrExt]:
		p.plan.Counters.SkippedConflict++
	case r.reverted[attrName]:
		p.plan.Counters.SkippedNameTaken++
	}
}
