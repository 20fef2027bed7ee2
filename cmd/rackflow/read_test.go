package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"rackflow/coresim"
	"rackflow/coresim/simtest"
	"rackflow/postgres/pgtest"
)

// readSite is a running server over a store that real cycles against the
// simulator filled, and the environment of CLI runs against it.
type readSite struct {
	url string
	env map[string]string // RACKFLOW_SERVER, no token
}

// The site the read tests see, built by startReadSite from tiny.yaml:
//   - cycle 1: tiny plus 30 expected machines without a rack that Core does
//     not discover, and without the actual machine fm100h-0002, whose drift
//     (missing_in_actual on SN-C-0002) opens;
//   - cycle 2: Core stops expecting the 30 (the guard holds their deletes)
//     and discovers fm100h-0002 again, which resolves its drift;
//   - cycle 3: serve's start-up cycle, on the same manifest.
const (
	siteRacks      = 2
	siteComponents = 8 + extraMachines
	siteCycles     = 3
	extraMachines  = 30
)

// readBackends are the databases the read tests run on.
var readBackends = map[string]func(*testing.T) string{
	"sqlite":   migratedSQLite,
	"postgres": func(t *testing.T) string { pgtest.Open(t); return pgtest.URL(t) },
}

// startReadSite builds the site on db and serves it with serverEnv added to
// serve's environment; the CLI runs get clientEnv.
func startReadSite(t *testing.T, db string, serverEnv, clientEnv map[string]string) readSite {
	t.Helper()
	full := tiny(t)
	first := tiny(t)
	for i := range extraMachines {
		first.Expected.Machines = append(first.Expected.Machines, coresim.ExpectedComponent{
			BMCMAC: fmt.Sprintf("aa:bb:cc:00:20:%02x", i), Serial: fmt.Sprintf("SN-X-%02d", i),
			Labels: coresim.LabelMap(map[string]string{"manufacturer": "Foxconn"})})
	}
	first.Actual.Machines = slices.DeleteFunc(first.Actual.Machines, func(m coresim.ActualMachine) bool { return m.ID == "fm100h-0002" })
	addr, sim := simtest.Start(t, first)
	env := map[string]string{"RACKFLOW_CORE_ADDR": addr, "RACKFLOW_CORE_INSECURE": "true", "RACKFLOW_DB": db,
		"RACKFLOW_CORE_TIMEOUT": "5s", "RACKFLOW_LOG_FORMAT": "text", "FLOW_EXPECTED_INVENTORY_SYNC_ENABLED": "true"}
	if r := run(t, env, "sync", "--once"); r.code != 0 {
		t.Fatalf("cycle 1: %+v", r)
	}
	if err := sim.Reload(full); err != nil {
		t.Fatal(err)
	}
	if r := run(t, env, "sync", "--once"); r.code != 0 {
		t.Fatalf("cycle 2: %+v", r)
	}
	env["RACKFLOW_LISTEN"] = "127.0.0.1:0"
	env["RACKFLOW_INTERVAL"] = "1h"
	env["RACKFLOW_API_TOKEN"] = "test-token"
	for k, v := range serverEnv {
		env[k] = v
	}
	url := serveInProcess(t, env)
	s := readSite{url: url, env: map[string]string{"RACKFLOW_SERVER": url}}
	for k, v := range clientEnv {
		s.env[k] = v
	}
	eventually(t, 20*time.Second, "serve's start-up cycle to finish", func() bool {
		cs := s.jsonList(t, "cycles")
		return len(cs) == siteCycles && cs[0]["status"] != "running"
	})
	return s
}

// serveInProcess runs `rackflow serve` in this process until the test ends
// and returns its URL.
func serveInProcess(t *testing.T, env map[string]string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"serve"}, IO{In: strings.NewReader(""), Out: &syncBuffer{}, Err: &stderr,
			Getenv: func(k string) string { return env[k] }})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Errorf("serve did not stop within 20s:\n%s", stderr.String())
		}
	})
	re := regexp.MustCompile(`msg=serving listen=(\S+)`)
	var addr string
	eventually(t, 20*time.Second, "serve to listen", func() bool {
		select {
		case code := <-done:
			t.Fatalf("serve exited with %d:\n%s", code, stderr.String())
		default:
		}
		if m := re.FindStringSubmatch(stderr.String()); m != nil {
			addr = m[1]
		}
		return addr != ""
	})
	return "http://" + addr
}

