package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

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
		return page, fmt.Errorf("postgres: components: %w", err)
	}
	return page, nil
}

func scanComponentView(row pgx.CollectableRow) (inventory.ComponentView, error) {
	var v inventory.ComponentView
	var desc *string
	var power *int32
	c := &v.Component
	err := row.Scan(&c.ID, &c.Name, &c.Type, &c.Manufacturer, &c.SerialNumber, &c.Model, &desc,
		&c.FirmwareVersion, &c.RackID, &c.SlotID, &c.TrayIndex, &c.HostID, &c.ExternalID, &power,
		&c.IngestedAt, &c.UpdatedAt, &c.DeletedAt, &v.RackName)
	c.Description = rawJSON(desc)
	if power != nil {
		c.PowerState = inventory.Ptr(inventory.PowerState(*power))
	}
	c.UpdatedAt = c.UpdatedAt.UTC()
	c.IngestedAt, c.DeletedAt = utcPtr(c.IngestedAt), utcPtr(c.DeletedAt)
	return v, err
}

func scanBMC(row pgx.CollectableRow) (inventory.BMC, error) {
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
	rows, err := db.pool.Query(ctx, dialect.ComponentByID(), id)
	if err != nil {
		return d, fmt.Errorf("postgres: component %s: %w", id, mapErr(err))
	}
	v, err := pgx.CollectExactlyOneRow(rows, scanComponentView)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, fmt.Errorf("component %q: %w", id, inventory.ErrNotFound)
	}
	if err != nil {
		return d, fmt.Errorf("postgres: component %s: %w", id, mapErr(err))
	}
	d = inventory.ComponentDetail{Component: v.Component, RackName: v.RackName}
	return d, db.componentRelations(ctx, &d)
}

// componentRelations fills the BMCs, drift, history and events of d.
func (db *DB) componentRelations(ctx context.Context, d *inventory.ComponentDetail) error {
	var err error
	if d.BMCs, err = collect(ctx, db, dialect.ComponentBMCs(), []any{d.ID}, scanBMC); err != nil {
		return fmt.Errorf("postgres: bmcs of component %s: %w", d.ID, err)
	}
	if d.Drift, err = collect(ctx, db, dialect.ComponentDrift(), []any{d.ID}, scanDrift); err != nil {
		return fmt.Errorf("postgres: drift of component %s: %w", d.ID, err)
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
