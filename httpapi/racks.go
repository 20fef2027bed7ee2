package httpapi

import (
	"fmt"
	"net/http"

	"rackflow/inventory"
)

var rackParams = append([]Param{
	{Name: "name", Type: "string", Repeat: true, Doc: "rack name"},
	{Name: "manufacturer", Type: "string", Repeat: true},
	{Name: "model", Type: "string", Repeat: true, Doc: "description.model"},
	{Name: "status", Type: "string", Repeat: true},
	{Name: "region", Type: "string", Repeat: true, Doc: "location.region"},
	{Name: "datacenter", Type: "string", Repeat: true, Doc: "location.datacenter"},
	{Name: "room", Type: "string", Repeat: true, Doc: "location.room"},
	{Name: "position", Type: "string", Repeat: true, Doc: "location.position"},
	{Name: "has_drift", Type: "boolean", Doc: "racks with (true) or without (false) open drift"},
	{Name: "drift_type", Type: "string", Repeat: true, Enum: driftTypes, Doc: "racks with open drift of this type"},
	{Name: "deleted", Type: "string", Enum: deletedValues, Doc: "false (default): live rows; true: tombstones; all"},
	{Name: "include", Type: "string", Enum: []string{"components"}, Doc: "components: each rack's components"},
}, pageParams(inventory.RackListing)...)

var (
	driftTypes    = []string{string(inventory.MissingInActual), string(inventory.MissingInExpected), string(inventory.Mismatch)}
	deletedValues = []string{"false", "true", "all"}
)

func (s *Server) listRacks(w http.ResponseWriter, r *http.Request, q *query) error {
	rd, err := s.reader()
	if err != nil {
		return err
	}
	rq, asCSV, err := rackQuery(r, q)
	if err != nil {
		return err
	}
	l, err := rd.ListRacks(r.Context(), rq)
	if err != nil {
		return err
	}
	return writeList(w, asCSV, l)
}

func rackQuery(r *http.Request, q *query) (inventory.RackQuery, bool, error) {
	rq := inventory.RackQuery{Name: q.list("name"), Manufacturer: q.list("manufacturer"), Model: q.list("model"),
		Status: q.list("status"), Region: q.list("region"), Datacenter: q.list("datacenter"), Room: q.list("room"),
		Position: q.list("position"), DriftType: typed[inventory.DriftType](q.list("drift_type"))}
	var err error
	if rq.HasDrift, err = q.boolean("has_drift"); err != nil {
		return rq, false, err
	}
	if rq.Deleted, err = inventory.ParseDeleted(q.one("deleted")); err != nil {
		return rq, false, err
	}
	switch inc := q.one("include"); inc {
	case "":
	case "components":
		rq.IncludeComponents = true
	default:
		return rq, false, fmt.Errorf("include %q: %w: want components", inc, inventory.ErrInvalid)
	}
	if rq.Page, err = q.page(); err != nil {
		return rq, false, err
	}
	if _, err := rq.Page.Resolve(inventory.RackListing); err != nil {
		return rq, false, err
	}
	asCSV, err := q.wantsCSV(r)
	if err == nil {
		err = rq.Validate()
	}
	return rq, asCSV, err
}

func (s *Server) getRack(w http.ResponseWriter, r *http.Request, _ *query) error {
	rd, err := s.reader()
	if err != nil {
		return err
	}
	d, err := rd.Rack(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) getElevation(w http.ResponseWriter, r *http.Request, _ *query) error {
	rd, err := s.reader()
	if err != nil {
		return err
	}
	e, err := rd.Elevation(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}
