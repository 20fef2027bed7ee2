package dashboard_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"rackflow/core"
	"rackflow/coresim"
	"rackflow/coresim/simtest"
	"rackflow/cycle"
	"rackflow/dashboard"
	"rackflow/inventory"
	"rackflow/mirror"
	"rackflow/postgres"
	"rackflow/postgres/pgtest"
	"rackflow/sqlite"
	"rackflow/sqlite/sqlitetest"
)

func TestMain(m *testing.M) { pgtest.Main(m, "dashboard") }

// injectedName is a rack name that would run script if a page failed to
// escape it.
const injectedName = `<script>window.__pwned=1;document.title="pwned"</script>Rack 0001`

// testToken is the write token of the test sites.
const testToken = "s3cret-token-for-tests"

// store is a real store: what cycles write to and what the dashboard reads.
type store interface {
	inventory.Store
	dashboard.Reader
}

var (
	_ store = (*sqlite.DB)(nil)
	_ store = (*postgres.DB)(nil)
)

// backend opens an empty, migrated store.
type backend struct {
	name string
	open func(t *testing.T) store
}

var backends = []backend{
	{"sqlite", openSQLite},
	{"postgres", func(t *testing.T) store { return pgtest.Open(t) }},
}

func openSQLite(t *testing.T) store { return sqlitetest.Open(t) }

// recorder is a Releaser that records its calls.
type recorder struct {
	mu    sync.Mutex
	calls []bool
	err   error
}

func (r *recorder) Trigger(allowMassDelete bool) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, allowMassDelete)
	return r.err
}

func (r *recorder) Calls() []bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bool(nil), r.calls...)
}

// site is a demo-sized site: generated racks with drift, served by the
// simulator, mirrored and synced by real cycles into a real store, and the
// dashboard on top.
type site struct {
	store    store
	manifest *coresim.Manifest
	release  *recorder
	server   *httptest.Server
	sim      *coresim.Server
	runner   *cycle.Runner
}

// cycle runs one cycle and fails the test unless it ended ok.
func (s *site) cycle(t *testing.T, trig inventory.Trigger) {
	t.Helper()
	res, err := s.runner.Run(context.Background(), cycle.Request{Trigger: trig})
	if err != nil {
		t.Fatalf("cycle: %v", err)
	}
	if res.Cycle.Status != inventory.CycleOK {
		t.Fatalf("cycle status %s: %s", res.Cycle.Status, res.Cycle.Steps)
	}
}

// newSite generates racks (the first named injectedName), runs two cycles
// and serves the dashboard.
func newSite(t *testing.T, st store, racks int) *site {
	t.Helper()
	m := coresim.Generate(coresim.GenerateOptions{Racks: racks, Seed: 42, Drift: 0.05})
	m.Expected.Racks[0].Name = injectedName
	addr, sim := simtest.Start(t, m)
	client, err := core.Dial(context.Background(), core.Config{Addr: addr, Insecure: true, Timeout: 30 * time.Second,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	runner := &cycle.Runner{Store: st, Core: client, Instance: "test:1", Logger: slog.New(slog.DiscardHandler),
		Mirror: &cycle.MirrorRunner{Store: st, Core: client, GuardRatio: mirror.DefaultGuardRatio, GuardMin: mirror.DefaultGuardMin}}
	s := &site{store: st, manifest: m, release: &recorder{}, sim: sim, runner: runner}
	s.cycle(t, inventory.TriggerStartup)
	s.cycle(t, inventory.TriggerInterval)
	s.server = httptest.NewServer(s.handler(testToken))
	t.Cleanup(s.server.Close)
	return s
}

func (s *site) handler(token string) http.Handler {
	return dashboard.New(dashboard.Config{Reader: s.store, Releaser: s.release, Token: token})
}
