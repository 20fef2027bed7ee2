package mirror

import (
	"slices"
	"time"

	"rackflow/inventory"
)

// Advanced returns st as a store reads it back once w has been applied to
// it and committed: rows in the store's order (racks and components by id,
// BMCs by MAC), updated_at set to w.At on every rack and component row
// written, MACs normalised. It lets a cycle keep the rows it read current
// with its own writes instead of reading every row again after each step.
//
// ok is false when the result cannot be known without reading: w inserts or
// hard-deletes a rack or a component's row with cascades (rack and component
// deletes), stores a JSON value (a store may reformat it), sets a column this
// function does not know, or carries a MAC that does not normalise. The
// caller then reads again. Advanced edits st's slices in place; the caller
// must hold no other reference to them that expects the old rows.
func Advanced(st ComponentState, w inventory.Writes) (ComponentState, bool) {
	if !advanceable(w) {
		return ComponentState{}, false
	}
	at := inventory.Timestamp(w.At)
	comps := rowIndex(st.Components, w.ComponentRackClears, w.ComponentUpdates, w.ComponentSoftDeletes, func(c inventory.Component) string { return c.ID })
	racks := rowIndex(st.Racks, w.RackUpdates, w.RackSoftDeletes, nil, func(r inventory.Rack) string { return r.ID })
	if !advanceRows(st.Components, comps, w.ComponentRackClears, at, setComponentColumn) ||
		!advanceRows(st.Racks, racks, w.RackUpdates, at, setRackColumn) ||
		!advanceRows(st.Racks, racks, w.RackSoftDeletes, at, setRackColumn) {
		return ComponentState{}, false
	}
	var ok bool
	if st.BMCs, ok = deleteBMCRows(st.BMCs, w.BMCDeletes); !ok {
		return ComponentState{}, false
	}
	if len(w.ComponentInserts) > 0 {
		st.Components = slices.Grow(st.Components, len(w.ComponentInserts))
		for _, c := range w.ComponentInserts {
			if c.UpdatedAt.IsZero() {
				c.UpdatedAt = at
			}
			c.UpdatedAt, c.IngestedAt, c.DeletedAt = inventory.Timestamp(c.UpdatedAt), timestampPtr(c.IngestedAt), timestampPtr(c.DeletedAt)
			st.Components = append(st.Components, c)
		}
		inventory.SortComponents(st.Components)
		comps = rowIndex(st.Components, w.ComponentUpdates, w.ComponentSoftDeletes, nil, func(c inventory.Component) string { return c.ID })
	}
	if !advanceRows(st.Components, comps, w.ComponentUpdates, at, setComponentColumn) {
		return ComponentState{}, false
	}
	bmcs := rowIndex(st.BMCs, w.BMCMoves, w.BMCUpdates, nil, func(b inventory.BMC) string { return b.MAC })
	if !advanceBMCs(st.BMCs, bmcs, w.BMCMoves) {
		return ComponentState{}, false
	}
	if len(w.BMCInserts) > 0 {
		st.BMCs = slices.Grow(st.BMCs, len(w.BMCInserts))
		for _, b := range w.BMCInserts {
			mac, err := inventory.NormalizeMAC(b.MAC)
			if err != nil {
				return ComponentState{}, false
			}
			b.MAC = mac
			st.BMCs = append(st.BMCs, b)
		}
		inventory.SortBMCs(st.BMCs)
		bmcs = rowIndex(st.BMCs, w.BMCUpdates, nil, nil, func(b inventory.BMC) string { return b.MAC })
	}
	if !advanceBMCs(st.BMCs, bmcs, w.BMCUpdates) ||
		!advanceRows(st.Components, comps, w.ComponentSoftDeletes, at, setComponentColumn) {
		return ComponentState{}, false
	}
	return st, true
}

// advanceable reports whether Advanced can follow w without reading.
func advanceable(w inventory.Writes) bool {
	if len(w.RackInserts) > 0 || len(w.RackDeletes) > 0 || len(w.ComponentDeletes) > 0 {
		return false
	}
	for _, c := range w.ComponentInserts {
		if c.Description != nil {
			return false
		}
	}
	for _, ups := range [][]inventory.RowUpdate{w.ComponentRackClears, w.RackUpdates, w.RackSoftDeletes, w.ComponentUpdates, w.ComponentSoftDeletes} {
		for _, u := range ups {
			if _, ok := u.Changes[inventory.ColDescription]; ok {
				return false
			}
			if _, ok := u.Changes[inventory.ColLocation]; ok {
				return false
			}
		}
	}
	return true
}

// rowIndex maps the key of each row to its position, or returns nil when
// none of the updates needs one.
func rowIndex[T any](rows []T, a, b, c []inventory.RowUpdate, key func(T) string) map[string]int {
	if len(a)+len(b)+len(c) == 0 {
		return nil
	}
	m := make(map[string]int, len(rows))
	for i := range rows {
		m[key(rows[i])] = i
	}
	return m
}

// updatedRow is a row with an updated_at column.
type updatedRow interface {
	inventory.Component | inventory.Rack
}

