package dashboard_test

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"strconv"

	"rackflow/inventory"
)

// storeReader answers the read contract from an inventory.Store's own
// reads, in memory: a plain reference for the dashboard's tests, so that
// they run on real stores filled by real cycles.
type storeReader struct{ inventory.Store }

type snapshot struct {
	racks      []inventory.Rack
	components []inventory.Component
	bmcs       []inventory.BMC
	drifts     []inventory.Drift
}

func (s storeReader) snapshot(ctx context.Context) (snapshot, error) {
	var sn snapshot
	err := s.View(ctx, func(tx inventory.ReadTx) error {
		var err error
		if sn.racks, err = tx.Racks(ctx); err != nil {
			return err
		}
		if sn.components, err = tx.Components(ctx); err != nil {
			return err
		}
		if sn.bmcs, err = tx.BMCs(ctx); err != nil {
			return err
		}
		for _, t := range inventory.MirroredTypes {
			ds, err := tx.Drifts(ctx, t)
			if err != nil {
				return err
			}
			sn.drifts = append(sn.drifts, ds...)
		}
		return nil
	})
	return sn, err
}

func (sn snapshot) component(id string) (inventory.Component, bool) {
	for _, c := range sn.components {
		if c.ID == id {
			return c, true
		}
	}
	return inventory.Component{}, false
}

func (sn snapshot) rack(idOrName string) (inventory.Rack, bool) {
	for _, r := range sn.racks {
		if r.Live() && (r.ID == idOrName || r.Name == idOrName) {
			return r, true
		}
	}
	return inventory.Rack{}, false
}

func (sn snapshot) rackDrift(rackID string) inventory.DriftCounts {
	var c inventory.DriftCounts
	for _, d := range sn.drifts {
		if d.ComponentID == nil {
			continue
		}
		if comp, ok := sn.component(*d.ComponentID); ok && comp.RackID != nil && *comp.RackID == rackID {
			c.Add(d.DriftType)
		}
	}
	return c
}

func (s storeReader) ListRacks(ctx context.Context, q inventory.RackQuery) (inventory.List[inventory.RackView], error) {
	sn, err := s.snapshot(ctx)
	if err != nil {
		return inventory.List[inventory.RackView]{}, err
	}
	out := inventory.List[inventory.RackView]{Items: []inventory.RackView{}}
	for _, r := range sn.racks {
		v := inventory.RackView{Rack: r, Drift: sn.rackDrift(r.ID)}
		if !r.Live() || (q.HasDrift != nil && *q.HasDrift != (v.Drift.Total > 0)) || !hasDriftType(v.Drift, q.DriftType) {
			continue
		}
		out.Items = append(out.Items, v)
	}
	sort.Slice(out.Items, func(i, j int) bool { return out.Items[i].Name < out.Items[j].Name })
	out.Total = len(out.Items)
	if q.Limit > 0 && len(out.Items) > q.Limit {
		out.Items = out.Items[:q.Limit]
	}
	return out, nil
}

func hasDriftType(c inventory.DriftCounts, ts []inventory.DriftType) bool {
	if len(ts) == 0 {
		return true
	}
	for _, t := range ts {
		if (t == inventory.Mismatch && c.Mismatch > 0) || (t == inventory.MissingInActual && c.MissingInActual > 0) ||
			(t == inventory.MissingInExpected && c.MissingInExpected > 0) {
			return true
		}
	}
	return false
}

func (s storeReader) Rack(ctx context.Context, idOrName string) (inventory.RackDetail, error) {
	return inventory.RackDetail{}, inventory.ErrInvalid
}

func (s storeReader) Elevation(ctx context.Context, idOrName string) (inventory.Elevation, error) {
	sn, err := s.snapshot(ctx)
	if err != nil {
		return inventory.Elevation{}, err
	}
	r, ok := sn.rack(idOrName)
	if !ok {
		return inventory.Elevation{}, inventory.ErrNotFound
	}
	return inventory.BuildElevation(r, sn.components, sn.drifts), nil
}

func (s storeReader) ListComponents(ctx context.Context, q inventory.ComponentQuery) (inventory.List[inventory.ComponentView], error) {
	sn, err := s.snapshot(ctx)
	if err != nil {
		return inventory.List[inventory.ComponentView]{}, err
	}
	out := inventory.List[inventory.ComponentView]{Items: []inventory.ComponentView{}}
	for _, c := range sn.components {
		if c.Live() {
			out.Total++
		}
	}
	return out, nil
}

func (s storeReader) Component(ctx context.Context, id string) (inventory.ComponentDetail, error) {
	sn, err := s.snapshot(ctx)
	if err != nil {
		return inventory.ComponentDetail{}, err
	}
	c, ok := sn.component(id)
	if !ok {
		return inventory.ComponentDetail{}, inventory.ErrNotFound
	}
	d := inventory.ComponentDetail{Component: c}
	if c.RackID != nil {
		for _, r := range sn.racks {
			if r.ID == *c.RackID {
				d.RackName = &r.Name
			}
		}
	}
	for _, b := range sn.bmcs {
		if b.ComponentID == id {
			d.BMCs = append(d.BMCs, b)
		}
	}
	for _, dr := range sn.drifts {
		if dr.ComponentID != nil && *dr.ComponentID == id {
			d.Drift = append(d.Drift, dr)
		}
	}
	if d.DriftHistory, err = s.DriftHistory(ctx, inventory.DriftHistoryFilter{ComponentID: id}); err != nil {
		return d, err
	}
	if d.Events, err = s.Events(ctx, inventory.EventFilter{Entity: inventory.EntityComponent, EntityID: id}); err != nil {
		return d, err
	}
	slices.Reverse(d.Events)
	return d, nil
}

