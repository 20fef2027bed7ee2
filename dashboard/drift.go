package dashboard

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"rackflow/inventory"
)

// driftFilter is the drift list's GET form. Its parameter names are the
// API's, so that the CSV export link carries the same filters.
type driftFilter struct {
	State, Type, ComponentType, Field, Rack, MinAge string
}

// driftView is the data of the drift list.
type driftView struct {
	Filter         driftFilter
	ComponentTypes []inventory.ComponentType
	Fields         []string
	Total          int
	Rows           []driftRow
	Next           string
	CSV            string
}

type driftRow struct {
	Age, FirstSeen, LastSeen, Resolved string
	Type                               inventory.DriftType
	ComponentType                      string
	ComponentID, Component             string
	RackID, Rack                       string
	Diffs                              []inventory.Diff
}

func parseDriftFilter(r *http.Request) (driftFilter, inventory.DriftQuery, error) {
	f := driftFilter{State: r.FormValue("state"), Type: r.FormValue("type"), ComponentType: r.FormValue("component_type"),
		Field: r.FormValue("field"), Rack: strings.TrimSpace(r.FormValue("rack")), MinAge: strings.TrimSpace(r.FormValue("min_age"))}
	state, err := inventory.ParseDriftState(f.State)
	if err != nil {
		return f, inventory.DriftQuery{}, err
	}
	q := inventory.DriftQuery{State: state, Page: inventory.Page{Limit: pageSize, Cursor: r.FormValue("cursor"), OrderBy: "first_seen_at"}}
	if f.Type != "" {
		q.Type = []inventory.DriftType{inventory.DriftType(f.Type)}
	}
	if f.ComponentType != "" {
		q.ComponentType = []inventory.ComponentType{inventory.ComponentType(f.ComponentType)}
	}
	if f.Field != "" {
		q.Field = []string{f.Field}
	}
	if f.Rack != "" {
		q.Rack = []string{f.Rack}
	}
	if f.MinAge != "" {
		d, err := parseAge(f.MinAge)
		if err != nil {
			return f, q, err
		}
		q.MinAge = d
	}
	return f, q, q.Validate()
}

// parseAge reads a minimum age as the API does: a Go duration (90m, 24h)
// or whole days (7d).
func parseAge(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n >= 0 {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("min_age %q: %w: want a duration such as 90m, 24h or 7d", s, inventory.ErrInvalid)
	}
	return d, nil
}

// values are the filters as query parameters, empty ones left out.
func (f driftFilter) values() url.Values {
	v := url.Values{}
	for _, p := range [][2]string{{"state", f.State}, {"type", f.Type}, {"component_type", f.ComponentType},
		{"field", f.Field}, {"rack", f.Rack}, {"min_age", f.MinAge}} {
		if p[1] != "" {
			v.Set(p[0], p[1])
		}
	}
	return v
}

// pageSize is the length of every paged list on the dashboard.
const pageSize = 100

func (h *handler) drift(w http.ResponseWriter, r *http.Request) {
	f, q, err := parseDriftFilter(r)
	if err != nil {
		h.renderError(w, r, http.StatusBadRequest, "Bad filter", invalidMessage(err))
		return
	}
	now := h.cfg.Now()
	q.Now = now
	l, err := h.cfg.Reader.ListDrift(r.Context(), q)
	if err != nil {
		h.fail(w, r, "drift", err)
		return
	}
	v := driftView{Filter: f, ComponentTypes: inventory.MirroredTypes, Fields: inventory.DriftFields, Total: l.Total}
	for _, d := range l.Items {
		v.Rows = append(v.Rows, newDriftRow(d, now))
	}
	if l.NextCursor != "" {
		next := f.values()
		next.Set("cursor", l.NextCursor)
		v.Next = "/drift?" + next.Encode()
	}
	csv := f.values()
	csv.Set("format", "csv")
	csv.Set("order_by", "first_seen_at")
	v.CSV = "/v1/drift?" + csv.Encode()
	h.render(w, r, http.StatusOK, "drift", "drift", "Drift", v)
}

func newDriftRow(d inventory.DriftItem, now time.Time) driftRow {
	row := driftRow{Age: age(inventory.DriftAge(d.FirstSeenAt, d.ResolvedAt, now)), FirstSeen: minute(d.FirstSeenAt),
		Type: d.DriftType, ComponentType: string(d.ComponentType), Diffs: d.Diffs}
	if d.LastSeenAt != nil {
		row.LastSeen = age(now.Sub(*d.LastSeenAt)) + " ago"
	}
	if d.ResolvedAt != nil {
		row.Resolved = minute(*d.ResolvedAt)
	}
	if d.ComponentID != nil {
		row.ComponentID = *d.ComponentID
	}
	row.Component = deref(d.SerialNumber, "Core id "+deref(d.ExternalID, "unknown"))
	if d.RackID != nil {
		row.RackID, row.Rack = *d.RackID, deref(d.RackName, *d.RackID)
	}
	return row
}
