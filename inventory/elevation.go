package inventory

import (
	"cmp"
	"slices"
)

// Elevation is a rack seen slot by slot: each of its live components in the
// order (slot_id, tray_index), the expected occupant against what the actual
// sync saw, with its open drift. Components with an unknown slot come last.
type Elevation struct {
	Rack  Rack            `json:"rack"`
	Drift DriftCounts     `json:"drift"`
	Slots []ElevationSlot `json:"slots"`
}

// Slot states, from the component's open drift.
const (
	SlotOK       = "ok"
	SlotMissing  = "missing_in_actual"
	SlotMismatch = "mismatch"
)

// ElevationSlot is one position of a rack.
type ElevationSlot struct {
	SlotID    *int64 `json:"slot_id"`
	TrayIndex *int64 `json:"tray_index"`
	// State is ok, missing_in_actual (Core sees nothing there) or mismatch.
	State string `json:"state"`
	// Expected is the component the inventory expects in the slot.
	Expected Component `json:"expected"`
	// Actual is what the actual sync saw of it.
	Actual SlotActual `json:"actual"`
	Drift  []Drift    `json:"drift"`
}

// SlotActual is the actual side of a slot: whether Core reports the
// component, its runtime columns, and the actual value of every compared
// field that differs from the expected one.
type SlotActual struct {
	Seen            bool              `json:"seen"`
	ExternalID      *string           `json:"external_id"`
	PowerState      *PowerState       `json:"power_state"`
	FirmwareVersion *string           `json:"firmware_version"`
	Differs         map[string]string `json:"differs"`
}

// BuildElevation assembles a rack's elevation from its components and the
// open drift of those components. Components of other racks, tombstones and
// drift of other components are ignored.
func BuildElevation(r Rack, components []Component, drifts []Drift) Elevation {
	byComponent := map[string][]Drift{}
	for _, d := range drifts {
		if d.ComponentID != nil {
			byComponent[*d.ComponentID] = append(byComponent[*d.ComponentID], d)
		}
	}
	e := Elevation{Rack: r, Slots: []ElevationSlot{}}
	for _, c := range components {
		if !c.Live() || c.RackID == nil || *c.RackID != r.ID {
			continue
		}
		s := slotOf(c, byComponent[c.ID])
		for _, d := range s.Drift {
			e.Drift.Add(d.DriftType)
		}
		e.Slots = append(e.Slots, s)
	}
	slices.SortFunc(e.Slots, compareSlots)
	return e
}

func slotOf(c Component, drifts []Drift) ElevationSlot {
	s := ElevationSlot{SlotID: c.SlotID, TrayIndex: c.TrayIndex, State: SlotOK, Expected: c, Drift: drifts,
		Actual: SlotActual{Seen: true, ExternalID: c.ExternalID, PowerState: c.PowerState,
			FirmwareVersion: c.FirmwareVersion, Differs: map[string]string{}}}
	if s.Drift == nil {
		s.Drift = []Drift{}
	}
	for _, d := range drifts {
		switch d.DriftType {
		case MissingInActual:
			s.State, s.Actual.Seen = SlotMissing, false
		case Mismatch:
			if s.State == SlotOK {
				s.State = SlotMismatch
			}
			for _, df := range d.Diffs {
				s.Actual.Differs[df.FieldName] = df.ActualValue
			}
		}
	}
	return s
}

// compareSlots orders by slot, then tray, unknown positions last, then by
// serial number so that the order is stable.
func compareSlots(a, b ElevationSlot) int {
	if c := compareNullable(a.SlotID, b.SlotID); c != 0 {
		return c
	}
	if c := compareNullable(a.TrayIndex, b.TrayIndex); c != 0 {
		return c
	}
	return cmp.Or(cmp.Compare(a.Expected.SerialNumber, b.Expected.SerialNumber), cmp.Compare(a.Expected.ID, b.Expected.ID))
}

// compareNullable orders nil after every value.
func compareNullable(a, b *int64) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return cmp.Compare(*a, *b)
}
