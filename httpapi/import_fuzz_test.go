package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"rackflow/inventory"
)

// importRecord is a rejection naming the record: list[index].field "value".
var importRecord = regexp.MustCompile(`^(racks|components|bmcs)\[(\d+)\]\.[a-z_.]+ "`)

// importDocumentProblem is a rejection of the body as a whole: it names the
// JSON problem, with its byte offset or field, or says what is missing.
var importDocumentProblem = regexp.MustCompile(`^import: invalid: (request body is not valid JSON \(at byte \d+\)` +
	`|field "[^"]*" must be a .* \(at byte \d+\)|request body must be a JSON object, not a JSON .+` +
	`|request body is truncated JSON|request body has an unknown field ".*"|request body has data after the JSON document` +
	`|the request body is empty; .*|the document has no racks, components or bmcs|request body is larger than \d+ bytes)$`)

// fuzzImportState is a stored site to plan against: an imported rack with a
// component and a BMC, a mirrored rack, and a deleted rack.
func fuzzImportState() inventory.ImportState {
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	ext, rackID, slot := "core-rack-9", "0b4c3d1e-8a5f-4e21-9c3b-7d6e5f4a3b21", int64(1)
	legacy := inventory.Rack{ID: "6f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f", Name: "legacy-1", Manufacturer: "Acme", SerialNumber: "L-1", Status: "new", CreatedAt: at, UpdatedAt: at}
	return inventory.ImportState{
		Racks: []inventory.Rack{legacy,
			{ID: rackID, Name: "Rack 0009", Manufacturer: "Foxconn", SerialNumber: "SN-R-9", Status: "new", ExternalID: &ext, CreatedAt: at, UpdatedAt: at},
			{ID: "1a2b3c4d-5e6f-4a0b-9c8d-7e6f5a4b3c2d", Name: "gone", Manufacturer: "Acme", SerialNumber: "G-1", Status: "new", CreatedAt: at, UpdatedAt: at, DeletedAt: &at}},
		Components: []inventory.Component{{ID: "2b3c4d5e-6f7a-4b1c-8d9e-0f1a2b3c4d5e", Type: inventory.Compute, Manufacturer: "Acme",
			SerialNumber: "C-1", RackID: &legacy.ID, SlotID: &slot, UpdatedAt: at}},
		BMCs:  []inventory.BMC{{MAC: "02:00:00:00:07:01", Type: inventory.HostBMC, ComponentID: "2b3c4d5e-6f7a-4b1c-8d9e-0f1a2b3c4d5e"}},
		Owned: map[string]bool{rackID: true},
	}
}

// checkImportBody decodes body as POST /v1/import does, validates it and
// plans it against st: no panic; a rejection wraps ErrInvalid or
// ErrConflict and names the record or the JSON problem; an accepted plan
// holds no NUL character and writes one event per row it writes.
func checkImportBody(t *testing.T, body []byte, st inventory.ImportState) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/v1/import", bytes.NewReader(body))
	doc, err := decodeImport(httptest.NewRecorder(), r, 1<<20)
	if err == nil {
		err = doc.Validate()
	}
	var w inventory.Writes
	var res inventory.ImportResult
	if err == nil {
		w, res, err = inventory.PlanImport(doc, st, time.Now())
	}
	if err != nil {
		msg := err.Error()
		if !errors.Is(err, inventory.ErrInvalid) && !errors.Is(err, inventory.ErrConflict) {
			t.Fatalf("import %q: rejection %q wraps neither ErrInvalid nor ErrConflict", body, msg)
		}
		if re, ok := inventory.IsRecordError(err); ok {
			n := map[string]int{"racks": len(doc.Racks), "components": len(doc.Components), "bmcs": len(doc.BMCs)}[re.List]
			if !importRecord.MatchString(msg) || re.Index < 0 || re.Index >= n || re.Field == "" {
				t.Fatalf("import %q: rejection %q does not name a record of the document", body, msg)
			}
			return
		}
		if !importDocumentProblem.MatchString(msg) {
			t.Fatalf("import %q: rejection %q names neither a record nor the JSON problem", body, msg)
		}
		return
	}
	// PostgreSQL stores no NUL character in text or jsonb.
	if enc, err := json.Marshal(w); err != nil || bytes.Contains(enc, []byte(`\u0000`)) {
		t.Fatalf("import %q: accepted writes that PostgreSQL cannot store (%v)", body, err)
	}
	written := 0
	for _, c := range []inventory.ImportCounts{res.Racks, res.Components, res.BMCs} {
		written += c.Inserted + c.Updated
	}
	if len(w.Events) != written {
		t.Fatalf("import %q: %d rows written with %d events", body, written, len(w.Events))
	}
	if got := len(w.RackInserts) + len(w.RackUpdates) + len(w.ComponentInserts) + len(w.ComponentUpdates) + len(w.BMCInserts) + len(w.BMCUpdates); got != written {
		t.Fatalf("import %q: the result counts %d rows written, the writes hold %d", body, written, got)
	}
}