func (s storeReader) ListDrift(ctx context.Context, q inventory.DriftQuery) (inventory.List[inventory.DriftItem], error) {
	sn, err := s.snapshot(ctx)
	if err != nil {
		return inventory.List[inventory.DriftItem]{}, err
	}
	out := inventory.List[inventory.DriftItem]{Items: []inventory.DriftItem{}}
	for _, d := range sn.drifts {
		it := sn.driftItem(d)
		if (len(q.Type) > 0 && !slices.Contains(q.Type, d.DriftType)) || (len(q.Rack) > 0 && !matchesRack(it, q.Rack)) {
			continue
		}
		out.Items = append(out.Items, it)
	}
	sort.Slice(out.Items, func(i, j int) bool { return out.Items[i].FirstSeenAt.Before(out.Items[j].FirstSeenAt) })
	out.Total = len(out.Items)
	return out, nil
}

func matchesRack(it inventory.DriftItem, racks []string) bool {
	return (it.RackID != nil && slices.Contains(racks, *it.RackID)) || (it.RackName != nil && slices.Contains(racks, *it.RackName))
}

func (sn snapshot) driftItem(d inventory.Drift) inventory.DriftItem {
	checked := d.CheckedAt
	it := inventory.DriftItem{ID: d.ID, State: inventory.DriftStateOpen, ComponentID: d.ComponentID, ExternalID: d.ExternalID,
		ComponentType: d.ComponentType, DriftType: d.DriftType, Diffs: d.Diffs, FirstSeenAt: d.FirstSeenAt, LastSeenAt: &checked}
	if d.ComponentID != nil {
		if c, ok := sn.component(*d.ComponentID); ok {
			it.SerialNumber, it.RackID = &c.SerialNumber, c.RackID
			if c.RackID != nil {
				if r, ok := sn.rack(*c.RackID); ok {
					it.RackName = &r.Name
				}
			}
		}
	}
	return it
}

func (s storeReader) DriftSummary(ctx context.Context, q inventory.DriftSummaryQuery) (inventory.DriftSummary, error) {
	l, err := s.ListDrift(ctx, inventory.DriftQuery{})
	if err != nil {
		return inventory.DriftSummary{}, err
	}
	return inventory.SummarizeDrift(l.Items, q.Now, q.TopRacks), nil
}

func (s storeReader) ListCycles(ctx context.Context, q inventory.CycleQuery) (inventory.List[inventory.Cycle], error) {
	cs, err := s.Cycles(ctx, 1000)
	if err != nil {
		return inventory.List[inventory.Cycle]{}, err
	}
	out := inventory.List[inventory.Cycle]{Items: cs, Total: len(cs)}
	if q.Limit > 0 && len(cs) > q.Limit {
		out.Items = cs[:q.Limit]
	}
	return out, nil
}

// ListEvents pages by id with the cursor holding the last id seen, as the
// dashboard's cycle page asks (ascending by id).
func (s storeReader) ListEvents(ctx context.Context, q inventory.EventQuery) (inventory.List[inventory.Event], error) {
	f := inventory.EventFilter{}
	if len(q.CycleID) > 0 {
		f.CycleID = q.CycleID[0]
	}
	all, err := s.Events(ctx, f)
	if err != nil {
		return inventory.List[inventory.Event]{}, err
	}
	out := inventory.List[inventory.Event]{Total: len(all), Items: []inventory.Event{}}
	var after int64
	if q.Cursor != "" {
		c, err := inventory.DecodeCursor(q.Cursor, inventory.Order{Column: "id"})
		if err != nil {
			return out, err
		}
		after = mustInt(c.ID)
	}
	for _, e := range all {
		if e.ID > after {
			out.Items = append(out.Items, e)
		}
	}
	if q.Limit > 0 && len(out.Items) > q.Limit {
		out.Items = out.Items[:q.Limit]
		last := out.Items[len(out.Items)-1].ID
		out.NextCursor = inventory.EncodeCursor(inventory.Order{Column: "id"}, "", itoa(last))
	}
	return out, nil
}

func (s storeReader) HeldDeletes(ctx context.Context, q inventory.HeldDeleteQuery) (inventory.List[inventory.HeldDelete], error) {
	out := inventory.List[inventory.HeldDelete]{Items: []inventory.HeldDelete{}}
	cs, err := s.Cycles(ctx, 1)
	if err != nil || len(cs) == 0 {
		return out, err
	}
	var steps struct {
		Mirror map[string]struct {
			Held []string `json:"held"`
		} `json:"mirror"`
	}
	if err := json.Unmarshal(cs[0].Steps, &steps); err != nil {
		return out, err
	}
	for typ, st := range steps.Mirror {
		for _, id := range st.Held {
			out.Items = append(out.Items, inventory.HeldDelete{Type: typ, EntityID: id, CycleID: cs[0].ID, HeldSince: cs[0].StartedAt, SinceCycleID: cs[0].ID})
		}
	}
	sort.Slice(out.Items, func(i, j int) bool { return out.Items[i].EntityID < out.Items[j].EntityID })
	out.Total = len(out.Items)
	return out, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func mustInt(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64) // cursors here are made by ListEvents
	return n
}
