package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"rackflow/httpapi"
	"rackflow/inventory"
	"rackflow/postgres/pgtest"
	"rackflow/sqlite"
	"rackflow/storetest"
)

func TestMain(m *testing.M) { pgtest.Main(m, "httpapi") }

// fuzzToken is the write token of the fuzzed servers.
const fuzzToken = "fuzz-write-token"

// siteStore is a real store the API reads from and imports into.
type siteStore interface {
	inventory.Store
	inventory.Reader
}

// storeImporter applies an import to a real store in one write transaction,
// as the service does.
type storeImporter struct{ db func() siteStore }

func (im storeImporter) Import(ctx context.Context, doc inventory.ImportDocument) (inventory.ImportResult, error) {
	var res inventory.ImportResult
	err := im.db().Write(ctx, func(tx inventory.Tx) error {
		itx, ok := tx.(inventory.ImportTx)
		if !ok {
			return errors.New("the store cannot tell which rows the mirror owns")
		}
		var err error
		res, err = inventory.Import(ctx, itx, doc, time.Now())
		return err
	})
	return res, err
}

// fuzzSiteImport is the imported part of the fuzzed site.
const fuzzSiteImport = `{
 "racks": [{"name": "legacy-1", "manufacturer": "Acme", "serial_number": "L-1", "location": {"region": "eu", "room": "b"}},
           {"name": "legacy-2", "manufacturer": "Acme", "serial_number": "L-2", "description": {"model": "X"}}],
 "components": [{"type": "TorSwitch", "manufacturer": "Arista", "serial_number": "TOR-1", "rack": "legacy-1", "slot_id": 42},
                {"manufacturer": "Acme", "serial_number": "C-1", "rack": "legacy-2", "slot_id": 1, "tray_index": 0, "host_id": 0}],
 "bmcs": [{"mac_address": "02:00:00:00:07:01", "component": {"manufacturer": "Arista", "serial_number": "TOR-1"}, "ip_address": "10.7.0.1"}]
}`

// mirroredRackID is the rack the mirror wrote in every fuzzed site.
const mirroredRackID = "0b4c3d1e-8a5f-4e21-9c3b-7d6e5f4a3b21"

// fuzzCycleID is the finished cycle of every fuzzed site.
const fuzzCycleID = "5e7a2c10-3b4d-4f6e-8a9b-0c1d2e3f4a5b"

// openFuzzSite returns a fresh in-memory SQLite store holding the fuzzed
// site (see seedFuzzSite).
func openFuzzSite(tb testing.TB) *sqlite.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, sqlite.Memory)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		tb.Fatal(err)
	}
	seedFuzzSite(tb, db)
	return db
}

// seedFuzzSite writes imported racks, a component and a BMC, a rack the
// mirror wrote (which an import must not change) and one finished cycle.
func seedFuzzSite(tb testing.TB, db siteStore) {
	tb.Helper()
	ctx := context.Background()
	var doc inventory.ImportDocument
	if err := json.Unmarshal([]byte(fuzzSiteImport), &doc); err != nil {
		tb.Fatal(err)
	}
	if _, err := (storeImporter{func() siteStore { return db }}).Import(ctx, doc); err != nil {
		tb.Fatalf("seeding the import: %v", err)
	}
	now := time.Now().UTC()
	cycleID := fuzzCycleID
	ext := "core-rack-9"
	rack := inventory.Rack{ID: mirroredRackID, Name: "Rack 0009", Manufacturer: "Foxconn", SerialNumber: "SN-R-9",
		Status: "new", ExternalID: &ext, CreatedAt: now, UpdatedAt: now}
	w := inventory.Writes{At: now, RackInserts: []inventory.Rack{rack}, Events: []inventory.Event{{CycleID: &cycleID, At: now,
		Entity: inventory.EntityRack, EntityID: rack.ID, Action: inventory.ActionInsert, Source: inventory.SourceMirror,
		Changes: inventory.Changes{inventory.ColName: {New: rack.Name}}}}}
	if err := db.StartCycle(ctx, inventory.Cycle{ID: cycleID, StartedAt: now, Trigger: inventory.TriggerOnce,
		Instance: "fuzz", MirrorEnabled: true, Status: inventory.CycleRunning}); err != nil {
		tb.Fatal(err)
	}
	if err := db.Write(ctx, func(tx inventory.Tx) error { return tx.Apply(ctx, w) }); err != nil {
		tb.Fatalf("seeding the mirrored rack: %v", err)
	}
	if err := db.FinishCycle(ctx, inventory.Cycle{ID: cycleID, FinishedAt: &now, Status: inventory.CycleOK,
		Steps: json.RawMessage(`{}`)}); err != nil {
		tb.Fatal(err)
	}
}

