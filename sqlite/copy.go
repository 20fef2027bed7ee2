package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

// The inserts of components, BMCs and events run as one prepared statement
// per batch, executed once per row inside the step's transaction: SQLite is
// in-process, so a row costs a bind and a step, where a JSON payload costs
// encoding the batch here and json_each taking it apart again. JSON columns
// pass through json(), which stores the same text json_each's -> did.

var _ sqlkit.Copier = (*tx)(nil)

var (
	componentRowInsert = rowInsertSQL("component", []string{"id", "name", "type", "manufacturer", "serial_number",
		"model", "description", "firmware_version", "rack_id", "slot_id", "tray_index", "host_id", "external_id",
		"power_state", "ingested_at", "updated_at", "deleted_at"})
	bmcRowInsert   = rowInsertSQL("bmc", []string{"mac_address", "type", "component_id", "ip_address"})
	eventRowInsert = rowInsertSQL("inventory_event", []string{"cycle_id", "at", "entity", "entity_id", "action", "changes", "source"})
)

// rowInsertSQL builds INSERT … VALUES (?, …) with json(?) for JSON columns.
func rowInsertSQL(table string, cols []string) string {
	vals := make([]string, len(cols))
	for i, c := range cols {
		vals[i] = "?"
		if jsonColumns[c] {
			vals[i] = "json(?)"
		}
	}
	return fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", table, strings.Join(cols, ", "), strings.Join(vals, ", "))
}

// CopyComponents inserts every component; a zero UpdatedAt becomes at.
func (t *tx) CopyComponents(ctx context.Context, rows []inventory.Component, at time.Time) error {
	return t.eachRow(ctx, componentRowInsert, len(rows), func(i int) ([]any, error) {
		c := rows[i]
		updated := c.UpdatedAt
		if updated.IsZero() {
			updated = at
		}
		desc, err := jsonArg(c.Description)
		if err != nil {
			return nil, fmt.Errorf("sqlkit: component %s description: %w", c.ID, err)
		}
		var power *int64
		if c.PowerState != nil {
			p := int64(*c.PowerState)
			power = &p
		}
		return []any{c.ID, c.Name, string(c.Type), c.Manufacturer, c.SerialNumber, c.Model, desc, c.FirmwareVersion,
			c.RackID, c.SlotID, c.TrayIndex, c.HostID, c.ExternalID, power, sqlkit.FormatTimePtr(c.IngestedAt),
			sqlkit.FormatTime(updated), sqlkit.FormatTimePtr(c.DeletedAt)}, nil
	})
}

// CopyBMCs inserts every BMC, its MAC normalised; an invalid MAC is an error
// naming it.
func (t *tx) CopyBMCs(ctx context.Context, rows []inventory.BMC) error {
	return t.eachRow(ctx, bmcRowInsert, len(rows), func(i int) ([]any, error) {
		b := rows[i]
		mac, err := inventory.NormalizeMAC(b.MAC)
		if err != nil {
			return nil, fmt.Errorf("sqlkit: bmc insert: %w", err)
		}
		return []any{mac, string(b.Type), b.ComponentID, b.IPAddress}, nil
	})
}

// CopyEvents appends every event in order.
func (t *tx) CopyEvents(ctx context.Context, rows []inventory.Event) error {
	return t.eachRow(ctx, eventRowInsert, len(rows), func(i int) ([]any, error) {
		e := rows[i]
		ch, err := sqlkit.ChangesJSON(e.Changes)
		if err != nil {
			return nil, fmt.Errorf("sqlkit: event %s %s: %w", e.Entity, e.EntityID, err)
		}
		return []any{e.CycleID, sqlkit.FormatTime(e.At), e.Entity, e.EntityID, string(e.Action), string(ch), string(e.Source)}, nil
	})
}

// eachRow prepares q once, counted as one statement, and executes it for
// each of n rows.
func (t *tx) eachRow(ctx context.Context, q string, n int, row func(int) ([]any, error)) error {
	t.db.statements.Add(1)
	stmt, err := t.conn.PrepareContext(ctx, q)
	if err != nil {
		return mapErr(err)
	}
	defer stmt.Close()
	for i := range n {
		args, err := row(i)
		if err != nil {
			return err
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// jsonArg is a JSON column's argument for json(?): nil for none or JSON null,
// else the text as a JSON payload carried it (compact, HTML characters
// escaped), so that the stored text is what json_each stored.
func jsonArg(m []byte) (any, error) {
	if len(m) == 0 || string(m) == "null" {
		return nil, nil
	}
	b, err := json.Marshal(json.RawMessage(m))
	if err != nil {
		return nil, err
	}
	return string(b), nil
}