// cli runs a read command against the site; it must succeed and print
// nothing on stderr.
func (s readSite) cli(t *testing.T, args ...string) string {
	t.Helper()
	r := run(t, s.env, args...)
	if r.code != 0 || r.err != "" {
		t.Fatalf("rackflow %s: exit %d, stderr %q", strings.Join(args, " "), r.code, r.err)
	}
	return r.out
}

// jsonList runs a list command with -o json and decodes the array.
func (s readSite) jsonList(t *testing.T, args ...string) []map[string]any {
	t.Helper()
	out := s.cli(t, append(args, "-o", "json")...)
	var items []map[string]any
	if err := json.Unmarshal([]byte(out), &items); err != nil {
		t.Fatalf("rackflow %s -o json is not a JSON array: %v\n%s", strings.Join(args, " "), err, out)
	}
	return items
}

// refused runs a command that must fail: exit 1, nothing on stdout and one
// line on stderr containing every want.
func (s readSite) refused(t *testing.T, args []string, want ...string) {
	t.Helper()
	r := run(t, s.env, args...)
	if r.code != 1 || r.out != "" || strings.Count(r.err, "\n") != 1 {
		t.Fatalf("rackflow %s: got %+v, want exit 1 and one line on stderr", strings.Join(args, " "), r)
	}
	for _, w := range want {
		if !strings.Contains(r.err, w) {
			t.Errorf("rackflow %s: stderr %q lacks %q", strings.Join(args, " "), r.err, w)
		}
	}
}

func values(items []map[string]any, key string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = fmt.Sprint(it[key])
	}
	return out
}

// lines splits output into its lines, without the final newline.
func lines(out string) []string { return strings.Split(strings.TrimSuffix(out, "\n"), "\n") }

func TestReadCommands_EndToEndOnBothBackends(t *testing.T) {
	for name, db := range readBackends {
		t.Run(name, func(t *testing.T) {
			s := startReadSite(t, db(t), nil, nil)
			t.Run("racks", s.testRacks)
			t.Run("rack", s.testRack)
			t.Run("components", s.testComponents)
			t.Run("component", s.testComponent)
			t.Run("drift", s.testDrift)
			t.Run("drift summary", s.testDriftSummary)
			t.Run("cycles and cycle", s.testCycles)
			t.Run("events", s.testEvents)
			t.Run("held", s.testHeld)
			t.Run("import", s.testImport) // last: it adds a rack
		})
	}
}

func (s readSite) testRacks(t *testing.T) {
	out := s.cli(t, "racks")
	ls := lines(out)
	if len(ls) != 1+siteRacks || !strings.HasPrefix(ls[0], "NAME") || !strings.Contains(out, "Rack A12") ||
		!strings.Contains(out, "us-east/dc1/hall-1/R3-12") {
		t.Errorf("racks table:\n%s", out)
	}
	if wide := s.cli(t, "racks", "-o", "wide"); !strings.Contains(lines(wide)[0], "EXTERNAL_ID") || !strings.Contains(wide, "a12") {
		t.Errorf("racks -o wide:\n%s", wide)
	}
	if got := values(s.jsonList(t, "racks"), "name"); !slices.Equal(got, []string{"Rack A12", "Rack A13"}) {
		t.Errorf("racks -o json names = %v", got)
	}
	if got := values(s.jsonList(t, "racks", "--name", "Rack A13"), "external_id"); !slices.Equal(got, []string{"a13"}) {
		t.Errorf("racks --name 'Rack A13' = %v, want [a13]", got)
	}
	if got := s.jsonList(t, "racks", "--name", "Rack A13", "--name", "Rack A12"); len(got) != 2 {
		t.Errorf("racks with two --name values = %d racks, want both", len(got))
	}
	if got := values(s.jsonList(t, "racks", "--has-drift"), "name"); !slices.Equal(got, []string{"Rack A13"}) {
		t.Errorf("racks --has-drift = %v, want the rack whose tray drifts", got)
	}
	if got := values(s.jsonList(t, "racks", "--has-drift=false", "--region", "us-east"), "name"); !slices.Equal(got, []string{"Rack A12"}) {
		t.Errorf("racks --has-drift=false = %v, want the other one", got)
	}
	if got := s.jsonList(t, "racks", "--limit", "1"); len(got) != 1 {
		t.Errorf("racks --limit 1 = %d racks, want one page of 1", len(got))
	}
	if got := values(s.jsonList(t, "racks", "--limit", "1", "--all"), "name"); !slices.Equal(got, []string{"Rack A12", "Rack A13"}) {
		t.Errorf("racks --limit 1 --all = %v, want every rack once", got)
	}
	csvOut := s.cli(t, "racks", "-o", "csv", "--limit", "1", "--all")
	if ls := lines(csvOut); len(ls) != 1+siteRacks || !strings.HasPrefix(ls[0], "id,name,") || !strings.Contains(ls[2], ",Rack A13,") {
		t.Errorf("racks -o csv --all: one header and one record per rack, got:\n%s", csvOut)
	}
	s.refused(t, []string{"racks", "--drift-type", "sideways"}, "400", "sideways")
}

