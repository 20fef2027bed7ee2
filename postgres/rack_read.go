package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

const rackViewColumns = `r.id::text, r.name, r.manufacturer, r.serial_number, r.description::text,
	r.location::text, r.nvldomain_id::text, coalesce(r.status, ''), r.created_at, r.updated_at, r.ingested_at,
	r.deleted_at, r.external_id, coalesce(dc.missing_in_actual, 0), coalesce(dc.missing_in_expected, 0),
	coalesce(dc.mismatch, 0), coalesce(dc.total, 0)`

// rackDriftJoin joins each rack's open drift counts, aggregated in one pass.
const rackDriftJoin = `rack r LEFT JOIN (SELECT c.rack_id,
	sum(CASE WHEN d.drift_type = 'missing_in_actual' THEN 1 ELSE 0 END) AS missing_in_actual,
	sum(CASE WHEN d.drift_type = 'missing_in_expected' THEN 1 ELSE 0 END) AS missing_in_expected,
	sum(CASE WHEN d.drift_type = 'mismatch' THEN 1 ELSE 0 END) AS mismatch, count(*) AS total
	FROM component_drift d JOIN component c ON c.id = d.component_id WHERE c.rack_id IS NOT NULL
	GROUP BY c.rack_id) dc ON dc.rack_id = r.id`

var rackSortKeys = map[string]sqlkit.Key{
	"name": textKey("r.name"), "manufacturer": textKey("r.manufacturer"), "serial_number": textKey("r.serial_number"),
	"created_at": timeKey("r.created_at"), "updated_at": timeKey("r.updated_at"),
}

// ListRacks lists racks with their open drift counts.
func (db *DB) ListRacks(ctx context.Context, q inventory.RackQuery) (inventory.List[inventory.RackView], error) {
	var zero inventory.List[inventory.RackView]
	spec, err := q.Page.Resolve(inventory.RackListing)
	if err == nil {
		err = q.Validate()
	}
	if err != nil {
		return zero, err
	}
	w := sqlkit.NewWhere(placeholder)
	rackFilters(w, q)
	// Counting needs the drift join only when a drift filter asks for it.
	from := rackDriftJoin
	if q.HasDrift == nil && len(q.DriftType) == 0 {
		from = "rack r"
	}
	total, err := db.count(ctx, `SELECT count(*) FROM `+from+` WHERE `+w.String(), w.Args())
	if err != nil {
		return zero, fmt.Errorf("postgres: racks: %w", err)
	}
	order, err := keyset(w, rackSortKeys, uuidKey("r.id"), spec)
	if err != nil {
		return zero, err
	}
	sql := fmt.Sprintf(`SELECT %s FROM %s WHERE %s %s LIMIT %d`, rackViewColumns, rackDriftJoin, w, order, spec.Limit+1)
	racks, err := collect(ctx, db, sql, w.Args(), scanRackView)
	if err != nil {
		return zero, fmt.Errorf("postgres: racks: %w", err)
	}
	page := sqlkit.FinishPage(racks, total, spec, func(r inventory.RackView) (string, string) {
		return rackSortValue(r.Rack, spec.Order.Column), r.ID
	})
	if q.IncludeComponents {
		if err := db.attachComponents(ctx, page.Items, q.Deleted); err != nil {
			return zero, err
		}
	}
	return page, nil
}

