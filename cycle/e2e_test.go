package cycle_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"rackflow/core"
	"rackflow/coresim"
	"rackflow/coresim/simtest"
	"rackflow/cycle"
	"rackflow/inventory"
	"rackflow/mirror"
	"rackflow/postgres/pgtest"
	"rackflow/sqlite/sqlitetest"
)

func TestMain(m *testing.M) { pgtest.Main(m, "cycle") }

// backends runs fn once per database backend, each with a fresh store.
func backends(t *testing.T, fn func(t *testing.T, s inventory.Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, sqlitetest.Open(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, pgtest.Open(t)) })
}

// env is one site under test: a simulator, a client and a runner.
type env struct {
	t      *testing.T
	store  inventory.Store
	sim    *coresim.Server
	runner *cycle.Runner
	logs   *bytes.Buffer
	clock  time.Time
	// advances counts the steps whose own writes advanced the rows held;
	// kept the cycles that left current rows to the next.
	advances, kept int
}

func newEnv(t *testing.T, s inventory.Store, m *coresim.Manifest) *env {
	t.Helper()
	addr, sim := simtest.Start(t, m)
	logs := &bytes.Buffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	client, err := core.Dial(context.Background(), core.Config{Addr: addr, Insecure: true, Timeout: 5 * time.Second, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	e := &env{t: t, store: s, sim: sim, logs: logs, clock: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
	e.runner = &cycle.Runner{Store: s, Core: client, Instance: "test:1", Logger: logger,
		Mirror: &cycle.MirrorRunner{Store: s, Core: client, GuardRatio: mirror.DefaultGuardRatio, GuardMin: mirror.DefaultGuardMin},
		Now:    func() time.Time { e.clock = e.clock.Add(time.Minute); return e.clock }}
	cycle.SetReadCheck(e.runner, e.checkAdvanced)
	return e
}

// checkAdvanced fails the test unless the rows a cycle holds, each time
// they advance by a step's own writes and when the cycle leaves them to the
// next, are the rows the store holds: every end-to-end test of the package
// checks the advance and what the next cycle may reuse this way.
func (e *env) checkAdvanced(held mirror.ComponentState, advanced bool) {
	e.t.Helper()
	if advanced {
		e.advances++
	} else {
		e.kept++
	}
	var fresh mirror.ComponentState
	err := e.store.View(context.Background(), func(tx inventory.ReadTx) error {
		var err error
		fresh, err = cycle.ReadComponentState(context.Background(), tx)
		return err
	})
	if err != nil {
		e.t.Fatalf("reading the rows to compare with the advanced ones: %v", err)
	}
	if diff := cmp.Diff(fresh, held, cmpopts.EquateEmpty()); diff != "" {
		e.t.Errorf("rows held (advanced %v) differ from the store's (-store +held):\n%s", advanced, diff)
	}
}

func (e *env) cycle(req cycle.Request) cycle.Result {
	e.t.Helper()
	if req.Trigger == "" {
		req.Trigger = inventory.TriggerOnce
	}
	res, err := e.runner.Run(context.Background(), req)
	if err != nil {
		e.t.Fatalf("cycle: %v", err)
	}
	return res
}

func (e *env) reload(m *coresim.Manifest) {
	e.t.Helper()
	if err := e.sim.Reload(m); err != nil {
		e.t.Fatalf("reload: %v", err)
	}
}

type tables struct {
	racks      []inventory.Rack
	components []inventory.Component
	bmcs       []inventory.BMC
	drifts     map[inventory.ComponentType][]inventory.Drift
}

func (e *env) tables() tables {
	e.t.Helper()
	tb := tables{drifts: map[inventory.ComponentType][]inventory.Drift{}}
	err := e.store.View(context.Background(), func(tx inventory.ReadTx) error {
		ctx := context.Background()
		var err error
		if tb.racks, err = tx.Racks(ctx); err != nil {
			return err
		}
		if tb.components, err = tx.Components(ctx); err != nil {
			return err
		}
		if tb.bmcs, err = tx.BMCs(ctx); err != nil {
			return err
		}
		for _, t := range inventory.MirroredTypes {
			if tb.drifts[t], err = tx.Drifts(ctx, t); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return tb
}

func (e *env) events() []inventory.Event {
	e.t.Helper()
	es, err := e.store.Events(context.Background(), inventory.EventFilter{Limit: 100000})
	if err != nil {
		e.t.Fatal(err)
	}
	return es
}

func stepsJSON(t *testing.T, c inventory.Cycle) map[string]map[string]map[string]any {
	t.Helper()
	var out map[string]map[string]map[string]any
	if err := json.Unmarshal(c.Steps, &out); err != nil {
		t.Fatalf("steps %s: %v", c.Steps, err)
	}
	return out
}

func (tb tables) component(t *testing.T, serial string) inventory.Component {
	t.Helper()
	for _, c := range tb.components {
		if c.SerialNumber == serial {
			return c
		}
	}
	t.Fatalf("no component with serial %s", serial)
	return inventory.Component{}
}

func (tb tables) rackByExternalID(t *testing.T, ext string) inventory.Rack {
	t.Helper()
	for _, r := range tb.racks {
		if r.ExternalID != nil && *r.ExternalID == ext {
			return r
		}
	}
	t.Fatalf("no rack with external id %s", ext)
	return inventory.Rack{}
}

func (tb tables) bmcsOf(id string, typ inventory.BMCType) []string {
	var macs []string
	for _, b := range tb.bmcs {
		if b.ComponentID == id && b.Type == typ {
			macs = append(macs, b.MAC)
		}
	}
	return macs
}

func (tb tables) live() (racks, comps int) {
	for _, r := range tb.racks {
		if r.Live() {
			racks++
		}
	}
	for _, c := range tb.components {
		if c.Live() {
			comps++
		}
	}
	return racks, comps
}

func (e *env) wantStatus(res cycle.Result, want inventory.CycleStatus) {
	e.t.Helper()
	if res.Cycle.Status != want {
		e.t.Fatalf("cycle status = %s, want %s; steps %s\nlogs:\n%s", res.Cycle.Status, want, res.Cycle.Steps, e.logs)
	}
}

// assertNoWrites runs another cycle and checks that it changes nothing in the
// inventory tables and writes no event.
func (e *env) assertNoWrites() {
	e.t.Helper()
	before, nEvents := e.tables(), len(e.events())
	e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
	after := e.tables()
	if n := len(e.events()); n != nEvents {
		e.t.Errorf("a repeated cycle wrote %d events", n-nEvents)
	}
	if !reflect.DeepEqual(before.racks, after.racks) || !reflect.DeepEqual(before.components, after.components) || !reflect.DeepEqual(before.bmcs, after.bmcs) {
		e.t.Errorf("a repeated cycle changed the inventory tables")
	}
}

func apply(t *testing.T, s inventory.Store, w inventory.Writes) {
	t.Helper()
	w.At = time.Date(2026, 11, 26, 11, 0, 0, 0, time.UTC)
	if err := s.Write(context.Background(), func(tx inventory.Tx) error { return tx.Apply(context.Background(), w) }); err != nil {
		t.Fatal(err)
	}
}
