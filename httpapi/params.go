package httpapi

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"rackflow/inventory"
)

// Param is a query parameter a route accepts; the OpenAPI document is built
// from these declarations.
type Param struct {
	Name string
	// Type is string, integer, boolean, duration or date-time.
	Type string
	// Repeat says the parameter may repeat; values then combine with OR.
	Repeat bool
	Enum   []string
	Doc    string
}

// pageParams are accepted by every list.
func pageParams(l inventory.Listing) []Param {
	orders := make([]string, 0, 2*len(l.Columns))
	for _, c := range l.Columns {
		orders = append(orders, c, "-"+c)
	}
	return []Param{
		{Name: "limit", Type: "integer", Doc: fmt.Sprintf("page size, 1 to %d (default %d)", inventory.MaxLimit, inventory.DefaultLimit)},
		{Name: "cursor", Type: "string", Doc: "next_cursor of the previous page"},
		{Name: "order_by", Type: "string", Enum: orders, Doc: "sort column, - for descending (default " + l.Default + ")"},
		{Name: "format", Type: "string", Enum: []string{"json", "csv"}, Doc: "csv answers text/csv (so does Accept: text/csv)"},
	}
}

// query is a request's validated query string: every parameter is one the
// route declares.
type query struct {
	values   url.Values
	declared map[string]Param
}

// parseQuery rejects parameters the route does not declare, and repeats of
// parameters that take one value.
func parseQuery(r *http.Request, params []Param) (*query, error) {
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, fmt.Errorf("query string does not parse: %w: %v", inventory.ErrInvalid, err)
	}
	q := &query{values: values, declared: map[string]Param{}}
	for _, p := range params {
		q.declared[p.Name] = p
	}
	names := make([]string, 0, len(values))
	for n := range values {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		p, ok := q.declared[n]
		if !ok {
			return nil, fmt.Errorf("unknown query parameter %q: %w: this endpoint takes %s", n, inventory.ErrInvalid, paramNames(params))
		}
		if len(values[n]) > 1 && !p.Repeat {
			return nil, fmt.Errorf("query parameter %q: %w: given %d times, takes one value", n, inventory.ErrInvalid, len(values[n]))
		}
		if err := textValues(n, values[n]); err != nil {
			return nil, err
		}
	}
	return q, nil
}

// textValues refuses a value that is not UTF-8 text or holds a NUL
// character: no stored column can hold one, and PostgreSQL refuses them as
// query arguments.
func textValues(name string, vs []string) error {
	for _, v := range vs {
		if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
			return fmt.Errorf("query parameter %q: %w: value %q is not UTF-8 text without NUL characters", name, inventory.ErrInvalid, v)
		}
	}
	return nil
}

func paramNames(ps []Param) string {
	if len(ps) == 0 {
		return "no parameters"
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

// list returns every value of a repeatable parameter. Reading an undeclared
// parameter is a programming error and panics, so that the OpenAPI document
// (built from the declarations) cannot miss a parameter a handler reads.
func (q *query) list(name string) []string {
	if _, ok := q.declared[name]; !ok {
		panic("httpapi: handler reads undeclared query parameter " + name)
	}
	vs := q.values[name]
	for _, v := range vs {
		if v == "" {
			return nil
		}
	}
	return vs
}

func (q *query) one(name string) string {
	if vs := q.list(name); len(vs) > 0 {
		return vs[0]
	}
	return ""
}

func typed[T ~string](vs []string) []T {
	out := make([]T, len(vs))
	for i, v := range vs {
		out[i] = T(v)
	}
	return out
}

func (q *query) boolean(name string) (*bool, error) {
	s := q.one(name)
	if s == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w: want true or false", name, s, inventory.ErrInvalid)
	}
	return &b, nil
}

// maxDays is the most whole days a time.Duration holds.
const maxDays = int64(math.MaxInt64 / (24 * time.Hour))

// duration accepts Go durations (90m, 24h) and whole days (7d).
func (q *query) duration(name string) (time.Duration, error) {
	s := q.one(name)
	if s == "" {
		return 0, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.ParseInt(days, 10, 64)
		if err == nil && n >= 0 && n <= maxDays {
			return time.Duration(n) * 24 * time.Hour, nil
		}
		if err == nil || errors.Is(err, strconv.ErrRange) {
			return 0, fmt.Errorf("%s %q: %w: want 0 to %d days", name, s, inventory.ErrInvalid, maxDays)
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%s %q: %w: want a duration such as 90m, 24h or 7d", name, s, inventory.ErrInvalid)
	}
	return d, nil
}

func (q *query) time(name string) (time.Time, error) {
	s := q.one(name)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q: %w: want an RFC 3339 time such as 2026-12-01T00:00:00Z", name, s, inventory.ErrInvalid)
	}
	return t, nil
}

// page reads limit, cursor and order_by.
func (q *query) page() (inventory.Page, error) {
	p := inventory.Page{Cursor: q.one("cursor"), OrderBy: q.one("order_by")}
	if s := q.one("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return p, fmt.Errorf("limit %q: %w: want a whole number from 1 to %d", s, inventory.ErrInvalid, inventory.MaxLimit)
		}
		if n == 0 {
			return p, fmt.Errorf("limit 0: %w: want 1 to %d", inventory.ErrInvalid, inventory.MaxLimit)
		}
		p.Limit = n
	}
	return p, nil
}

// wantsCSV reports whether the answer should be CSV: format=csv, or an
// Accept header asking for text/csv without format=json.
func (q *query) wantsCSV(r *http.Request) (bool, error) {
	switch f := q.one("format"); f {
	case "csv":
		return true, nil
	case "json":
		return false, nil
	case "":
		return strings.Contains(r.Header.Get("Accept"), "text/csv"), nil
	default:
		return false, fmt.Errorf("format %q: %w: want json or csv", f, inventory.ErrInvalid)
	}
}

// oneOf checks that every value is one of allowed.
func oneOf(name string, vs, allowed []string) error {
	for _, v := range vs {
		if !slices.Contains(allowed, v) {
			return fmt.Errorf("%s %q: %w: want one of %v", name, v, inventory.ErrInvalid, allowed)
		}
	}
	return nil
}
