package httpapi

import (
	"net/http"

	"rackflow/inventory"
)

var (
	eventActions = []string{"insert", "update", "adopt", "resurrect", "soft_delete", "hard_delete", "evict", "gc"}
	eventSources = []string{"mirror", "actual", "api", "import"}
	eventParams  = append([]Param{
		{Name: "entity", Type: "string", Repeat: true, Enum: []string{"rack", "component", "bmc"}},
		{Name: "entity_id", Type: "string", Repeat: true, Doc: "a uuid, or a BMC's MAC in any common form"},
		{Name: "action", Type: "string", Repeat: true, Enum: eventActions},
		{Name: "source", Type: "string", Repeat: true, Enum: eventSources},
		{Name: "cycle_id", Type: "string", Repeat: true},
		{Name: "since", Type: "date-time", Doc: "at or after"},
		{Name: "until", Type: "date-time", Doc: "before"},
	}, pageParams(inventory.EventListing)...)
)

func (s *Server) listEvents(w http.ResponseWriter, r *http.Request, q *query) error {
	rd, err := s.reader()
	if err != nil {
		return err
	}
	eq := inventory.EventQuery{Entity: q.list("entity"), EntityID: q.list("entity_id"),
		Action: typed[inventory.Action](q.list("action")), Source: typed[inventory.Source](q.list("source")),
		CycleID: q.list("cycle_id")}
	if eq.Since, err = q.time("since"); err != nil {
		return err
	}
	if eq.Until, err = q.time("until"); err != nil {
		return err
	}
	return s.answerEvents(w, r, q, rd, eq)
}

// answerEvents adds the page to eq, validates it and answers the list.
func (s *Server) answerEvents(w http.ResponseWriter, r *http.Request, q *query, rd inventory.Reader, eq inventory.EventQuery) error {
	var err error
	if eq.Page, err = q.page(); err != nil {
		return err
	}
	if _, err := eq.Page.Resolve(inventory.EventListing); err != nil {
		return err
	}
	if err := eq.Validate(); err != nil {
		return err
	}
	asCSV, err := q.wantsCSV(r)
	if err != nil {
		return err
	}
	l, err := rd.ListEvents(r.Context(), eq)
	if err != nil {
		return err
	}
	return writeList(w, asCSV, l)
}
