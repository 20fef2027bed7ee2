package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"rackflow/inventory"
)

// Racks returns every rack row, tombstones included.
func (t *tx) Racks(ctx context.Context) ([]inventory.Rack, error) {
	rows, err := t.tx.Query(ctx, `SELECT id::text, name, manufacturer, serial_number, description::text,
		location::text, nvldomain_id::text, coalesce(status, ''), created_at, updated_at, ingested_at,
		deleted_at, external_id FROM rack`)
	if err != nil {
		return nil, fmt.Errorf("postgres: reading racks: %w", mapErr(err))
	}
	racks, err := pgx.CollectRows(rows, scanRack)
	if err != nil {
		return nil, fmt.Errorf("postgres: reading racks: %w", mapErr(err))
	}
	inventory.SortRacks(racks) // as the components are
	return racks, nil
}

func scanRack(row pgx.CollectableRow) (inventory.Rack, error) {
	var r inventory.Rack
	var desc, loc *string
	err := row.Scan(&r.ID, &r.Name, &r.Manufacturer, &r.SerialNumber, &desc, &loc, &r.NVLDomainID,
		&r.Status, &r.CreatedAt, &r.UpdatedAt, &r.IngestedAt, &r.DeletedAt, &r.ExternalID)
	r.Description, r.Location = rawJSON(desc), rawJSON(loc)
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	r.IngestedAt, r.DeletedAt = utcPtr(r.IngestedAt), utcPtr(r.DeletedAt)
	return r, err
}

func rawJSON(s *string) []byte {
	if s == nil {
		return nil
	}
	return []byte(*s)
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
