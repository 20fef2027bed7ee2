package cycle_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
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
	"rackflow/sqlite/sqlitetest"
	"rackflow/storetest"
)

// faultSite has enough rows of every type that a truncated reply trips the
// mass-delete guard (more than the default 20 deletes).
func faultSite() *site {
	s := newSite()
	for n := 1; n <= 30; n++ {
		s.rack(fmt.Sprintf("r%02d", n), fmt.Sprintf("SN-R%02d", n))
	}
	for n := 1; n <= 30; n++ {
		rack := fmt.Sprintf("r%02d", (n-1)/3+1)
		s.machine(n, rack).nvswitch(n, rack).shelf(n, rack)
	}
	return s
}

// newEnvTimeout is newEnv with a Core client whose calls time out after d.
func newEnvTimeout(t *testing.T, s inventory.Store, m *coresim.Manifest, d time.Duration) *env {
	t.Helper()
	e := newEnv(t, s, m)
	addr, sim := simtest.Start(t, m)
	logger := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	client, err := core.Dial(context.Background(), core.Config{Addr: addr, Insecure: true, Timeout: d, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	e.sim, e.runner.Core = sim, client
	e.runner.Mirror = &cycle.MirrorRunner{Store: s, Core: client, GuardRatio: mirror.DefaultGuardRatio, GuardMin: mirror.DefaultGuardMin}
	return e
}

// newFaultEnv is newEnv, with a Core deadline short enough for a slow-reply
// fault to run into it: 300 ms on PostgreSQL, whose cases run one at a time,
// and 1 s on SQLite, whose cases run all at once and so answer more slowly.
func newFaultEnv(t *testing.T, s inventory.Store, m *coresim.Manifest, f coresim.Fault) *env {
	t.Helper()
	if f.Delay == 0 {
		return newEnv(t, s, m)
	}
	d := time.Second
	if _, ok := s.(*postgres.DB); ok {
		d = 300 * time.Millisecond
	}
	return newEnvTimeout(t, s, m, d)
}

// content is the checksummed content of the mirrored tables.
func (e *env) content() storetest.Content {
	e.t.Helper()
	c, err := storetest.ReadContent(context.Background(), e.store)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// wantContent fails unless the tables hold want, and checks the audit trail.
func (e *env) wantContent(when string, want storetest.Content) {
	e.t.Helper()
	if got := e.content(); got.Sum() != want.Sum() {
		e.t.Errorf("%s: the tables differ from the clean run's:\n%s", when, storetest.Diff(want, got))
	}
	e.wantAuditComplete(when)
}

// wantAuditComplete fails when a row's events do not account for it.
func (e *env) wantAuditComplete(when string) {
	e.t.Helper()
	gaps, err := storetest.AuditGaps(context.Background(), e.store)
	if err != nil {
		e.t.Fatal(err)
	}
	if len(gaps) > 0 {
		e.t.Errorf("%s: the audit trail has %d gaps:\n%s", when, len(gaps), strings.Join(gaps, "\n"))
	}
}

func keep(n int) *int { return &n }

// TestFaults_CoreFaultOnOnePullLeavesTablesCleanAndTheNextCycleConverges is
// row 1 of the reliability matrix: for each of the mirror's four pulls, an RPC
// error, an empty reply, a truncated reply and a reply slower than the
// deadline leave the tables as a clean cycle left them, and a clean cycle
// afterwards converges to the same content. For the truncated reply, a
// release of the held deletes is applied too, and the restored reply brings
// the same rows back.
func TestFaults_CoreFaultOnOnePullLeavesTablesCleanAndTheNextCycleConverges(t *testing.T) {
	pulls := []string{"GetAllExpectedRacks", "GetAllExpectedMachines", "GetAllExpectedSwitches", "GetAllExpectedPowerShelves"}
	faults := []struct {
		name  string
		fault coresim.Fault
		want  inventory.CycleStatus
	}{
		{"rpc_error", coresim.Fault{Error: "UNAVAILABLE"}, inventory.CyclePartial},
		{"empty_reply", coresim.Fault{Empty: true}, inventory.CycleOK},
		{"truncated_reply", coresim.Fault{Keep: keep(5)}, inventory.CycleOK},
		{"slow_reply", coresim.Fault{Delay: coresim.Duration(time.Minute)}, inventory.CyclePartial},
	}
	// The SQLite cases run in parallel, each on its own in-memory database;
	// the PostgreSQL cases share the package database, one at a time.
	t.Run("sqlite", func(t *testing.T) {
		var cases []func(t *testing.T)
		var names []string
		for _, pull := range pulls {
			for _, f := range faults {
				f.fault.RPC = pull
				names = append(names, pull+"/"+f.name)
				cases = append(cases, func(t *testing.T) { runCoreFault(t, sqlitetest.Open(t), f.fault, f.want) })
			}
		}
		runConcurrently(t, names, cases)
	})
	t.Run("postgres", func(t *testing.T) {
		for _, pull := range pulls {
			for _, f := range faults {
				t.Run(pull+"/"+f.name, func(t *testing.T) {
					f.fault.RPC = pull
					runCoreFault(t, pgtest.Open(t), f.fault, f.want)
				})
			}
		}
	})
}

// runConcurrently runs the named subtests all at once, each on its own
// database and simulator. They mostly wait on deadlines and backoffs, so
// they are not held to -parallel.
func runConcurrently(t *testing.T, names []string, cases []func(t *testing.T)) {
	var wg sync.WaitGroup
	for i := range cases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.Run(names[i], cases[i])
		}()
	}
	wg.Wait()
}

// TestFaults_CoreFaultOnAnActualSyncCallLeavesTablesCleanAndTheNextCycleConverges
// is row 1 for the actual sync's calls: the id lists, the by-ids fetches and
// the optional calls (power, position, component inventory) of every type.
// An error or a timeout makes the cycle partial; no fault changes the
// mirrored tables, and the next clean cycle converges. All four faults of
// every call run on SQLite; on PostgreSQL the error of each type's by-ids
// fetch runs, and every fault of every call with
// RACKFLOW_RELIABILITY_FULL=1 (make reliability).
func TestFaults_CoreFaultOnAnActualSyncCallLeavesTablesCleanAndTheNextCycleConverges(t *testing.T) {
	calls := []string{"FindMachineIds", "FindMachinesByIds", "GetPowerOptions", "GetMachinePositionInfo",
		"FindSwitchIds", "FindSwitchesByIds", "FindPowerShelfIds", "FindPowerShelvesByIds", "GetComponentInventory"}
	faults := []struct {
		name  string
		fault coresim.Fault
	}{
		{"rpc_error", coresim.Fault{Error: "UNAVAILABLE"}},
		{"empty_reply", coresim.Fault{Empty: true}},
		{"truncated_reply", coresim.Fault{Keep: keep(5)}},
		// Every attempt of the call's first request times out; the
		// optional calls are made once per type, and one slow request
		// is the fault under test.
		{"slow_reply", coresim.Fault{Delay: coresim.Duration(time.Minute), Times: 3}},
	}
	t.Run("sqlite", func(t *testing.T) {
		var cases []func(t *testing.T)
		var names []string
		for _, call := range calls {
			for _, f := range faults {
				f.fault.RPC = call
				names = append(names, call+"/"+f.name)
				cases = append(cases, func(t *testing.T) { runActualFault(t, sqlitetest.Open(t), f.fault) })
			}
		}
		runConcurrently(t, names, cases)
	})
	full := os.Getenv("RACKFLOW_RELIABILITY_FULL") == "1"
	t.Run("postgres", func(t *testing.T) {
		for _, call := range calls {
			for _, f := range faults {
				if !full && (f.name != "rpc_error" || !strings.HasSuffix(call, "ByIds")) {
					continue
				}
				t.Run(call+"/"+f.name, func(t *testing.T) {
					f.fault.RPC = call
					runActualFault(t, pgtest.Open(t), f.fault)
				})
			}
		}
	})
}

func runActualFault(t *testing.T, s inventory.Store, f coresim.Fault) {
	clean := faultSite()
	e := newFaultEnv(t, s, clean.manifest(), f)
	e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
	ref := e.content()
	e.reload(faultSite().fault(f).manifest())
	res := e.cycle(cycle.Request{})
	if f.Error != "" || f.Delay > 0 {
		e.wantStatus(res, inventory.CyclePartial)
	} else if res.Cycle.Status == inventory.CycleFailed {
		e.wantStatus(res, inventory.CyclePartial)
	}
	e.wantContent("after the faulty cycle", ref)
	e.reload(clean.manifest())
	e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
	e.wantContent("after the next clean cycle", ref)
}

func runCoreFault(t *testing.T, s inventory.Store, f coresim.Fault, want inventory.CycleStatus) {
	clean := faultSite()
	e := newFaultEnv(t, s, clean.manifest(), f)
	e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
	ref := e.content()
	e.wantAuditComplete("after the clean cycle")

	e.reload(faultSite().fault(f).manifest())
	res := e.cycle(cycle.Request{})
	e.wantStatus(res, want)
	if f.Keep != nil {
		if held := heldCount(t, res.Cycle); held == 0 {
			t.Errorf("a truncated reply held no deletes; steps %s", res.Cycle.Steps)
		}
	}
	e.wantContent("after the faulty cycle", ref)
	if f.Keep != nil {
		releaseThenRestore(e, ref)
	}

	e.reload(clean.manifest())
	e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
	e.wantContent("after the next clean cycle", ref)
}

// releaseThenRestore is the operator releasing the held deletes while Core
// still sends the truncated reply: the rows Core dropped are soft-deleted,
// with their events, and when the whole reply is back they are resurrected
// under the same uuids, so the content converges to the clean run's.
func releaseThenRestore(e *env, ref storetest.Content) {
	e.t.Helper()
	before := e.tables()
	res := e.cycle(cycle.Request{AllowMassDelete: true})
	if held := heldCount(e.t, res.Cycle); held != 0 {
		e.t.Errorf("a released cycle still held %d deletes", held)
	}
	if got := e.content(); got.Sum() == ref.Sum() {
		e.t.Errorf("the release deleted nothing")
	}
	e.wantAuditComplete("after the release")
	e.reload(faultSite().manifest())
	e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
	after := e.tables()
	if len(after.racks) != len(before.racks) || len(after.components) != len(before.components) {
		e.t.Errorf("rows after the restore = %d racks, %d components; want the same rows as before the release", len(after.racks), len(after.components))
	}
	e.wantContent("after the release and the restored reply", ref)
}

// heldCount is the number of deletes the guard held in any mirror step.
func heldCount(t *testing.T, c inventory.Cycle) int {
	n := 0
	for _, step := range stepsJSON(t, c)["mirror"] {
		if ids, ok := step["held"].([]any); ok {
			n += len(ids)
		}
	}
	return n
}

// TestFaults_ChecksumAndAuditCatchAnUnrecordedWrite makes sure the matrix's two
// checks can fail: a write without its event changes the checksum and shows
// up as an audit gap naming the column.
func TestFaults_ChecksumAndAuditCatchAnUnrecordedWrite(t *testing.T) {
	backends(t, func(t *testing.T, s inventory.Store) {
		e := newEnv(t, s, example1().manifest())
		e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
		ref := e.content()
		c := e.tables().component(t, "SN-C-0001")
		apply(t, s, inventory.Writes{ComponentUpdates: []inventory.RowUpdate{{Key: c.ID,
			Changes: inventory.Changes{inventory.ColModel: {Old: c.Model, New: inventory.Ptr("tampered")}}}}})
		if got := e.content(); got.Sum() == ref.Sum() || !strings.Contains(storetest.Diff(ref, got), `"tampered"`) {
			t.Errorf("the checksum missed a changed column:\n%s", storetest.Diff(ref, got))
		}
		gaps, err := storetest.AuditGaps(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		if len(gaps) != 1 || !strings.Contains(gaps[0], c.ID) || !strings.Contains(gaps[0], "column model") {
			t.Errorf("audit gaps = %q, want one naming %s and column model", gaps, c.ID)
		}
	})
}
