package mirror

import (
	"slices"

	"rackflow/inventory"
)

// emit turns the planned rows into writes, with events in apply order: BMC
// deletes, component inserts and updates, BMC evictions, inserts and IP
// updates, then soft deletes.
func (p *componentPlanner) emit() {
	p.plan.Writes.At = p.opt.now()
	bmcEvents := p.emitBMCs()
	var compEvents []inventory.Event
	for i := range p.rows {
		if e, ok := p.emitRow(&p.rows[i]); ok {
			compEvents = append(compEvents, e)
		}
	}
	deletes := p.emitSoftDeletes()
	nDeletes := len(p.plan.Writes.BMCDeletes)
	p.plan.Writes.Events = slices.Concat(bmcEvents[:nDeletes], compEvents, bmcEvents[nDeletes:], deletes)
}

func (p *componentPlanner) emitRow(r *compRow) (inventory.Event, bool) {
	w, c := &p.plan.Writes, &p.plan.Counters
	action := inventory.ActionUpdate
	switch {
	case r.isNew:
		w.ComponentInserts = append(w.ComponentInserts, r.cur)
		c.Inserted++
		return p.opt.event(inventory.EntityComponent, r.cur.ID, inventory.ActionInsert, r.changes), true
	case len(r.changes) == 0:
		return inventory.Event{}, false
	case r.resurrect:
		action = inventory.ActionResurrect
		c.Resurrected++
	default:
		c.Updated++
	}
	w.ComponentUpdates = append(w.ComponentUpdates, inventory.RowUpdate{Key: r.cur.ID, Changes: r.changes})
	return p.opt.event(inventory.EntityComponent, r.cur.ID, action, r.changes), true
}

func (p *componentPlanner) emitSoftDeletes() []inventory.Event {
	var events []inventory.Event
	for _, id := range p.deletes {
		ch := inventory.Changes{inventory.ColDeletedAt: {Old: nullTime(), New: inventory.Ptr(p.opt.now())}}
		p.plan.Writes.ComponentSoftDeletes = append(p.plan.Writes.ComponentSoftDeletes, inventory.RowUpdate{Key: id, Changes: ch})
		events = append(events, p.opt.event(inventory.EntityComponent, id, inventory.ActionSoftDelete, ch))
	}
	p.plan.Counters.SoftDeleted = len(p.deletes)
	return events
}
