package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"rackflow/coresim"
	"rackflow/inventory"
	"rackflow/postgres/pgtest"
)

// TestServe_LeaderSIGKILLedMidCycleIsReplacedWithoutOverlap is row 4 of the
// reliability matrix: two serve processes on one PostgreSQL database; the
// leader is SIGKILLed while its cycle waits on Core. The follower takes over
// within a few of its triggers, marks the orphaned cycle failed, no two
// cycles ever overlap, and the tables equal a clean run's.
func TestServe_LeaderSIGKILLedMidCycleIsReplacedWithoutOverlap(t *testing.T) {
	store := pgtest.Open(t)
	ref := cleanContent(t, tiny(t))
	m := tiny(t)
	// Only the first machine fetch, the leader's, hangs.
	m.Faults = []coresim.Fault{{RPC: "FindMachinesByIds", Delay: coresim.Duration(time.Minute), Times: 1}}
	env := serveEnv(t, m, pgtest.URL(t))
	env["RACKFLOW_CORE_TIMEOUT"] = "2m"
	a := startProc(t, env, "serve", "--instance", "replica-a")
	eventually(t, 30*time.Second, "replica-a's cycle to wait on Core", func() bool { return mirrorCommitted(t, store) })
	b := startProc(t, env, "serve", "--instance", "replica-b")
	eventually(t, 20*time.Second, "replica-b to stand by", func() bool { return strings.Contains(b.err.String(), "another instance leads") })

	a.cmd.Process.Kill()
	killed := time.Now()
	<-a.done
	eventually(t, 30*time.Second, "replica-b to finish a cycle", func() bool {
		for _, c := range cyclesOf(t, store) {
			if c.Instance == "replica-b" && c.Status == inventory.CycleOK {
				return true
			}
		}
		return false
	})
	t.Logf("replica-b finished its first cycle %v after the kill", time.Since(killed).Round(time.Millisecond))
	cs := cyclesOf(t, store)
	for _, c := range cs {
		if c.Instance == "replica-a" && (c.Status != inventory.CycleFailed || c.Error == nil || !strings.Contains(*c.Error, "leader")) {
			t.Errorf("replica-a's orphaned cycle = %s %v, want failed as the leader lost", c.Status, c.Error)
		}
	}
	wantNoOverlap(t, cs)
	wantClean(t, "after the failover", store, ref)
}

// tcpProxy forwards loopback connections to a target and can cut them all
// and refuse new ones, as an unreachable database server would look.
type tcpProxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	cut   bool
	conns map[net.Conn]bool
}

func startProxy(t *testing.T, target string) *tcpProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	go p.serve()
	t.Cleanup(func() { ln.Close(); p.setCut(true) })
	return p
}

func (p *tcpProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.forward(c)
	}
}

func (p *tcpProxy) forward(c net.Conn) {
	if !p.track(c) {
		c.Close()
		return
	}
	up, err := net.Dial("tcp", p.target)
	if err != nil || !p.track(up) {
		c.Close()
		return
	}
	go func() { io.Copy(up, c); up.Close() }()
	io.Copy(c, up)
	c.Close()
}

// track registers c unless the proxy is cut.
func (p *tcpProxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cut {
		return false
	}
	p.conns[c] = true
	return true
}

// setCut cuts every connection and refuses new ones, or lets them through.
func (p *tcpProxy) setCut(cut bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = cut
	if cut {
		for c := range p.conns {
			c.Close()
		}
		p.conns = map[net.Conn]bool{}
	}
}

