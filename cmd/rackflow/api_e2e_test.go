package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"rackflow/coresim"
	"rackflow/coresim/simtest"
	"rackflow/inventory"
	"rackflow/postgres"
	"rackflow/postgres/pgtest"
	"rackflow/sqlite"
)

// apiSite is a served site under test: three generated racks with drift,
// mirrored and synced by real cycles against the simulator.
type apiSite struct {
	base, token string
	proc        *proc
}

func apiManifest() *coresim.Manifest {
	return coresim.Generate(coresim.GenerateOptions{Racks: 3, Seed: 7, Drift: 0.2})
}

// serveSite starts serve on db and waits for two finished cycles: the
// start-up one and one asked for through POST /v1/cycles.
func serveSite(t *testing.T, env map[string]string) *apiSite {
	t.Helper()
	p := startProc(t, env, "serve", "--instance", "api-e2e")
	s := &apiSite{base: "http://" + listenAddr(t, p), token: env["RACKFLOW_API_TOKEN"], proc: p}
	eventually(t, 30*time.Second, "the start-up cycle", func() bool { return s.finishedCycles(t) >= 1 })
	if code, body := s.call(t, "POST", "/v1/cycles", s.token, ""); code != http.StatusAccepted {
		t.Fatalf("POST /v1/cycles = %d %s", code, body)
	}
	eventually(t, 30*time.Second, "the requested cycle", func() bool { return s.finishedCycles(t) >= 2 })
	return s
}

func (s *apiSite) finishedCycles(t *testing.T) int {
	var l inventory.List[inventory.Cycle]
	if code := s.get(t, "/v1/cycles?status=ok&status=partial", &l); code != http.StatusOK {
		return 0
	}
	return l.Total
}

