package dashboard

import (
	"net/http"
	"strings"
	"time"

	"rackflow/inventory"
)

// rackView is the data of a rack page.
type rackView struct {
	ID, Name, Manufacturer, Serial, Model, Location, Status, ExternalID, Deleted string
	Drifting                                                                     int
	Slots                                                                        []slotRow
}

// slotRow is one line of the elevation.
type slotRow struct {
	Slot, Tray, Type string
	ComponentID      string
	Expected         string
	Seen             bool
	Actual           string
	DriftType        inventory.DriftType
	Diffs            []inventory.Diff
	Age              string
}

func (h *handler) rack(w http.ResponseWriter, r *http.Request) {
	e, err := h.cfg.Reader.Elevation(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, "rack", err)
		return
	}
	v := buildRackView(e, h.cfg.Now())
	h.render(w, r, http.StatusOK, "rack", "racks", "Rack "+v.Name, v)
}

func buildRackView(e inventory.Elevation, now time.Time) rackView {
	rk := e.Rack
	v := rackView{ID: rk.ID, Name: rk.Name, Manufacturer: rk.Manufacturer, Serial: rk.SerialNumber,
		Model: descriptionModel(rk.Description), Location: parseLocation(rk.Location).String(), Status: rk.Status,
		ExternalID: deref(rk.ExternalID, "none (not from Core)")}
	if rk.DeletedAt != nil {
		v.Deleted = timestamp(*rk.DeletedAt)
	}
	for _, s := range e.Slots {
		row := newSlotRow(s, now)
		if row.DriftType != "" {
			v.Drifting++
		}
		v.Slots = append(v.Slots, row)
	}
	return v
}

func newSlotRow(s inventory.ElevationSlot, now time.Time) slotRow {
	c := s.Expected
	row := slotRow{Slot: intText(s.SlotID), Tray: intText(s.TrayIndex), Type: string(c.Type), ComponentID: c.ID,
		Expected: componentLabel(c), Seen: s.Actual.Seen, Actual: actualText(s.Actual)}
	var first time.Time
	for _, d := range s.Drift {
		row.DriftType = worseDrift(row.DriftType, d.DriftType)
		row.Diffs = append(row.Diffs, d.Diffs...)
		if first.IsZero() || d.FirstSeenAt.Before(first) {
			first = d.FirstSeenAt
		}
	}
	if !first.IsZero() {
		row.Age = age(now.Sub(first))
	}
	return row
}

// worseDrift keeps the drift type that colours a row when a component has
// more than one.
func worseDrift(a, b inventory.DriftType) inventory.DriftType {
	rank := map[inventory.DriftType]int{"": 0, inventory.MissingInExpected: 1, inventory.Mismatch: 2, inventory.MissingInActual: 3}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// componentLabel names a component: its name, else its serial number.
func componentLabel(c inventory.Component) string {
	if c.Name != nil && *c.Name != "" {
		return *c.Name + " · " + c.SerialNumber
	}
	return c.SerialNumber
}

// actualText is what Core discovered of a slot's component.
func actualText(a inventory.SlotActual) string {
	parts := []string{}
	if a.ExternalID != nil {
		parts = append(parts, *a.ExternalID)
	}
	if a.PowerState != nil {
		parts = append(parts, "power "+a.PowerState.String())
	}
	if a.FirmwareVersion != nil {
		parts = append(parts, "fw "+*a.FirmwareVersion)
	}
	if len(parts) == 0 {
		return "seen"
	}
	return strings.Join(parts, " · ")
}