func (s readSite) testRack(t *testing.T) {
	out := s.cli(t, "rack", "Rack A13")
	for _, want := range []string{"rack:          Rack A13\n", "serial_number: SN-A13\n", "SLOT  TRAY  TYPE", "a13-c01 SN-C-0003"} {
		if !strings.Contains(out, want) {
			t.Errorf("rack 'Rack A13' lacks %q:\n%s", want, out)
		}
	}
	for _, l := range lines(out) {
		if len([]rune(l)) > elevationWidth {
			t.Errorf("line wider than %d columns: %q", elevationWidth, l)
		}
	}
	var rack map[string]any
	if err := json.Unmarshal([]byte(s.cli(t, "rack", "Rack A12", "-o", "json")), &rack); err != nil {
		t.Fatal(err)
	}
	if slots, _ := rack["elevation"].([]any); rack["name"] != "Rack A12" || len(slots) != 4 {
		t.Errorf("rack -o json: name %v, %d slots, want Rack A12 with 4", rack["name"], len(slots))
	}
	if csvOut := s.cli(t, "rack", "Rack A12", "-o", "csv"); len(lines(csvOut)) != 5 || !strings.HasPrefix(csvOut, "slot_id,tray_index,") {
		t.Errorf("rack -o csv:\n%s", csvOut)
	}
	if wide := s.cli(t, "rack", "Rack A12", "-o", "wide"); !strings.Contains(wide, "COMPONENT_ID") || !strings.Contains(wide, "MAC_ADDRESS") {
		t.Errorf("rack -o wide:\n%s", wide)
	}
	s.refused(t, []string{"rack", "Rack Z99"}, "404", "Rack Z99")
}

func (s readSite) testComponents(t *testing.T) {
	if got := s.jsonList(t, "components", "--limit", "2"); len(got) != 2 {
		t.Errorf("components --limit 2 = %d items, want one page of 2", len(got))
	}
	all := s.jsonList(t, "components", "--limit", "2", "--all")
	if serials := values(all, "serial_number"); len(serials) != siteComponents || len(slices.Compact(slices.Sorted(slices.Values(serials)))) != siteComponents {
		t.Errorf("components --limit 2 --all: %d items, want each of %d once", len(serials), siteComponents)
	}
	if got := values(s.jsonList(t, "components", "--type", "NVSwitch", "--type", "PowerShelf", "--rack", "Rack A12"), "serial_number"); !slices.Equal(slices.Sorted(slices.Values(got)), []string{"SN-P-0001", "SN-S-0001"}) {
		t.Errorf("components of two types in Rack A12 = %v", got)
	}
	out := s.cli(t, "components", "--rack", "Rack A12")
	if ls := lines(out); len(ls) != 5 || !strings.Contains(out, "fm100h-0001") || !strings.Contains(out, "Rack A12") {
		t.Errorf("components --rack table:\n%s", out)
	}
	r := run(t, s.env, "components", "--limit", "2")
	if want := fmt.Sprintf("rackflow components: showing 2 of %d; --all prints every page\n", siteComponents); r.code != 0 || len(lines(r.out)) != 3 || r.err != want {
		t.Errorf("components --limit 2 as a table: %+v, want 2 rows and the note %q on stderr", r, want)
	}
	if csvOut := s.cli(t, "components", "-o", "csv", "--all", "--limit", "7"); len(lines(csvOut)) != 1+siteComponents {
		t.Errorf("components -o csv --all: %d lines, want a header and %d records", len(lines(csvOut)), siteComponents)
	}
	s.refused(t, []string{"components", "--bmc-mac", "not-a-mac"}, "400", "not-a-mac")
}