// fuzzServer serves the API over the store db returns, on a loopback port,
// until tb ends; it returns the base URL.
func fuzzServer(tb testing.TB, db func() siteStore) string {
	tb.Helper()
	s := httpapi.New(httpapi.Config{Listen: "127.0.0.1:0", Token: fuzzToken, Reader: db(), Importer: storeImporter{db}}, nil)
	if err := s.Listen(); err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Start(ctx) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("Start: %v", err)
		}
	})
	return "http://" + s.Addr()
}

// send sends one request and returns the status, content type and body.
func send(t *testing.T, method, u, body string) (int, string, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatalf("%s %q: %v", method, u, err)
	}
	req.Header.Set("Authorization", "Bearer "+fuzzToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %q: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %q: reading the answer: %v", method, u, err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

// errorBody decodes the JSON error format and checks its code and message.
func errorBody(t *testing.T, what string, status int, b []byte) httpapi.ErrorDetail {
	t.Helper()
	var e httpapi.ErrorBody
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil || e.Error.Message == "" {
		t.Fatalf("%s: %d with a body that is not {\"error\":{\"code\",\"message\"}}: %q", what, status, b)
	}
	want := map[int]string{http.StatusBadRequest: httpapi.CodeInvalid, http.StatusConflict: httpapi.CodeConflict}[status]
	if e.Error.Code != want {
		t.Fatalf("%s: %d with code %q, want %q: %q", what, status, e.Error.Code, want, b)
	}
	return e.Error
}

// listPaths are the list endpoints the query fuzz target calls.
var listPaths = []string{"/v1/racks", "/v1/components", "/v1/drift", "/v1/cycles", "/v1/events",
	"/v1/held-deletes", "/v1/cycles/" + fuzzCycleID + "/events", "/v1/drift/summary"}

// escapeTarget percent-escapes the bytes a request line cannot carry
// (controls, space, '#', non-ASCII), as a client does; the server decodes
// them back, so the parsers still see every byte.
func escapeTarget(raw string) string {
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		if c := raw[i]; c <= ' ' || c >= 0x7f || c == '#' {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// listCase is one request of the query fuzz target: a list path (an index
// into listPaths), a raw query string, and one more parameter.
type listCase struct {
	path          uint8
	raw, key, val string
}

// listCases are the seeds of FuzzAPI_ListQueryParams.
func listCases() []listCase {
	var cs []listCase
	for i := range listPaths {
		for _, raw := range []string{"", "limit=1", "limit=0", "order_by=-id", "format=csv", "colour=blue", "a=%zz", "top=5", "name=%00", "rack=%ff"} {
			cs = append(cs, listCase{uint8(i), raw, "", ""})
		}
	}
	rackCursor := inventory.EncodeCursor(inventory.Order{Column: "name"}, "legacy-1", inventory.NewID())
	return append(cs, []listCase{
		{0, "", "cursor", rackCursor}, {0, "order_by=created_at", "cursor", rackCursor},
		{0, "", "cursor", inventory.EncodeCursor(inventory.Order{Column: "created_at"}, "not a time", "x")},
		{0, "", "name", "a\x00b"}, {0, "", "region", "\xff\xfe"},
		{1, "", "cursor", inventory.EncodeCursor(inventory.Order{Column: "serial_number"}, "", "")},
		{1, "", "cursor", inventory.EncodeCursor(inventory.Order{Column: "serial_number"}, "\x00", "\xff")},
		{1, "", "bmc_mac", "02-00-00-00-07-01"}, {1, "type=TorSwitch", "rack", "legacy-1"},
		{2, "state=all", "min_age", "106751d"}, {2, "state=resolved", "opened_after", "0000-01-01T00:00:00Z"},
		{2, "", "opened_before", "9999-12-31T23:59:59.999999999-23:59"},
		{2, "", "cursor", inventory.EncodeCursor(inventory.Order{Column: "first_seen_at"}, "yesterday", "x")},
		{3, "status=ok", "cursor", inventory.EncodeCursor(inventory.Order{Column: "started_at", Desc: true}, "0", "z")},
		{4, "", "cursor", inventory.EncodeCursor(inventory.Order{Column: "id", Desc: true}, "not a number", "x")},
		{4, "", "cursor", inventory.EncodeCursor(inventory.Order{Column: "id", Desc: true}, "99999999999999999999", "x")},
		{4, "", "entity_id", "02:00:00:00:07:01"}, {4, "", "entity_id", "\x00"},
		{4, "since=2026-01-01T00:00:00Z", "until", "1900-01-01T00:00:00Z"},
		{5, "type=rack", "cursor", inventory.EncodeCursor(inventory.Order{Column: "held_since"}, "x", "y")},
		{6, "action=insert", "source", "mirror"}, {7, "", "top", "1001"},
	}...)
}

// checkListRequest sends one list request: the answer is 200 with a valid
// body, or 400 in the JSON error format.
func checkListRequest(t *testing.T, base string, c listCase) {
	t.Helper()
	raw := c.raw
	if c.key != "" {
		raw += "&" + url.Values{c.key: {c.val}}.Encode()
	}
	u := base + listPaths[int(c.path)%len(listPaths)]
	if raw != "" {
		u += "?" + escapeTarget(raw)
	}
	status, ctype, b := send(t, http.MethodGet, u, "")
	switch status {
	case http.StatusOK:
		if strings.HasPrefix(ctype, "application/json") && !json.Valid(b) {
			t.Fatalf("GET %s: 200 with invalid JSON %q", u, b)
		}
	case http.StatusBadRequest:
		errorBody(t, "GET "+u, status, b)
	default:
		t.Fatalf("GET %s: %d, want 200 or 400: %s", u, status, b)
	}
}

// FuzzAPI_ListQueryParams is row 8 for query strings sent to the list
// endpoints of a server on SQLite; see checkListRequest.
func FuzzAPI_ListQueryParams(f *testing.F) {
	db := openFuzzSite(f)
	f.Cleanup(func() { db.Close() })
	base := fuzzServer(f, func() siteStore { return db })
	for _, c := range listCases() {
		f.Add(c.path, c.raw, c.key, c.val)
	}
	f.Fuzz(func(t *testing.T, path uint8, raw, key, value string) {
		checkListRequest(t, base, listCase{path, raw, key, value})
	})
}

// recordMessage is a rejection naming an import record: list[index].field.
var recordMessage = regexp.MustCompile(`^(racks|components|bmcs)\[\d+\]\.[a-z_.]+ "`)

// documentMessage is a rejection of the document as a whole, which names
// the JSON problem (with its offset or field) or says what is missing.
var documentMessage = regexp.MustCompile(`^import: invalid: (request body is not valid JSON \(at byte \d+\)` +
	`|field "[^"]*" must be a .* \(at byte \d+\)|request body must be a JSON object, not a JSON .+` +
	`|request body is truncated JSON|request body has an unknown field ".*"|request body has data after the JSON document` +
	`|the request body is empty; .*|the document has no racks, components or bmcs)$`)

// tableState is what an import may write: the three tables' content and
// the audit trail's length.
type tableState struct {
	sum    string
	events int
}

func readTableState(t *testing.T, db siteStore) tableState {
	t.Helper()
	ctx := context.Background()
	c, err := storetest.ReadContent(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	l, err := db.ListEvents(ctx, inventory.EventQuery{Page: inventory.Page{Limit: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return tableState{sum: c.Sum(), events: l.Total}
}

// importBodySeeds are import bodies: the good document and one of each kind
// of bad document and bad record.
var importBodySeeds = []string{
	fuzzSiteImport,
	`{"racks": [{"name": "new-1", "manufacturer": "Acme", "serial_number": "N-1", "status": "planned"}]}`,
	`{"components": [{"manufacturer": "Acme", "serial_number": "C-1", "slot_id": 2}]}`,
	`{"bmcs": [{"mac_address": "aabb.cc00.0001", "type": "DPU", "component": {"manufacturer": "Acme", "serial_number": "C-1"}}]}`,
	``, `null`, `[]`, `{}`, `{"racks": []}`, `{"racks": null, "components": null, "bmcs": null}`, `"text"`, `{"racks": {}}`,
	`{"racks": [{"name": "x"`, `{"racks": [1]}`, `{"colour": "blue"}`, `{"racks": [{"name": "a", "colour": 1}]}`, `{} {}`, `{}x`,
	`{"racks": [{"name": " a", "manufacturer": "m", "serial_number": "s"}]}`,
	`{"racks": [{"name": "a", "manufacturer": "m", "serial_number": "s", "location": [1]}]}`,
	`{"racks": [{"name": "a", "manufacturer": "m", "serial_number": "s", "status": "seventeen-chars-x"}]}`,
	`{"racks": [{"name": "a", "manufacturer": "m", "serial_number": "s"}, {"name": "a", "manufacturer": "m", "serial_number": "t"}]}`,
	`{"racks": [{"name": "Rack 0009", "manufacturer": "Foxconn", "serial_number": "SN-R-9", "location": {"room": "z"}}]}`,
	`{"racks": [{"name": "other", "manufacturer": "Acme", "serial_number": "L-1"}]}`,
	`{"components": [{"manufacturer": "m", "serial_number": "s", "slot_id": -1}]}`,
	`{"components": [{"manufacturer": "m", "serial_number": "s", "slot_id": 1e99}]}`,
	`{"components": [{"manufacturer": "m", "serial_number": "s", "slot_id": 1.5}]}`,
	`{"components": [{"manufacturer": "m", "serial_number": "s", "rack": "nowhere"}]}`,
	`{"components": [{"manufacturer": "m", "serial_number": "s", "rack": "` + mirroredRackID + `"}]}`,
	`{"components": [{"manufacturer": "m", "serial_number": "s", "type": "a type name far too long"}]}`,
	`{"bmcs": [{"mac_address": "zz", "component": {"manufacturer": "Acme", "serial_number": "C-1"}}]}`,
	`{"bmcs": [{"mac_address": "02:00:00:00:07:02", "component": {"manufacturer": "Acme", "serial_number": "nope"}}]}`,
	`{"bmcs": [{"mac_address": "02:00:00:00:07:02", "type": "Console", "component": {"manufacturer": "Acme", "serial_number": "C-1"}}]}`,
	`{"bmcs": [{"mac_address": "02:00:00:00:07:03", "component": {"manufacturer": "Acme", "serial_number": "C-1"}},
	           {"mac_address": "02-00-00-00-07-03", "component": {"manufacturer": "Acme", "serial_number": "C-1"}}]}`,
	`{"racks": [{"name": "a\u0000b", "manufacturer": "m", "serial_number": "s"}]}`,
	`{"racks": [{"name": "a", "manufacturer": "m", "serial_number": "s", "description": {"k": "\u0000"}}]}`,
	`{"racks": [{"name": "a", "manufacturer": "m", "serial_number": "s", "location": {"\u0000": 1}}]}`,
	`{"racks": [{"name": "a", "manufacturer": "m", "serial_number": "s", "description": {"watts": 1e999999}}]}`,
	`{"components": [{"manufacturer": "m", "serial_number": "s", "model": "\u0000"}]}`,
	`{"bmcs": [{"mac_address": "02:00:00:00:07:09", "ip_address": "\u0000", "component": {"manufacturer": "Acme", "serial_number": "C-1"}}]}`,
}

// TestAPI_FuzzSeedsOnPostgres runs the seeds of both API fuzz targets
// against a server on PostgreSQL, which refuses some text SQLite stores (a
// NUL character, invalid UTF-8, numbers beyond its range): every answer is
// still 200, 400 or 409 as on SQLite, and a refused import writes nothing.
func TestAPI_FuzzSeedsOnPostgres(t *testing.T) {
	var db siteStore = pgtest.Open(t)
	seedFuzzSite(t, db)
	base := fuzzServer(t, func() siteStore { return db })
	for _, c := range listCases() {
		checkListRequest(t, base, c)
	}
	for _, body := range importBodySeeds {
		if checkImportRequest(t, base, db, []byte(body)) {
			db = pgtest.Open(t)
			seedFuzzSite(t, db)
		}
	}
}

// checkImportRequest posts body: it is accepted (and a second post of it
// writes nothing), or refused with 400 or 409 in the JSON error format,
// naming the record or the JSON problem, and nothing is written. It
// reports whether the body was accepted.
func checkImportRequest(t *testing.T, base string, db siteStore, body []byte) bool {
	t.Helper()
	before := readTableState(t, db)
	status, _, b := send(t, http.MethodPost, base+"/v1/import", string(body))
	switch status {
	case http.StatusOK:
		checkReimportIsANoOp(t, base, db, body)
		return true
	case http.StatusBadRequest, http.StatusConflict:
		e := errorBody(t, "POST /v1/import", status, b)
		if !recordMessage.MatchString(e.Message) && (status == http.StatusConflict || !documentMessage.MatchString(e.Message)) {
			t.Fatalf("POST /v1/import %q: %d %q names neither a record nor the JSON problem", body, status, e.Message)
		}
	default:
		t.Fatalf("POST /v1/import %q: %d, want 200, 400 or 409: %s", body, status, b)
	}
	if after := readTableState(t, db); after != before {
		t.Fatalf("POST /v1/import %q was refused (%d %s) but wrote: tables %s -> %s, events %d -> %d",
			body, status, b, before.sum, after.sum, before.events, after.events)
	}
	return false
}

// FuzzAPI_ImportBody is row 8 for bodies posted to /v1/import on a server
// on SQLite; see checkImportRequest. Each input starts from the same site.
func FuzzAPI_ImportBody(f *testing.F) {
	var db atomic.Pointer[sqlite.DB]
	db.Store(openFuzzSite(f))
	f.Cleanup(func() { db.Load().Close() })
	base := fuzzServer(f, func() siteStore { return db.Load() })
	for _, s := range importBodySeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if checkImportRequest(t, base, db.Load(), body) {
			db.Swap(openFuzzSite(t)).Close() // the next input starts from the same site
		}
	})
}

// checkReimportIsANoOp sends an accepted body again: it must be accepted
// and write nothing.
func checkReimportIsANoOp(t *testing.T, base string, db siteStore, body []byte) {
	t.Helper()
	before := readTableState(t, db)
	status, _, b := send(t, http.MethodPost, base+"/v1/import", string(body))
	if status != http.StatusOK {
		t.Fatalf("POST /v1/import %q: accepted once, then %d %s", body, status, b)
	}
	var res inventory.ImportResult
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatalf("POST /v1/import %q: answer %q: %v", body, b, err)
	}
	for _, c := range []inventory.ImportCounts{res.Racks, res.Components, res.BMCs} {
		if c.Inserted != 0 || c.Updated != 0 {
			t.Fatalf("POST /v1/import %q again wrote %s", body, b)
		}
	}
	if after := readTableState(t, db); after != before {
		t.Fatalf("POST /v1/import %q again changed the tables: %s -> %s, events %d -> %d", body, before.sum, after.sum, before.events, after.events)
	}
}
