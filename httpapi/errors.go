package httpapi

import (
	"errors"
	"net/http"

	"rackflow/inventory"
)

// Error codes of the error body. The status is derived from the domain error
// vocabulary here, and only here.
const (
	CodeInvalid      = "invalid"
	CodeNotFound     = "not_found"
	CodeConflict     = "conflict"
	CodeUnavailable  = "unavailable"
	CodeUnauthorized = "unauthorized"
	CodeForbidden    = "forbidden"
	CodeInternal     = "internal"
	// CodeMethodNotAllowed answers a known path with a method it lacks.
	CodeMethodNotAllowed = "method_not_allowed"
)

var codeStatus = map[string]int{
	CodeInvalid:          http.StatusBadRequest,
	CodeNotFound:         http.StatusNotFound,
	CodeConflict:         http.StatusConflict,
	CodeUnavailable:      http.StatusServiceUnavailable,
	CodeUnauthorized:     http.StatusUnauthorized,
	CodeForbidden:        http.StatusForbidden,
	CodeInternal:         http.StatusInternalServerError,
	CodeMethodNotAllowed: http.StatusMethodNotAllowed,
}

// ErrorBody is every error response: {"error": {"code": "…", "message": "…"}}.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the code and a message fit for users; it never carries
// internal error text.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// writeError answers with code's status and the message.
func writeError(w http.ResponseWriter, code, msg string) {
	writeJSON(w, codeStatus[code], ErrorBody{Error: ErrorDetail{Code: code, Message: msg}})
}

// codeOf maps the domain error vocabulary to an error code.
func codeOf(err error) string {
	switch {
	case errors.Is(err, inventory.ErrInvalid):
		return CodeInvalid
	case errors.Is(err, inventory.ErrNotFound):
		return CodeNotFound
	case errors.Is(err, inventory.ErrConflict):
		return CodeConflict
	case errors.Is(err, inventory.ErrUnavailable), errors.Is(err, inventory.ErrSchemaBehind), errors.Is(err, inventory.ErrSchemaAhead):
		return CodeUnavailable
	}
	return CodeInternal
}

// fail answers a failed request. Invalid, not-found and conflict errors carry
// messages made for callers (they name the offending value); others are
// logged and answered with a fixed message.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := codeOf(err)
	switch code {
	case CodeInvalid, CodeNotFound, CodeConflict:
		writeError(w, code, err.Error())
	case CodeUnavailable:
		var nc errNotConfigured
		if errors.As(err, &nc) {
			writeError(w, code, nc.Error())
			return
		}
		s.log.Warn("request failed: dependency unavailable", "path", r.URL.Path, "error", err)
		writeError(w, code, "the database is unavailable; try again later")
	default:
		s.log.Error("request failed", "path", r.URL.Path, "error", err)
		writeError(w, code, "internal error; the server log has the details")
	}
}