func (s readSite) testComponent(t *testing.T) {
	ids := values(s.jsonList(t, "components", "--serial", "SN-C-0002"), "id")
	if len(ids) != 1 {
		t.Fatalf("components --serial SN-C-0002 = %v", ids)
	}
	out := s.cli(t, "component", ids[0])
	for _, want := range []string{"serial_number: SN-C-0002\n", "rack:          Rack A12\n", "BMCs (1)", "Open drift (0)",
		"Drift history (2)", "opened", "resolved", "Latest events"} {
		if !strings.Contains(out, want) {
			t.Errorf("component lacks %q:\n%s", want, out)
		}
	}
	var c map[string]any
	if err := json.Unmarshal([]byte(s.cli(t, "component", ids[0], "-o", "json")), &c); err != nil || c["id"] != ids[0] {
		t.Errorf("component -o json: %v %v", err, c)
	}
	if csvOut := s.cli(t, "component", ids[0], "-o", "csv"); !strings.HasPrefix(csvOut, "at,event,drift_type") || len(lines(csvOut)) != 3 {
		t.Errorf("component -o csv, want a header and the two history rows:\n%s", csvOut)
	}
	if wide := s.cli(t, "component", ids[0], "-o", "wide"); !strings.Contains(wide, `external_id: null -> "fm100h-0002"`) {
		t.Errorf("component -o wide does not show the changes:\n%s", wide)
	}
	s.refused(t, []string{"component", "00000000-0000-4000-8000-000000000000"}, "404")
}

func (s readSite) testDrift(t *testing.T) {
	open := s.jsonList(t, "drift", "--all", "--limit", "2")
	if len(open) < extraMachines {
		t.Fatalf("open drift: %d items, want at least the %d machines Core does not see", len(open), extraMachines)
	}
	resolved := s.jsonList(t, "drift", "--state", "resolved")
	if got := values(resolved, "serial_number"); !slices.Contains(got, "SN-C-0002") {
		t.Errorf("resolved drift serials = %v, want SN-C-0002's", got)
	}
	if n := len(s.jsonList(t, "drift", "--state", "all", "--all")); n != len(open)+len(resolved) {
		t.Errorf("drift --state all = %d items, want open %d + resolved %d", n, len(open), len(resolved))
	}
	missing := s.jsonList(t, "drift", "--type", "missing_in_actual", "--component-type", "Compute", "--all")
	for _, d := range missing {
		if d["drift_type"] != "missing_in_actual" || d["component_type"] != "Compute" {
			t.Errorf("filtered drift item %v", d)
		}
	}
	if len(missing) < extraMachines {
		t.Errorf("missing_in_actual Compute drift: %d items, want at least %d", len(missing), extraMachines)
	}
	if got := s.cli(t, "drift", "--min-age", "24h"); len(lines(got)) != 1 || !strings.HasPrefix(got, "AGE") {
		t.Errorf("drift --min-age 24h on a site minutes old, want the header alone:\n%s", got)
	}
	table := s.cli(t, "drift", "--limit", "1000")
	if !strings.Contains(table, "missing_in_actual") || !strings.Contains(table, "SN-X-00") {
		t.Errorf("drift table:\n%s", table)
	}
	s.refused(t, []string{"drift", "--state", "bogus"}, "400", `"bogus"`)
	s.refused(t, []string{"drift", "--field", "colour"}, "400", "colour")
	if r := run(t, s.env, "drift", "--min-age", "forever"); r.code != 1 || !strings.Contains(r.err, `"forever"`) {
		t.Errorf("drift --min-age forever: %+v, want a usage error naming the value", r)
	}
}

func (s readSite) testDriftSummary(t *testing.T) {
	var sum map[string]any
	if err := json.Unmarshal([]byte(s.cli(t, "drift", "summary", "-o", "json")), &sum); err != nil {
		t.Fatal(err)
	}
	total := len(s.jsonList(t, "drift", "--all"))
	if fmt.Sprint(sum["total"]) != fmt.Sprint(total) {
		t.Errorf("drift summary total %v, want the %d open items", sum["total"], total)
	}
	out := s.cli(t, "drift", "summary")
	if !strings.HasPrefix(out, fmt.Sprintf("open drift: %d\n", total)) || !strings.Contains(out, "DRIFT_TYPE") || !strings.Contains(out, "<1h") {
		t.Errorf("drift summary:\n%s", out)
	}
	if csvOut := s.cli(t, "drift", "summary", "-o", "csv"); !strings.HasPrefix(csvOut, "drift_type,component_type,count\n") {
		t.Errorf("drift summary -o csv:\n%s", csvOut)
	}
}

