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
	eq, err := eventQuery(q)
	if err != nil {
		return err
	}
	return s.answerEvents(w, r, q, rd, eq)
}

// eventQuery reads the filters and page of GET /v1/events.
func eventQuery(q *query) (inventory.EventQuery, error) {
	eq := inventory.EventQuery{Entity: q.list("entity"), EntityID: q.list("entity_id"),
		Action: typed[inventory.Action](q.list("action")), Source: typed[inventory.Source](q.list("source")),
		CycleID: q.list("cycle_id")}
	var err error
	if eq.Since, err = q.time("since"); err != nil {
		return eq, err
	}
	if eq.Until, err = q.time("until"); err != nil {
		return eq, err
	}
	return withEventPage(q, eq)
}

// withEventPage adds the page to eq and validates it.
func withEventPage(q *query, eq inventory.EventQuery) (inventory.EventQuery, error) {
	var err error
	if eq.Page, err = q.page(); err != nil {
		return eq, err
	}
	if _, err := eq.Page.Resolve(inventory.EventListing); err != nil {
		return eq, err
	}
	return eq, eq.Validate()
}

// answerEvents answers a validated event query.
func (s *Server) answerEvents(w http.ResponseWriter, r *http.Request, q *query, rd inventory.Reader, eq inventory.EventQuery) error {
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
