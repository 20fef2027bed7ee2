package sqlkit

import (
	"fmt"
	"strings"
)

// Where builds the WHERE clause of a listing query from optional
// conditions, numbering parameters the way the dialect does.
type Where struct {
	mark  func(n int) string
	conds []string
	args  []any
}

// NewWhere returns a builder; mark renders the placeholder of the nth
// parameter ("$1" in PostgreSQL, "?" in SQLite).
func NewWhere(mark func(n int) string) *Where { return &Where{mark: mark} }

// Add appends a condition whose %s stands for v's placeholder.
func (w *Where) Add(cond string, v any) {
	w.conds = append(w.conds, fmt.Sprintf(cond, w.Param(v)))
}

// Param adds a parameter outside the conditions, such as a limit, and
// returns its placeholder.
func (w *Where) Param(v any) string {
	w.args = append(w.args, v)
	return w.mark(len(w.args))
}

// String returns the conditions joined by AND, or a condition that always
// holds.
func (w *Where) String() string {
	if len(w.conds) == 0 {
		return "1 = 1"
	}
	return strings.Join(w.conds, " AND ")
}

// Args returns the parameters in placeholder order.
func (w *Where) Args() []any { return w.args }
