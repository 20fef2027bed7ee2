//go:build linux

package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rackflow/coresim"
	"rackflow/inventory"
	"rackflow/sqlite"
	"rackflow/sqlite/sqlitetest"
)

// TestServe_SQLiteDiskFullThenFreedLeavesNoCycleRunning is row 7 for a
// running serve: the disk fills up mid-cycle, so the cycle's end cannot be
// recorded; serve keeps running and says why; once there is space again, the
// next cycle marks the unrecorded one failed, no row stays running, and the
// tables equal a clean run's.
func TestServe_SQLiteDiskFullThenFreedLeavesNoCycleRunning(t *testing.T) {
	ref := cleanContent(t, tiny(t))
	dir := sqlitetest.SmallDisk(t, "4m")
	db := "sqlite://" + filepath.Join(dir, "rackflow.db")
	if r := run(t, nil, "migrate", "--db", db); r.code != 0 {
		t.Fatalf("migrate: %+v", r)
	}
	store := openStore(t, db)
	// The start-up cycle's machine fetch waits on Core; meanwhile the disk
	// fills up, so that the cycle can record neither its actual sync nor its
	// end.
	m := tiny(t)
	m.Faults = []coresim.Fault{{RPC: "FindMachinesByIds", Delay: coresim.Duration(time.Minute), Times: 1}}
	env := serveEnv(t, m, db)
	env["RACKFLOW_CORE_TIMEOUT"] = "3s"
	p := startProc(t, env, "serve", "--instance", "full")
	eventually(t, 30*time.Second, "the mirror to commit while the cycle runs", func() bool { return mirrorCommitted(t, store) })
	filler := sqlitetest.FillDisk(t, dir, 0)
	eventually(t, 30*time.Second, "the cycle's end to fail on the full disk", func() bool {
		return strings.Contains(p.err.String(), "cycle could not be recorded") && strings.Contains(p.err.String(), "database or disk is full")
	})
	select {
	case <-p.done:
		t.Fatalf("serve exited on a full disk:\n%s", p.err.String())
	default:
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	mark := len(cyclesOf(t, store))
	eventually(t, 30*time.Second, "two clean cycles with space again", func() bool {
		ok := 0
		for _, c := range cyclesOf(t, store)[:max(0, len(cyclesOf(t, store))-mark)] {
			if c.Status == inventory.CycleOK {
				ok++
			}
		}
		return ok >= 2
	})
	cs := cyclesOf(t, store)
	for _, c := range cs[1:] { // the newest may be running now
		if c.Status == inventory.CycleRunning {
			t.Errorf("cycle %s (started %s) is still running after later cycles finished", c.ID, c.StartedAt)
		}
	}
	wantClean(t, "after the disk was freed", store, ref)
	integrity := countSQLite(t, strings.TrimPrefix(db, "sqlite://"), "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'")
	if integrity != 0 {
		t.Errorf("integrity_check reports %d problems", integrity)
	}
}

// openStore opens a SQLite database URL for the test's reads.
func openStore(t *testing.T, url string) inventory.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), strings.TrimPrefix(url, "sqlite://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
