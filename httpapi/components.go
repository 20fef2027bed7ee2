package httpapi

import (
	"net/http"

	"rackflow/inventory"
)

var componentParams = append([]Param{
	{Name: "rack", Type: "string", Repeat: true, Doc: "rack id or name"},
	{Name: "type", Type: "string", Repeat: true, Doc: "Compute, NVSwitch, PowerShelf (imports may carry others)"},
	{Name: "serial", Type: "string", Repeat: true, Doc: "serial_number"},
	{Name: "external_id", Type: "string", Repeat: true, Doc: "Core's machine, switch or power shelf id"},
	{Name: "bmc_mac", Type: "string", Repeat: true, Doc: "a BMC MAC in any common form"},
	{Name: "deleted", Type: "string", Enum: deletedValues, Doc: "false (default): live rows; true: tombstones; all"},
}, pageParams(inventory.ComponentListing)...)

func (s *Server) listComponents(w http.ResponseWriter, r *http.Request, q *query) error {
	rd, err := s.reader()
	if err != nil {
		return err
	}
	cq, err := componentQuery(q)
	if err != nil {
		return err
	}
	asCSV, err := q.wantsCSV(r)
	if err != nil {
		return err
	}
	l, err := rd.ListComponents(r.Context(), cq)
	if err != nil {
		return err
	}
	return writeList(w, asCSV, l)
}

// componentQuery reads the filters and page of GET /v1/components. Errors
// wrap inventory.ErrInvalid and name the parameter or value.
func componentQuery(q *query) (inventory.ComponentQuery, error) {
	cq := inventory.ComponentQuery{Rack: q.list("rack"), Type: typed[inventory.ComponentType](q.list("type")),
		Serial: q.list("serial"), ExternalID: q.list("external_id"), BMCMAC: q.list("bmc_mac")}
	var err error
	if cq.Deleted, err = inventory.ParseDeleted(q.one("deleted")); err != nil {
		return cq, err
	}
	if cq.Page, err = q.page(); err != nil {
		return cq, err
	}
	if _, err := cq.Page.Resolve(inventory.ComponentListing); err != nil {
		return cq, err
	}
	return cq, cq.Validate()
}

func (s *Server) getComponent(w http.ResponseWriter, r *http.Request, _ *query) error {
	rd, err := s.reader()
	if err != nil {
		return err
	}
	d, err := rd.Component(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}
