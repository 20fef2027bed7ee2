package httpapi

import (
	"fmt"
	"net/http"
	"strconv"

	"rackflow/inventory"
)

var driftParams = append([]Param{
	{Name: "state", Type: "string", Enum: []string{"open", "resolved", "all"}, Doc: "open (default), resolved or all"},
	{Name: "type", Type: "string", Repeat: true, Enum: driftTypes, Doc: "drift_type"},
	{Name: "component_type", Type: "string", Repeat: true},
	{Name: "field", Type: "string", Repeat: true, Enum: inventory.DriftFields, Doc: "drift with a diff of this field"},
	{Name: "rack", Type: "string", Repeat: true, Doc: "rack id or name of the drifting component"},
	{Name: "min_age", Type: "duration", Doc: "open at least this long: 90m, 24h, 7d"},
	{Name: "opened_after", Type: "date-time", Doc: "first_seen_at at or after"},
	{Name: "opened_before", Type: "date-time", Doc: "first_seen_at before"},
}, pageParams(inventory.DriftListing)...)

var summaryParams = []Param{{Name: "top", Type: "integer", Doc: "how many racks top_racks ranks (default 10, at most 1000)"}}

func (s *Server) listDrift(w http.ResponseWriter, r *http.Request, q *query) error {
	rd, err := s.reader()
	if err != nil {
		return err
	}
	dq, err := driftQuery(q)
	if err != nil {
		return err
	}
	asCSV, err := q.wantsCSV(r)
	if err != nil {
		return err
	}
	l, err := rd.ListDrift(r.Context(), dq)
	if err != nil {
		return err
	}
	return writeList(w, asCSV, l)
}

func driftQuery(q *query) (inventory.DriftQuery, error) {
	dq := inventory.DriftQuery{Type: typed[inventory.DriftType](q.list("type")),
		ComponentType: typed[inventory.ComponentType](q.list("component_type")), Field: q.list("field"), Rack: q.list("rack")}
	var err error
	if dq.State, err = inventory.ParseDriftState(q.one("state")); err != nil {
		return dq, err
	}
	if dq.MinAge, err = q.duration("min_age"); err != nil {
		return dq, err
	}
	if dq.OpenedAfter, err = q.time("opened_after"); err != nil {
		return dq, err
	}
	if dq.OpenedBefore, err = q.time("opened_before"); err != nil {
		return dq, err
	}
	if dq.Page, err = q.page(); err != nil {
		return dq, err
	}
	if _, err := dq.Page.Resolve(inventory.DriftListing); err != nil {
		return dq, err
	}
	return dq, dq.Validate()
}

func (s *Server) getDriftSummary(w http.ResponseWriter, r *http.Request, q *query) error {
	rd, err := s.reader()
	if err != nil {
		return err
	}
	var sq inventory.DriftSummaryQuery
	if v := q.one("top"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > inventory.MaxLimit {
			return fmt.Errorf("top %q: %w: want 1 to %d", v, inventory.ErrInvalid, inventory.MaxLimit)
		}
		sq.TopRacks = n
	}
	sum, err := rd.DriftSummary(r.Context(), sq)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sum)
	return nil
}
