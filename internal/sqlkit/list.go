package sqlkit

import (
	"fmt"
	"strings"

	"rackflow/inventory"
)

// Key is a sort or tie-break expression of a listing and the form of its
// parameter: Param is a format whose %s stands for the placeholder, so that
// a dialect can cast it ("%s::uuid").
type Key struct {
	Expr  string
	Param string
	Kind  Kind
}

// Raw appends a condition that takes no parameter.
func (w *Where) Raw(cond string) { w.conds = append(w.conds, cond) }

// In returns "expr IN (…)" over vs, each placeholder formatted by param. It
// adds the parameters but not the condition, so that callers can combine
// several with OR; it returns "" when vs is empty.
func (w *Where) In(expr, param string, vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	marks := make([]string, len(vs))
	for i, v := range vs {
		marks[i] = fmt.Sprintf(param, w.Param(v))
	}
	return expr + " IN (" + strings.Join(marks, ", ") + ")"
}

// AddIn appends "expr IN (…)" when vs is not empty: repeated values of one
// filter match any of them.
func (w *Where) AddIn(expr, param string, vs []string) {
	if cond := w.In(expr, param, vs); cond != "" {
		w.Raw(cond)
	}
}

// AnyOf appends the conditions joined by OR, ignoring empty ones.
func (w *Where) AnyOf(conds ...string) {
	var kept []string
	for _, c := range conds {
		if c != "" {
			kept = append(kept, c)
		}
	}
	if len(kept) > 0 {
		w.Raw("(" + strings.Join(kept, " OR ") + ")")
	}
}

// After appends the keyset condition that selects the rows after a cursor
// whose sort value is value and whose id is id: a row comparison, which both
// dialects evaluate in index order.
func (w *Where) After(sort, id Key, desc bool, value, idValue any) {
	op := ">"
	if desc {
		op = "<"
	}
	w.Raw(fmt.Sprintf("(%s, %s) %s (%s, %s)", sort.Expr, id.Expr, op,
		fmt.Sprintf(sort.Param, w.Param(value)), fmt.Sprintf(id.Param, w.Param(idValue))))
}

// OrderBy is the ORDER BY clause of a keyset listing.
func OrderBy(sort, id Key, desc bool) string {
	dir := "ASC"
	if desc {
		dir = "DESC"
	}
	return fmt.Sprintf("ORDER BY %s %s, %s %s", sort.Expr, dir, id.Expr, dir)
}

// SortKey looks up the key of the order's column, which Page.Resolve has
// already checked against the listing.
func SortKey(keys map[string]Key, o inventory.Order) (Key, error) {
	k, ok := keys[o.Column]
	if !ok {
		return Key{}, fmt.Errorf("sqlkit: %w: no sort key for %q", inventory.ErrInvalid, o.Column)
	}
	return k, nil
}

// FinishPage trims rows fetched with limit+1 to the page and sets the cursor
// of the next page from the last item kept.
func FinishPage[T any](rows []T, total int, spec inventory.PageSpec, key func(T) (value, id string)) inventory.List[T] {
	l := inventory.List[T]{Items: rows, Total: total}
	if l.Items == nil {
		l.Items = []T{}
	}
	if len(rows) > spec.Limit {
		l.Items = rows[:spec.Limit]
		v, id := key(l.Items[len(l.Items)-1])
		l.NextCursor = inventory.EncodeCursor(spec.Order, v, id)
	}
	return l
}
