package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

// The inserts of components, BMCs and events travel by binary COPY: the
// values go to the server as they are, with no JSON document to build on
// this side and to take apart on the other. COPY checks the same
// constraints and fires the same triggers as INSERT.

var _ sqlkit.Copier = (*tx)(nil)

var (
	componentCopyColumns = []string{"id", "name", "type", "manufacturer", "serial_number", "model", "description",
		"firmware_version", "rack_id", "slot_id", "tray_index", "host_id", "external_id", "power_state",
		"ingested_at", "updated_at", "deleted_at"}
	bmcCopyColumns   = []string{"mac_address", "type", "component_id", "ip_address"}
	eventCopyColumns = []string{"cycle_id", "at", "entity", "entity_id", "action", "changes", "source"}
)

// CopyComponents inserts every component; a zero UpdatedAt becomes at.
func (t *tx) CopyComponents(ctx context.Context, rows []inventory.Component, at time.Time) error {
	return t.copy(ctx, "component", componentCopyColumns, len(rows), func(i int) ([]any, error) {
		c := rows[i]
		updated := c.UpdatedAt
		if updated.IsZero() {
			updated = at
		}
		var power *int32
		if c.PowerState != nil {
			p := int32(*c.PowerState)
			power = &p
		}
		return []any{uuidArg(c.ID), c.Name, string(c.Type), c.Manufacturer, c.SerialNumber, c.Model, jsonValue(c.Description),
			c.FirmwareVersion, uuidPtrArg(c.RackID), c.SlotID, c.TrayIndex, c.HostID, c.ExternalID, power,
			timePtr(c.IngestedAt), inventory.Timestamp(updated), timePtr(c.DeletedAt)}, nil
	})
}

// CopyBMCs inserts every BMC, its MAC normalised. An invalid MAC is an
// error naming it, before anything is sent.
func (t *tx) CopyBMCs(ctx context.Context, rows []inventory.BMC) error {
	macs := make([]string, len(rows))
	for i, b := range rows {
		mac, err := inventory.NormalizeMAC(b.MAC)
		if err != nil {
			return fmt.Errorf("sqlkit: bmc insert: %w", err)
		}
		macs[i] = mac
	}
	return t.copy(ctx, "bmc", bmcCopyColumns, len(rows), func(i int) ([]any, error) {
		b := rows[i]
		return []any{macs[i], string(b.Type), uuidArg(b.ComponentID), b.IPAddress}, nil
	})
}

// CopyEvents appends every event; ids follow the rows' order. Each event's
// changes are encoded as its row is sent, not all before the COPY: at 10,000
// racks a first cycle's Compute step sends 540,000 events, whose JSON would
// otherwise be held at once (over 100 MB). A change that cannot be encoded
// fails the COPY, and with it the step's transaction, naming the event.
func (t *tx) CopyEvents(ctx context.Context, rows []inventory.Event) error {
	return t.copy(ctx, "inventory_event", eventCopyColumns, len(rows), func(i int) ([]any, error) {
		e := rows[i]
		changes, err := sqlkit.ChangesJSON(e.Changes) // JSON text: pgx sends a []byte to a jsonb column as it is
		if err != nil {
			return nil, fmt.Errorf("sqlkit: event %s %s: %w", e.Entity, e.EntityID, err)
		}
		return []any{uuidPtrArg(e.CycleID), inventory.Timestamp(e.At), e.Entity, e.EntityID, string(e.Action), changes, string(e.Source)}, nil
	})
}

// copy is one COPY statement of n rows, each made by row.
func (t *tx) copy(ctx context.Context, table string, cols []string, n int, row func(int) ([]any, error)) error {
	t.db.statements.Add(1)
	_, err := t.tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromSlice(n, row))
	return mapErr(err)
}

// uuidArg is a uuid column's value in binary form, so that pgx need not
// parse the text of each one (it first tries and fails to encode a string as
// a uuid, which costs an error value per row). Anything but the canonical
// form the application writes goes as text, for the server to judge.
func uuidArg(s string) any {
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return s
	}
	var u pgtype.UUID
	n := 0 // hex digits read
	for i := range len(s) {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			continue
		}
		d, ok := hexDigit(s[i])
		if !ok {
			return s
		}
		if n%2 == 0 {
			u.Bytes[n/2] = d << 4
		} else {
			u.Bytes[n/2] |= d
		}
		n++
	}
	u.Valid = true
	return u
}

func uuidPtrArg(s *string) any {
	if s == nil {
		return nil
	}
	return uuidArg(*s)
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// jsonValue is a JSON column's value: NULL for none, and for JSON null, as a
// JSON payload's null always became.
func jsonValue(m []byte) any {
	if len(m) == 0 || string(m) == "null" {
		return nil
	}
	return string(m)
}

func timePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := inventory.Timestamp(*t)
	return &v
}
