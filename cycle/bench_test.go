package cycle_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"rackflow/core"
	"rackflow/coresim"
	"rackflow/coresim/simtest"
	"rackflow/cycle"
	"rackflow/inventory"
	"rackflow/mirror"
	"rackflow/postgres"
	"rackflow/postgres/pgtest"
	"rackflow/sqlite"
)

// The benchmarks below run generated GB200 NVL72 sites through the simulator on
// loopback into a real database: a SQLite file with WAL (the embedded case) and
// the package's PostgreSQL database. Besides ns/op they report the write
// statements each operation issued (stmts/op), the inventory_event rows it
// added (events/op) and the site's size. Logs go through a JSON handler at
// INFO into io.Discard, so formatting the per-write lines is part of the cost,
// as it is in the service.

// benchStore is a store that counts the write statements it issues.
type benchStore interface {
	inventory.Store
	StatementCount() int64
}

// benchBackend opens an empty store; count returns a table's row count.
type benchBackend struct {
	name  string
	open  func(b *testing.B) benchStore
	count func(b *testing.B, s benchStore, table string) int64
}

var benchBackends = []benchBackend{
	{name: "sqlite", open: openSQLiteFile, count: countSQLite},
	{name: "postgres", open: openPostgres, count: countPostgres},
}

// openSQLiteFile opens a fresh, migrated SQLite file database in the
// benchmark's temporary directory.
func openSQLiteFile(b *testing.B) benchStore {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "rackflow.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	return db
}

// openPostgres returns the package database with every table emptied.
func openPostgres(b *testing.B) benchStore {
	b.Helper()
	return pgtest.Open(b)
}

func countSQLite(b *testing.B, s benchStore, table string) int64 {
	b.Helper()
	var n int64
	if err := s.(*sqlite.DB).SQL().QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}

func countPostgres(b *testing.B, s benchStore, table string) int64 {
	b.Helper()
	var n int64
	if err := s.(*postgres.DB).Pool().QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}

// benchSite is a generated site served by the simulator, with a client on it.
type benchSite struct {
	racks  int
	client *core.Client
}

