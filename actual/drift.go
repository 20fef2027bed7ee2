package actual

import (
	"reflect"
	"sort"

	"rackflow/inventory"
)

// observed is one drift computed this cycle, before persistence.
type observed struct {
	driftType   inventory.DriftType
	componentID *string
	externalID  *string
	diffs       []inventory.Diff
}

func (o observed) key(t inventory.ComponentType) string {
	return driftKey(t, o.driftType, o.componentID, o.externalID)
}

// driftKey is a drift's identity across cycles: its type and drift type, and
// its component, or its Core id when it has no component.
func driftKey(t inventory.ComponentType, dt inventory.DriftType, compID, extID *string) string {
	if compID != nil {
		return string(t) + "|" + string(dt) + "|c:" + *compID
	}
	if extID != nil {
		return string(t) + "|" + string(dt) + "|e:" + *extID
	}
	return string(t) + "|" + string(dt) + "|-"
}

// computeDrift compares every live component of the type with its matched
// Core object, and lists what matched nothing on either side.
func (p *planner) computeDrift(live []*inventory.Component, m matching) []observed {
	open := p.openMismatches()
	matchedObj := map[int]bool{}
	var out []observed
	for _, c := range live {
		i, ok := m.pairs[c.ID]
		if !ok {
			out = append(out, observed{driftType: inventory.MissingInActual, componentID: inventory.Ptr(c.ID), externalID: c.ExternalID})
			continue
		}
		matchedObj[i] = true
		o := p.snap.Objects[i]
		if diffs := p.diffs(*c, o, open[c.ID]); len(diffs) > 0 {
			out = append(out, observed{driftType: inventory.Mismatch, componentID: inventory.Ptr(c.ID), externalID: inventory.Ptr(o.ID), diffs: diffs})
		}
	}
	for i, o := range p.snap.Objects {
		if !matchedObj[i] {
			out = append(out, observed{driftType: inventory.MissingInExpected, externalID: inventory.Ptr(o.ID)})
		}
	}
	return out
}

// openMismatches indexes the open mismatch diffs by component, for carrying
// over fields whose source failed this cycle.
func (p *planner) openMismatches() map[string][]inventory.Diff {
	out := map[string][]inventory.Diff{}
	for _, d := range p.st.Drifts {
		if d.DriftType == inventory.Mismatch && d.ComponentID != nil {
			out[*d.ComponentID] = d.Diffs
		}
	}
	return out
}

// diffs compares positions (Compute), rack placement and serial, in that order.
func (p *planner) diffs(c inventory.Component, o Object, prev []inventory.Diff) []inventory.Diff {
	var out []inventory.Diff
	if p.rules.positions != nil {
		if p.snap.PositionsErr != nil {
			out = append(out, carried(prev, inventory.ColSlotID, inventory.ColTrayIndex, inventory.ColHostID)...)
		} else {
			out = append(out, p.rules.positions(c, p.snap, o)...)
		}
	}
	if exp := p.rackExternalID(c); exp != "" && o.RackID != "" && exp != o.RackID {
		out = append(out, inventory.Diff{FieldName: inventory.ColRackID, ExpectedValue: exp, ActualValue: o.RackID})
	}
	switch {
	case !o.SerialKnown:
		out = append(out, carried(prev, inventory.ColSerialNumber)...)
	case o.Serial != "" && o.Serial != c.SerialNumber:
		out = append(out, inventory.Diff{FieldName: inventory.ColSerialNumber, ExpectedValue: c.SerialNumber, ActualValue: o.Serial})
	}
	return out
}

func carried(prev []inventory.Diff, fields ...string) []inventory.Diff {
	var out []inventory.Diff
	for _, f := range fields {
		for _, d := range prev {
			if d.FieldName == f {
				out = append(out, d)
			}
		}
	}
	return out
}

