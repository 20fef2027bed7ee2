package httpapi

import (
	"crypto/sha256"
	"crypto/subtle"
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
func (s *Server) postCycles(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r) {
		return
	}
	req, err := decodeCycleRequest(w, r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err := s.trigger.Trigger(req.AllowMassDelete); err != nil {
		status := http.StatusServiceUnavailable
		if errors.Is(err, inventory.ErrConflict) {
			status = http.StatusConflict
		}
		s.log.Warn("cycle request refused", "allow_mass_delete", req.AllowMassDelete, "error", err)
		writeError(w, status, err.Error())
		return
	}
	s.log.Info("cycle requested", "allow_mass_delete", req.AllowMassDelete, "remote_addr", r.RemoteAddr)
	writeJSON(w, http.StatusAccepted, cycleAccepted{Status: "accepted", AllowMassDelete: req.AllowMassDelete})
}

// authorize checks the bearer token and writes the refusal when it fails.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) bool {
	if s.cfg.Token == "" {
		writeError(w, http.StatusForbidden, "write endpoints are disabled: RACKFLOW_API_TOKEN is not set on the server")
		return false
	}
	got, ok := bearerToken(r)
	if !ok || !tokensEqual(got, s.cfg.Token) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="rackflow"`)
		writeError(w, http.StatusUnauthorized, "missing or wrong bearer token")
		return false
	}
	return true
}

// bearerToken extracts the token of an "Authorization: Bearer …" header; the
// scheme is case-insensitive (RFC 9110).
func bearerToken(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// tokensEqual compares in constant time. Hashing first makes the time
// independent of the lengths too, so a wrong guess reveals nothing.
func tokensEqual(a, b string) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
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
