package httpapi

import (
	"net/http"

	"rackflow/inventory"
)

// route is one endpoint: its method and path, whether it writes (bearer
// token required) and the query parameters it accepts. The mux and the
// OpenAPI document are both built from the table, so they cannot disagree.
type route struct {
	Method  string
	Pattern string
	Summary string
	Write   bool
	Params  []Param
	// Response names the schema of a 200 (or 202) answer in the document.
	Response string
	serve    func(w http.ResponseWriter, r *http.Request, q *query) error
}

// table lists every /v1 endpoint.
func (s *Server) table() []route {
	return []route{
		{Method: "GET", Pattern: "/v1/racks", Summary: "List racks with their open drift counts", Params: rackParams, Response: "RackList", serve: s.listRacks},
		{Method: "GET", Pattern: "/v1/racks/{id}", Summary: "One rack, by id or name, with its components and BMCs", Response: "RackDetail", serve: s.getRack},
		{Method: "GET", Pattern: "/v1/racks/{id}/elevation", Summary: "A rack's slots, expected against actual, with drift", Response: "Elevation", serve: s.getElevation},
		{Method: "GET", Pattern: "/v1/components", Summary: "List components", Params: componentParams, Response: "ComponentList", serve: s.listComponents},
		{Method: "GET", Pattern: "/v1/components/{id}", Summary: "One component with its BMCs, drift, drift history and latest events", Response: "ComponentDetail", serve: s.getComponent},
		{Method: "GET", Pattern: "/v1/drift", Summary: "List open or resolved drift", Params: driftParams, Response: "DriftList", serve: s.listDrift},
		{Method: "GET", Pattern: "/v1/drift/summary", Summary: "Open drift by type, age and rack", Params: summaryParams, Response: "DriftSummary", serve: s.getDriftSummary},
		{Method: "GET", Pattern: "/v1/cycles", Summary: "List cycles", Params: cycleParams, Response: "CycleList", serve: s.listCycles},
		{Method: "POST", Pattern: "/v1/cycles", Summary: "Ask for a cycle now", Write: true, Response: "CycleAccepted", serve: s.postCycles},
		{Method: "GET", Pattern: "/v1/cycles/{id}", Summary: "One cycle with its steps as stored", Response: "Cycle", serve: s.getCycle},
		{Method: "GET", Pattern: "/v1/cycles/{id}/events", Summary: "The audit events one cycle wrote", Params: cycleEventParams, Response: "EventList", serve: s.listCycleEvents},
		{Method: "GET", Pattern: "/v1/held-deletes", Summary: "What the mass-delete guard holds, from which cycle, since when", Params: heldParams, Response: "HeldDeleteList", serve: s.listHeld},
		{Method: "GET", Pattern: "/v1/events", Summary: "List the audit trail", Params: eventParams, Response: "EventList", serve: s.listEvents},
		{Method: "GET", Pattern: "/v1/plan", Summary: "The dry run of the mirror", Response: "Plan", serve: s.getPlan},
		{Method: "POST", Pattern: "/v1/import", Summary: "Import racks, components and BMCs in one transaction", Write: true, Response: "ImportResult", serve: s.postImport},
		{Method: "GET", Pattern: "/v1/openapi.json", Summary: "This document", Response: "OpenAPI", serve: s.getOpenAPI},
	}
}

// handle wraps a route: authentication, query validation, then the handler;
// a handler's error is answered in the error format.
func (s *Server) handle(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.Write && !s.authorize(w, r) || !rt.Write && !s.authorizeRead(w, r) {
			return
		}
		q, err := parseQuery(r, rt.Params)
		if err == nil {
			err = rt.serve(w, r, q)
		}
		if err != nil {
			s.fail(w, r, err)
		}
	})
}

// reader returns the configured reader, or an error answered 503.
func (s *Server) reader() (inventory.Reader, error) {
	if s.cfg.Reader == nil {
		return nil, errNotConfigured("reads")
	}
	return s.cfg.Reader, nil
}

type errNotConfigured string

func (e errNotConfigured) Error() string {
	return string(e) + " are not available on this server"
}

func (e errNotConfigured) Unwrap() error { return inventory.ErrUnavailable }
