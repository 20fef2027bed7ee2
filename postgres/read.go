package postgres

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

var _ inventory.Reader = (*DB)(nil)

// uuidKey and friends are sort and tie-break keys by column kind.
func uuidKey(expr string) sqlkit.Key {
	return sqlkit.Key{Expr: expr, Param: "%s::uuid", Kind: sqlkit.UUID}
}
func textKey(expr string) sqlkit.Key { return sqlkit.Key{Expr: expr, Param: "%s", Kind: sqlkit.Text} }
func timeKey(expr string) sqlkit.Key { return sqlkit.Key{Expr: expr, Param: "%s", Kind: sqlkit.Time} }
func intKey(expr string) sqlkit.Key {
	return sqlkit.Key{Expr: expr, Param: "%s::bigint", Kind: sqlkit.Int}
}

// cursorArg converts a cursor's text value into the parameter of its key.
func cursorArg(k sqlkit.Key, v string) (any, error) {
	switch k.Kind {
	case sqlkit.Time:
		return inventory.ParseCursorTime(v)
	case sqlkit.Int:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("cursor value %q: %w", v, inventory.ErrInvalid)
		}
		return n, nil
	}
	if k.Kind == sqlkit.UUID && !inventory.ValidID(v) {
		return nil, fmt.Errorf("cursor id %q: %w: not a uuid", v, inventory.ErrInvalid)
	}
	return v, nil
}

// keyset adds the cursor condition of spec and returns the ORDER BY clause.
func keyset(w *sqlkit.Where, keys map[string]sqlkit.Key, id sqlkit.Key, spec inventory.PageSpec) (string, error) {
	sort, err := sqlkit.SortKey(keys, spec.Order)
	if err != nil {
		return "", err
	}
	if spec.After != nil {
		v, err := cursorArg(sort, spec.After.Value)
		if err != nil {
			return "", err
		}
		idv, err := cursorArg(id, spec.After.ID)
		if err != nil {
			return "", err
		}
		w.After(sort, id, spec.Order.Desc, v, idv)
	}
	return sqlkit.OrderBy(sort, id, spec.Order.Desc), nil
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

// deletedCond is the condition of a Deleted filter on alias's deleted_at.
func deletedCond(w *sqlkit.Where, alias string, d inventory.Deleted) {
	switch d {
	case inventory.DeletedExclude:
		w.Raw(alias + ".deleted_at IS NULL")
	case inventory.DeletedOnly:
		w.Raw(alias + ".deleted_at IS NOT NULL")
	}
}

// splitIDs separates values that are uuids from names.
func splitIDs(vs []string) (ids, names []string) {
	for _, v := range vs {
		if inventory.ValidID(v) {
			ids = append(ids, v)
		} else {
			names = append(names, v)
		}
	}
	return ids, names
}
