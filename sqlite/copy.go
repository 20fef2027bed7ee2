package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

// The inserts of components, BMCs and events bind the rows' values directly
// into multi-row INSERT … VALUES statements, as many rows per statement as
// SQLite's limit on bound parameters allows: SQLite is in-process, so a bound
// value costs little, where a JSON payload costs encoding the batch here and
// json_each taking it apart again. 35,000 components take 19 statements.
// JSON columns pass through json(), which stores the same text json_each's ->
// did.

var _ sqlkit.Copier = (*tx)(nil)

// maxParams is SQLite's limit on the parameters of one statement
// (SQLITE_MAX_VARIABLE_NUMBER, 32766 since SQLite 3.32).
const maxParams = 32766

// bulkInsert is the multi-row INSERT of one table.
type bulkInsert struct {
	table string
	cols  []string
	row   string // "(?, json(?), …)": one row's placeholders
}

var (
	componentRowInsert = newBulkInsert("component", []string{"id", "name", "type", "manufacturer", "serial_number",
		"model", "description", "firmware_version", "rack_id", "slot_id", "tray_index", "host_id", "external_id",
		"power_state", "ingested_at", "updated_at", "deleted_at"})
	bmcRowInsert   = newBulkInsert("bmc", []string{"mac_address", "type", "component_id", "ip_address"})
	eventRowInsert = newBulkInsert("inventory_event", []string{"cycle_id", "at", "entity", "entity_id", "action", "changes", "source"})
)

// newBulkInsert renders one row's placeholders, with json(?) for JSON columns.
func newBulkInsert(table string, cols []string) bulkInsert {
	vals := make([]string, len(cols))
	for i, c := range cols {
		vals[i] = "?"
		if jsonColumns[c] {
			vals[i] = "json(?)"
		}
	}
	return bulkInsert{table: table, cols: cols, row: "(" + strings.Join(vals, ", ") + ")"}
}

// rowsPerStatement is how many rows one statement carries.
func (b bulkInsert) rowsPerStatement() int { return maxParams / len(b.cols) }

// sql is the statement for n rows.
func (b bulkInsert) sql(n int) string {
	var q strings.Builder
	fmt.Fprintf(&q, "INSERT INTO %s (%s) VALUES ", b.table, strings.Join(b.cols, ", "))
	for i := range n {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(b.row)
	}
	return q.String()
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

// eachRow inserts n rows, in order, in statements of rowsPerStatement rows
// (the last one shorter); every statement is counted. The full-size statement
// is prepared once and reused.
func (t *tx) eachRow(ctx context.Context, b bulkInsert, n int, row func(int) ([]any, error)) error {
	per := b.rowsPerStatement()
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	args := make([]any, 0, min(n, per)*len(b.cols))
	for first := 0; first < n; first += per {
		size := min(per, n-first)
		args = args[:0]
		for i := first; i < first+size; i++ {
			vals, err := row(i)
			if err != nil {
				return err
			}
			args = append(args, vals...)
		}
		t.db.statements.Add(1)
		if size < per {
			if _, err := t.conn.ExecContext(ctx, b.sql(size), args...); err != nil {
				return mapErr(err)
			}
			continue
		}
		if full == nil {
			stmt, err := t.conn.PrepareContext(ctx, b.sql(per))
			if err != nil {
				return mapErr(err)
			}
			full = stmt
		}
		if _, err := full.ExecContext(ctx, args...); err != nil {
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
