package mirror

import (
	"encoding/json"
	"time"

	"rackflow/inventory"
)

// Applied returns st as it will be once w is applied. A dry run feeds each
// step's planned end state to the next step, so that it plans exactly what
// the cycle's transactions, each reading the previous one's commit, would.
func Applied(st ComponentState, w inventory.Writes) ComponentState {
	racks := indexBy(st.Racks, func(r inventory.Rack) string { return r.ID })
	comps := indexBy(st.Components, func(c inventory.Component) string { return c.ID })
	bmcs := indexBy(st.BMCs, func(b inventory.BMC) string { return b.MAC })

	updateAll(comps, w.ComponentRackClears, setComponent)
	deleteAll(racks, w.RackDeletes)
	updateAll(racks, w.RackUpdates, setRack)
	insertAll(racks, w.RackInserts, func(r inventory.Rack) string { return r.ID })
	updateAll(racks, w.RackSoftDeletes, setRack)
	deleteAll(bmcs, w.BMCDeletes)
	deleteAll(comps, w.ComponentDeletes)
	insertAll(comps, w.ComponentInserts, func(c inventory.Component) string { return c.ID })
	updateAll(comps, w.ComponentUpdates, setComponent)
	updateAll(bmcs, w.BMCMoves, setBMC)
	insertAll(bmcs, w.BMCInserts, func(b inventory.BMC) string { return b.MAC })
	updateAll(bmcs, w.BMCUpdates, setBMC)
	updateAll(comps, w.ComponentSoftDeletes, setComponent)
	return ComponentState{Racks: values(racks), Components: values(comps), BMCs: values(bmcs)}
}

// ordered keeps rows in their original order, new rows last, so that a dry run
// reads rows in a stable order like a store does.
type ordered[T any] struct {
	rows  map[string]*T
	order []string
}

func indexBy[T any](rows []T, key func(T) string) *ordered[T] {
	o := &ordered[T]{rows: make(map[string]*T, len(rows))}
	for _, r := range rows {
		insertAll(o, []T{r}, key)
	}
	return o
}

func insertAll[T any](o *ordered[T], rows []T, key func(T) string) {
	for _, r := range rows {
		k := key(r)
		if _, ok := o.rows[k]; !ok {
			o.order = append(o.order, k)
		}
		o.rows[k] = &r
	}
}

func deleteAll[T any](o *ordered[T], keys []string) {
	for _, k := range keys {
		delete(o.rows, k)
	}
}

func updateAll[T any](o *ordered[T], ups []inventory.RowUpdate, set func(*T, string, any)) {
	for _, u := range ups {
		if row, ok := o.rows[u.Key]; ok {
			for col, ch := range u.Changes {
				set(row, col, ch.New)
			}
		}
	}
}

func values[T any](o *ordered[T]) []T {
	out := make([]T, 0, len(o.rows))
	for _, k := range o.order {
		if r, ok := o.rows[k]; ok {
			out = append(out, *r)
		}
	}
	return out
}

func setRack(r *inventory.Rack, col string, v any) {
	switch col {
	case inventory.ColName:
		r.Name = asString(v)
	case inventory.ColManufacturer:
		r.Manufacturer = asString(v)
	case inventory.ColSerialNumber:
		r.SerialNumber = asString(v)
	case inventory.ColDescription:
		r.Description = asJSON(v)
	case inventory.ColLocation:
		r.Location = asJSON(v)
	case inventory.ColExternalID:
		r.ExternalID = asStringPtr(v)
	case inventory.ColDeletedAt:
		r.DeletedAt = asTimePtr(v)
	}
}

func setComponent(c *inventory.Component, col string, v any) {
	switch col {
	case inventory.ColName:
		c.Name = asStringPtr(v)
	case inventory.ColType:
		c.Type = inventory.ComponentType(asString(v))
	case inventory.ColModel:
		c.Model = asStringPtr(v)
	case inventory.ColDescription:
		c.Description = asJSON(v)
	case inventory.ColRackID:
		c.RackID = asStringPtr(v)
	case inventory.ColSlotID:
		c.SlotID = asInt64Ptr(v)
	case inventory.ColTrayIndex:
		c.TrayIndex = asInt64Ptr(v)
	case inventory.ColHostID:
		c.HostID = asInt64Ptr(v)
	case inventory.ColExternalID:
		c.ExternalID = asStringPtr(v)
	case inventory.ColFirmwareVersion:
		c.FirmwareVersion = asStringPtr(v)
	case inventory.ColDeletedAt:
		c.DeletedAt = asTimePtr(v)
	}
}

func setBMC(b *inventory.BMC, col string, v any) {
	switch col {
	case inventory.ColComponentID:
		b.ComponentID = asString(v)
	case inventory.ColIPAddress:
		b.IPAddress = asStringPtr(v)
	case inventory.ColType:
		b.Type = inventory.BMCType(asString(v))
	}
}

func asString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case *string:
		if x != nil {
			return *x
		}
	case inventory.ComponentType:
		return string(x)
	case inventory.BMCType:
		return string(x)
	}
	return ""
}

func asStringPtr(v any) *string {
	if v == nil {
		return nil
	}
	if p, ok := v.(*string); ok {
		return p
	}
	s := asString(v)
	return &s
}

func asInt64Ptr(v any) *int64 {
	switch x := v.(type) {
	case *int64:
		return x
	case int64:
		return &x
	}
	return nil
}

func asTimePtr(v any) *time.Time {
	switch x := v.(type) {
	case *time.Time:
		return x
	case time.Time:
		return &x
	}
	return nil
}

func asJSON(v any) json.RawMessage {
	if x, ok := v.(json.RawMessage); ok && len(x) > 0 && string(x) != "null" {
		return x
	}
	return nil
}
