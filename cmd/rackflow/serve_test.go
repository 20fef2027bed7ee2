package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"rackflow/coresim"
	"rackflow/inventory"
	"rackflow/postgres/pgtest"
	"rackflow/sqlite"
)

// proc is a rackflow process started from the test binary.
type proc struct {
	cmd      *exec.Cmd
	out, err syncBuffer
	done     chan struct{}
}

// startProc runs the test binary as rackflow with env and args; the process is
// killed when the test ends.
func startProc(t *testing.T, env map[string]string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(os.Args[0], args...), done: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), childEnv+"=1")
	for k, v := range env {
		p.cmd.Env = append(p.cmd.Env, k+"="+v)
	}
	p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.err
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
	})
	return p
}

// exitCode waits for the process to end within d and returns its exit code.
func (p *proc) exitCode(t *testing.T, d time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(d):
		t.Fatalf("process did not exit within %v; stderr:\n%s", d, p.err.String())
		return -1
	}
}

// listenAddr is the API address a serve process logged.
func listenAddr(t *testing.T, p *proc) string {
	t.Helper()
	re := regexp.MustCompile(`msg=serving listen=(\S+)`)
	var addr string
	eventually(t, 10*time.Second, "the server's listen address", func() bool {
		m := re.FindStringSubmatch(p.err.String())
		if m != nil {
			addr = m[1]
		}
		return m != nil
	})
	return addr
}

