package sqlite

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
		carried := fmt.Sprintf("json_type(u.value, '$.%s') IS NOT NULL", c.Name)
		freed, hold := "NULL", fmt.Sprintf("(%s AND %s.%q IS NOT NULL)", carried, tbl.Name, c.Name)
		if c.Move == sqlkit.Placeholder {
			freed, hold = fmt.Sprintf("char(1) || 'moving:' || %s.%s", tbl.Name, tbl.Key), carried
		}
		sets[i] = fmt.Sprintf("%q = CASE WHEN %s THEN %s ELSE %s.%q END", c.Name, carried, freed, tbl.Name, c.Name)
		holds[i] = hold
	}
	return t.exec(ctx, updateSQL(tbl, sets)+" AND ("+strings.Join(holds, " OR ")+")", string(payload))
}

// SetValues writes the columns each row of payload carries.
func (t *tx) SetValues(ctx context.Context, tbl sqlkit.Table, payload []byte, cols []sqlkit.Column, at string) error {
	sets := make([]string, 0, len(cols)+1)
	for _, c := range cols {
		sets = append(sets, fmt.Sprintf("%q = CASE WHEN json_type(u.value, '$.%s') IS NOT NULL THEN %s ELSE %s.%q END",
			c.Name, c.Name, extract("u.value", c.Name, c.Kind == sqlkit.JSON), tbl.Name, c.Name))
	}
	args := []any{string(payload)}
	if at != "" {
		sets = append(sets, "updated_at = ?2")
		args = append(args, at)
	}
	return t.exec(ctx, updateSQL(tbl, sets), args...)
}

func updateSQL(tbl sqlkit.Table, sets []string) string {
	return fmt.Sprintf(`UPDATE %s SET %s FROM json_each(?1) AS u WHERE %s.%s = json_extract(u.value, '$.key')`,
		tbl.Name, strings.Join(sets, ", "), tbl.Name, tbl.Key)
}

// DeleteRows hard-deletes every row whose key is listed.
func (t *tx) DeleteRows(ctx context.Context, tbl sqlkit.Table, keys []string) error {
	q := fmt.Sprintf(`DELETE FROM %s WHERE %s IN (SELECT value FROM json_each(?))`, tbl.Name, tbl.Key)
	return t.exec(ctx, q, string(sqlkit.IDsJSON(keys)))
}

// extract reads member name of the JSON document doc. A JSON-typed member keeps
// its JSON text (a JSON string stays quoted); JSON null becomes SQL NULL.
func extract(doc, name string, isJSON bool) string {
	if isJSON {
		return fmt.Sprintf("NULLIF(%s -> '$.%s', 'null')", doc, name)
	}
	return fmt.Sprintf("json_extract(%s, '$.%s')", doc, name)
}

// insertSQL builds INSERT … SELECT json_extract(value, '$.col') … FROM json_each(?).
func insertSQL(table string, cols []string) string {
	sel := make([]string, len(cols))
	for i, c := range cols {
		sel[i] = extract("value", c, jsonColumns[c])
	}
	return fmt.Sprintf(`INSERT INTO %s (%s) SELECT %s FROM json_each(?) ORDER BY key`,
		table, strings.Join(cols, ", "), strings.Join(sel, ", "))
}

// jsonColumns are the insert columns that hold JSON documents.
var jsonColumns = map[string]bool{"description": true, "location": true, "changes": true, "diffs": true}

var (
	rackInsert = insertSQL("rack", []string{"id", "name", "manufacturer", "serial_number", "description",
		"location", "nvldomain_id", "status", "created_at", "updated_at", "ingested_at", "deleted_at", "external_id"})
	componentInsert = insertSQL("component", []string{"id", "name", "type", "manufacturer", "serial_number",
		"model", "description", "firmware_version", "rack_id", "slot_id", "tray_index", "host_id", "external_id",
		"power_state", "ingested_at", "updated_at", "deleted_at"})
	bmcInsert   = insertSQL("bmc", []string{"mac_address", "type", "component_id", "ip_address"})
	eventInsert = insertSQL("inventory_event", []string{"cycle_id", "at", "entity", "entity_id", "action", "changes", "source"})
)

// InsertRacks inserts every rack in payload.
func (t *tx) InsertRacks(ctx context.Context, payload []byte) error {
	return t.exec(ctx, rackInsert, string(payload))
}

// InsertComponents inserts every component in payload.
func (t *tx) InsertComponents(ctx context.Context, payload []byte) error {
	return t.exec(ctx, componentInsert, string(payload))
}

// InsertBMCs inserts every BMC in payload.
func (t *tx) InsertBMCs(ctx context.Context, payload []byte) error {
	return t.exec(ctx, bmcInsert, string(payload))
}

// InsertEvents appends every event in payload, keeping payload order in ids.
func (t *tx) InsertEvents(ctx context.Context, payload []byte) error {
	return t.exec(ctx, eventInsert, string(payload))
}