func (s readSite) testCycles(t *testing.T) {
	all := s.jsonList(t, "cycles", "--limit", "2", "--all")
	if got := values(all, "trigger"); !slices.Equal(got, []string{"startup", "once", "once"}) {
		t.Errorf("cycles --limit 2 --all triggers = %v, want newest first", got)
	}
	if got := s.jsonList(t, "cycles", "--trigger", "startup"); len(got) != 1 {
		t.Errorf("cycles --trigger startup = %d, want 1", len(got))
	}
	table := s.cli(t, "cycles")
	if ls := lines(table); len(ls) != 1+siteCycles || !strings.Contains(table, "startup") {
		t.Errorf("cycles table:\n%s", table)
	}
	id := fmt.Sprint(all[1]["id"])
	out := s.cli(t, "cycle", id)
	for _, want := range []string{"cycle:       " + id, "status:      ok", "mirror  rack", "actual  Compute", "held=30"} {
		if !strings.Contains(out, want) {
			t.Errorf("cycle %s lacks %q:\n%s", id, want, out)
		}
	}
	var c map[string]any
	if err := json.Unmarshal([]byte(s.cli(t, "cycle", id, "-o", "json")), &c); err != nil || c["id"] != id {
		t.Errorf("cycle -o json: %v %v", err, c)
	}
	if csvOut := s.cli(t, "cycle", id, "-o", "csv"); !strings.HasPrefix(csvOut, "phase,step,status,duration_seconds") || len(lines(csvOut)) != 8 {
		t.Errorf("cycle -o csv, want a header and 7 steps:\n%s", csvOut)
	}
	s.refused(t, []string{"cycle", "00000000-0000-4000-8000-000000000000"}, "404")
}

func (s readSite) testEvents(t *testing.T) {
	racks := s.jsonList(t, "events", "--entity", "rack")
	if got := values(racks, "action"); !slices.Equal(got, []string{"insert", "insert"}) {
		t.Errorf("events --entity rack actions = %v, want the two inserts", got)
	}
	first := fmt.Sprint(s.jsonList(t, "cycles")[2]["id"])
	byCycle := s.jsonList(t, "events", "--cycle", first, "--source", "mirror", "--limit", "2", "--all")
	if len(byCycle) < siteRacks+siteComponents {
		t.Errorf("mirror events of cycle 1: %d, want at least one per rack and component", len(byCycle))
	}
	for _, e := range byCycle {
		if e["cycle_id"] != first || e["source"] != "mirror" {
			t.Errorf("filtered event %v", e)
		}
	}
	if got := s.jsonList(t, "events", "--since", "1h", "--entity", "rack"); len(got) != 2 {
		t.Errorf("rack events of the last hour = %d, want 2", len(got))
	}
	if got := s.jsonList(t, "events", "--until", "1h"); len(got) != 0 {
		t.Errorf("events older than an hour = %d, want none", len(got))
	}
	table := s.cli(t, "events", "--entity", "rack", "-o", "wide")
	if !strings.Contains(lines(table)[0], "CHANGES") || !strings.Contains(table, `name: null -> "Rack A12"`) {
		t.Errorf("events -o wide:\n%s", table)
	}
	s.refused(t, []string{"events", "--action", "teleport"}, "400", "teleport")
	if r := run(t, s.env, "events", "--since", "last tuesday"); r.code != 1 || !strings.Contains(r.err, "last tuesday") {
		t.Errorf("events --since 'last tuesday': %+v, want a usage error naming the value", r)
	}
}

func (s readSite) testHeld(t *testing.T) {
	held := s.jsonList(t, "held", "--limit", "2", "--all")
	if len(held) != extraMachines {
		t.Fatalf("held --all = %d, want the %d machines Core stopped expecting", len(held), extraMachines)
	}
	for _, h := range held {
		if h["type"] != "Compute" {
			t.Errorf("held %v, want Compute", h)
		}
	}
	if got := s.jsonList(t, "held", "--type", "rack"); len(got) != 0 {
		t.Errorf("held racks = %v, want none", got)
	}
	if out := s.cli(t, "held"); len(lines(out)) != 1+extraMachines || !strings.Contains(lines(out)[0], "HELD_SINCE") {
		t.Errorf("held table:\n%s", out)
	}
}

// withToken is the site's environment with the write token.
func (s readSite) withToken() map[string]string {
	return map[string]string{"RACKFLOW_SERVER": s.url, "RACKFLOW_API_TOKEN": "test-token"}
}

