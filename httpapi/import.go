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

// postImport validates a whole import document and applies it in one
// transaction; a bad record is answered 400 (malformed) or 409 (in conflict
// with stored or mirrored rows), naming the record, and nothing is written.
func (s *Server) postImport(w http.ResponseWriter, r *http.Request, _ *query) error {
	if s.cfg.Importer == nil {
		return errNotConfigured("imports")
	}
	doc, err := decodeImport(w, r, s.cfg.MaxImportBytes)
	if err != nil {
		return err
	}
	res, err := s.cfg.Importer.Import(r.Context(), doc)
	if err != nil {
		if re, ok := inventory.IsRecordError(err); ok {
			s.log.Warn("import refused", "list", re.List, "index", re.Index, "field", re.Field, "error", err)
		}
		return err
	}
	s.log.Info("import applied", "racks", res.Racks, "components", res.Components, "bmcs", res.BMCs, "remote_addr", r.RemoteAddr)
	writeJSON(w, http.StatusOK, res)
	return nil
}

func decodeImport(w http.ResponseWriter, r *http.Request, limit int64) (inventory.ImportDocument, error) {
	var doc inventory.ImportDocument
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return doc, fmt.Errorf("import: %w: the request body is empty; send a JSON document with racks, components and bmcs", inventory.ErrInvalid)
		}
		return doc, fmt.Errorf("import: %w: %s", inventory.ErrInvalid, describeImportJSON(err))
	}
	if dec.More() {
		return doc, fmt.Errorf("import: %w: request body has data after the JSON document", inventory.ErrInvalid)
	}
	return doc, nil
}

// describeImportJSON words a decoding error for the caller, naming the
// field and, for syntax errors, the byte offset.
func describeImportJSON(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	var netErr net.Error
	switch {
	case errors.As(err, &netErr) && netErr.Timeout():
		return "request body did not arrive in time"
	case errors.As(err, &syntax):
		return fmt.Sprintf("request body is not valid JSON (at byte %d)", syntax.Offset)
	case errors.As(err, &typ) && typ.Field != "":
		return fmt.Sprintf("field %q must be a %s, not a JSON %s (at byte %d)", typ.Field, typeName(typ.Type.Kind().String()), typ.Value, typ.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("request body must be a JSON object, not a JSON %s", typ.Value)
	case errors.As(err, &tooBig):
		return fmt.Sprintf("request body is larger than %d bytes", tooBig.Limit)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "request body is truncated JSON"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "request body has an unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	return "request body could not be read as JSON"
}
