package httpapi

import (
	"net/http"

	"rackflow/inventory"
)

// heldTypes are the mirror steps whose deletes the guard holds.
var heldTypes = []string{"rack", "Compute", "NVSwitch", "PowerShelf"}

var heldParams = append([]Param{
	{Name: "type", Type: "string", Repeat: true, Enum: heldTypes, Doc: "the mirror step that holds the delete"},
}, pageParams(inventory.HeldListing)...)

func (s *Server) listHeld(w http.ResponseWriter, r *http.Request, q *query) error {
	rd, err := s.reader()
	if err != nil {
		return err
	}
	hq, err := heldQuery(q)
	if err != nil {
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

// heldQuery reads the filter and page of GET /v1/held-deletes.
func heldQuery(q *query) (inventory.HeldDeleteQuery, error) {
	hq := inventory.HeldDeleteQuery{Type: q.list("type")}
	if err := oneOf("type", hq.Type, heldTypes); err != nil {
		return hq, err
	}
	var err error
	if hq.Page, err = q.page(); err != nil {
		return hq, err
	}
	_, err = hq.Page.Resolve(inventory.HeldListing)
	return hq, err
}
