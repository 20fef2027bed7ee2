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
	cq := inventory.ComponentQuery{Rack: q.list("rack"), Type: typed[inventory.ComponentType](q.list("type")),
		Serial: q.list("serial"), ExternalID: q.list("external_id"), BMCMAC: q.list("bmc_mac")}
	if cq.Deleted, err = inventory.ParseDeleted(q.one("deleted")); err != nil {
		return err
	}
	if cq.Page, err = q.page(); err != nil {
		return err
	}
	if _, err := cq.Page.Resolve(inventory.ComponentListing); err != nil {
		return err
	}
	if err := cq.Validate(); err != nil {
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
