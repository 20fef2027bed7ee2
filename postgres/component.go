package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"rackflow/inventory"
)

// Components returns every component row of every type, tombstones included.
func (t *tx) Components(ctx context.Context) ([]inventory.Component, error) {
	// Plain columns let the server send its tuples as they are; the jsonb
	// goes as text, which keeps a JSON null apart from SQL NULL.
	rows, err := t.tx.Query(ctx, `SELECT id, name, type, manufacturer, serial_number, model,
		description::text, firmware_version, rack_id, slot_id, tray_index, host_id, external_id,
		power_state, ingested_at, updated_at, deleted_at FROM component`)
	if err != nil {
		return nil, fmt.Errorf("postgres: reading components: %w", mapErr(err))
	}
	defer rows.Close()
	scan := componentScan{seen: newSeenValues()}
	dests := scan.dests()
	var cs []inventory.Component
	for rows.Next() {
		if err := rows.Scan(dests...); err != nil {
			return nil, fmt.Errorf("postgres: reading components: %w", mapErr(err))
		}
		c, err := scan.row()
		if err != nil {
			return nil, fmt.Errorf("postgres: reading components: %w", err)
		}
		cs = append(cs, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: reading components: %w", mapErr(err))
	}
	// Sorted here: ORDER BY sorts whole rows on the server, spilling to
	// disk on a large site.
	inventory.SortComponents(cs)
	return cs, nil
}

func scanComponent(row pgx.CollectableRow) (inventory.Component, error) {
	var c inventory.Component
	var desc *string
	var power *int32
	err := row.Scan(&c.ID, &c.Name, &c.Type, &c.Manufacturer, &c.SerialNumber, &c.Model, &desc,
		&c.FirmwareVersion, &c.RackID, &c.SlotID, &c.TrayIndex, &c.HostID, &c.ExternalID, &power,
		&c.IngestedAt, &c.UpdatedAt, &c.DeletedAt)
	c.Description = rawJSON(desc)
	if power != nil {
		p := inventory.PowerState(*power)
		c.PowerState = &p
	}
	c.UpdatedAt = c.UpdatedAt.UTC()
	c.IngestedAt, c.DeletedAt = utcPtr(c.IngestedAt), utcPtr(c.DeletedAt)
	return c, err
}