// startBenchSite generates a site of n racks with the given drift and serves
// it for the rest of the benchmark.
func startBenchSite(b *testing.B, racks int, drift float64) benchSite {
	b.Helper()
	m := coresim.Generate(coresim.GenerateOptions{Racks: racks, Seed: 1, Drift: drift})
	addr, _ := simtest.Start(b, m)
	client, err := core.Dial(context.Background(), core.Config{Addr: addr, Insecure: true, Timeout: 5 * time.Minute,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { client.Close() })
	return benchSite{racks: racks, client: client}
}

// components is the number of expected components in the site.
func (s benchSite) components() int {
	return s.racks * (coresim.ComputeTraysPerRack + coresim.SwitchTraysPerRack + coresim.PowerShelvesPerRack)
}

func benchLogger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func (s benchSite) mirrorRunner(st inventory.Store) *cycle.MirrorRunner {
	return &cycle.MirrorRunner{Store: st, Core: s.client, GuardRatio: mirror.DefaultGuardRatio, GuardMin: mirror.DefaultGuardMin}
}

// runMirror runs the mirror alone, as a cycle would, and fails the benchmark
// when a step failed.
func (s benchSite) runMirror(b *testing.B, st inventory.Store) {
	b.Helper()
	steps := s.mirrorRunner(st).Run(context.Background(), cycle.MirrorRequest{CycleID: inventory.NewID(),
		Now: inventory.Timestamp(time.Now()), Logger: benchLogger()})
	for name, step := range steps {
		if step.Failed() {
			b.Fatalf("mirror step %s failed: %v", name, step.Err)
		}
	}
}

// runCycle runs a full cycle (mirror, then actual sync and drift per type) and
// fails the benchmark unless it ended ok.
func (s benchSite) runCycle(b *testing.B, st inventory.Store) cycle.Result {
	b.Helper()
	r := &cycle.Runner{Store: st, Core: s.client, Mirror: s.mirrorRunner(st), Instance: "bench:1", Logger: benchLogger()}
	res, err := r.Run(context.Background(), cycle.Request{Trigger: inventory.TriggerOnce})
	if err != nil {
		b.Fatal(err)
	}
	if res.Cycle.Status != inventory.CycleOK {
		b.Fatalf("cycle status = %s; steps %s", res.Cycle.Status, res.Cycle.Steps)
	}
	return res
}

// tally accumulates what the timed operations wrote.
type tally struct {
	stmts, events int64
}

// measure times op and adds its statements and events to t; the counting
// itself is not timed.
func (t *tally) measure(b *testing.B, be benchBackend, st benchStore, op func()) {
	b.Helper()
	b.StopTimer()
	stmts, events := st.StatementCount(), be.count(b, st, "inventory_event")
	b.StartTimer()
	op()
	b.StopTimer()
	t.stmts += st.StatementCount() - stmts
	t.events += be.count(b, st, "inventory_event") - events
	b.StartTimer()
}

func (t tally) report(b *testing.B) {
	b.ReportMetric(float64(t.stmts)/float64(b.N), "stmts/op")
	b.ReportMetric(float64(t.events)/float64(b.N), "events/op")
}

// BenchmarkMirror1000Racks mirrors a 1,000-rack site: 35,000 components and
// 35,000 host BMCs.
func BenchmarkMirror1000Racks(b *testing.B) { benchMirror(b, 1000) }

// BenchmarkMirror100Racks is the quick variant of BenchmarkMirror1000Racks.
func BenchmarkMirror100Racks(b *testing.B) { benchMirror(b, 100) }

// benchMirror measures a first mirror of a generated site into an empty
// database (first), and a repeat over unchanged data (noop), which must write
// nothing.
func benchMirror(b *testing.B, racks int) {
	site := startBenchSite(b, racks, 0)
	for _, be := range benchBackends {
		b.Run(be.name, func(b *testing.B) {
			b.Run("first", func(b *testing.B) { benchMirrorFirst(b, site, be) })
			b.Run("noop", func(b *testing.B) { benchMirrorNoop(b, site, be) })
		})
	}
}

func benchMirrorFirst(b *testing.B, site benchSite, be benchBackend) {
	var t tally
	for b.Loop() {
		b.StopTimer()
		st := be.open(b)
		b.StartTimer()
		t.measure(b, be, st, func() { site.runMirror(b, st) })
		b.StopTimer()
		if got := be.count(b, st, "component"); got != int64(site.components()) {
			b.Fatalf("component rows = %d, want %d", got, site.components())
		}
		b.StartTimer()
	}
	t.report(b)
	b.ReportMetric(float64(site.components()), "components")
	b.ReportMetric(float64(2*site.components()+site.racks)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func benchMirrorNoop(b *testing.B, site benchSite, be benchBackend) {
	st := be.open(b)
	site.runMirror(b, st)
	var t tally
	for b.Loop() {
		t.measure(b, be, st, func() { site.runMirror(b, st) })
	}
	if t.events != 0 || t.stmts != 0 {
		b.Fatalf("a repeated mirror wrote %d events in %d statements, want none", t.events, t.stmts)
	}
	t.report(b)
	b.ReportMetric(float64(site.components()), "components")
}

// BenchmarkCycle1000Racks1PctDrift runs full cycles of a 1,000-rack site in
// which 1% of the actual objects disagree with the expected inventory.
func BenchmarkCycle1000Racks1PctDrift(b *testing.B) { benchCycle(b, 1000) }

// BenchmarkCycle100Racks1PctDrift is the quick variant of
// BenchmarkCycle1000Racks1PctDrift.
func BenchmarkCycle100Racks1PctDrift(b *testing.B) { benchCycle(b, 100) }

// benchCycle measures full cycles of a generated site with 1% drift: the first
// cycle into an empty database (first), and a cycle over a database that
// earlier cycles populated (steady).
func benchCycle(b *testing.B, racks int) {
	site := startBenchSite(b, racks, 0.01)
	for _, be := range benchBackends {
		b.Run(be.name, func(b *testing.B) {
			b.Run("first", func(b *testing.B) { benchCycleFirst(b, site, be) })
			b.Run("steady", func(b *testing.B) { benchCycleSteady(b, site, be) })
		})
	}
}

func benchCycleFirst(b *testing.B, site benchSite, be benchBackend) {
	var t tally
	for b.Loop() {
		b.StopTimer()
		st := be.open(b)
		b.StartTimer()
		t.measure(b, be, st, func() { site.runCycle(b, st) })
	}
	t.report(b)
	b.ReportMetric(float64(site.components()), "components")
}

func benchCycleSteady(b *testing.B, site benchSite, be benchBackend) {
	st := be.open(b)
	site.runCycle(b, st)
	var t tally
	for b.Loop() {
		t.measure(b, be, st, func() { site.runCycle(b, st) })
	}
	t.report(b)
	b.ReportMetric(float64(be.count(b, st, "component_drift")), "drifts")
}
