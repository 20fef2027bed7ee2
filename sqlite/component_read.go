package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

// ListComponents lists components with the name of their rack.
func (db *DB) ListComponents(ctx context.Context, q inventory.ComponentQuery) (inventory.List[inventory.ComponentView], error) {
	l, err := sqlkit.ComponentList(dialect, q)
	if err != nil {
		return inventory.List[inventory.ComponentView]{}, err
	}
	page, err := list(ctx, db, l, scanComponentView)
	if err != nil {
		return page, fmt.Errorf("sqlite: components: %w", err)
	}
	return page, nil
}

func scanComponentView(row scanner) (inventory.ComponentView, error) {
	var v inventory.ComponentView
	c := &v.Component
	err := row.Scan(&c.ID, &c.Name, &c.Type, &c.Manufacturer, &c.SerialNumber, &c.Model,
		jsonText{&c.Description}, &c.FirmwareVersion, &c.RackID, &c.SlotID, &c.TrayIndex, &c.HostID,
		&c.ExternalID, &c.PowerState, nullTimeText{&c.IngestedAt}, timeText{&c.UpdatedAt},
		nullTimeText{&c.DeletedAt}, &v.RackName)
	return v, err
}

func scanComponent(row scanner) (inventory.Component, error) {
	var c inventory.Component
	err := row.Scan(&c.ID, &c.Name, &c.Type, &c.Manufacturer, &c.SerialNumber, &c.Model,
		jsonText{&c.Description}, &c.FirmwareVersion, &c.RackID, &c.SlotID, &c.TrayIndex, &c.HostID,
		&c.ExternalID, &c.PowerState, nullTimeText{&c.IngestedAt}, timeText{&c.UpdatedAt},
		nullTimeText{&c.DeletedAt})
	return c, err
}

func scanBMC(row scanner) (inventory.BMC, error) {
	var b inventory.BMC
	err := row.Scan(&b.MAC, &b.Type, &b.ComponentID, &b.IPAddress)
	return b, err
}

// Component returns one component with its BMCs, open drift, drift history
// and latest events.
func (db *DB) Component(ctx context.Context, id string) (inventory.ComponentDetail, error) {
	var d inventory.ComponentDetail
	if !inventory.ValidID(id) {
		return d, fmt.Errorf("component %q: %w", id, inventory.ErrNotFound)
	}
	row := db.db.QueryRowContext(ctx, dialect.ComponentByID(), id)
	v, err := scanComponentView(row)
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("component %q: %w", id, inventory.ErrNotFound)
	}
	if err != nil {
		return d, fmt.Errorf("sqlite: component %s: %w", id, mapErr(err))
	}
	d = inventory.ComponentDetail{Component: v.Component, RackName: v.RackName}
	return d, db.componentRelations(ctx, &d)
}

// componentRelations fills the BMCs, drift, history and events of d.
func (db *DB) componentRelations(ctx context.Context, d *inventory.ComponentDetail) error {
	var err error
	if d.BMCs, err = collect(ctx, db, dialect.ComponentBMCs(), []any{d.ID}, scanBMC); err != nil {
		return fmt.Errorf("sqlite: bmcs of component %s: %w", d.ID, err)
	}
	if d.Drift, err = collect(ctx, db, dialect.ComponentDrift(), []any{d.ID}, scanDrift); err != nil {
		return fmt.Errorf("sqlite: drift of component %s: %w", d.ID, err)
	}
	if d.DriftHistory, err = db.DriftHistory(ctx, inventory.DriftHistoryFilter{ComponentID: d.ID}); err != nil {
		return err
	}
	events, err := db.ListEvents(ctx, inventory.EventQuery{Entity: []string{inventory.EntityComponent},
		EntityID: []string{d.ID}, Page: inventory.Page{Limit: inventory.ComponentEventLimit}})
	if err != nil {
		return err
	}
	d.Events = events.Items
	d.BMCs, d.Drift, d.DriftHistory = orEmpty(d.BMCs), orEmpty(d.Drift), orEmpty(d.DriftHistory)
	return nil
}

func orEmpty[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
