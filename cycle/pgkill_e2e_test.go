package cycle_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"rackflow/cycle"
	"rackflow/inventory"
	"rackflow/postgres/pgtest"
	"rackflow/sqlite/sqlitetest"
	"rackflow/storetest"
)

// rackSite is a site of n racks and nothing else; rename changes every
// rack's name and description, so that a cycle updates all of them.
func rackSite(n int, rename bool) *site {
	s := newSite()
	for i := 1; i <= n; i++ {
		s.rack(fmt.Sprintf("r%03d", i), fmt.Sprintf("SN-R%03d", i))
		if rename {
			r := &s.m.Expected.Racks[len(s.m.Expected.Racks)-1]
			r.Name, r.Description = "Renamed "+r.RackID, "moved to hall 2"
		}
	}
	return s
}

// cleanContent is the content that clean cycles of the given sites, one
// after another, leave in a fresh database (SQLite in memory; the content
// does not depend on the backend).
func cleanContent(t *testing.T, sites ...*site) storetest.Content {
	t.Helper()
	e := newEnv(t, sqlitetest.Open(t), sites[0].manifest())
	for i, s := range sites {
		if i > 0 {
			e.reload(s.manifest())
		}
		e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
	}
	return e.content()
}

// TestFaults_PostgresConnectionKilledMidApplyRollsBackAndTheNextCycleConverges
// is row 2 of the reliability matrix. A second connection holds the audit
// table's lock, so the rack step's apply of 300 updates stops at its event
// insert, after its row statements; the test sees that wait in
// pg_stat_activity and terminates exactly that backend.
func TestFaults_PostgresConnectionKilledMidApplyRollsBackAndTheNextCycleConverges(t *testing.T) {
	s := pgtest.Open(t)
	before, after := rackSite(300, false), rackSite(300, true)
	e := newEnv(t, s, before.manifest())
	e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
	ref := e.content()

	e.reload(after.manifest())
	admin := adminConn(t)
	blocker, err := admin.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := blocker.Exec(context.Background(), "LOCK TABLE inventory_event IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	done := make(chan cycle.Result, 1)
	go func() {
		res, err := e.runner.Run(context.Background(), cycle.Request{Trigger: inventory.TriggerOnce})
		if err != nil {
			t.Errorf("cycle: %v", err)
		}
		done <- res
	}()
	watch := adminConn(t)
	pid := waitForLockWait(t, watch)
	var killed bool
	if err := watch.QueryRow(context.Background(), "SELECT pg_terminate_backend($1)", pid).Scan(&killed); err != nil || !killed {
		t.Fatalf("terminating backend %d: %v %v", pid, killed, err)
	}
	blocker.Rollback(context.Background())
	res := <-done
	if msg := fmt.Sprint(stepsJSON(t, res.Cycle)["mirror"]["rack"]["error"]); res.Cycle.Status != inventory.CyclePartial || !strings.Contains(msg, "unavailable") || !strings.Contains(msg, "terminating connection") {
		t.Errorf("the cycle whose apply was killed: status %s, rack step error %q", res.Cycle.Status, msg)
	}
	e.wantContent("after the killed apply", ref)

	e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
	e.wantContent("after the next clean cycle", cleanContent(t, after))
}

// testDBName is the name of this package's test database.
func testDBName(t *testing.T) string {
	t.Helper()
	u, err := url.Parse(pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(u.Path, "/")
}

// adminConn is a plain connection to the test database, apart from the store.
func adminConn(t *testing.T) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// waitForLockWait polls pg_stat_activity until a backend of this test's
// database waits for a lock on inventory_event, and returns its pid. Only
// backends of the test database are ever looked at.
func waitForLockWait(t *testing.T, c *pgx.Conn) int {
	t.Helper()
	db := testDBName(t)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		var pid int
		err := c.QueryRow(context.Background(), `SELECT a.pid FROM pg_stat_activity a
			JOIN pg_locks l ON l.pid = a.pid AND NOT l.granted
			WHERE a.datname = $1 AND l.relation = 'inventory_event'::regclass LIMIT 1`, db).Scan(&pid)
		if err == nil {
			return pid
		}
		if err != pgx.ErrNoRows {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond) // the polling interval, not synchronisation
	}
	t.Fatal("no backend waited for the inventory_event lock within 30s")
	return 0
}