// viaProxy is the test database's URL with its host replaced by addr.
func viaProxy(t *testing.T, addr string) (proxied, target string) {
	t.Helper()
	u, err := url.Parse(pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	target = u.Host
	if u.Port() == "" {
		target += ":5432"
	}
	u.Host = addr
	return u.String(), target
}

// TestServe_PostgresUnreachableForAWholeCycleFailsClearlyAndRecovers is
// row 3: a proxy between serve and PostgreSQL cuts every connection for
// several cycle triggers. serve keeps running, logs a clear error and counts
// the failed starts, and once the database is back it leads and runs clean
// cycles again on its own.
func TestServe_PostgresUnreachableForAWholeCycleFailsClearlyAndRecovers(t *testing.T) {
	store := pgtest.Open(t)
	ref := cleanContent(t, tiny(t))
	proxy := startProxy(t, "")
	proxied, target := viaProxy(t, proxy.ln.Addr().String())
	proxy.target = target
	p := startProc(t, serveEnv(t, tiny(t), proxied), "serve", "--instance", "cut-off")
	addr := listenAddr(t, p)
	okCycles := func() int {
		n := 0
		for _, c := range cyclesOf(t, store) {
			if c.Status == inventory.CycleOK {
				n++
			}
		}
		return n
	}
	eventually(t, 30*time.Second, "a first clean cycle", func() bool { return okCycles() >= 1 })

	proxy.setCut(true)
	mark := len(p.err.String())
	eventually(t, 30*time.Second, "two failed cycle starts while the database is cut off", func() bool {
		return strings.Count(p.err.String()[mark:], "level=ERROR") >= 2
	})
	select {
	case <-p.done:
		t.Fatalf("serve exited while the database was unreachable:\n%s", p.err.String())
	default:
	}
	cutLog := p.err.String()[mark:]
	if !strings.Contains(cutLog, "cannot reach") || !strings.Contains(cutLog, "unavailable") {
		t.Errorf("the errors logged while cut off do not say the database is unreachable:\n%s", cutLog)
	}
	if n := startFailures(t, addr); n < 1 {
		t.Errorf("rackflow_cycle_start_failures_total = %v after failed starts", n)
	}

	before := okCycles()
	proxy.setCut(false)
	eventually(t, 60*time.Second, "a clean cycle after the database is back", func() bool { return okCycles() > before })
	wantNoOverlap(t, cyclesOf(t, store))
	wantClean(t, "after the recovery", store, ref)
}

var startFailuresLine = regexp.MustCompile(`(?m)^rackflow_cycle_start_failures_total (\S+)$`)

// startFailures reads rackflow_cycle_start_failures_total from /metrics.
func startFailures(t *testing.T, addr string) float64 {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	m := startFailuresLine.FindSubmatch(b)
	if m == nil {
		t.Fatalf("no rackflow_cycle_start_failures_total in /metrics")
	}
	v, _ := strconv.ParseFloat(string(m[1]), 64)
	return v
}

// TestServe_PostgresCutMidCycleFailsThatCycleAndRecovers is row 3 with the
// cut in the middle of a cycle: the mirror has committed and the actual sync
// waits on Core when every database connection drops. That cycle ends up
// failed with a reason, never left running; serve keeps running, leads again
// once the database is back, and converges to a clean run's tables.
func TestServe_PostgresCutMidCycleFailsThatCycleAndRecovers(t *testing.T) {
	store := pgtest.Open(t)
	ref := cleanContent(t, tiny(t))
	proxy := startProxy(t, "")
	proxied, target := viaProxy(t, proxy.ln.Addr().String())
	proxy.target = target
	m := tiny(t)
	m.Faults = []coresim.Fault{{RPC: "FindMachinesByIds", Delay: coresim.Duration(time.Minute), Times: 1}}
	env := serveEnv(t, m, proxied)
	env["RACKFLOW_CORE_TIMEOUT"] = "2s"
	p := startProc(t, env, "serve", "--instance", "cut-mid")
	eventually(t, 30*time.Second, "the mirror to commit while the cycle runs", func() bool { return mirrorCommitted(t, store) })
	first := cyclesOf(t, store)[0]

	proxy.setCut(true)
	eventually(t, 30*time.Second, "the cut cycle to fail to record its end", func() bool {
		return strings.Contains(p.err.String(), "cycle could not be recorded")
	})
	proxy.setCut(false)
	eventually(t, 60*time.Second, "a clean cycle after the database is back", func() bool {
		for _, c := range cyclesOf(t, store) {
			if c.Status == inventory.CycleOK {
				return true
			}
		}
		return false
	})
	select {
	case <-p.done:
		t.Fatalf("serve exited:\n%s", p.err.String())
	default:
	}
	c, err := store.Cycle(context.Background(), first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != inventory.CycleFailed || c.Error == nil || !strings.Contains(*c.Error, "leader lost") {
		t.Errorf("the cycle cut mid-way = %s %v, want failed as the leader lost", c.Status, c.Error)
	}
	wantNoOverlap(t, cyclesOf(t, store))
	wantClean(t, "after the recovery", store, ref)
}