// rackExternalID is Core's id of the rack the component sits in, or "".
// The racks are indexed once per plan: a scan of every rack per component
// grows with racks × components.
func (p *planner) rackExternalID(c inventory.Component) string {
	if c.RackID == nil {
		return ""
	}
	if p.rackExt == nil {
		p.rackExt = make(map[string]string, len(p.st.Racks))
		for _, r := range p.st.Racks {
			if _, seen := p.rackExt[r.ID]; !seen && r.ExternalID != nil {
				p.rackExt[r.ID] = *r.ExternalID
			}
		}
	}
	return p.rackExt[*c.RackID]
}

// drift persists this cycle's drift against the open rows: still-open drifts
// keep their id and first_seen_at, new ones open, vanished ones resolve, each
// with a history row when something happened.
func (p *planner) drift(live []*inventory.Component, m matching) {
	t := p.snap.Type
	open := map[string]inventory.Drift{}
	for _, d := range p.st.Drifts {
		open[driftKey(t, d.DriftType, d.ComponentID, d.ExternalID)] = d
	}
	seen := map[string]bool{}
	for _, o := range p.computeDrift(live, m) {
		k := o.key(t)
		if seen[k] {
			continue
		}
		seen[k] = true
		if prev, ok := open[k]; ok {
			p.keepDrift(prev, o)
		} else {
			p.openDrift(o)
		}
	}
	p.plan.Counters.DriftOpen = len(seen)
	p.resolveDrifts(seen)
}

func (p *planner) keepDrift(prev inventory.Drift, o observed) {
	d := prev
	d.ExternalID, d.Diffs, d.CheckedAt = o.externalID, nonNil(o.diffs), p.opt.Now
	p.plan.Writes.DriftUpdates = append(p.plan.Writes.DriftUpdates, d)
	if !reflect.DeepEqual(nonNil(prev.Diffs), d.Diffs) || !inventory.EqualPtr(prev.ExternalID, d.ExternalID) {
		p.history(d, inventory.DriftChanged)
		p.plan.Counters.DriftChanged++
	}
}

func (p *planner) openDrift(o observed) {
	d := inventory.Drift{ID: inventory.NewID(), ComponentID: o.componentID, ExternalID: o.externalID,
		ComponentType: p.snap.Type, DriftType: o.driftType, Diffs: nonNil(o.diffs), FirstSeenAt: p.opt.Now, CheckedAt: p.opt.Now}
	p.plan.Writes.DriftInserts = append(p.plan.Writes.DriftInserts, d)
	p.history(d, inventory.DriftOpened)
	p.plan.Counters.DriftOpened++
}

// resolveDrifts deletes every open drift not seen this cycle; duplicates of
// one identity, which should not exist, resolve too.
func (p *planner) resolveDrifts(seen map[string]bool) {
	kept := map[string]bool{}
	for _, d := range p.plan.Writes.DriftUpdates {
		kept[d.ID] = true
	}
	ds := append([]inventory.Drift(nil), p.st.Drifts...)
	sort.Slice(ds, func(i, j int) bool { return ds[i].ID < ds[j].ID })
	for _, d := range ds {
		if kept[d.ID] {
			continue
		}
		p.plan.Writes.DriftDeletes = append(p.plan.Writes.DriftDeletes, d.ID)
		p.history(d, inventory.DriftResolved)
		p.plan.Counters.DriftResolved++
	}
}

func (p *planner) history(d inventory.Drift, ev inventory.DriftEvent) {
	p.plan.Writes.DriftHistory = append(p.plan.Writes.DriftHistory, inventory.DriftHistory{CycleID: p.opt.CycleID,
		At: p.opt.Now, DriftID: d.ID, ComponentType: d.ComponentType, DriftType: d.DriftType,
		ComponentID: d.ComponentID, ExternalID: d.ExternalID, Event: ev, Diffs: nonNil(d.Diffs)})
}

func nonNil(ds []inventory.Diff) []inventory.Diff {
	if ds == nil {
		return []inventory.Diff{}
	}
	return ds
}
