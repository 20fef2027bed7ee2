package httpapi

import (
	"net/http"

	"rackflow/inventory"
)

var heldParams = append([]Param{
	{Name: "type", Type: "string", Repeat: true, Enum: []string{"rack", "Compute", "NVSwitch", "PowerShelf"}, Doc: "the mirror step that holds the delete"},
}, pageParams(inventory.HeldListing)...)

func (s *Server) listHeld(w http.ResponseWriter, r *http.Request, q *query) error {
	rd, err := s.reader()
	if err != nil {
		return err
	}
	hq := inventory.HeldDeleteQuery{Type: q.list("type")}
	if err := oneOf("type", hq.Type, []string{"rack", "Compute", "NVSwitch", "PowerShelf"}); err != nil {
		return err
	}
	if hq.Page, err = q.page(); err != nil {
		return err
	}
	if _, err := hq.Page.Resolve(inventory.HeldListing); err != nil {
		return err
	}
	asCSV, err := q.wantsCSV(r)
	if err != nil {
		return err
	}
	l, err := rd.HeldDeletes(r.Context(), hq)
	if err != nil {
		return err
	}
	return writeList(w, asCSV, l)
}
