package dashboard

import (
	"net/http"
	"sort"
	"time"

	"rackflow/inventory"
)

// componentView is the data of a component page.
type componentView struct {
	ID, Label, Type string
	Rack            *rackRef
	Open            []openDrift
	Fields          []fieldRow
	BMCs            []bmcRow
	Timeline        []timelineRow
	Events          []eventRow
}

type rackRef struct{ ID, Name string }

type openDrift struct {
	Type       inventory.DriftType
	Age, Since string
}

// fieldRow is one field, expected against actual.
type fieldRow struct {
	Name, Expected, Actual string
	Differs                bool
}

type bmcRow struct{ MAC, Type, IP string }

type timelineRow struct {
	At, Event           string
	Type                inventory.DriftType
	Diffs               []inventory.Diff
	CycleID, CycleShort string
}

func (h *handler) component(w http.ResponseWriter, r *http.Request) {
	c, err := h.cfg.Reader.Component(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, "component", err)
		return
	}
	v := buildComponentView(c, h.cfg.Now())
	h.render(w, r, http.StatusOK, "component", "racks", "Component "+v.Label, v)
}

func buildComponentView(c inventory.ComponentDetail, now time.Time) componentView {
	v := componentView{ID: c.ID, Label: componentLabel(c.Component), Type: string(c.Type)}
	if c.RackID != nil {
		v.Rack = &rackRef{ID: *c.RackID, Name: deref(c.RackName, *c.RackID)}
	}
	for _, d := range c.Drift {
		v.Open = append(v.Open, openDrift{Type: d.DriftType, Age: age(now.Sub(d.FirstSeenAt)), Since: timestamp(d.FirstSeenAt)})
	}
	v.Fields = fieldRows(c)
	for _, b := range c.BMCs {
		v.BMCs = append(v.BMCs, bmcRow{MAC: b.MAC, Type: string(b.Type), IP: deref(b.IPAddress, "–")})
	}
	for _, hr := range c.DriftHistory {
		v.Timeline = append(v.Timeline, timelineRow{At: timestamp(hr.At), Event: string(hr.Event), Type: hr.DriftType,
			Diffs: hr.Diffs, CycleID: hr.CycleID, CycleShort: shortID(hr.CycleID)})
	}
	v.Events = eventRows(c.Events)
	return v
}

// fieldRows lines the stored (expected) fields up with what the open drift
// says Core discovered; the runtime fields come from discovery alone.
func fieldRows(c inventory.ComponentDetail) []fieldRow {
	expected, actual := map[string]string{}, map[string]string{}
	missing := false
	for _, d := range c.Drift {
		missing = missing || d.DriftType == inventory.MissingInActual
		for _, df := range d.Diffs {
			expected[df.FieldName], actual[df.FieldName] = df.ExpectedValue, df.ActualValue
		}
	}
	row := func(name, expected string) fieldRow {
		f := fieldRow{Name: name, Expected: expected, Actual: expected}
		if a, ok := actual[name]; ok {
			f.Actual, f.Differs = a, a != expected
		}
		if missing {
			f.Actual, f.Differs = "not found in Core", true
		}
		return f
	}
	rackName := "–"
	if c.RackID != nil {
		rackName = deref(c.RackName, *c.RackID)
	}
	rows := []fieldRow{
		row(inventory.ColSerialNumber, c.SerialNumber),
		row("manufacturer", c.Manufacturer),
		row("model", deref(c.Model, "–")),
		row("name", deref(c.Name, "–")),
		rackRow(rackName, expected, actual, missing),
		row(inventory.ColSlotID, intText(c.SlotID)),
		row(inventory.ColTrayIndex, intText(c.TrayIndex)),
		row(inventory.ColHostID, intText(c.HostID)),
	}
	power := "–"
	if c.PowerState != nil {
		power = c.PowerState.String()
	}
	for _, rt := range [][2]string{{"external_id", deref(c.ExternalID, "–")}, {"power_state", power}, {"firmware_version", deref(c.FirmwareVersion, "–")}} {
		rows = append(rows, fieldRow{Name: rt[0], Expected: "(discovered only)", Actual: rt[1]})
	}
	return rows
}

// rackRow shows the rack by name. A drifting rack_id compares Core's rack
// ids, so both sides show the Core id, the expected one beside its name.
func rackRow(name string, expected map[string]string, actual map[string]string, missing bool) fieldRow {
	f := fieldRow{Name: "rack", Expected: name, Actual: name}
	if a, ok := actual[inventory.ColRackID]; ok {
		f.Expected, f.Actual, f.Differs = name+" ("+expected[inventory.ColRackID]+")", a, true
	}
	if missing {
		f.Actual, f.Differs = "not found in Core", true
	}
	return f
}

// eventRow is one audit event.
type eventRow struct {
	ID                                   int64
	At, Entity, EntityID, Action, Source string
	Link                                 string
	Changes                              []changeRow
}

type changeRow struct{ Field, Old, New string }

func eventRows(es []inventory.Event) []eventRow {
	out := make([]eventRow, 0, len(es))
	for _, e := range es {
		row := eventRow{ID: e.ID, At: timestamp(e.At), Entity: e.Entity, EntityID: e.EntityID,
			Action: string(e.Action), Source: string(e.Source)}
		switch e.Entity {
		case inventory.EntityRack:
			row.Link = "/racks/" + e.EntityID
		case inventory.EntityComponent:
			row.Link = "/components/" + e.EntityID
		}
		names := make([]string, 0, len(e.Changes))
		for n := range e.Changes {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			row.Changes = append(row.Changes, changeRow{Field: n, Old: valueText(e.Changes[n].Old), New: valueText(e.Changes[n].New)})
		}
		out = append(out, row)
	}
	return out
}

// shortID is the first block of a uuid, enough to tell cycles apart on a page.
func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}
