package inventory

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// HeldCycleWindow is how many recent cycles a store reads to derive held
// deletes and since when they are held.
const HeldCycleWindow = 500

// stepHeld is the part of a mirror step in sync_cycle.steps that the guard
// writes.
type stepHeld struct {
	Error string   `json:"error"`
	Held  []string `json:"held"`
}

// cycleSteps is the layout of sync_cycle.steps that held deletes need.
type cycleSteps struct {
	Mirror map[string]stepHeld `json:"mirror"`
}

// HeldDeletes derives what the mass-delete guard holds now from recent
// cycles, newest first. For each step type, the latest finished cycle whose
// mirror step of that type ran without an error decides what is held; an id
// has been held since the oldest cycle of the unbroken run of such cycles
// that held it. Running cycles and cycles where the step failed or did not
// run are passed over. A cycle whose steps do not parse is an error naming
// it. The result is ordered by held_since, type and id.
func HeldDeletes(cycles []Cycle) ([]HeldDelete, error) {
	runs := map[string]*holdRun{}
	closed := map[string]bool{}
	for _, c := range cycles {
		if c.Status == CycleRunning {
			continue
		}
		steps, err := parseHeldSteps(c)
		if err != nil {
			return nil, err
		}
		for typ, st := range steps.Mirror {
			if st.Error != "" || closed[typ] {
				continue
			}
			if r := runs[typ]; r != nil {
				closed[typ] = r.extend(c, st.Held)
				continue
			}
			runs[typ] = newHoldRun(typ, c, st.Held)
			closed[typ] = len(st.Held) == 0
		}
	}
	return flattenHolds(runs), nil
}

func parseHeldSteps(c Cycle) (cycleSteps, error) {
	var steps cycleSteps
	if len(c.Steps) == 0 {
		return steps, nil
	}
	if err := json.Unmarshal(c.Steps, &steps); err != nil {
		return steps, fmt.Errorf("cycle %s: steps are not the recorded layout: %w", c.ID, err)
	}
	return steps, nil
}

// holdRun is one step type's current holds and which of them are still in
// an unbroken run while older cycles are read.
type holdRun struct {
	holds  []*HeldDelete
	active map[string]*HeldDelete
}

// extend folds in one older cycle's held ids and reports whether the run has
// ended for every id.
func (r *holdRun) extend(c Cycle, held []string) bool {
	in := make(map[string]bool, len(held))
	for _, id := range held {
		in[id] = true
	}
	for id, h := range r.active {
		if !in[id] {
			delete(r.active, id)
			continue
		}
		h.HeldSince, h.SinceCycleID = c.StartedAt, c.ID
	}
	return len(r.active) == 0
}

func newHoldRun(typ string, c Cycle, held []string) *holdRun {
	r := &holdRun{active: map[string]*HeldDelete{}}
	for _, id := range held {
		if r.active[id] != nil {
			continue
		}
		h := &HeldDelete{Type: typ, EntityID: id, CycleID: c.ID, HeldSince: c.StartedAt, SinceCycleID: c.ID}
		r.holds = append(r.holds, h)
		r.active[id] = h
	}
	return r
}

func flattenHolds(runs map[string]*holdRun) []HeldDelete {
	out := []HeldDelete{}
	for _, r := range runs {
		for _, h := range r.holds {
			out = append(out, *h)
		}
	}
	slices.SortFunc(out, func(a, b HeldDelete) int {
		return cmp.Or(a.HeldSince.Compare(b.HeldSince), cmp.Compare(a.Type, b.Type), cmp.Compare(a.EntityID, b.EntityID))
	})
	return out
}

// CursorTime renders a timestamp as a cursor value: fixed-width UTC
// microseconds, so that text order is time order.
func CursorTime(t time.Time) string { return Timestamp(t).Format("2006-01-02T15:04:05.000000Z") }

// ParseCursorTime reads a CursorTime value.
func ParseCursorTime(s string) (time.Time, error) {
	t, err := time.Parse("2006-01-02T15:04:05.000000Z", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("cursor time %q: %w", s, ErrInvalid)
	}
	return t, nil
}

// PageHeld pages held deletes (already in held_since order) in memory: the
// guard holds at most a few thousand ids, so no index is needed.
func PageHeld(all []HeldDelete, q HeldDeleteQuery) (List[HeldDelete], error) {
	spec, err := q.Page.Resolve(HeldListing)
	if err != nil {
		return List[HeldDelete]{}, err
	}
	kept := []HeldDelete{}
	for _, h := range all {
		if len(q.Type) == 0 || slices.Contains(q.Type, h.Type) {
			kept = append(kept, h)
		}
	}
	if spec.Order.Desc {
		slices.Reverse(kept)
	}
	key := func(h HeldDelete) (string, string) { return CursorTime(h.HeldSince), h.Type + "/" + h.EntityID }
	start := 0
	if spec.After != nil {
		start = len(kept)
		for i, h := range kept {
			v, id := key(h)
			c := cmp.Or(cmp.Compare(v, spec.After.Value), cmp.Compare(id, spec.After.ID))
			if !spec.Order.Desc && c > 0 || spec.Order.Desc && c < 0 {
				start = i
				break
			}
		}
	}
	out := List[HeldDelete]{Items: kept[start:min(start+spec.Limit, len(kept))], Total: len(kept)}
	if end := start + spec.Limit; end < len(kept) {
		v, id := key(out.Items[len(out.Items)-1])
		out.NextCursor = EncodeCursor(spec.Order, v, id)
	}
	return out, nil
}
