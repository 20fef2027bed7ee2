package mirrorref_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"rackflow/core"
	"rackflow/coresim"
	"rackflow/coresim/simtest"
	"rackflow/cycle"
	"rackflow/inventory"
	"rackflow/postgres/pgtest"
	"rackflow/sqlite/sqlitetest"
)

func TestMain(m *testing.M) { pgtest.Main(m, "mirrorref") }

// backends lists the stores the differential test runs on; each call opens a
// fresh, empty one.
var backends = []struct {
	name string
	open func(t *testing.T) inventory.Store
}{
	{"sqlite", openSQLite},
	{"postgres", func(t *testing.T) inventory.Store { return pgtest.Open(t) }},
}

func openSQLite(t *testing.T) inventory.Store { return sqlitetest.Open(t) }

// site is one sequence under test: the simulator, the real mirror over a
// store, and the reference model beside it.
type site struct {
	t      *testing.T
	seq    *sequence
	store  inventory.Store
	sim    *coresim.Server
	runner *cycle.MirrorRunner
	logs   *bytes.Buffer
	logger *slog.Logger
	clock  time.Time
	model  *refDB
	// ids remembers the UUID of every component key ever seen, to check that
	// a key that returns keeps its UUID.
	ids map[string]string
}

func newSite(t *testing.T, s inventory.Store, seq *sequence, cov coverage) *site {
	t.Helper()
	st := &site{t: t, seq: seq, store: s, logs: &bytes.Buffer{}, clock: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC),
		model: seq.initial.clone(), ids: map[string]string{}}
	st.model.cov = cov
	st.logger = slog.New(slog.NewTextHandler(st.logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	seed := seedWrites(seq.initial, st.clock)
	if err := s.Write(context.Background(), func(tx inventory.Tx) error { return tx.Apply(context.Background(), seed) }); err != nil {
		t.Fatalf("seeding the store: %v", err)
	}
	addr, sim := simtest.Start(t, seq.manifests[0])
	client, err := core.Dial(context.Background(), core.Config{Addr: addr, Insecure: true, Timeout: 5 * time.Second,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	st.sim = sim
	st.runner = &cycle.MirrorRunner{Store: s, Core: client, GuardRatio: seq.guard.ratio, GuardMin: seq.guard.min}
	return st
}

// cycle runs one real mirror cycle and the model's, and compares them. label
// names the cycle in failures.
func (st *site) cycle(m *coresim.Manifest, label string) {
	st.t.Helper()
	st.clock = st.clock.Add(time.Minute)
	st.logs.Reset()
	steps := st.runner.Run(context.Background(), cycle.MirrorRequest{CycleID: inventory.NewID(), Now: st.clock, Logger: st.logger})
	held := st.model.cycle(m, st.seq.guard)
	rows := readStore(st.t, st.store)
	st.model.bind(rows.racks, rows.comps)
	if d := diffTables(st.model.tables(), rows.view().tables()); d != "" {
		st.fail(m, label, "tables differ from the reference model (-model +store):\n%s", d)
	}
	st.checkSteps(m, label, steps, held)
	st.checkStableIDs(m, label, rows)
}

// checkSteps compares what each step reports with the model: a step fails
// only when its pull failed, and the guard held the same rows.
func (st *site) checkSteps(m *coresim.Manifest, label string, steps map[string]cycle.Step, held map[string][]string) {
	st.t.Helper()
	for _, name := range append([]string{"rack"}, componentTypes...) {
		step := steps[name]
		pullFailed := serveFailed(m, rpcOf[name])
		if step.Failed() != pullFailed {
			st.fail(m, label, "step %s error = %v, want failed=%v", name, step.Err, pullFailed)
		}
		if !slices.Equal(step.Held, held[name]) {
			st.fail(m, label, "step %s held %v, the model holds %v", name, step.Held, held[name])
		}
		if !step.Failed() {
			st.checkCounters(m, label, name, step)
		}
	}
}

// comparedCounters are the counters the model keeps. The others count
// writes and inputs the tables already show.
var comparedCounters = []string{"soft_deleted", "held_deletes", "tombstones_gc", "skipped_conflict",
	"skipped_name_taken", "bmc_contested", "bmc_refused"}

func (st *site) checkCounters(m *coresim.Manifest, label, name string, step cycle.Step) {
	st.t.Helper()
	b, err := json.Marshal(step.Counters)
	if err != nil {
		st.t.Fatalf("step %s counters: %v", name, err)
	}
	var got map[string]int
	if err := json.Unmarshal(b, &got); err != nil {
		st.t.Fatalf("step %s counters %s: %v", name, b, err)
	}
	for _, c := range comparedCounters {
		if _, reported := got[c]; reported && got[c] != st.model.counts[name][c] {
			st.fail(m, label, "step %s counter %s = %d, the model counts %d", name, c, got[c], st.model.counts[name][c])
		}
	}
}

func serveFailed(m *coresim.Manifest, rpc string) bool {
	return serve(m, rpc, []struct{}{}).failed
}

// checkStableIDs fails when a component key that returns has a new UUID. The
// mirror never hard-deletes a component, so a key keeps its UUID for good.
func (st *site) checkStableIDs(m *coresim.Manifest, label string, rows storeRows) {
	st.t.Helper()
	for _, c := range rows.comps {
		k := c.Manufacturer + "/" + c.SerialNumber
		if id, ok := st.ids[k]; ok && id != c.ID {
			st.fail(m, label, "component %s changed UUID %s → %s", k, id, c.ID)
		}
		st.ids[k] = c.ID
	}
}

// maxRepeats bounds the cycles a repeat may need to settle: a tombstone GC
// can wait for a later cycle, and a few MAC moves take two.
const maxRepeats = 3

// repeat reruns the same manifest until the model reaches a fixed point, at
// most maxRepeats times. Once the model changes nothing, the store must change
// nothing either: no row differs in any column and no event is written.
func (st *site) repeat(m *coresim.Manifest, label string) {
	st.t.Helper()
	for i := 1; i <= maxRepeats; i++ {
		modelBefore := st.model.tables()
		before, events := readStore(st.t, st.store), st.countEvents()
		st.cycle(m, fmt.Sprintf("%s, repeat %d", label, i))
		if diffTables(modelBefore, st.model.tables()) != "" {
			continue
		}
		after := readStore(st.t, st.store)
		if d := diffRows(before, after); d != "" {
			st.fail(m, label, "a repeated cycle over unchanged inputs changed rows (-before +after):\n%s", d)
		}
		if n := st.countEvents() - events; n != 0 {
			st.fail(m, label, "a repeated cycle over unchanged inputs wrote %d events", n)
		}
		return
	}
	st.fail(m, label, "the model reached no fixed point after three repeats")
}

func (st *site) countEvents() int {
	st.t.Helper()
	es, err := st.store.Events(context.Background(), inventory.EventFilter{Limit: 1 << 30})
	if err != nil {
		st.t.Fatalf("reading events: %v", err)
	}
	return len(es)
}

// fail stops the sequence with everything needed to reproduce it: the seed,
// the cycle, the manifest served and the mirror's warnings.
func (st *site) fail(m *coresim.Manifest, label, format string, args ...any) {
	st.t.Helper()
	var yaml strings.Builder
	if err := coresim.MarshalManifest(&yaml, m); err != nil {
		fmt.Fprintf(&yaml, "(manifest not printable: %v)", err)
	}
	st.t.Fatalf("seed %d, %s (guard ratio %g, min %d): %s\n\nmanifest:\n%s\ninitial rows:\n%s\nmirror warnings:\n%s\nrerun with: go test ./mirror/mirrorref -run 'TestMirror_MatchesReferenceModel' -args -seed=%d",
		st.seq.seed, label, st.seq.guard.ratio, st.seq.guard.min, fmt.Sprintf(format, args...),
		yaml.String(), st.seq.describeInitial(), st.logs.String(), st.seq.seed)
}
