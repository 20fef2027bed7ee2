package main

import (
	"context"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"rackflow/coresim"
	"rackflow/inventory"
	"rackflow/postgres/pgtest"
	"rackflow/sqlite"
	"rackflow/storetest"
)

// backend is one database the process tests run against: its URL and a
// store on it for the test's own reads.
type backend struct {
	name  string
	url   string
	store inventory.Store
}

func backendsOf(t *testing.T) []func(t *testing.T) backend {
	return []func(t *testing.T) backend{
		func(t *testing.T) backend {
			url := migratedSQLite(t)
			s, err := sqlite.Open(context.Background(), strings.TrimPrefix(url, "sqlite://"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return backend{"sqlite", url, s}
		},
		func(t *testing.T) backend { return backend{"postgres", pgtest.URL(t), pgtest.Open(t)} },
	}
}

func eachBackend(t *testing.T, fn func(t *testing.T, b backend)) {
	for i, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) { fn(t, backendsOf(t)[i](t)) })
	}
}

// cleanContent is what one clean sync --once of m leaves in a fresh SQLite
// database: the reference the fault tests compare with.
func cleanContent(t *testing.T, m *coresim.Manifest) storetest.Content {
	t.Helper()
	url := migratedSQLite(t)
	env := siteEnv(t, m, url)
	env["FLOW_EXPECTED_INVENTORY_SYNC_ENABLED"] = "true"
	if r := run(t, env, "sync", "--once"); r.code != 0 {
		t.Fatalf("the clean reference sync: %+v", r)
	}
	s, err := sqlite.Open(context.Background(), strings.TrimPrefix(url, "sqlite://"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, err := storetest.ReadContent(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wantClean fails unless the store holds want and its audit trail accounts
// for every row.
func wantClean(t *testing.T, when string, s inventory.Store, want storetest.Content) {
	t.Helper()
	got, err := storetest.ReadContent(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if got.Sum() != want.Sum() {
		t.Errorf("%s: the tables differ from a clean run's:\n%s", when, storetest.Diff(want, got))
	}
	wantAudit(t, when, s)
}

// wantAudit fails when a row's events do not account for it.
func wantAudit(t *testing.T, when string, s inventory.Store) {
	t.Helper()
	gaps, err := storetest.AuditGaps(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if len(gaps) > 0 {
		t.Errorf("%s: %d audit gaps:\n%s", when, len(gaps), strings.Join(gaps, "\n"))
	}
}

// wantNoOverlap fails when two recorded cycles ran at the same time. A cycle
// still running counts as running until now.
func wantNoOverlap(t *testing.T, cs []inventory.Cycle) {
	t.Helper()
	sorted := append([]inventory.Cycle(nil), cs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].StartedAt.Before(sorted[j].StartedAt) })
	end := func(c inventory.Cycle) time.Time {
		if c.FinishedAt == nil {
			return time.Now()
		}
		return *c.FinishedAt
	}
	for i := 1; i < len(sorted); i++ {
		prev, cur := sorted[i-1], sorted[i]
		if cur.StartedAt.Before(end(prev)) {
			t.Errorf("cycles overlap: %s (%s, %s to %s) and %s (%s, from %s)", prev.ID, prev.Instance,
				prev.StartedAt.Format(time.StampMicro), end(prev).Format(time.StampMicro), cur.ID, cur.Instance, cur.StartedAt.Format(time.StampMicro))
		}
	}
}

// TestSync_TwoAtOnceRunOneCycleAtATime is row 6 of the reliability matrix:
// three sync --once processes started together on one database. Each either
// runs its cycle or is refused at once with one line naming the holder;
// recorded cycles never overlap; the tables equal a clean run's.
func TestSync_TwoAtOnceRunOneCycleAtATime(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		m := tiny(t)
		ref := cleanContent(t, m)
		// Core answers slowly, so that the winner holds the lock while the
		// others try it.
		slow := tiny(t)
		slow.Faults = []coresim.Fault{{RPC: "GetAllExpectedRacks", Delay: coresim.Duration(time.Second)}}
		env := siteEnv(t, slow, b.url)
		env["FLOW_EXPECTED_INVENTORY_SYNC_ENABLED"] = "true"
		var ps []*proc
		for range 3 {
			ps = append(ps, startProc(t, env, "sync", "--once"))
		}
		ran, refused := 0, 0
		for _, p := range ps {
			switch code := p.exitCode(t, 60*time.Second); {
			case code == 0:
				ran++
			case code == 1 && (strings.Contains(p.err.String(), "another instance leads") || strings.Contains(p.err.String(), "in use by another rackflow process")):
				refused++
			default:
				t.Errorf("sync exited %d:\n%s", code, p.err.String())
			}
		}
		cs := cyclesOf(t, b.store)
		if ran == 0 || len(cs) != ran {
			t.Errorf("%d processes ran, %d refused, %d cycles recorded", ran, refused, len(cs))
		}
		t.Logf("%d ran, %d were refused", ran, refused)
		wantNoOverlap(t, cs)
		wantClean(t, "after the concurrent syncs", b.store, ref)
	})
}

// TestServe_SIGTERMMidCycleMarksItCancelledAndTheNextCycleConverges is
// row 5: SIGTERM while the actual sync waits on Core. serve exits 0, the
// cycle is failed as cancelled, the mirror's committed steps stay whole and
// the next cycle converges to a clean run's content.
func TestServe_SIGTERMMidCycleMarksItCancelledAndTheNextCycleConverges(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		m := tiny(t)
		ref := cleanContent(t, m)
		stuck := tiny(t)
		stuck.Faults = []coresim.Fault{{RPC: "FindMachinesByIds", Delay: coresim.Duration(time.Minute)}}
		env := serveEnv(t, stuck, b.url)
		env["RACKFLOW_CORE_TIMEOUT"] = "2m"
		p := startProc(t, env, "serve", "--instance", "stopping")
		eventually(t, 30*time.Second, "the mirror to commit while the cycle runs", func() bool { return mirrorCommitted(t, b.store) })
		p.cmd.Process.Signal(syscall.SIGTERM)
		if code := p.exitCode(t, 20*time.Second); code != 0 {
			t.Fatalf("exit code after SIGTERM = %d, want 0; stderr:\n%s", code, p.err.String())
		}
		cs := cyclesOf(t, b.store)
		if len(cs) != 1 || cs[0].Status != inventory.CycleFailed || cs[0].Error == nil || !strings.Contains(*cs[0].Error, "cancel") {
			t.Fatalf("cycles after SIGTERM = %+v, want one failed as cancelled", cs)
		}
		wantAudit(t, "after SIGTERM", b.store)
		env = siteEnv(t, m, b.url)
		env["FLOW_EXPECTED_INVENTORY_SYNC_ENABLED"] = "true"
		if r := run(t, env, "sync", "--once"); r.code != 0 {
			t.Fatalf("the next sync: %+v", r)
		}
		wantClean(t, "after the next clean cycle", b.store, ref)
	})
}

// mirrorCommitted reports whether the running cycle's mirror has committed
// its 18 writes of the tiny site, after which the actual sync waits on Core.
func mirrorCommitted(t *testing.T, s inventory.Store) bool {
	cs := cyclesOf(t, s)
	if len(cs) == 0 || cs[0].Status != inventory.CycleRunning {
		return false
	}
	es, err := s.Events(context.Background(), inventory.EventFilter{CycleID: cs[0].ID, Limit: 1000})
	return err == nil && len(es) >= 18
}
