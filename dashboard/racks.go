package dashboard

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"rackflow/inventory"
)

// rackFilter is the racks page's GET form.
type rackFilter struct {
	// Query keeps racks whose name contains it, case-insensitively.
	Query string
	// Drift is "", "yes", "no" or a drift type.
	Drift string
}

func parseRackFilter(r *http.Request) (rackFilter, inventory.RackQuery, error) {
	f := rackFilter{Query: strings.TrimSpace(r.FormValue("q")), Drift: r.FormValue("drift")}
	q := inventory.RackQuery{}
	switch f.Drift {
	case "":
	case "yes":
		q.HasDrift = inventory.Ptr(true)
	case "no":
		q.HasDrift = inventory.Ptr(false)
	default:
		t, err := inventory.ParseDriftType(f.Drift)
		if err != nil {
			return f, q, err
		}
		q.DriftType = []inventory.DriftType{t}
	}
	return f, q, nil
}

// racksView is the data of the rack grid.
type racksView struct {
	Filter   rackFilter
	Total    int
	Shown    int
	Drifting int
	Groups   []rackGroup
}

// rackGroup is the racks of one room, in name order.
type rackGroup struct {
	Label    string
	Racks    []rackCell
	Drifting int
}

// rackCell is one rack in the grid: coloured by its worst drift type.
type rackCell struct {
	ID    string
	Name  string
	Class string
	Glyph string
	Drift int
	Title string
}

func (h *handler) racks(w http.ResponseWriter, r *http.Request) {
	f, q, err := parseRackFilter(r)
	if err != nil {
		h.renderError(w, r, http.StatusBadRequest, "Bad filter", invalidMessage(err))
		return
	}
	racks, err := h.allRacks(r.Context(), q)
	if err != nil {
		h.fail(w, r, "racks", err)
		return
	}
	total := len(racks)
	if f.Drift != "" {
		if total, err = h.rackCount(r.Context()); err != nil {
			h.fail(w, r, "racks", err)
			return
		}
	}
	h.render(w, r, http.StatusOK, "racks", "racks", "Racks", buildRacksView(f, racks, total))
}

// allRacks reads every rack matching q, page by page at the largest page
// size, so that a site of any size is one grid.
func (h *handler) allRacks(ctx context.Context, q inventory.RackQuery) ([]inventory.RackView, error) {
	q.Page = inventory.Page{Limit: inventory.MaxLimit}
	var out []inventory.RackView
	for {
		l, err := h.cfg.Reader.ListRacks(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, l.Items...)
		if l.NextCursor == "" {
			return out, nil
		}
		q.Cursor = l.NextCursor
	}
}

// rackCount is the number of live racks, whatever the filter.
func (h *handler) rackCount(ctx context.Context) (int, error) {
	l, err := h.cfg.Reader.ListRacks(ctx, inventory.RackQuery{Page: inventory.Page{Limit: 1}})
	return l.Total, err
}

func buildRacksView(f rackFilter, racks []inventory.RackView, total int) racksView {
	v := racksView{Filter: f, Total: total}
	groups := map[string]*rackGroup{}
	needle := strings.ToLower(f.Query)
	for _, rk := range racks {
		if needle != "" && !strings.Contains(strings.ToLower(rk.Name), needle) {
			continue
		}
		loc := parseLocation(rk.Location)
		label := loc.room()
		g, ok := groups[label]
		if !ok {
			g = &rackGroup{Label: label}
			groups[label] = g
		}
		g.Racks = append(g.Racks, newRackCell(rk, loc))
		v.Shown++
		if rk.Drift.Total > 0 {
			v.Drifting++
			g.Drifting++
		}
	}
	for _, g := range groups {
		v.Groups = append(v.Groups, *g)
	}
	sort.Slice(v.Groups, func(i, j int) bool { return v.Groups[i].Label < v.Groups[j].Label })
	return v
}

func newRackCell(rk inventory.RackView, loc location) rackCell {
	worst := worstDrift(rk.Drift)
	c := rackCell{ID: rk.ID, Name: rk.Name, Drift: rk.Drift.Total, Class: driftClass(worst), Glyph: driftGlyph(worst)}
	c.Title = rk.Name
	if loc.Position != "" {
		c.Title += " · " + loc.Position
	}
	if rk.Drift.Total == 0 {
		c.Title += " · no open drift"
	} else {
		c.Title += fmt.Sprintf(" · %d missing in actual, %d mismatch, %d missing in expected",
			rk.Drift.MissingInActual, rk.Drift.Mismatch, rk.Drift.MissingInExpected)
	}
	return c
}

// worstDrift picks the colour of a rack with several kinds of drift: a
// missing device outranks a mismatch, which outranks an unexpected one.
func worstDrift(c inventory.DriftCounts) inventory.DriftType {
	switch {
	case c.MissingInActual > 0:
		return inventory.MissingInActual
	case c.Mismatch > 0:
		return inventory.Mismatch
	case c.MissingInExpected > 0:
		return inventory.MissingInExpected
	}
	return ""
}

// location is the rack.location object.
type location struct {
	Region     string `json:"region"`
	Datacenter string `json:"datacenter"`
	Room       string `json:"room"`
	Position   string `json:"position"`
}

func parseLocation(raw json.RawMessage) location {
	var l location
	if len(raw) > 0 {
		// A location that is not an object shows as empty, not as an error page.
		_ = json.Unmarshal(raw, &l)
	}
	return l
}

// room groups the grid by region, datacenter and room.
func (l location) room() string {
	if s := joinNonEmpty(l.Region, l.Datacenter, l.Room); s != "" {
		return s
	}
	return "no location"
}

// String is the whole location in one line.
func (l location) String() string { return joinNonEmpty(l.Region, l.Datacenter, l.Room, l.Position) }

func joinNonEmpty(parts ...string) string {
	kept := parts[:0:0]
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, " / ")
}