func (s readSite) testImport(t *testing.T) {
	const good, bad = "../../testdata/import/legacy-site.yaml", "../../testdata/import/one-bad-record.json"
	r := run(t, s.withToken(), "import", bad)
	if r.code != 1 || r.out != "" || strings.Count(r.err, "\n") != 1 || !strings.Contains(r.err, "bmcs[1]") || !strings.Contains(r.err, "not-a-mac") {
		t.Errorf("import of a file with one bad record: %+v, want exit 1 naming bmcs[1] and its value", r)
	}
	if got := s.jsonList(t, "racks", "--name", "Legacy L02"); len(got) != 0 {
		t.Errorf("the rejected file's good rack was written: %v", got)
	}
	if got := s.jsonList(t, "components", "--serial", "SN-L02-C01"); len(got) != 0 {
		t.Errorf("the rejected file's good component was written: %v", got)
	}
	s.refused(t, []string{"import", good}, "401", "RACKFLOW_API_TOKEN is not set here")

	r = run(t, s.withToken(), "import", good)
	want := "" +
		"racks:      1 inserted, 0 updated, 0 unchanged\n" +
		"components: 3 inserted, 0 updated, 0 unchanged\n" +
		"bmcs:       3 inserted, 0 updated, 0 unchanged\n"
	if r.code != 0 || r.out != want || r.err != "" {
		t.Fatalf("import of the legacy site: %+v, want exit 0 and\n%s", r, want)
	}
	r = run(t, s.withToken(), "import", good)
	want = "" +
		"racks:      0 inserted, 0 updated, 1 unchanged\n" +
		"components: 0 inserted, 0 updated, 3 unchanged\n" +
		"bmcs:       0 inserted, 0 updated, 3 unchanged\n"
	if r.code != 0 || r.out != want {
		t.Errorf("second import of the same file: %+v, want every record unchanged:\n%s", r, want)
	}
	yml, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := Run(context.Background(), []string{"import", "-"}, IO{In: bytes.NewReader(yml), Out: &out, Err: &errb,
		Getenv: func(k string) string { return s.withToken()[k] }})
	if code != 0 || out.String() != want {
		t.Errorf("import - with the file on stdin: exit %d, %q, %q; want every record unchanged", code, out.String(), errb.String())
	}
	if out := s.cli(t, "rack", "Legacy L01"); !strings.Contains(out, "l01-c02 SN-L01-C02") || !strings.Contains(out, "us-east/dc1/hall-2/R1-01") {
		t.Errorf("the imported rack:\n%s", out)
	}
	if got := s.jsonList(t, "events", "--source", "import", "--all"); len(got) != 7 {
		t.Errorf("import events = %d, want one per imported rack, component and BMC (7)", len(got))
	}
}

func TestReadCommands_SendTheReadTokenElseTheAPIToken(t *testing.T) {
	s := startReadSite(t, migratedSQLite(t), map[string]string{"RACKFLOW_API_READ_TOKEN": "reader-secret"},
		map[string]string{"RACKFLOW_API_READ_TOKEN": "reader-secret"})
	for _, c := range []struct {
		name string
		env  map[string]string
		ok   bool
	}{
		{"the read token alone is accepted", map[string]string{"RACKFLOW_API_READ_TOKEN": "reader-secret"}, true},
		{"the API token stands in when no read token is set", map[string]string{"RACKFLOW_API_TOKEN": "test-token"}, true},
		{"the read token is preferred over the API token", map[string]string{"RACKFLOW_API_READ_TOKEN": "stale-secret", "RACKFLOW_API_TOKEN": "test-token"}, false},
		{"no token is refused with a hint", nil, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := map[string]string{"RACKFLOW_SERVER": s.url}
			for k, v := range c.env {
				env[k] = v
			}
			r := run(t, env, "racks", "-o", "json")
			if c.ok {
				if r.code != 0 || !strings.Contains(r.out, "Rack A12") {
					t.Errorf("got %+v, want the racks", r)
				}
				return
			}
			if r.code != 1 || r.out != "" || !strings.Contains(r.err, "401 Unauthorized") || !strings.Contains(r.err, "RACKFLOW_API_READ_TOKEN") {
				t.Errorf("got %+v, want exit 1 naming 401 and the read token", r)
			}
			if c.env == nil && !strings.Contains(r.err, "neither RACKFLOW_API_READ_TOKEN nor RACKFLOW_API_TOKEN is set here") {
				t.Errorf("no hint that no token is set: %q", r.err)
			}
			if strings.Contains(r.err, "secret") || strings.Contains(r.err, "test-token") {
				t.Errorf("the error line prints a token: %q", r.err)
			}
		})
	}
}
