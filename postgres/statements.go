package postgres

import (
	"context"
	"fmt"
	"strings"

	"rackflow/internal/sqlkit"
)

// FreeValues is step one of a unique-value move: every listed column of every
// row in payload becomes NULL or the row's placeholder. Rows whose listed
// nullable columns already are NULL hold nothing to free and are not
// rewritten (a first actual sync sets external_id on rows that have none).
func (t *tx) FreeValues(ctx context.Context, tbl sqlkit.Table, payload []byte, cols []sqlkit.Column) error {
	sets, holds := make([]string, len(cols)), make([]string, len(cols))
	for i, c := range cols {
		freed, hold := "NULL", fmt.Sprintf("(u.doc ? '%s' AND t.%q IS NOT NULL)", c.Name, c.Name)
		if c.Move == sqlkit.Placeholder {
			freed, hold = fmt.Sprintf("chr(1) || 'moving:' || t.%s::text", tbl.Key), fmt.Sprintf("u.doc ? '%s'", c.Name)
		}
		sets[i] = fmt.Sprintf("%q = CASE WHEN u.doc ? '%s' THEN %s ELSE t.%q END", c.Name, c.Name, freed, c.Name)
		holds[i] = hold
	}
	return t.exec(ctx, updateSQL(tbl, sets)+" AND ("+strings.Join(holds, " OR ")+")", payload)
}

// SetValues writes the columns each row of payload carries.
func (t *tx) SetValues(ctx context.Context, tbl sqlkit.Table, payload []byte, cols []sqlkit.Column, at string) error {
	sets := make([]string, 0, len(cols)+1)
	for _, c := range cols {
		sets = append(sets, fmt.Sprintf("%q = CASE WHEN u.doc ? '%s' THEN %s ELSE t.%q END", c.Name, c.Name, valueExpr(c), c.Name))
	}
	args := []any{payload}
	if at != "" {
		sets = append(sets, "updated_at = $2::timestamptz")
		args = append(args, at)
	}
	return t.exec(ctx, updateSQL(tbl, sets), args...)
}

func updateSQL(tbl sqlkit.Table, sets []string) string {
	return fmt.Sprintf(`UPDATE %s AS t SET %s FROM jsonb_array_elements($1::jsonb) AS u(doc) WHERE t.%s = (u.doc->>'key')::%s`,
		tbl.Name, strings.Join(sets, ", "), tbl.Key, keyType(tbl))
}

func keyType(tbl sqlkit.Table) string {
	if tbl.Key == "id" {
		return "uuid"
	}
	return "text"
}

// valueExpr reads a column's new value out of the row document u.doc.
func valueExpr(c sqlkit.Column) string {
	switch c.Kind {
	case sqlkit.UUID:
		return fmt.Sprintf("(u.doc->>'%s')::uuid", c.Name)
	case sqlkit.Int:
		return fmt.Sprintf("(u.doc->>'%s')::bigint", c.Name)
	case sqlkit.JSON:
		return fmt.Sprintf("NULLIF(u.doc->'%s', 'null'::jsonb)", c.Name)
	case sqlkit.Time:
		return fmt.Sprintf("(u.doc->>'%s')::timestamptz", c.Name)
	}
	return fmt.Sprintf("u.doc->>'%s'", c.Name)
}

// DeleteRows hard-deletes every row whose key is listed.
func (t *tx) DeleteRows(ctx context.Context, tbl sqlkit.Table, keys []string) error {
	sql := fmt.Sprintf(`DELETE FROM %s WHERE %s = ANY($1::text[]::%s[])`, tbl.Name, tbl.Key, keyType(tbl))
	return t.exec(ctx, sql, keys)
}

// InsertRacks inserts every rack in payload.
func (t *tx) InsertRacks(ctx context.Context, payload []byte) error {
	return t.exec(ctx, `INSERT INTO rack (id, name, manufacturer, serial_number, description, location,
		nvldomain_id, status, created_at, updated_at, ingested_at, deleted_at, external_id)
	SELECT id, name, manufacturer, serial_number, description, location,
		nvldomain_id, status, created_at, updated_at, ingested_at, deleted_at, external_id
	FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, name text, manufacturer text, serial_number text,
		description jsonb, location jsonb, nvldomain_id uuid, status text, created_at timestamptz,
		updated_at timestamptz, ingested_at timestamptz, deleted_at timestamptz, external_id text)`, payload)
}

// InsertComponents inserts every component in payload.
func (t *tx) InsertComponents(ctx context.Context, payload []byte) error {
	return t.exec(ctx, `INSERT INTO component (id, name, type, manufacturer, serial_number, model, description,
		firmware_version, rack_id, slot_id, tray_index, host_id, external_id, power_state, ingested_at,
		updated_at, deleted_at)
	SELECT id, name, type, manufacturer, serial_number, model, description,
		firmware_version, rack_id, slot_id, tray_index, host_id, external_id, power_state, ingested_at,
		updated_at, deleted_at
	FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, name text, type text, manufacturer text,
		serial_number text, model text, description jsonb, firmware_version text, rack_id uuid,
		slot_id bigint, tray_index bigint, host_id bigint, external_id text, power_state int,
		ingested_at timestamptz, updated_at timestamptz, deleted_at timestamptz)`, payload)
}

// InsertBMCs inserts every BMC in payload.
func (t *tx) InsertBMCs(ctx context.Context, payload []byte) error {
	return t.exec(ctx, `INSERT INTO bmc (mac_address, type, component_id, ip_address)
	SELECT mac_address, type, component_id, ip_address
	FROM jsonb_to_recordset($1::jsonb) AS x(mac_address text, type text, component_id uuid, ip_address text)`, payload)
}

// InsertEvents appends every event in payload, keeping payload order in ids.
func (t *tx) InsertEvents(ctx context.Context, payload []byte) error {
	return t.exec(ctx, `INSERT INTO inventory_event (cycle_id, at, entity, entity_id, action, changes, source)
	SELECT cycle_id, at, entity, entity_id, action, changes, source
	FROM jsonb_to_recordset($1::jsonb) AS x(cycle_id uuid, at timestamptz, entity text, entity_id text,
		action text, changes jsonb, source text, seq int)
	ORDER BY seq`, payload)
}
