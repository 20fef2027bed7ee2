package httpapi

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"rackflow/inventory"
)

// writeList answers a page of a listing: the JSON envelope
// {"items", "total", "next_cursor"}, or CSV with one row per item, the
// columns named by the items' top-level JSON fields, and the total and next
// cursor in the X-Total-Count and X-Next-Cursor headers.
func writeList[T any](w http.ResponseWriter, asCSV bool, l inventory.List[T]) error {
	if !asCSV {
		writeJSON(w, http.StatusOK, l)
		return nil
	}
	body, err := csvOf(l.Items)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("X-Total-Count", strconv.Itoa(l.Total))
	w.Header().Set("X-Next-Cursor", l.NextCursor)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body) // the client may be gone
	return nil
}

// csvOf renders items as CSV. The header is the JSON field names of T in
// declaration order; nested values are written as compact JSON, null as an
// empty cell.
func csvOf[T any](items []T) ([]byte, error) {
	var zero T
	cols, _, err := orderedFields(zero)
	if err != nil {
		return nil, err
	}
	rows := make([]map[string]json.RawMessage, len(items))
	for i, it := range items {
		names, vals, err := orderedFields(it)
		if err != nil {
			return nil, err
		}
		// Fields left out of the zero value (omitempty) join the header the
		// first time an item has them.
		for _, n := range names {
			if !slices.Contains(cols, n) {
				cols = append(cols, n)
			}
		}
		rows[i] = vals
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	_ = cw.Write(cols) // a bytes.Buffer does not fail
	for _, vals := range rows {
		row := make([]string, len(cols))
		for i, c := range cols {
			row[i] = cell(vals[c])
		}
		_ = cw.Write(row)
	}
	cw.Flush()
	return buf.Bytes(), cw.Error()
}

// orderedFields marshals v and returns its top-level field names in order
// with their raw values.
func orderedFields(v any) ([]string, map[string]json.RawMessage, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, nil, fmt.Errorf("httpapi: csv: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return nil, nil, fmt.Errorf("httpapi: csv: %w", err)
	}
	var names []string
	vals := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, fmt.Errorf("httpapi: csv: %w", err)
		}
		name, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, fmt.Errorf("httpapi: csv: %w", err)
		}
		names = append(names, name)
		vals[name] = raw
	}
	return names, vals, nil
}

func cell(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if raw[0] == '"' && json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}
