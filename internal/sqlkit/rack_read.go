package sqlkit

import (
	"fmt"

	"rackflow/inventory"
)

// rackDriftCounts joins each rack's open drift counts, aggregated in one
// pass; %s joins the components (Dialect.DriftComponents).
const rackDriftCounts = `rack r LEFT JOIN (SELECT c.rack_id,
	sum(CASE WHEN d.drift_type = 'missing_in_actual' THEN 1 ELSE 0 END) AS missing_in_actual,
	sum(CASE WHEN d.drift_type = 'missing_in_expected' THEN 1 ELSE 0 END) AS missing_in_expected,
	sum(CASE WHEN d.drift_type = 'mismatch' THEN 1 ELSE 0 END) AS mismatch, count(*) AS total
	FROM component_drift d %s
	GROUP BY c.rack_id) dc ON dc.rack_id = r.id`

// RackViews is the FROM clause of racks r with their drift counts dc.
func (d Dialect) RackViews() string { return fmt.Sprintf(rackDriftCounts, d.DriftComponents) }

func rackSortKeys() map[string]Key {
	return map[string]Key{
		"name": textKey("r.name"), "manufacturer": textKey("r.manufacturer"),
		"serial_number": textKey("r.serial_number"), "created_at": timeKey("r.created_at"),
		"updated_at": timeKey("r.updated_at"),
	}
}

// RackList is the listing of racks with their open drift counts.
func RackList(d Dialect, q inventory.RackQuery) (Listing[inventory.RackView], error) {
	spec, err := q.Page.Resolve(inventory.RackListing)
	if err == nil {
		err = q.Validate()
	}
	if err != nil {
		return Listing[inventory.RackView]{}, err
	}
	w := NewWhere(d.Mark)
	rackFilters(w, q)
	s := listSQL{columns: d.RackColumns, from: d.RackViews(), keys: rackSortKeys(), id: d.uuidKey("r.id")}
	// Counting needs the drift join only when a drift filter asks for it.
	if q.HasDrift == nil && len(q.DriftType) == 0 {
		s.countFrom = "rack r"
	}
	return newListing(d, w, s, spec, func(r inventory.RackView) (string, string) {
		return rackSortValue(r.Rack, spec.Order.Column), r.ID
	})
}

func rackFilters(w *Where, q inventory.RackQuery) {
	w.AddIn("r.name", "%s", q.Name)
	w.AddIn("r.manufacturer", "%s", q.Manufacturer)
	w.AddIn("r.description->>'model'", "%s", q.Model)
	w.AddIn("coalesce(r.status, '')", "%s", q.Status)
	for key, vs := range map[string][]string{"region": q.Region, "datacenter": q.Datacenter, "room": q.Room, "position": q.Position} {
		w.AddIn("r.location->>'"+key+"'", "%s", vs)
	}
	if q.HasDrift != nil {
		w.Raw(map[bool]string{true: "coalesce(dc.total, 0) > 0", false: "coalesce(dc.total, 0) = 0"}[*q.HasDrift])
	}
	var byType []string
	for _, t := range q.DriftType {
		byType = append(byType, "coalesce(dc."+string(t)+", 0) > 0")
	}
	w.AnyOf(byType...)
	deletedCond(w, "r", q.Deleted)
}

// rackSortValue is the cursor value of a rack for a sort column.
func rackSortValue(r inventory.Rack, col string) string {
	switch col {
	case "manufacturer":
		return r.Manufacturer
	case "serial_number":
		return r.SerialNumber
	case "created_at":
		return inventory.CursorTime(r.CreatedAt)
	case "updated_at":
		return inventory.CursorTime(r.UpdatedAt)
	}
	return r.Name
}

// SlotOrder orders a rack's components c as its elevation does.
const SlotOrder = `ORDER BY c.slot_id NULLS LAST, c.tray_index NULLS LAST, c.serial_number, c.id`

// RackComponents is the query of the components of a page of racks, in
// slot order, that d keeps.
func (d Dialect) RackComponents(racks []inventory.RackView, del inventory.Deleted) Statement {
	ids := make([]string, len(racks))
	for i, r := range racks {
		ids[i] = r.ID
	}
	w := NewWhere(d.Mark)
	w.Add(d.InIDs("c.rack_id"), d.IDs(ids))
	deletedCond(w, "c", del)
	return Statement{SQL: `SELECT ` + d.ComponentColumns + ` FROM component c WHERE ` + w.String() + ` ` + SlotOrder,
		Args: w.Args()}
}

// AttachComponents gives each rack its components out of cs, in their order.
func AttachComponents(racks []inventory.RackView, cs []inventory.Component) {
	byRack := map[string][]inventory.Component{}
	for _, c := range cs {
		byRack[*c.RackID] = append(byRack[*c.RackID], c)
	}
	for i := range racks {
		racks[i].Components = byRack[racks[i].ID]
		if racks[i].Components == nil {
			racks[i].Components = []inventory.Component{}
		}
	}
}

// RackByIDOrName is the query of one rack view: by id when idOrName is a
// uuid, else by name. Its one parameter is idOrName.
func (d Dialect) RackByIDOrName(idOrName string) string {
	cond := `r.name = ` + d.Mark(1)
	if inventory.ValidID(idOrName) {
		cond = `r.id = ` + d.uuid(1)
	}
	return `SELECT ` + d.RackColumns + ` FROM ` + d.RackViews() + ` WHERE ` + cond
}

// RackLiveComponents is the query of a rack's live components in slot
// order; its one parameter is the rack id.
func (d Dialect) RackLiveComponents() string {
	return `SELECT ` + d.ComponentColumns + ` FROM component c WHERE c.rack_id = ` + d.uuid(1) +
		` AND c.deleted_at IS NULL ` + SlotOrder
}

// RackBMCs is the query of the BMCs of a rack's live components.
func (d Dialect) RackBMCs() string {
	return `SELECT ` + d.BMCColumns + ` FROM bmc b JOIN component c ON c.id = b.component_id
		WHERE c.rack_id = ` + d.uuid(1) + ` AND c.deleted_at IS NULL ORDER BY b.mac_address`
}

// RackDrift is the query of a rack's open drift, oldest first.
func (d Dialect) RackDrift() string {
	return `SELECT ` + d.DriftColumns + ` FROM component_drift d JOIN component c ON c.id = d.component_id
		WHERE c.rack_id = ` + d.uuid(1) + ` ORDER BY d.first_seen_at, d.id`
}
