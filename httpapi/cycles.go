package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"

	"rackflow/inventory"
)

// maxCycleBody bounds the request body; the only field is a boolean.
const maxCycleBody = 4 << 10

// cycleRequest is the optional body of POST /v1/cycles.
type cycleRequest struct {
	AllowMassDelete bool `json:"allow_mass_delete"`
}

// cycleAccepted is the answer to an accepted POST /v1/cycles.
type cycleAccepted struct {
	Status          string `json:"status"`
	AllowMassDelete bool   `json:"allow_mass_delete"`
}

// postCycles asks the scheduler for a cycle. It answers 202 at once: the
// cycle runs when the current one, if any, has finished. A request the
// instance cannot honour (a release of held deletes sent to a follower) is
// refused, so that it is never silently lost.
func (s *Server) postCycles(w http.ResponseWriter, r *http.Request, _ *query) error {
	req, err := decodeCycleRequest(w, r)
	if err != nil {
		writeError(w, CodeInvalid, err.Error())
		return nil
	}
	if err := s.trigger.Trigger(req.AllowMassDelete); err != nil {
		code := CodeUnavailable
		if errors.Is(err, inventory.ErrConflict) {
			code = CodeConflict
		}
		s.log.Warn("cycle request refused", "allow_mass_delete", req.AllowMassDelete, "error", err)
		writeError(w, code, err.Error())
		return nil
	}
	s.log.Info("cycle requested", "allow_mass_delete", req.AllowMassDelete, "remote_addr", r.RemoteAddr)
	writeJSON(w, http.StatusAccepted, cycleAccepted{Status: "accepted", AllowMassDelete: req.AllowMassDelete})
	return nil
}

var (
	cycleParams = append([]Param{
		{Name: "status", Type: "string", Repeat: true, Enum: []string{"running", "ok", "partial", "failed"}},
		{Name: "trigger", Type: "string", Repeat: true, Enum: []string{"interval", "manual", "startup", "once"}},
	}, pageParams(inventory.CycleListing)...)
	cycleEventParams = append([]Param{
		{Name: "entity", Type: "string", Repeat: true, Enum: []string{"rack", "component", "bmc"}},
		{Name: "action", Type: "string", Repeat: true, Enum: eventActions},
		{Name: "source", Type: "string", Repeat: true, Enum: eventSources},
	}, pageParams(inventory.EventListing)...)
)

func (s *Server) listCycles(w http.ResponseWriter, r *http.Request, q *query) error {
	rd, err := s.reader()
	if err != nil {
		return err
	}
	cq, err := cycleQuery(q)
	if err != nil {
		return err
	}
	asCSV, err := q.wantsCSV(r)
	if err != nil {
		return err
	}
	l, err := rd.ListCycles(r.Context(), cq)
	if err != nil {
		return err
	}
	return writeList(w, asCSV, l)
}

// cycleQuery reads the filters and page of GET /v1/cycles.
func cycleQuery(q *query) (inventory.CycleQuery, error) {
	cq := inventory.CycleQuery{Status: typed[inventory.CycleStatus](q.list("status")), Trigger: typed[inventory.Trigger](q.list("trigger"))}
	var err error
	if cq.Page, err = q.page(); err != nil {
		return cq, err
	}
	if _, err := cq.Page.Resolve(inventory.CycleListing); err != nil {
		return cq, err
	}
	return cq, cq.Validate()
}

// getCycle answers one cycle. Its steps are passed through as stored, so
// every counter and timing a step records (duration_seconds and the phase
// timings included) reaches the caller.
func (s *Server) getCycle(w http.ResponseWriter, r *http.Request, _ *query) error {
	rd, err := s.reader()
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if !inventory.ValidID(id) {
		return fmt.Errorf("cycle %q: %w", id, inventory.ErrNotFound)
	}
	c, err := rd.Cycle(r.Context(), id)
	if err != nil {
		return fmt.Errorf("cycle %q: %w", id, notFoundOnly(err))
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// notFoundOnly keeps the stores' wording of a missing row out of answers.
func notFoundOnly(err error) error {
	if errors.Is(err, inventory.ErrNotFound) {
		return inventory.ErrNotFound
	}
	return err
}

func (s *Server) listCycleEvents(w http.ResponseWriter, r *http.Request, q *query) error {
	rd, err := s.reader()
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if !inventory.ValidID(id) {
		return fmt.Errorf("cycle %q: %w", id, inventory.ErrNotFound)
	}
	if _, err := rd.Cycle(r.Context(), id); err != nil {
		return fmt.Errorf("cycle %q: %w", id, notFoundOnly(err))
	}
	eq, err := cycleEventQuery(q, id)
	if err != nil {
		return err
	}
	return s.answerEvents(w, r, q, rd, eq)
}

// cycleEventQuery reads the filters and page of GET /v1/cycles/{id}/events.
func cycleEventQuery(q *query, cycleID string) (inventory.EventQuery, error) {
	eq := inventory.EventQuery{CycleID: []string{cycleID}, Entity: q.list("entity"),
		Action: typed[inventory.Action](q.list("action")), Source: typed[inventory.Source](q.list("source"))}
	return withEventPage(q, eq)
}

// decodeCycleRequest reads the optional JSON body. An empty body means the
// defaults. Errors name the problem in words a caller can act on.
func decodeCycleRequest(w http.ResponseWriter, r *http.Request) (cycleRequest, error) {
	var req cycleRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxCycleBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(&req)
	if errors.Is(err, io.EOF) {
		return cycleRequest{}, nil
	}
	if err != nil {
		return cycleRequest{}, describeJSONError(err)
	}
	if dec.More() {
		return cycleRequest{}, errors.New("request body has data after the JSON object")
	}
	return req, nil
}

func describeJSONError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	var netErr net.Error
	switch {
	case errors.As(err, &netErr) && netErr.Timeout():
		return errors.New("request body did not arrive in time")
	case errors.As(err, &syntax):
		return fmt.Errorf("request body is not valid JSON (at byte %d)", syntax.Offset)
	case errors.As(err, &typ) && typ.Field != "":
		return fmt.Errorf("field %q must be a %s, not a JSON %s", typ.Field, typeName(typ.Type.Kind().String()), typ.Value)
	case errors.As(err, &typ):
		return fmt.Errorf("request body must be a JSON object, not a JSON %s", typ.Value)
	case errors.As(err, &tooBig):
		return fmt.Errorf("request body is larger than %d bytes", tooBig.Limit)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("request body is truncated JSON")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return fmt.Errorf("request body has an unknown field %s; the only field is \"allow_mass_delete\"",
			strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return errors.New("request body could not be read as JSON")
}

func typeName(kind string) string {
	if kind == "bool" {
		return "boolean"
	}
	return kind
}