func cyclesOf(t *testing.T, s inventory.Store) []inventory.Cycle {
	t.Helper()
	cs, err := s.Cycles(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func byInstance(cs []inventory.Cycle) map[string]int {
	m := map[string]int{}
	for _, c := range cs {
		m[c.Instance]++
	}
	return m
}

func serveEnv(t *testing.T, m *coresim.Manifest, db string) map[string]string {
	env := siteEnv(t, m, db)
	env["FLOW_EXPECTED_INVENTORY_SYNC_ENABLED"] = "true"
	env["RACKFLOW_LISTEN"] = "127.0.0.1:0"
	env["RACKFLOW_INTERVAL"] = "100ms"
	env["RACKFLOW_SHUTDOWN_TIMEOUT"] = "10s"
	env["RACKFLOW_API_TOKEN"] = "test-token"
	return env
}

func TestServe_OnlyTheLeaderRunsCyclesAndAFollowerTakesOver(t *testing.T) {
	store := pgtest.Open(t)
	env := serveEnv(t, tiny(t), pgtest.URL(t))
	a := startProc(t, env, "serve", "--instance", "replica-a")
	eventually(t, 20*time.Second, "replica-a to lead", func() bool { return byInstance(cyclesOf(t, store))["replica-a"] >= 2 })
	b := startProc(t, env, "serve", "--instance", "replica-b")
	eventually(t, 20*time.Second, "replica-b to try and stand by", func() bool { return strings.Contains(b.err.String(), "another instance leads") })
	before := byInstance(cyclesOf(t, store))
	eventually(t, 20*time.Second, "replica-a to run more cycles", func() bool { return byInstance(cyclesOf(t, store))["replica-a"] > before["replica-a"]+2 })
	if n := byInstance(cyclesOf(t, store))["replica-b"]; n != 0 {
		t.Fatalf("the follower recorded %d cycles while the leader lived", n)
	}
	if !strings.Contains(b.err.String(), "replica-a") {
		t.Errorf("the follower does not name the leader:\n%s", b.err.String())
	}

	// A release of held deletes sent to the follower is refused, naming the
	// leader, rather than accepted and dropped; a plain trigger is accepted.
	follower := map[string]string{"RACKFLOW_API_TOKEN": "test-token", "RACKFLOW_SERVER": "http://" + listenAddr(t, b)}
	if r := run(t, follower, "trigger", "--allow-mass-delete"); r.code != 1 || !strings.Contains(r.err, "replica-a") {
		t.Errorf("a release sent to the follower: %+v, want exit 1 naming replica-a", r)
	}
	if r := run(t, follower, "trigger"); r.code != 0 {
		t.Errorf("a plain trigger sent to the follower: %+v", r)
	}

	r := run(t, siteEnv(t, tiny(t), pgtest.URL(t)), "sync", "--once")
	if r.code != 1 || !strings.Contains(r.err, "another instance leads: replica-a") {
		t.Errorf("sync --once while replica-a leads: %+v", r)
	}

	a.cmd.Process.Kill()
	eventually(t, 30*time.Second, "replica-b to take over", func() bool { return byInstance(cyclesOf(t, store))["replica-b"] >= 1 })
	eventually(t, 10*time.Second, "no cycle left running", func() bool {
		for _, c := range cyclesOf(t, store) {
			if c.Status == inventory.CycleRunning && c.Instance == "replica-a" {
				return false
			}
		}
		return true
	})
}

func TestServe_SQLiteSecondProcessIsRefusedNamingThePID(t *testing.T) {
	db := migratedSQLite(t)
	env := serveEnv(t, tiny(t), db)
	p := startProc(t, env, "serve", "--instance", "only")
	s, err := sqlite.Open(context.Background(), strings.TrimPrefix(db, "sqlite://"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	eventually(t, 20*time.Second, "the server's first cycle", func() bool { return len(cyclesOf(t, s)) > 0 })
	r := run(t, env, "sync", "--once")
	want := "in use by another rackflow process (pid " + strconv.Itoa(p.cmd.Process.Pid) + ")"
	if r.code != 1 || !strings.Contains(r.err, want) {
		t.Fatalf("a second process on the same SQLite file: %+v, want %q", r, want)
	}
}

func TestServe_SIGTERMDuringACycleExitsCleanly(t *testing.T) {
	m := tiny(t)
	m.Faults = []coresim.Fault{{RPC: "FindMachinesByIds", Delay: coresim.Duration(20 * time.Second)}}
	db := migratedSQLite(t)
	env := serveEnv(t, m, db)
	env["RACKFLOW_CORE_TIMEOUT"] = "30s"
	p := startProc(t, env, "serve", "--instance", "stopping")
	s, err := sqlite.Open(context.Background(), strings.TrimPrefix(db, "sqlite://"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Wait until the mirror has committed (2 racks, 8 components, 8 host
	// BMCs) and the actual sync is stuck fetching machines.
	eventually(t, 20*time.Second, "the mirror to commit while the cycle runs", func() bool {
		cs := cyclesOf(t, s)
		if len(cs) == 0 || cs[0].Status != inventory.CycleRunning {
			return false
		}
		es, err := s.Events(context.Background(), inventory.EventFilter{CycleID: cs[0].ID})
		return err == nil && len(es) == 18
	})
	p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.exitCode(t, 15*time.Second); code != 0 {
		t.Fatalf("exit code after SIGTERM = %d, want 0; stderr:\n%s", code, p.err.String())
	}
	cs := cyclesOf(t, s)
	if cs[0].Status != inventory.CycleFailed || cs[0].Error == nil || !strings.Contains(*cs[0].Error, "cancel") {
		t.Fatalf("the interrupted cycle = %+v, want failed as cancelled", cs[0])
	}
	events, err := s.Events(context.Background(), inventory.EventFilter{CycleID: cs[0].ID, Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	// The actual sync was interrupted while fetching machines: it wrote
	// nothing, and the mirror's committed writes stay whole.
	sources := map[inventory.Source]int{}
	for _, e := range events {
		sources[e.Source]++
	}
	if sources[inventory.SourceMirror] != 18 || sources[inventory.SourceActual] != 0 {
		t.Errorf("events of the interrupted cycle by source = %v, want mirror writes only", sources)
	}
}

func TestDemo_RunsCyclesOnEmbeddedDefaultsAndStopsOnInterrupt(t *testing.T) {
	db := "sqlite://" + filepath.Join(t.TempDir(), "demo.db")
	p := startProc(t, nil, "demo", "--db", db, "--listen", "127.0.0.1:0", "--interval", "1h")
	// The summary ends with a blank line: wait for all of it, not its first line.
	whole := regexp.MustCompile(`cycle 1 \(startup\) ok[^\n]*\n(?:[^\n]+\n)+\n`)
	eventually(t, 60*time.Second, "the demo's first cycle summary", func() bool { return whole.MatchString(p.out.String()) })
	for _, want := range []string{"mirror rack       ok      inserted=8 pulled=8", "actual Compute", "drift_open="} {
		if !strings.Contains(p.out.String(), want) {
			t.Errorf("the demo's output lacks %q:\n%s", want, p.out.String())
		}
	}
	checkDemoDashboard(t, p.out.String())
	p.cmd.Process.Signal(os.Interrupt)
	if code := p.exitCode(t, 30*time.Second); code != 0 || !strings.Contains(p.out.String(), "demo stopped") {
		t.Fatalf("demo after Ctrl-C: exit %d\n%s\n%s", code, p.out.String(), p.err.String())
	}
}

// checkDemoDashboard finds the dashboard URL and the generated token in the
// demo's banner, and loads the dashboard.
func checkDemoDashboard(t *testing.T, out string) {
	t.Helper()
	url := regexp.MustCompile(`(?m)^  dashboard: (http://127\.0\.0\.1:\d+/)$`).FindStringSubmatch(out)
	if url == nil {
		t.Fatalf("the demo prints no dashboard URL:\n%s", out)
	}
	if !regexp.MustCompile(`(?m)^  token:     [0-9a-f]{32}  \(`).MatchString(out) {
		t.Errorf("the demo prints no generated token on its own line:\n%s", out)
	}
	resp, err := http.Get(url[1])
	if err != nil {
		t.Fatalf("loading the dashboard: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Rack 0001") || resp.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("GET %s: status %d, CSP %q, body:\n%.400s", url[1], resp.StatusCode, resp.Header.Get("Content-Security-Policy"), body)
	}
	checkDriftExport(t, url[1])
}

// checkDriftExport follows the drift page's CSV link to the API.
func checkDriftExport(t *testing.T, base string) {
	t.Helper()
	resp, err := http.Get(base + "drift?type=mismatch")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	href := regexp.MustCompile(`href="(/v1/drift\?[^"]+)" id="csv-export"`).FindSubmatch(page)
	if href == nil {
		t.Fatalf("the drift page has no CSV export link:\n%.600s", page)
	}
	link := strings.ReplaceAll(string(href[1]), "&amp;", "&")
	resp, err = http.Get(strings.TrimSuffix(base, "/") + link)
	if err != nil {
		t.Fatal(err)
	}
	csv, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(string(csv), ",mismatch,") || strings.Contains(string(csv), ",missing_in_actual,") {
		t.Errorf("GET %s: status %d, type %q, want the mismatches as CSV:\n%.400s", link, resp.StatusCode, resp.Header.Get("Content-Type"), csv)
	}
}
