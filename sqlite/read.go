package sqlite

import (
	"context"
	"time"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

var _ inventory.Reader = (*DB)(nil)

// dialect is how the shared listings are written in SQLite: every value is
// compared as stored (timestamps are fixed-width text), lists of ids travel
// as one JSON array.
var dialect = sqlkit.Dialect{
	Mark:      placeholder,
	UUIDParam: "%s",
	IntParam:  "%s",
	Time:      func(t time.Time) any { return sqlkit.FormatTime(t) },
	InIDs:     func(expr string) string { return expr + " IN (SELECT value FROM json_each(%s))" },
	IDs:       func(ids []string) any { return string(sqlkit.IDsJSON(ids)) },
	Elements: func(array string) (string, string) {
		return "json_each(" + array + ") e", "e.value"
	},
	NullTime: "NULL",
	// CROSS JOIN makes SQLite drive the aggregate from the (small) drift
	// table and look components up by primary key, rather than walk every
	// component that has a rack.
	DriftComponents:  `CROSS JOIN component c ON c.id = d.component_id`,
	RackColumns:      rackViewColumns,
	ComponentColumns: componentColumns,
	DriftItemColumns: driftItemColumns,
	CycleColumns:     cycleColumns,
	BMCColumns:       `b.mac_address, b.type, b.component_id, b.ip_address`,
	DriftColumns:     driftColumns,
	EventColumns:     `id, cycle_id, at, entity, entity_id, action, changes, source`,
}

// list runs a listing: its count, then its page.
func list[T any](ctx context.Context, db *DB, l sqlkit.Listing[T], scan func(scanner) (T, error)) (inventory.List[T], error) {
	total, err := db.count(ctx, l.Count.SQL, l.Count.Args)
	if err != nil {
		return inventory.List[T]{}, err
	}
	rows, err := collect(ctx, db, l.Page.SQL, l.Page.Args, scan)
	if err != nil {
		return inventory.List[T]{}, err
	}
	return l.Finish(rows, total), nil
}

// count runs a count(*) query.
func (db *DB) count(ctx context.Context, sql string, args []any) (int, error) {
	var n int
	if err := db.db.QueryRowContext(ctx, sql, args...).Scan(&n); err != nil {
		return 0, mapErr(err)
	}
	return n, nil
}

// collect runs a query and scans every row with scan.
func collect[T any](ctx context.Context, db *DB, sql string, args []any, scan func(scanner) (T, error)) ([]T, error) {
	rows, err := db.db.QueryContext(ctx, sql, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, mapErr(rows.Err())
}