func rackFilters(w *sqlkit.Where, q inventory.RackQuery) {
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

func scanRackView(row pgx.CollectableRow) (inventory.RackView, error) {
	var v inventory.RackView
	var desc, loc *string
	r := &v.Rack
	err := row.Scan(&r.ID, &r.Name, &r.Manufacturer, &r.SerialNumber, &desc, &loc, &r.NVLDomainID,
		&r.Status, &r.CreatedAt, &r.UpdatedAt, &r.IngestedAt, &r.DeletedAt, &r.ExternalID,
		&v.Drift.MissingInActual, &v.Drift.MissingInExpected, &v.Drift.Mismatch, &v.Drift.Total)
	r.Description, r.Location = rawJSON(desc), rawJSON(loc)
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	r.IngestedAt, r.DeletedAt = utcPtr(r.IngestedAt), utcPtr(r.DeletedAt)
	return v, err
}

const componentColumns = `c.id::text, c.name, c.type, c.manufacturer, c.serial_number, c.model,
	c.description::text, c.firmware_version, c.rack_id::text, c.slot_id, c.tray_index, c.host_id, c.external_id,
	c.power_state, c.ingested_at, c.updated_at, c.deleted_at`

// slotOrder orders a rack's components as its elevation does.
const slotOrder = `ORDER BY c.slot_id NULLS LAST, c.tray_index NULLS LAST, c.serial_number, c.id`

// attachComponents fills the components of a page of racks with one query.
func (db *DB) attachComponents(ctx context.Context, racks []inventory.RackView, d inventory.Deleted) error {
	ids := make([]string, len(racks))
	for i, r := range racks {
		ids[i] = r.ID
	}
	w := sqlkit.NewWhere(placeholder)
	w.Add("c.rack_id = ANY(%s::uuid[])", ids)
	deletedCond(w, "c", d)
	cs, err := collect(ctx, db, `SELECT `+componentColumns+` FROM component c WHERE `+w.String()+` `+slotOrder, w.Args(), scanComponent)
	if err != nil {
		return fmt.Errorf("postgres: components of racks: %w", err)
	}
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
	return nil
}

// Rack returns one rack, by id or name, with its live components and their BMCs.
func (db *DB) Rack(ctx context.Context, idOrName string) (inventory.RackDetail, error) {
	v, err := db.rackView(ctx, idOrName)
	if err != nil {
		return inventory.RackDetail{}, err
	}
	d := inventory.RackDetail{Rack: v.Rack, Drift: v.Drift}
	if d.Components, err = db.rackComponents(ctx, v.ID); err != nil {
		return inventory.RackDetail{}, err
	}
	d.BMCs, err = collect(ctx, db, `SELECT b.mac_address, b.type, b.component_id::text, b.ip_address FROM bmc b
		JOIN component c ON c.id = b.component_id WHERE c.rack_id = $1::uuid AND c.deleted_at IS NULL
		ORDER BY b.mac_address`, []any{v.ID}, scanBMC)
	if err != nil {
		return inventory.RackDetail{}, fmt.Errorf("postgres: bmcs of rack %s: %w", v.ID, err)
	}
	return d, nil
}

// Elevation returns a rack's slots, expected against actual.
func (db *DB) Elevation(ctx context.Context, idOrName string) (inventory.Elevation, error) {
	v, err := db.rackView(ctx, idOrName)
	if err != nil {
		return inventory.Elevation{}, err
	}
	cs, err := db.rackComponents(ctx, v.ID)
	if err != nil {
		return inventory.Elevation{}, err
	}
	ds, err := collect(ctx, db, `SELECT `+driftColumns+` FROM component_drift d JOIN component c
		ON c.id = d.component_id WHERE c.rack_id = $1::uuid ORDER BY d.first_seen_at, d.id`, []any{v.ID}, scanDrift)
	if err != nil {
		return inventory.Elevation{}, fmt.Errorf("postgres: drift of rack %s: %w", v.ID, err)
	}
	return inventory.BuildElevation(v.Rack, cs, ds), nil
}

// rackView finds a rack by id or, failing that, by name.
func (db *DB) rackView(ctx context.Context, idOrName string) (inventory.RackView, error) {
	cond := `r.name = $1`
	if inventory.ValidID(idOrName) {
		cond = `r.id = $1::uuid`
	}
	rows, err := db.pool.Query(ctx, `SELECT `+rackViewColumns+` FROM `+rackDriftJoin+` WHERE `+cond, idOrName)
	if err != nil {
		return inventory.RackView{}, fmt.Errorf("postgres: rack %q: %w", idOrName, mapErr(err))
	}
	v, err := pgx.CollectExactlyOneRow(rows, scanRackView)
	if errors.Is(err, pgx.ErrNoRows) {
		return inventory.RackView{}, fmt.Errorf("rack %q: %w", idOrName, inventory.ErrNotFound)
	}
	if err != nil {
		return inventory.RackView{}, fmt.Errorf("postgres: rack %q: %w", idOrName, mapErr(err))
	}
	return v, nil
}

func (db *DB) rackComponents(ctx context.Context, rackID string) ([]inventory.Component, error) {
	cs, err := collect(ctx, db, `SELECT `+componentColumns+` FROM component c WHERE c.rack_id = $1::uuid
		AND c.deleted_at IS NULL `+slotOrder, []any{rackID}, scanComponent)
	if err != nil {
		return nil, fmt.Errorf("postgres: components of rack %s: %w", rackID, err)
	}
	if cs == nil {
		cs = []inventory.Component{}
	}
	return cs, nil
}