// FuzzImportBody is row 8 for the import decoder, validator and plan; see
// checkImportBody.
func FuzzImportBody(f *testing.F) {
	for _, s := range []string{
		`{"racks": [{"name": "legacy-7", "manufacturer": "Acme", "serial_number": "L-7", "description": {"text": "row 9"},
		  "location": {"region": "eu", "room": "b", "position": "R9-07"}, "status": "new"}],
		  "components": [{"type": "TorSwitch", "manufacturer": "Arista", "serial_number": "TOR-7", "name": "tor-7", "model": "7050",
		  "description": {}, "rack": "legacy-7", "slot_id": 42, "tray_index": 0, "host_id": 0}],
		  "bmcs": [{"mac_address": "02:00:00:00:07:07", "type": "Host", "component": {"manufacturer": "Arista", "serial_number": "TOR-7"},
		  "ip_address": "10.7.0.1"}]}`,
		`{"racks": [{"name": "legacy-1", "manufacturer": "Acme", "serial_number": "L-1", "location": {"room": "c"}}]}`,
		`{"racks": [{"name": "Rack 0009", "manufacturer": "Foxconn", "serial_number": "SN-R-9", "location": {"room": "z"}}]}`,
		`{"racks": [{"name": "gone", "manufacturer": "Acme", "serial_number": "G-1", "location": {}}]}`,
		`{"components": [{"manufacturer": "Acme", "serial_number": "C-1", "rack": "gone"}]}`,
		`{"components": [{"manufacturer": "Acme", "serial_number": "C-1", "slot_id": 1, "rack": "legacy-1"}]}`,
		`{"bmcs": [{"mac_address": "0200.0000.0701", "component": {"manufacturer": "Acme", "serial_number": "C-1"}}]}`,
		`{"bmcs": [{"mac_address": "02:00:00:00:07:01", "type": "DPU", "component": {"manufacturer": "Acme", "serial_number": "C-1"}}]}`,
		``, `null`, `[]`, `{}`, `"x"`, `{"racks": {}}`, `{"racks": [{"name": `, `{"racks": [1]}`, `{"x": 1}`, `{}{}`,
		`{"components": [{"manufacturer": "m", "serial_number": "s", "host_id": 9223372036854775808}]}`,
		`{"components": [{"manufacturer": "m", "serial_number": "s", "tray_index": -3}]}`,
		`{"racks": [{"name": "a", "manufacturer": "m", "serial_number": "s", "description": " {} "}]}`,
		`{"racks": [{"name": "a", "manufacturer": "m", "serial_number": "s", "description": "{\"k\": 1}"}]}`,
		"{\"racks\": [{\"name\": \"a\xff\", \"manufacturer\": \"m\", \"serial_number\": \"s\"}]}",
	} {
		f.Add([]byte(s))
	}
	st := fuzzImportState()
	f.Fuzz(func(t *testing.T, body []byte) {
		checkImportBody(t, body, st)
	})
}
