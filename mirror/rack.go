package mirror

import (
	"log/slog"
	"slices"
	"time"

	"rackflow/inventory"
)

// RackPull is the outcome of one GetAllExpectedRacks call.
type RackPull struct {
	Outcome Outcome
	Racks   []inventory.ExpectedRack
	Err     error
}

// RackPlan is every write of one rack transaction.
type RackPlan struct {
	Writes   inventory.Writes
	Counters Counters
	// Held lists the ids of rack rows whose soft delete the guard held, sorted.
	Held     []string
	Findings []Finding
	// EndRacks is every rack row as it will be once Writes are applied,
	// tombstones included. A dry run resolves component rack references
	// against its live rows.
	EndRacks []inventory.Rack
}

// newRackStatus is the column default of rack.status, supplied on insert
// because the application supplies every value it inserts.
const newRackStatus = "new"

// deleteState is what the delete phase decided for a row.
type deleteState int

const (
	keep deleteState = iota
	softDelete
	heldDelete
)

// rackRow is one rack row, existing or planned, and what the plan does to it.
type rackRow struct {
	cur       inventory.Rack
	isNew     bool
	want      *desiredRack // the Core rack it mirrors; nil when unmatched
	resurrect bool
	change    [numAttrs]bool // desired unique-value changes still standing
	reverted  [numAttrs]bool
	dropped   bool // an insert reverted by the unique-value resolution
	del       deleteState
	gc        bool
	end       inventory.Rack
	changes   inventory.Changes
}

// holds reports whether the row holds its unique values in the end state.
// Tombstones that nothing matched hold nothing and may be garbage-collected.
func (r *rackRow) holds() bool {
	if r.isNew {
		return !r.dropped
	}
	return !r.gc && (r.cur.Live() || r.want != nil)
}

type rackPlanner struct {
	opt   Options
	rows  []*rackRow
	comps []inventory.Component
	plan  RackPlan
}

// PlanRacks plans the rack transaction. current is every rack row, tombstones
// included, read inside the transaction; components is every component row,
// needed only to clear the rack of components whose rack tombstone is
// garbage-collected.
func PlanRacks(pull RackPull, current []inventory.Rack, components []inventory.Component, opt Options) RackPlan {
	p := &rackPlanner{opt: opt, comps: components}
	for _, r := range current {
		p.rows = append(p.rows, &rackRow{cur: r})
	}
	if pull.Outcome == Error {
		p.find(errorf("expected pull failed; type skipped", slog.String("type", inventory.EntityRack), slog.Any("error", pull.Err)))
		p.plan.EndRacks = slices.Clone(current)
		return p.plan
	}
	p.plan.Counters.Pulled = len(pull.Racks)
	in := p.readRacks(pull.Racks)
	p.match(in)
	if pull.Outcome == Rows && len(in.valid) > 0 {
		p.planDeletes(in)
	} else {
		p.find(warn("expected pull returned no valid rows; delete phase skipped",
			slog.String("type", inventory.EntityRack), slog.Int("pulled", len(pull.Racks))))
	}
	p.resolveUnique()
	p.collectGarbage()
	p.emit()
	return p.plan
}

func (p *rackPlanner) find(f Finding) { p.plan.Findings = append(p.plan.Findings, f) }

// match runs the three passes. Each pass sees every Core rack before the next
// starts, so the result does not depend on response order.
func (p *rackPlanner) match(in rackInput) {
	byExt := map[string]*rackRow{}
	byChassis := map[inventory.ChassisKey]*rackRow{}
	for _, r := range p.rows {
		if r.cur.ExternalID != nil {
			byExt[*r.cur.ExternalID] = r
		}
		byChassis[r.cur.Chassis()] = r
	}
	var unmatched []*desiredRack
	for _, d := range in.valid {
		if r := byExt[d.rackID]; d.rackID != "" && r != nil {
			r.matchTo(d, false)
		} else {
			unmatched = append(unmatched, d)
		}
	}
	var rest []*desiredRack
	for _, d := range unmatched {
		if r := byChassis[d.chassis]; r != nil && r.want == nil && adoptable(r, d, in) {
			r.matchTo(d, true)
		} else {
			rest = append(rest, d)
		}
	}
	for _, d := range rest {
		p.insert(d)
	}
}

// adoptable says whether a Core rack may adopt a row by chassis. A row whose
// external id Core still reports belongs to that Core rack and is never taken.
func adoptable(r *rackRow, d *desiredRack, in rackInput) bool {
	if r.cur.ExternalID == nil {
		return true
	}
	return d.rackID != "" && !in.reportedIDs[*r.cur.ExternalID]
}

func (r *rackRow) matchTo(d *desiredRack, adopt bool) {
	r.want = d
	r.resurrect = !r.cur.Live()
	r.change[attrName] = d.name != r.cur.Name
	r.change[attrChassis] = d.chassis != r.cur.Chassis()
	r.change[attrExt] = adopt && !inventory.EqualPtr(r.cur.ExternalID, d.extID())
}

func (p *rackPlanner) insert(d *desiredRack) {
	now := p.opt.now()
	r := &rackRow{isNew: true, want: d,
		cur: inventory.Rack{ID: p.opt.newID(), Status: newRackStatus, CreatedAt: now, UpdatedAt: now}}
	r.change = [numAttrs]bool{true, true, d.rackID != ""}
	p.rows = append(p.rows, r)
}

// planDeletes plans soft deletes of unreported rows and runs the guard.
func (p *rackPlanner) planDeletes(in rackInput) {
	var planned []string
	live, legacy := 0, 0
	for _, r := range p.rows {
		if r.isNew || !r.cur.Live() {
			continue
		}
		live++
		switch {
		case r.want != nil:
		case r.cur.ExternalID == nil:
			if !in.reportedChassis[r.cur.Chassis()] {
				legacy++
			}
		case !in.reportedIDs[*r.cur.ExternalID]:
			planned = append(planned, r.cur.ID)
		}
	}
	p.noteLegacy(legacy)
	slices.Sort(planned)
	v := guardDeletes(inventory.EntityRack, live, planned, p.opt)
	p.markDeletes(v)
}

func (p *rackPlanner) noteLegacy(n int) {
	p.plan.Counters.LegacyExempt = n
	if n > 0 {
		p.find(warn("legacy racks without an external id are not in Core and are never deleted by the mirror",
			slog.Int("legacy_exempt", n)))
	}
}

func (p *rackPlanner) markDeletes(v guardVerdict) {
	state := map[string]deleteState{}
	for _, id := range v.Delete {
		state[id] = softDelete
	}
	for _, id := range v.Held {
		state[id] = heldDelete
	}
	for _, r := range p.rows {
		if !r.isNew {
			r.del = state[r.cur.ID]
		}
	}
	p.plan.Held = v.Held
	p.plan.Counters.HeldDeletes = len(v.Held)
	if v.Finding != nil {
		p.find(*v.Finding)
	}
}

// nullTime is a NULL deleted_at, typed so the store serialises it by type.
func nullTime() *time.Time { return nil }
