package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

var _ inventory.Reader = (*DB)(nil)

// dialect is how the shared listings are written in PostgreSQL: uuids and
// JSON are read as text, lists of ids travel as one uuid[] parameter.
var dialect = sqlkit.Dialect{
	Mark:      placeholder,
	UUIDParam: "%s::uuid",
	IntParam:  "%s::bigint",
	Time:      func(t time.Time) any { return inventory.Timestamp(t) },
	InIDs:     func(expr string) string { return expr + " = ANY(%s::uuid[])" },
	IDs:       func(ids []string) any { return ids },
	Elements: func(array string) (string, string) {
		return "jsonb_array_elements(" + array + ") e", "e"
	},
	NullTime:         "NULL::timestamptz",
	DriftComponents:  `JOIN component c ON c.id = d.component_id WHERE c.rack_id IS NOT NULL`,
	RackColumns:      rackViewColumns,
	ComponentColumns: componentColumns,
	DriftItemColumns: driftItemColumns,
	CycleColumns:     cycleColumns,
	BMCColumns:       `b.mac_address, b.type, b.component_id::text, b.ip_address`,
	DriftColumns:     driftColumns,
	EventColumns:     `id, cycle_id::text, at, entity, entity_id, action, changes::text, source`,
}

// list runs a listing: its count, then its page.
func list[T any](ctx context.Context, db *DB, l sqlkit.Listing[T], scan pgx.RowToFunc[T]) (inventory.List[T], error) {
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
	if err := db.pool.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
		return 0, mapErr(err)
	}
	return n, nil
}

// collect runs a query and scans every row with scan.
func collect[T any](ctx context.Context, db *DB, sql string, args []any, scan pgx.RowToFunc[T]) ([]T, error) {
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	out, err := pgx.CollectRows(rows, scan)
	return out, mapErr(err)
}
