package sqlkit

import "rackflow/inventory"

func componentSortKeys() map[string]Key {
	return map[string]Key{
		"serial_number": textKey("c.serial_number"), "manufacturer": textKey("c.manufacturer"),
		"type": textKey("c.type"), "updated_at": timeKey("c.updated_at"),
	}
}

// ComponentList is the listing of components with the name of their rack.
func ComponentList(d Dialect, q inventory.ComponentQuery) (Listing[inventory.ComponentView], error) {
	spec, err := q.Page.Resolve(inventory.ComponentListing)
	if err != nil {
		return Listing[inventory.ComponentView]{}, err
	}
	macs, err := q.NormalizedMACs()
	if err != nil {
		return Listing[inventory.ComponentView]{}, err
	}
	w := NewWhere(d.Mark)
	componentFilters(d, w, q, macs)
	s := listSQL{columns: d.ComponentColumns + ", r.name", from: `component c LEFT JOIN rack r ON r.id = c.rack_id`,
		keys: componentSortKeys(), id: d.uuidKey("c.id")}
	return newListing(d, w, s, spec, func(c inventory.ComponentView) (string, string) {
		return componentSortValue(c.Component, spec.Order.Column), c.ID
	})
}

func componentFilters(d Dialect, w *Where, q inventory.ComponentQuery, macs []string) {
	d.rackCond(w, q.Rack)
	w.AddIn("c.type", "%s", Strings(q.Type))
	w.AddIn("c.serial_number", "%s", q.Serial)
	w.AddIn("c.external_id", "%s", q.ExternalID)
	if cond := w.In("b.mac_address", "%s", macs); cond != "" {
		w.Raw("EXISTS (SELECT 1 FROM bmc b WHERE b.component_id = c.id AND " + cond + ")")
	}
	deletedCond(w, "c", q.Deleted)
}

func componentSortValue(c inventory.Component, col string) string {
	switch col {
	case "manufacturer":
		return c.Manufacturer
	case "type":
		return string(c.Type)
	case "updated_at":
		return inventory.CursorTime(c.UpdatedAt)
	}
	return c.SerialNumber
}

// ComponentByID is the query of one component view; its one parameter is
// the component id, as for ComponentBMCs and ComponentDrift.
func (d Dialect) ComponentByID() string {
	return `SELECT ` + d.ComponentColumns + `, r.name FROM component c LEFT JOIN rack r ON r.id = c.rack_id
		WHERE c.id = ` + d.uuid(1)
}

// ComponentBMCs is the query of a component's BMCs.
func (d Dialect) ComponentBMCs() string {
	return `SELECT ` + d.BMCColumns + ` FROM bmc b WHERE b.component_id = ` + d.uuid(1) + ` ORDER BY b.mac_address`
}

// ComponentDrift is the query of a component's open drift, oldest first.
func (d Dialect) ComponentDrift() string {
	return `SELECT ` + d.DriftColumns + ` FROM component_drift d WHERE d.component_id = ` + d.uuid(1) +
		` ORDER BY d.first_seen_at, d.id`
}
