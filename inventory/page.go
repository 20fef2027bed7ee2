package inventory

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Limits of one page of a listing.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// Page is the keyset pagination of a listing: at most Limit items after the
// position Cursor names, in the order OrderBy gives. Listings never skip rows
// with OFFSET; a cursor carries the sort value and id of the last item seen.
type Page struct {
	// Limit is the page size: 0 means DefaultLimit; more than MaxLimit is
	// invalid.
	Limit int
	// Cursor is opaque: the NextCursor of the previous page, or "" for the
	// first page. A cursor is only valid with the OrderBy it was made for.
	Cursor string
	// OrderBy is one of the listing's sort columns, with a "-" prefix for
	// descending order; "" means the listing's default.
	OrderBy string
}

// Order is a resolved sort: a column of the listing and its direction. Ties
// are broken by the item's id in the same direction.
type Order struct {
	Column string
	Desc   bool
}

func (o Order) String() string {
	if o.Desc {
		return "-" + o.Column
	}
	return o.Column
}

// Cursor is a decoded position: the sort value (as text) and the id of the
// last item of the previous page.
type Cursor struct {
	Order string `json:"o"`
	Value string `json:"v"`
	ID    string `json:"id"`
}

// PageSpec is a validated Page: the order, the page size and the position to
// start after (nil for the first page).
type PageSpec struct {
	Order Order
	Limit int
	After *Cursor
}

// Listing describes the sort columns a listing accepts and its default order.
type Listing struct {
	Name    string
	Columns []string
	Default string
}

// The listings of the read contract. The column names are the JSON field
// names of the items.
var (
	RackListing      = Listing{Name: "racks", Columns: []string{"name", "manufacturer", "serial_number", "created_at", "updated_at"}, Default: "name"}
	ComponentListing = Listing{Name: "components", Columns: []string{"serial_number", "manufacturer", "type", "updated_at"}, Default: "serial_number"}
	DriftListing     = Listing{Name: "drift", Columns: []string{"first_seen_at", "component_type", "drift_type"}, Default: "first_seen_at"}
	CycleListing     = Listing{Name: "cycles", Columns: []string{"started_at"}, Default: "-started_at"}
	EventListing     = Listing{Name: "events", Columns: []string{"id"}, Default: "-id"}
	HeldListing      = Listing{Name: "held deletes", Columns: []string{"held_since"}, Default: "held_since"}
)

// Resolve validates p against the listing. Errors wrap ErrInvalid and name
// the offending value.
func (p Page) Resolve(l Listing) (PageSpec, error) {
	spec := PageSpec{Limit: p.Limit}
	switch {
	case p.Limit == 0:
		spec.Limit = DefaultLimit
	case p.Limit < 0 || p.Limit > MaxLimit:
		return PageSpec{}, fmt.Errorf("limit %d: %w: want 1 to %d", p.Limit, ErrInvalid, MaxLimit)
	}
	order, err := l.order(p.OrderBy)
	if err != nil {
		return PageSpec{}, err
	}
	spec.Order = order
	if p.Cursor != "" {
		c, err := DecodeCursor(p.Cursor, order)
		if err != nil {
			return PageSpec{}, err
		}
		spec.After = &c
	}
	return spec, nil
}

func (l Listing) order(s string) (Order, error) {
	if s == "" {
		s = l.Default
	}
	o := Order{Column: strings.TrimPrefix(s, "-"), Desc: strings.HasPrefix(s, "-")}
	if !slices.Contains(l.Columns, o.Column) {
		return Order{}, fmt.Errorf("order_by %q: %w: %s sort by %s, with a - prefix for descending",
			s, ErrInvalid, l.Name, strings.Join(l.Columns, ", "))
	}
	return o, nil
}

// EncodeCursor makes the opaque cursor that resumes after an item whose sort
// value is value and whose id is id.
func EncodeCursor(o Order, value, id string) string {
	b, _ := json.Marshal(Cursor{Order: o.String(), Value: value, ID: id}) // strings always marshal
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reads a cursor made by EncodeCursor for the order o.
func DecodeCursor(s string, o Order) (Cursor, error) {
	var c Cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.ID == "" {
		return Cursor{}, fmt.Errorf("cursor %q: %w: not a cursor this server made", s, ErrInvalid)
	}
	if c.Order != o.String() {
		return Cursor{}, fmt.Errorf("cursor %q: %w: made for order_by %q, not %q", s, ErrInvalid, c.Order, o.String())
	}
	return c, nil
}

// List is one page of a listing: the items, how many items match the filters
// in total, and the cursor of the next page ("" on the last page).
type List[T any] struct {
	Items      []T    `json:"items"`
	Total      int    `json:"total"`
	NextCursor string `json:"next_cursor"`
}

// Deleted selects live rows, soft-deleted rows or both.
type Deleted string

// Deleted filters. The zero value lists live rows only.
const (
	DeletedExclude Deleted = ""
	DeletedOnly    Deleted = "true"
	DeletedAll     Deleted = "all"
)

// ParseDeleted accepts false (live rows, the default), true (tombstones
// only) and all.
func ParseDeleted(s string) (Deleted, error) {
	switch s {
	case "", "false":
		return DeletedExclude, nil
	case "true":
		return DeletedOnly, nil
	case "all":
		return DeletedAll, nil
	}
	return "", fmt.Errorf("deleted %q: %w: want false, true or all", s, ErrInvalid)
}
