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

// ListRacks lists racks with their open drift counts.
func (db *DB) ListRacks(ctx context.Context, q inventory.RackQuery) (inventory.List[inventory.RackView], error) {
	l, err := sqlkit.RackList(dialect, q)
	if err != nil {
		return inventory.List[inventory.RackView]{}, err
	}
	page, err := list(ctx, db, l, scanRackView)
	if err != nil {
		return page, fmt.Errorf("postgres: racks: %w", err)
	}
	if q.IncludeComponents {
		if err := db.attachComponents(ctx, page.Items, q.Deleted); err != nil {
			return inventory.List[inventory.RackView]{}, err
		}
	}
	return page, nil
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

// attachComponents fills the components of a page of racks with one query.
func (db *DB) attachComponents(ctx context.Context, racks []inventory.RackView, d inventory.Deleted) error {
	st := dialect.RackComponents(racks, d)
	cs, err := collect(ctx, db, st.SQL, st.Args, scanComponent)
	if err != nil {
		return fmt.Errorf("postgres: components of racks: %w", err)
	}
	sqlkit.AttachComponents(racks, cs)
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
	d.BMCs, err = collect(ctx, db, dialect.RackBMCs(), []any{v.ID}, scanBMC)
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
	ds, err := collect(ctx, db, dialect.RackDrift(), []any{v.ID}, scanDrift)
	if err != nil {
		return inventory.Elevation{}, fmt.Errorf("postgres: drift of rack %s: %w", v.ID, err)
	}
	return inventory.BuildElevation(v.Rack, cs, ds), nil
}

// rackView finds a rack by id or, failing that, by name.
func (db *DB) rackView(ctx context.Context, idOrName string) (inventory.RackView, error) {
	rows, err := db.pool.Query(ctx, dialect.RackByIDOrName(idOrName), idOrName)
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
	cs, err := collect(ctx, db, dialect.RackLiveComponents(), []any{rackID}, scanComponent)
	if err != nil {
		return nil, fmt.Errorf("postgres: components of rack %s: %w", rackID, err)
	}
	if cs == nil {
		cs = []inventory.Component{}
	}
	return cs, nil
}