// advanceRows sets each update's columns and updated_at on its row, as
// SetValues does; an update of a row that is not there changes nothing.
func advanceRows[T updatedRow](rows []T, index map[string]int, ups []inventory.RowUpdate, at time.Time, set func(*T, string, any) bool) bool {
	for _, u := range ups {
		i, found := index[u.Key]
		if !found {
			continue
		}
		for col, ch := range u.Changes {
			if !set(&rows[i], col, ch.New) {
				return false
			}
		}
		switch r := any(&rows[i]).(type) {
		case *inventory.Component:
			r.UpdatedAt = at
		case *inventory.Rack:
			r.UpdatedAt = at
		}
	}
	return true
}

func advanceBMCs(rows []inventory.BMC, index map[string]int, ups []inventory.RowUpdate) bool {
	for _, u := range ups {
		mac, err := inventory.NormalizeMAC(u.Key)
		if err != nil {
			return false
		}
		i, found := index[mac]
		if !found {
			continue
		}
		for col, ch := range u.Changes {
			if !setBMCColumn(&rows[i], col, ch.New) {
				return false
			}
		}
	}
	return true
}

func deleteBMCRows(rows []inventory.BMC, macs []string) ([]inventory.BMC, bool) {
	if len(macs) == 0 {
		return rows, true
	}
	gone := make(map[string]bool, len(macs))
	for _, m := range macs {
		mac, err := inventory.NormalizeMAC(m)
		if err != nil {
			return nil, false
		}
		gone[mac] = true
	}
	return slices.DeleteFunc(rows, func(b inventory.BMC) bool { return gone[b.MAC] }), true
}

// setComponentColumn sets one column of c to a change's new value, as the
// store stores it; false for a column it does not know.
func setComponentColumn(c *inventory.Component, col string, v any) bool {
	var ok bool
	switch col {
	case inventory.ColName:
		c.Name, ok = strictStringPtr(v)
	case inventory.ColType:
		var t string
		t, ok = strictString(v)
		c.Type = inventory.ComponentType(t)
	case inventory.ColManufacturer:
		c.Manufacturer, ok = strictString(v)
	case inventory.ColSerialNumber:
		c.SerialNumber, ok = strictString(v)
	case inventory.ColModel:
		c.Model, ok = strictStringPtr(v)
	case inventory.ColFirmwareVersion:
		c.FirmwareVersion, ok = strictStringPtr(v)
	case inventory.ColRackID:
		c.RackID, ok = strictStringPtr(v)
	case inventory.ColSlotID:
		c.SlotID, ok = strictInt64Ptr(v)
	case inventory.ColTrayIndex:
		c.TrayIndex, ok = strictInt64Ptr(v)
	case inventory.ColHostID:
		c.HostID, ok = strictInt64Ptr(v)
	case inventory.ColExternalID:
		c.ExternalID, ok = strictStringPtr(v)
	case inventory.ColPowerState:
		c.PowerState, ok = strictPowerPtr(v)
	case inventory.ColDeletedAt:
		c.DeletedAt, ok = strictTimePtr(v)
	}
	return ok
}

func setRackColumn(r *inventory.Rack, col string, v any) bool {
	var ok bool
	switch col {
	case inventory.ColName:
		r.Name, ok = strictString(v)
	case inventory.ColManufacturer:
		r.Manufacturer, ok = strictString(v)
	case inventory.ColSerialNumber:
		r.SerialNumber, ok = strictString(v)
	case inventory.ColExternalID:
		r.ExternalID, ok = strictStringPtr(v)
	case inventory.ColDeletedAt:
		r.DeletedAt, ok = strictTimePtr(v)
	}
	return ok
}

func setBMCColumn(b *inventory.BMC, col string, v any) bool {
	var ok bool
	switch col {
	case inventory.ColComponentID:
		b.ComponentID, ok = strictString(v)
	case inventory.ColIPAddress:
		b.IPAddress, ok = strictStringPtr(v)
	case inventory.ColType:
		var t string
		t, ok = strictString(v)
		b.Type = inventory.BMCType(t)
	}
	return ok
}

// The strict conversions below accept only the value types a plan writes and
// the store stores as they are, so that anything else makes Advanced give up.

func strictString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case *string:
		if x != nil {
			return *x, true
		}
	case inventory.ComponentType:
		return string(x), true
	case inventory.BMCType:
		return string(x), true
	}
	return "", false
}

func strictStringPtr(v any) (*string, bool) {
	switch x := v.(type) {
	case nil:
		return nil, true
	case *string:
		return x, true
	}
	s, ok := strictString(v)
	return &s, ok
}

func strictInt64Ptr(v any) (*int64, bool) {
	switch x := v.(type) {
	case nil:
		return nil, true
	case *int64:
		return x, true
	case int64:
		return &x, true
	}
	return nil, false
}

func strictTimePtr(v any) (*time.Time, bool) {
	switch x := v.(type) {
	case nil:
		return nil, true
	case *time.Time:
		return timestampPtr(x), true
	case time.Time:
		return timestampPtr(&x), true
	}
	return nil, false
}

func strictPowerPtr(v any) (*inventory.PowerState, bool) {
	switch x := v.(type) {
	case nil:
		return nil, true
	case *inventory.PowerState:
		return x, true
	case inventory.PowerState:
		return &x, true
	}
	return nil, false
}

// timestampPtr is the time as the store keeps it: UTC, in microseconds.
func timestampPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	ts := inventory.Timestamp(*t)
	return &ts
}