// call sends one request and returns the status and the body.
func (s *apiSite) call(t *testing.T, method, path, token, body string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// get decodes a 200 answer into v and returns the status.
func (s *apiSite) get(t *testing.T, path string, v any) int {
	t.Helper()
	code, body := s.call(t, "GET", path, s.token, "")
	if code == http.StatusOK {
		if err := json.Unmarshal([]byte(body), v); err != nil {
			t.Fatalf("GET %s: %v\n%s", path, err, body)
		}
	}
	return code
}

// all walks every page of a list with the given page size.
func all[T any](t *testing.T, s *apiSite, path string, limit int) ([]T, int) {
	t.Helper()
	var items []T
	cursor, pages := "", 0
	for {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		p := path + sep + "limit=" + itoa(limit)
		if cursor != "" {
			p += "&cursor=" + url.QueryEscape(cursor)
		}
		var l inventory.List[T]
		if code := s.get(t, p, &l); code != http.StatusOK {
			t.Fatalf("GET %s = %d", p, code)
		}
		if len(l.Items) > limit {
			t.Fatalf("GET %s: %d items over the limit", p, len(l.Items))
		}
		items, pages = append(items, l.Items...), pages+1
		if l.NextCursor == "" {
			if len(items) != l.Total {
				t.Fatalf("GET %s: %d items over %d pages, total says %d", path, len(items), pages, l.Total)
			}
			return items, pages
		}
		cursor = l.NextCursor
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func wantStatus(t *testing.T, s *apiSite, method, path, token, body string, want int, wantInBody string) {
	t.Helper()
	code, got := s.call(t, method, path, token, body)
	if code != want || !strings.Contains(got, wantInBody) {
		t.Errorf("%s %s = %d %s, want %d containing %q", method, path, code, got, want, wantInBody)
	}
}

func apiBackends(t *testing.T, fn func(t *testing.T, db string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, migratedSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { pgtest.Open(t); fn(t, pgtest.URL(t)) })
}

func TestAPI_ReadsFiltersPagesAndCSVOnBothBackends(t *testing.T) {
	apiBackends(t, func(t *testing.T, db string) {
		env := serveEnv(t, apiManifest(), db)
		env["RACKFLOW_INTERVAL"] = "1h"
		s := serveSite(t, env)
		checkRacks(t, s)
		checkComponents(t, s)
		checkDrift(t, s)
		checkCyclesAndEvents(t, s)
		checkCSV(t, s)
		checkBadRequests(t, s)
		wantStatus(t, s, "GET", "/v1/held-deletes", "", "", http.StatusOK, `"items":[]`)
		wantStatus(t, s, "GET", "/v1/plan", "", "", http.StatusOK, `"pending":false`)
		wantStatus(t, s, "GET", "/readyz", "", "", http.StatusOK, `"ready"`)
		checkReadMetrics(t, s)
	})
}

// checkReadMetrics scrapes the Core RPC, pool and drift age metrics.
func checkReadMetrics(t *testing.T, s *apiSite) {
	code, body := s.call(t, "GET", "/metrics", "", "")
	if code != http.StatusOK {
		t.Fatalf("GET /metrics = %d", code)
	}
	for _, want := range []string{`rackflow_core_rpc_duration_seconds_count{method="FindMachinesByIds"}`,
		`rackflow_core_rpc_duration_seconds_count{method="GetAllExpectedRacks"}`, `rackflow_db_pool_open_connections{backend=`,
		`rackflow_db_pool_max_connections{backend=`, "rackflow_drift_oldest_open_age_seconds "} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(body, "rackflow_drift_oldest_open_age_seconds 0\n") {
		t.Error("the oldest drift's age is 0 on a drifting site")
	}
}

func checkRacks(t *testing.T, s *apiSite) {
	racks, pages := all[inventory.RackView](t, s, "/v1/racks", 2)
	names := make([]string, len(racks))
	for i, r := range racks {
		names[i] = r.Name
	}
	if pages != 2 || !slices.Equal(names, []string{"Rack 0001", "Rack 0002", "Rack 0003"}) {
		t.Fatalf("racks = %v in %d pages", names, pages)
	}
	desc, _ := all[inventory.RackView](t, s, "/v1/racks?order_by=-name", 1)
	if desc[0].Name != "Rack 0003" || desc[2].Name != "Rack 0001" {
		t.Errorf("racks by -name = %v", desc)
	}
	count := func(path string) int {
		var l inventory.List[inventory.RackView]
		if code := s.get(t, path, &l); code != http.StatusOK {
			t.Fatalf("GET %s = %d", path, code)
		}
		return l.Total
	}
	drifting := 0
	for _, r := range racks {
		if r.Drift.Total > 0 {
			drifting++
		}
	}
	for path, want := range map[string]int{
		"/v1/racks?name=Rack+0001&name=Rack+0003":      2,
		"/v1/racks?manufacturer=Wistron":               1,
		"/v1/racks?model=GB200+NVL72":                  3,
		"/v1/racks?status=new":                         3,
		"/v1/racks?region=us-east&datacenter=dc1":      3,
		"/v1/racks?room=hall-9":                        0,
		"/v1/racks?position=R1-02":                     1,
		"/v1/racks?has_drift=true":                     drifting,
		"/v1/racks?has_drift=false":                    3 - drifting,
		"/v1/racks?deleted=true":                       0,
		"/v1/racks?drift_type=mismatch&has_drift=true": countDriftType(racks, inventory.Mismatch),
	} {
		if got := count(path); got != want {
			t.Errorf("GET %s: total %d, want %d", path, got, want)
		}
	}
	var withComponents inventory.List[inventory.RackView]
	s.get(t, "/v1/racks?include=components&name=Rack+0002", &withComponents)
	if len(withComponents.Items) != 1 || len(withComponents.Items[0].Components) != 35 {
		t.Errorf("include=components gave %+v", withComponents.Items)
	}
	code, body := s.call(t, "GET", "/v1/racks/"+url.PathEscape("Rack 0002"), "", "")
	var d inventory.RackDetail
	if code != http.StatusOK || json.Unmarshal([]byte(body), &d) != nil || len(d.Components) != 35 || hostBMCs(d.BMCs) != 35 {
		t.Fatalf("GET /v1/racks/Rack 0002 = %d, %d components and %d host BMCs", code, len(d.Components), hostBMCs(d.BMCs))
	}
	if strings.Contains(body, "password") || strings.Contains(body, `"user"`) || strings.Contains(body, "gen-") {
		t.Errorf("the rack detail carries BMC credentials:\n%s", body)
	}
	var byID inventory.RackDetail
	if s.get(t, "/v1/racks/"+d.ID, &byID); byID.Name != "Rack 0002" {
		t.Errorf("GET /v1/racks/{id} = %+v", byID.Rack)
	}
	var e inventory.Elevation
	s.get(t, "/v1/racks/"+d.ID+"/elevation", &e)
	if len(e.Slots) != 35 || !slices.IsSortedFunc(e.Slots, func(a, b inventory.ElevationSlot) int { return int(*a.SlotID - *b.SlotID) }) {
		t.Errorf("elevation has %d slots, in slot order: %v", len(e.Slots), e.Slots)
	}
}

func hostBMCs(bs []inventory.BMC) int {
	n := 0
	for _, b := range bs {
		if b.Type == inventory.HostBMC {
			n++
		}
	}
	return n
}

func countDriftType(racks []inventory.RackView, dt inventory.DriftType) int {
	n := 0
	for _, r := range racks {
		if dt == inventory.Mismatch && r.Drift.Mismatch > 0 {
			n++
		}
	}
	return n
}

func checkComponents(t *testing.T, s *apiSite) {
	comps, pages := all[inventory.ComponentView](t, s, "/v1/components", 40)
	if len(comps) != 105 || pages != 3 {
		t.Fatalf("%d components in %d pages, want 105 in 3", len(comps), pages)
	}
	desc, _ := all[inventory.ComponentView](t, s, "/v1/components?order_by=-serial_number", 50)
	if desc[0].SerialNumber != comps[len(comps)-1].SerialNumber {
		t.Errorf("descending order does not reverse: %s vs %s", desc[0].SerialNumber, comps[len(comps)-1].SerialNumber)
	}
	c := comps[0]
	var withExt inventory.ComponentView
	for _, x := range comps {
		if x.ExternalID != nil {
			withExt = x
			break
		}
	}
	var rackOf inventory.RackDetail
	s.get(t, "/v1/racks/"+*c.RackID, &rackOf)
	mac := ""
	for _, b := range rackOf.BMCs {
		if b.ComponentID == c.ID {
			mac = b.MAC
		}
	}
	for path, want := range map[string]int{
		"/v1/components?rack=" + url.QueryEscape(*c.RackName):                          35,
		"/v1/components?rack=" + *c.RackID + "&type=Compute":                           18,
		"/v1/components?type=NVSwitch&type=PowerShelf":                                 3 * 17,
		"/v1/components?serial=" + c.SerialNumber:                                      1,
		"/v1/components?external_id=" + url.QueryEscape(deref(withExt.ExternalID)):     1,
		"/v1/components?bmc_mac=" + strings.ToUpper(strings.ReplaceAll(mac, ":", "-")): 1,
		"/v1/components?deleted=true":                                                  0,
		"/v1/components?deleted=all":                                                   105,
	} {
		var l inventory.List[inventory.ComponentView]
		if code := s.get(t, path, &l); code != http.StatusOK || l.Total != want {
			t.Errorf("GET %s = %d, total %d, want %d", path, code, l.Total, want)
		}
	}
	var d inventory.ComponentDetail
	if code := s.get(t, "/v1/components/"+c.ID, &d); code != http.StatusOK || d.SerialNumber != c.SerialNumber || len(d.BMCs) == 0 || len(d.Events) == 0 {
		t.Errorf("GET /v1/components/{id} = %d %+v", code, d)
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func checkDrift(t *testing.T, s *apiSite) {
	open, _ := all[inventory.DriftItem](t, s, "/v1/drift", 7)
	if len(open) == 0 {
		t.Fatal("the generated site has no open drift")
	}
	if !slices.IsSortedFunc(open, func(a, b inventory.DriftItem) int { return a.FirstSeenAt.Compare(b.FirstSeenAt) }) {
		t.Error("open drift is not oldest first")
	}
	byType, byComponentType, withSlot, inRack := map[inventory.DriftType]int{}, map[inventory.ComponentType]int{}, 0, map[string]int{}
	for _, d := range open {
		byType[d.DriftType]++
		byComponentType[d.ComponentType]++
		if d.State != inventory.DriftStateOpen || d.LastSeenAt == nil || d.ResolvedAt != nil || d.AgeSeconds < 0 {
			t.Errorf("open drift %+v", d)
		}
		for _, df := range d.Diffs {
			if df.FieldName == "slot_id" {
				withSlot++
				break
			}
		}
		if d.RackName != nil {
			inRack[*d.RackName]++
		}
	}
	total := func(path string) int {
		var l inventory.List[inventory.DriftItem]
		if code := s.get(t, path, &l); code != http.StatusOK {
			t.Fatalf("GET %s = %d", path, code)
		}
		return l.Total
	}
	first := open[0].FirstSeenAt
	for path, want := range map[string]int{
		"/v1/drift?type=mismatch":                        byType[inventory.Mismatch],
		"/v1/drift?type=missing_in_actual&type=mismatch": byType[inventory.MissingInActual] + byType[inventory.Mismatch],
		"/v1/drift?component_type=Compute":               byComponentType[inventory.Compute],
		"/v1/drift?field=slot_id":                        withSlot,
		"/v1/drift?rack=Rack+0001":                       inRack["Rack 0001"],
		"/v1/drift?min_age=0s":                           len(open),
		"/v1/drift?min_age=7d":                           0,
		"/v1/drift?state=all":                            len(open) + total("/v1/drift?state=resolved"),
		"/v1/drift?opened_after=" + url.QueryEscape(first.Add(time.Hour).Format(time.RFC3339Nano)):  0,
		"/v1/drift?opened_before=" + url.QueryEscape(first.Add(time.Hour).Format(time.RFC3339Nano)): len(open),
	} {
		if got := total(path); got != want {
			t.Errorf("GET %s: total %d, want %d", path, got, want)
		}
	}
	var sum inventory.DriftSummary
	s.get(t, "/v1/drift/summary", &sum)
	if sum.Total != len(open) || len(sum.AgeBuckets) != 5 || sum.AgeBuckets[0].Count != len(open) {
		t.Errorf("summary = %+v, want %d open drifts all under an hour old", sum, len(open))
	}
}

func checkCyclesAndEvents(t *testing.T, s *apiSite) {
	var cycles inventory.List[inventory.Cycle]
	s.get(t, "/v1/cycles", &cycles)
	if cycles.Total < 2 || !cycles.Items[0].StartedAt.After(cycles.Items[1].StartedAt) {
		t.Fatalf("cycles = %+v, want at least two, newest first", cycles.Items)
	}
	var startup inventory.List[inventory.Cycle]
	if s.get(t, "/v1/cycles?trigger=startup", &startup); startup.Total != 1 || startup.Items[0].Trigger != inventory.TriggerStartup {
		t.Errorf("start-up cycles = %+v, want one", startup)
	}
	first := cycles.Items[len(cycles.Items)-1]
	var one inventory.Cycle
	if code := s.get(t, "/v1/cycles/"+first.ID, &one); code != http.StatusOK || !strings.Contains(string(one.Steps), `"mirror"`) {
		t.Errorf("GET /v1/cycles/{id} = %d, steps %s", code, one.Steps)
	}
	events, pages := all[inventory.Event](t, s, "/v1/cycles/"+first.ID+"/events", 100)
	if pages < 2 {
		t.Errorf("the first cycle's %d events fit one page of 100", len(events))
	}
	for _, e := range events {
		if e.CycleID == nil || *e.CycleID != first.ID {
			t.Fatalf("event %+v is not the cycle's", e)
		}
	}
	mirror, _ := all[inventory.Event](t, s, "/v1/events?source=mirror&entity=rack&order_by=id", 2)
	if len(mirror) != 3 || mirror[0].Action != inventory.ActionInsert || mirror[0].ID > mirror[1].ID {
		t.Errorf("mirror rack events = %+v, want the three inserts in id order", mirror)
	}
	var l inventory.List[inventory.Event]
	s.get(t, "/v1/events?entity_id="+mirror[0].EntityID+"&cycle_id="+first.ID+"&action=insert", &l)
	if l.Total != 1 {
		t.Errorf("events of one rack in one cycle: %d", l.Total)
	}
	until := url.QueryEscape(mirror[0].At.Format(time.RFC3339Nano))
	s.get(t, "/v1/events?until="+until, &l)
	before := l.Total
	s.get(t, "/v1/events?since="+until, &l)
	if all := len(events); before != 0 || l.Total < all {
		t.Errorf("events until the first write: %d, since: %d (first cycle alone has %d)", before, l.Total, all)
	}
}

func checkCSV(t *testing.T, s *apiSite) {
	for _, h := range [][]string{nil, {"Accept", "text/csv"}} {
		path := "/v1/racks?format=csv"
		if h != nil {
			path = "/v1/racks"
		}
		code, body := s.call(t, "GET", path, "", "", h...)
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if code != http.StatusOK || err != nil || len(rows) != 4 || !slices.Equal(rows[0][:3], []string{"id", "name", "manufacturer"}) || rows[1][1] != "Rack 0001" {
			t.Errorf("GET %s as CSV = %d %v\n%s", path, code, err, body)
		}
	}
	code, body := s.call(t, "GET", "/v1/drift?format=csv&limit=1", "", "")
	if lines := strings.Count(body, "\n"); code != http.StatusOK || lines < 2 || !strings.HasPrefix(body, "id,state,") {
		t.Errorf("drift as CSV = %d\n%s", code, body)
	}
}

func checkBadRequests(t *testing.T, s *apiSite) {
	for path, want := range map[string]string{
		"/v1/racks?colour=red":             `unknown query parameter \"colour\"`,
		"/v1/racks?drift_type=stale":       `\"stale\"`,
		"/v1/racks?has_drift=maybe":        `\"maybe\"`,
		"/v1/racks?limit=5000":             "limit 5000",
		"/v1/racks?limit=0":                "limit 0",
		"/v1/racks?cursor=nonsense":        `\"nonsense\"`,
		"/v1/racks?order_by=colour":        `\"colour\"`,
		"/v1/components?bmc_mac=zz":        `\"zz\"`,
		"/v1/drift?state=closed":           `\"closed\"`,
		"/v1/drift?min_age=soon":           `\"soon\"`,
		"/v1/drift?opened_after=yesterday": `\"yesterday\"`,
		"/v1/events?cycle_id=42":           `\"42\"`,
		"/v1/cycles?status=done":           `\"done\"`,
		"/v1/racks?format=xml":             `\"xml\"`,
	} {
		wantStatus(t, s, "GET", path, "", "", http.StatusBadRequest, want)
	}
	wantStatus(t, s, "GET", "/v1/racks/no-such-rack", "", "", http.StatusNotFound, `"not_found"`)
	wantStatus(t, s, "GET", "/v1/components/"+inventory.NewID(), "", "", http.StatusNotFound, `"not_found"`)
	wantStatus(t, s, "GET", "/v1/cycles/"+inventory.NewID()+"/events", "", "", http.StatusNotFound, `"not_found"`)
	wantStatus(t, s, "POST", "/v1/cycles", "", "", http.StatusUnauthorized, `"unauthorized"`)
	wantStatus(t, s, "POST", "/v1/import", "wrong", `{}`, http.StatusUnauthorized, `"unauthorized"`)
}

func TestAPI_ImportIsAllOrNothingOnBothBackends(t *testing.T) {
	apiBackends(t, func(t *testing.T, db string) {
		env := serveEnv(t, apiManifest(), db)
		env["RACKFLOW_INTERVAL"] = "1h"
		s := serveSite(t, env)
		doc := `{"racks": [{"name": "legacy-7", "manufacturer": "Acme", "serial_number": "L-7", "location": {"region": "eu", "room": "b"}}],
			"components": [
				{"type": "TorSwitch", "manufacturer": "Arista", "serial_number": "TOR-7", "rack": "legacy-7", "slot_id": 42},
				{"manufacturer": "Acme", "serial_number": "H-7", "rack": "legacy-7", "slot_id": 1, "tray_index": 0}],
			"bmcs": [{"mac_address": "02-00-00-00-07-01", "component": {"manufacturer": "Acme", "serial_number": "H-7"}, "ip_address": "10.7.0.1"}]}`
		importEvents := func() int {
			var l inventory.List[inventory.Event]
			s.get(t, "/v1/events?source=import", &l)
			return l.Total
		}
		bad := strings.Replace(doc, `"rack": "legacy-7", "slot_id": 1`, `"rack": "nowhere", "slot_id": 1`, 1)
		wantStatus(t, s, "POST", "/v1/import", s.token, bad, http.StatusBadRequest, `components[1].rack \"nowhere\"`)
		mirrored := `{"racks": [{"name": "Rack 0001", "manufacturer": "Foxconn", "serial_number": "other"}]}`
		wantStatus(t, s, "POST", "/v1/import", s.token, mirrored, http.StatusConflict, `racks[0]`)
		if n := importEvents(); n != 0 {
			t.Fatalf("refused imports wrote %d events", n)
		}
		wantStatus(t, s, "GET", "/v1/racks/legacy-7", "", "", http.StatusNotFound, "not_found")

		var res inventory.ImportResult
		code, body := s.call(t, "POST", "/v1/import", s.token, doc)
		if code != http.StatusOK || json.Unmarshal([]byte(body), &res) != nil || res.Racks.Inserted != 1 || res.Components.Inserted != 2 || res.BMCs.Inserted != 1 {
			t.Fatalf("import = %d %s", code, body)
		}
		if n := importEvents(); n != 4 {
			t.Errorf("import events = %d, want one per row", n)
		}
		var d inventory.RackDetail
		if s.get(t, "/v1/racks/legacy-7", &d); len(d.Components) != 2 || len(d.BMCs) != 1 || d.ExternalID != nil {
			t.Errorf("imported rack = %+v", d)
		}
		code, body = s.call(t, "POST", "/v1/import", s.token, doc)
		if code != http.StatusOK || !strings.Contains(body, `"unchanged":1`) || importEvents() != 4 {
			t.Errorf("re-import = %d %s, want everything unchanged and no new event", code, body)
		}
	})
}

func TestAPI_ReadTokenModeAndReadiness(t *testing.T) {
	apiBackends(t, func(t *testing.T, db string) {
		env := serveEnv(t, apiManifest(), db)
		env["RACKFLOW_INTERVAL"] = "1h"
		delete(env, "RACKFLOW_API_TOKEN")
		env["RACKFLOW_API_READ_TOKEN"] = "reader-secret"
		p := startProc(t, env, "serve", "--instance", "api-read")
		s := &apiSite{base: "http://" + listenAddr(t, p), token: "reader-secret", proc: p}
		eventually(t, 30*time.Second, "the start-up cycle", func() bool { return s.finishedCycles(t) >= 1 })
		wantStatus(t, s, "GET", "/v1/racks", "", "", http.StatusUnauthorized, "RACKFLOW_API_READ_TOKEN")
		wantStatus(t, s, "GET", "/v1/racks", "reader-secret", "", http.StatusOK, `"total":3`)
		wantStatus(t, s, "POST", "/v1/cycles", "reader-secret", "", http.StatusForbidden, `"forbidden"`)
		wantStatus(t, s, "POST", "/v1/import", "reader-secret", "{}", http.StatusForbidden, "RACKFLOW_API_TOKEN is not set")
		wantStatus(t, s, "GET", "/healthz", "", "", http.StatusOK, "ok")
		wantStatus(t, s, "GET", "/readyz", "", "", http.StatusOK, `"ready"`)
		if strings.Contains(p.err.String(), "reader-secret") {
			t.Errorf("the read token is in the log:\n%s", p.err.String())
		}

		// A schema newer than this binary makes the instance not ready, and
		// it is ready again once the schema is current.
		bumpSchema(t, db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', '2026-01-01T00:00:00.000000Z')")
		wantStatus(t, s, "GET", "/readyz", "", "", http.StatusServiceUnavailable, "schema is not current")
		bumpSchema(t, db, "DELETE FROM schema_migrations WHERE version = 9999")
		wantStatus(t, s, "GET", "/readyz", "", "", http.StatusOK, `"ready"`)
		p.cmd.Process.Signal(syscall.SIGTERM)
		p.exitCode(t, 15*time.Second)
	})
}

// bumpSchema runs one statement on schema_migrations.
func bumpSchema(t *testing.T, db, stmt string) {
	t.Helper()
	d, err := openDatabase(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	switch x := d.(type) {
	case *postgres.DB:
		_, err = x.Pool().Exec(context.Background(), stmt)
	case *sqlite.DB:
		_, err = x.SQL().Exec(stmt)
	}
	if err != nil {
		t.Fatal(err)
	}
}

func TestAPI_HeldDeletesSayFromWhichCycleAndSinceWhen(t *testing.T) {
	apiBackends(t, func(t *testing.T, db string) {
		m := apiManifest()
		addr, sim := simtest.Start(t, m)
		env := map[string]string{"RACKFLOW_CORE_ADDR": addr, "RACKFLOW_CORE_INSECURE": "true", "RACKFLOW_DB": db,
			"RACKFLOW_CORE_TIMEOUT": "5s", "RACKFLOW_LOG_FORMAT": "text", "FLOW_EXPECTED_INVENTORY_SYNC_ENABLED": "true",
			"RACKFLOW_LISTEN": "127.0.0.1:0", "RACKFLOW_INTERVAL": "1h", "RACKFLOW_API_TOKEN": "test-token"}
		p := startProc(t, env, "serve", "--instance", "api-held")
		s := &apiSite{base: "http://" + listenAddr(t, p), token: "test-token", proc: p}
		eventually(t, 30*time.Second, "the start-up cycle", func() bool { return s.finishedCycles(t) >= 1 })

		// Core stops reporting two racks' compute trays: 36 of 54 deletes,
		// more than the guard lets through.
		shrunk := *m
		shrunk.Expected.Machines = nil
		for _, mc := range m.Expected.Machines {
			if mc.RackID == "rack-0001" {
				shrunk.Expected.Machines = append(shrunk.Expected.Machines, mc)
			}
		}
		if err := sim.Reload(&shrunk); err != nil {
			t.Fatal(err)
		}
		held := func(cycles int) inventory.List[inventory.HeldDelete] {
			t.Helper()
			if code, body := s.call(t, "POST", "/v1/cycles", s.token, ""); code != http.StatusAccepted {
				t.Fatalf("POST /v1/cycles = %d %s", code, body)
			}
			eventually(t, 30*time.Second, "the requested cycle", func() bool { return s.finishedCycles(t) >= cycles })
			var l inventory.List[inventory.HeldDelete]
			if code := s.get(t, "/v1/held-deletes?type=Compute&limit=1000", &l); code != http.StatusOK {
				t.Fatalf("GET /v1/held-deletes = %d", code)
			}
			return l
		}
		first := held(2)
		if first.Total != 36 || first.Items[0].CycleID != first.Items[0].SinceCycleID {
			t.Fatalf("held after the shrink = %d items, first %+v; want 36 held since this cycle", first.Total, first.Items)
		}
		second := held(3)
		h := second.Items[0]
		if second.Total != 36 || h.CycleID == h.SinceCycleID || h.SinceCycleID != first.Items[0].CycleID || !h.HeldSince.Equal(first.Items[0].HeldSince) {
			t.Errorf("held a cycle later = %+v, want the newest cycle holding them since the first", h)
		}
		var none inventory.List[inventory.HeldDelete]
		if s.get(t, "/v1/held-deletes?type=rack", &none); none.Total != 0 {
			t.Errorf("held racks = %+v, want none", none.Items)
		}
	})
}
