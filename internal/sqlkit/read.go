package sqlkit

import (
	"fmt"
	"strconv"
	"time"

	"rackflow/inventory"
)

// Dialect is what the listings of inventory.Reader need to know of one SQL
// dialect: how parameters are written and cast, and the column lists that
// each store scans its own way. Each store declares one.
type Dialect struct {
	// Mark renders the placeholder of the nth parameter.
	Mark func(n int) string
	// UUIDParam and IntParam are the forms of a uuid and an integer
	// parameter, %s standing for the placeholder ("%s::uuid").
	UUIDParam, IntParam string
	// Time converts a timestamp into the parameter its columns compare with.
	Time func(time.Time) any
	// InIDs is the condition that expr is one of a list of uuids passed as one
	// parameter, %s standing for its placeholder; IDs makes that parameter.
	InIDs func(expr string) string
	IDs   func(ids []string) any
	// Elements returns the FROM item of the elements of a JSON array and the
	// expression of one element.
	Elements func(array string) (from, elem string)
	// NullTime is a NULL of the timestamp type, for UNION ALL branches.
	NullTime string
	// DriftComponents joins component c to component_drift d in the
	// aggregate of a rack's open drift counts.
	DriftComponents string

	// The select lists, in the order the store scans them.
	RackColumns, ComponentColumns, DriftItemColumns, CycleColumns, EventColumns string
	// The select lists of a component's BMCs b and open drift d.
	BMCColumns, DriftColumns string
}

// uuid is the placeholder of the nth parameter, a uuid.
func (d Dialect) uuid(n int) string { return fmt.Sprintf(d.UUIDParam, d.Mark(n)) }

// Statement is one SQL statement with its parameters.
type Statement struct {
	SQL  string
	Args []any
}

// Listing is one page of a keyset listing, ready to run: Count counts every
// row that matches the filters, Page fetches the page with one row more,
// which tells whether another page follows. Finish assembles the result.
type Listing[T any] struct {
	Count, Page Statement
	spec        inventory.PageSpec
	key         func(T) (value, id string)
	each        func(T) T // completes each row read, when set
}

// Finish trims the rows Page returned to the page and sets its cursor.
func (l Listing[T]) Finish(rows []T, total int) inventory.List[T] {
	if l.each != nil {
		for i := range rows {
			rows[i] = l.each(rows[i])
		}
	}
	return FinishPage(rows, total, l.spec, l.key)
}

// listSQL is the SQL of one listing.
type listSQL struct {
	columns, from string
	countFrom     string // the FROM of the count, when it needs less than from
	keys          map[string]Key
	id            Key
}

// newListing counts over the conditions of w and pages by spec. The count
// is taken before the cursor condition is added.
func newListing[T any](d Dialect, w *Where, s listSQL, spec inventory.PageSpec, key func(T) (string, string)) (Listing[T], error) {
	countFrom := s.countFrom
	if countFrom == "" {
		countFrom = s.from
	}
	l := Listing[T]{spec: spec, key: key}
	l.Count = Statement{SQL: `SELECT count(*) FROM ` + countFrom + ` WHERE ` + w.String(), Args: w.Args()}
	order, err := d.keyset(w, s.keys, s.id, spec)
	if err != nil {
		return Listing[T]{}, err
	}
	l.Page = Statement{SQL: fmt.Sprintf(`SELECT %s FROM %s WHERE %s %s LIMIT %d`, s.columns, s.from, w, order,
		spec.Limit+1), Args: w.Args()}
	return l, nil
}

// keyset adds the cursor condition of spec and returns the ORDER BY clause.
func (d Dialect) keyset(w *Where, keys map[string]Key, id Key, spec inventory.PageSpec) (string, error) {
	sort, err := SortKey(keys, spec.Order)
	if err != nil {
		return "", err
	}
	if spec.After != nil {
		v, err := d.cursorArg(sort, spec.After.Value)
		if err != nil {
			return "", err
		}
		idv, err := d.cursorArg(id, spec.After.ID)
		if err != nil {
			return "", err
		}
		w.After(sort, id, spec.Order.Desc, v, idv)
	}
	return OrderBy(sort, id, spec.Order.Desc), nil
}

// cursorArg converts a cursor's text value into the parameter of its key.
func (d Dialect) cursorArg(k Key, v string) (any, error) {
	switch k.Kind {
	case Time:
		t, err := inventory.ParseCursorTime(v)
		if err != nil {
			return nil, err
		}
		return d.Time(t), nil
	case Int:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("cursor value %q: %w", v, inventory.ErrInvalid)
		}
		return n, nil
	}
	if k.Kind == UUID && !inventory.ValidID(v) {
		return nil, fmt.Errorf("cursor id %q: %w: not a uuid", v, inventory.ErrInvalid)
	}
	return v, nil
}

// Sort and tie-break keys by column kind. Text and time values are compared
// as the dialect stores them.
func textKey(expr string) Key             { return Key{Expr: expr, Param: "%s", Kind: Text} }
func timeKey(expr string) Key             { return Key{Expr: expr, Param: "%s", Kind: Time} }
func (d Dialect) uuidKey(expr string) Key { return Key{Expr: expr, Param: d.UUIDParam, Kind: UUID} }
func (d Dialect) intKey(expr string) Key  { return Key{Expr: expr, Param: d.IntParam, Kind: Int} }

// deletedCond adds the condition of a Deleted filter on alias's deleted_at.
func deletedCond(w *Where, alias string, d inventory.Deleted) {
	switch d {
	case inventory.DeletedExclude:
		w.Raw(alias + ".deleted_at IS NULL")
	case inventory.DeletedOnly:
		w.Raw(alias + ".deleted_at IS NOT NULL")
	}
}

// rackCond adds the condition of a rack filter whose values are ids or
// names: a component matches either.
func (d Dialect) rackCond(w *Where, vs []string) {
	ids, names := splitIDs(vs)
	w.AnyOf(w.In("c.rack_id", d.UUIDParam, ids), w.In("r.name", "%s", names))
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

// Strings converts values of a string type to plain strings.
func Strings[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}
