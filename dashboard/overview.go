package dashboard

import (
	"context"
	"net/http"
	"time"

	"rackflow/inventory"
)

// overviewView is the data of the overview.
type overviewView struct {
	Now                     string
	Racks, Components, Held int
	OpenDrift               int
	OldestAge               string
	ComponentTypes          []inventory.ComponentType
	ByType                  []driftTypeRow
	Ages                    []inventory.AgeBucket
	TopRacks                []topRack
	Cycles                  []cycleRow
	LastCycle               *cycleRow
}

// driftTypeRow is one drift type's open drift by component type.
type driftTypeRow struct {
	Type   inventory.DriftType
	Counts []int
	Total  int
}

type topRack struct {
	ID, Name string
	Count    int
}

// overviewCycles is how many recent cycles the overview lists.
const overviewCycles = 8

func (h *handler) overview(w http.ResponseWriter, r *http.Request) {
	v, err := h.buildOverview(r.Context())
	if err != nil {
		h.fail(w, r, "the overview", err)
		return
	}
	h.render(w, r, http.StatusOK, "overview", "overview", "Overview", v)
}

func (h *handler) buildOverview(ctx context.Context) (overviewView, error) {
	now := h.cfg.Now()
	v := overviewView{Now: timestamp(now), ComponentTypes: inventory.MirroredTypes}
	rd := h.cfg.Reader
	one := inventory.Page{Limit: 1}
	racks, err := rd.ListRacks(ctx, inventory.RackQuery{Page: one})
	if err != nil {
		return v, err
	}
	comps, err := rd.ListComponents(ctx, inventory.ComponentQuery{Page: one})
	if err != nil {
		return v, err
	}
	held, err := rd.HeldDeletes(ctx, inventory.HeldDeleteQuery{Page: one})
	if err != nil {
		return v, err
	}
	sum, err := rd.DriftSummary(ctx, inventory.DriftSummaryQuery{Now: now})
	if err != nil {
		return v, err
	}
	cycles, err := rd.ListCycles(ctx, inventory.CycleQuery{Page: inventory.Page{Limit: overviewCycles}})
	if err != nil {
		return v, err
	}
	v.Racks, v.Components, v.Held = racks.Total, comps.Total, held.Total
	v.addDrift(sum)
	for _, c := range cycles.Items {
		v.Cycles = append(v.Cycles, newCycleRow(c, now))
	}
	if len(v.Cycles) > 0 {
		v.LastCycle = &v.Cycles[0]
	}
	return v, nil
}

func (v *overviewView) addDrift(s inventory.DriftSummary) {
	v.OpenDrift, v.Ages = s.Total, s.AgeBuckets
	if s.OldestFirstSeenAt != nil {
		v.OldestAge = age(time.Duration(s.OldestAgeSeconds) * time.Second)
	}
	for _, dt := range driftTypes {
		row := driftTypeRow{Type: dt, Counts: make([]int, len(v.ComponentTypes))}
		for _, c := range s.ByType {
			if c.DriftType != dt {
				continue
			}
			row.Total += c.Count
			for i, ct := range v.ComponentTypes {
				if ct == c.ComponentType {
					row.Counts[i] += c.Count
				}
			}
		}
		v.ByType = append(v.ByType, row)
	}
	for _, r := range s.TopRacks {
		v.TopRacks = append(v.TopRacks, topRack{ID: r.RackID, Name: deref(r.RackName, r.RackID), Count: r.Count})
	}
}
