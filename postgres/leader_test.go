package postgres_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"rackflow/inventory"
	"rackflow/postgres"
	"rackflow/postgres/pgtest"
)

const leaderDeadline = 10 * time.Second

// newLeader returns an elector on the package database that is closed when
// the test ends, so that no test leaves the lock held for the next.
func newLeader(t *testing.T, instance string, opts ...postgres.LeaderOption) *postgres.Leader {
	t.Helper()
	l := postgres.NewLeader(pgtest.URL(t), instance, nil, opts...)
	t.Cleanup(func() { l.Close() })
	return l
}

func tryAcquire(t *testing.T, l *postgres.Leader) (bool, string) {
	t.Helper()
	ok, holder, err := l.TryAcquire(context.Background())
	if err != nil {
		t.Fatalf("TryAcquire(%s): %v", l.Instance(), err)
	}
	return ok, holder
}

// eventuallyAcquire polls TryAcquire until it succeeds or the deadline
// passes: after a leader's session ends, the server frees its lock
// asynchronously.
func eventuallyAcquire(t *testing.T, l *postgres.Leader) {
	t.Helper()
	deadline := time.Now().Add(leaderDeadline)
	for {
		ok, holder, err := l.TryAcquire(context.Background())
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never acquired the lock (holder %q, error %v)", l.Instance(), holder, err)
		}
		time.Sleep(20 * time.Millisecond) // polling interval, not synchronisation
	}
}

// terminate kills the backend whose application_name is instance, from a
// connection of its own, as an operator or a network failure would.
func terminate(t *testing.T, instance string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	err = conn.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE application_name = $1 AND datname = current_database()`, instance).Scan(&n)
	if err != nil || n != 1 {
		t.Fatalf("terminating %s: %d backend(s), %v; want 1", instance, n, err)
	}
}

func TestLeader_OnlyOneOfTwoAcquiresAndTheOtherNamesIt(t *testing.T) {
	pgtest.Open(t)
	a, b := newLeader(t, "host-a:101"), newLeader(t, "host-b:202")
	if ok, _ := tryAcquire(t, a); !ok || !a.IsLeader() {
		t.Fatal("the first instance did not acquire a free lock")
	}
	ok, holder := tryAcquire(t, b)
	if ok || b.IsLeader() {
		t.Fatal("a second instance acquired a held lock")
	}
	if holder != "host-a:101" {
		t.Fatalf("refused instance names holder %q, want host-a:101", holder)
	}
	if ok, _ := tryAcquire(t, a); !ok {
		t.Fatal("the leader's second TryAcquire answered false")
	}
	if err := a.Alive(context.Background()); err != nil {
		t.Fatalf("leader Alive: %v", err)
	}
	if err := b.Alive(context.Background()); !errors.Is(err, postgres.ErrNotLeader) {
		t.Fatalf("follower Alive = %v, want ErrNotLeader", err)
	}
}

func TestLeader_AliveWithADoneContextKeepsTheLock(t *testing.T) {
	pgtest.Open(t)
	a := newLeader(t, "patient-a")
	if ok, _ := tryAcquire(t, a); !ok {
		t.Fatal("a did not acquire")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := a.Alive(ctx); err == nil || errors.Is(err, postgres.ErrNotLeader) {
		t.Fatalf("Alive with a cancelled context = %v, want a context error that is not ErrNotLeader", err)
	}
	if _, _, err := a.TryAcquire(ctx); err == nil {
		t.Fatal("TryAcquire with a cancelled context succeeded")
	}
	if !a.IsLeader() {
		t.Fatal("a cancelled check gave up the lock")
	}
	if err := a.Alive(context.Background()); err != nil {
		t.Fatalf("Alive afterwards: %v", err)
	}
}

func TestLeader_FollowerTakesOverWhenTheLeaderCloses(t *testing.T) {
	pgtest.Open(t)
	a, b := newLeader(t, "closing-a"), newLeader(t, "closing-b")
	if ok, _ := tryAcquire(t, a); !ok {
		t.Fatal("a did not acquire")
	}
	if ok, _ := tryAcquire(t, b); ok {
		t.Fatal("b acquired while a leads")
	}
	a.Close()
	if a.IsLeader() {
		t.Fatal("a still claims to lead after Close")
	}
	eventuallyAcquire(t, b)
	if ok, holder := tryAcquire(t, a); ok || holder != "closing-b" {
		t.Fatalf("a after b took over: acquired %v, holder %q; want refused naming closing-b", ok, holder)
	}
}

func TestLeader_FollowerTakesOverWhenTheLeadersConnectionIsKilled(t *testing.T) {
	pgtest.Open(t)
	a, b := newLeader(t, "killed-a"), newLeader(t, "killed-b")
	if ok, _ := tryAcquire(t, a); !ok {
		t.Fatal("a did not acquire")
	}
	terminate(t, "killed-a")
	eventuallyAcquire(t, b)

	err := a.Alive(context.Background())
	if !errors.Is(err, postgres.ErrNotLeader) || a.IsLeader() {
		t.Fatalf("old leader Alive = %v, IsLeader %v; want ErrNotLeader and false", err, a.IsLeader())
	}
	// The old leader reconnects on its next try and finds the new one.
	if ok, holder := tryAcquire(t, a); ok || holder != "killed-b" {
		t.Fatalf("old leader's retry: acquired %v, holder %q; want refused naming killed-b", ok, holder)
	}
}

func TestLeader_LeaderReacquiresAfterLosingItsConnectionWhenNobodyElseHolds(t *testing.T) {
	pgtest.Open(t)
	a := newLeader(t, "lonely-a")
	if ok, _ := tryAcquire(t, a); !ok {
		t.Fatal("a did not acquire")
	}
	terminate(t, "lonely-a")
	// TryAcquire notices the dead session itself, without an Alive first.
	eventuallyAcquire(t, a)
}

func TestLeader_AcquiringMarksLeftoverRunningCyclesFailed(t *testing.T) {
	db := pgtest.Open(t)
	ctx := context.Background()
	started := time.Now().Add(-time.Hour)
	finished := started.Add(time.Minute)
	orphan := inventory.Cycle{ID: "00000000-0000-0000-0000-00000000000a", StartedAt: started,
		Trigger: inventory.TriggerInterval, Instance: "dead-leader", Status: inventory.CycleRunning}
	done := inventory.Cycle{ID: "00000000-0000-0000-0000-00000000000b", StartedAt: started, FinishedAt: &finished,
		Trigger: inventory.TriggerStartup, Instance: "dead-leader", Status: inventory.CycleOK}
	for _, c := range []inventory.Cycle{orphan, done} {
		if err := db.StartCycle(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if ok, _ := tryAcquire(t, newLeader(t, "heir")); !ok {
		t.Fatal("heir did not acquire")
	}
	got, err := db.Cycle(ctx, orphan.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != inventory.CycleFailed || got.FinishedAt == nil || got.Error == nil ||
		!strings.Contains(*got.Error, "leader lost") || !strings.Contains(*got.Error, "heir") {
		t.Fatalf("orphaned cycle after acquisition = %+v (error %v), want failed, finished, saying the leader was lost", got, deref(got.Error))
	}
	if got, _ := db.Cycle(ctx, done.ID); got.Status != inventory.CycleOK || got.Error != nil {
		t.Fatalf("finished cycle changed on acquisition: %+v", got)
	}
}

func TestLeader_RefusedInstanceLeavesRunningCyclesAlone(t *testing.T) {
	db := pgtest.Open(t)
	ctx := context.Background()
	if ok, _ := tryAcquire(t, newLeader(t, "runner")); !ok {
		t.Fatal("runner did not acquire")
	}
	running := inventory.Cycle{ID: "00000000-0000-0000-0000-00000000000c", StartedAt: time.Now(),
		Trigger: inventory.TriggerInterval, Instance: "runner", Status: inventory.CycleRunning}
	if err := db.StartCycle(ctx, running); err != nil {
		t.Fatal(err)
	}
	if ok, _ := tryAcquire(t, newLeader(t, "bystander")); ok {
		t.Fatal("bystander acquired a held lock")
	}
	if got, _ := db.Cycle(ctx, running.ID); got.Status != inventory.CycleRunning {
		t.Fatalf("the leader's running cycle became %s when a follower was refused", got.Status)
	}
}

func TestLeader_StartNoticesALostLockAndReleasesOnShutdown(t *testing.T) {
	pgtest.Open(t)
	var mu sync.Mutex
	var changes []bool
	a := newLeader(t, "watched-a", postgres.WithCheckInterval(10*time.Millisecond),
		postgres.OnLeaderChange(func(v bool) { mu.Lock(); changes = append(changes, v); mu.Unlock() }))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Start(ctx) }()
	var startErr error
	stop := sync.OnceFunc(func() { cancel(); startErr = <-done })
	defer stop()
	if ok, _ := tryAcquire(t, a); !ok {
		t.Fatal("a did not acquire")
	}
	terminate(t, "watched-a")
	waitUntil(t, "Start to notice the lost lock", func() bool { return !a.IsLeader() })
	mu.Lock()
	got := append([]bool(nil), changes...)
	mu.Unlock()
	if len(got) != 2 || !got[0] || got[1] {
		t.Fatalf("leadership changes = %v, want [true false]", got)
	}

	eventuallyAcquire(t, a)
	stop()
	if startErr != nil {
		t.Fatalf("Start = %v", startErr)
	}
	if a.IsLeader() {
		t.Fatal("still leader after Start returned")
	}
	// Release unlocked explicitly, so the lock is free at once.
	if ok, _ := tryAcquire(t, newLeader(t, "successor")); !ok {
		t.Fatal("the lock was not free after Start returned")
	}
}

func TestDB_FailRunningCyclesCountsWhatItMarked(t *testing.T) {
	db := pgtest.Open(t)
	ctx := context.Background()
	for _, id := range []string{"00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002"} {
		c := inventory.Cycle{ID: id, StartedAt: time.Now(), Trigger: inventory.TriggerOnce, Instance: "x", Status: inventory.CycleRunning}
		if err := db.StartCycle(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	n, err := db.FailRunningCycles(ctx, "leader lost")
	if err != nil || n != 2 {
		t.Fatalf("FailRunningCycles = %d, %v; want 2", n, err)
	}
	if n, err := db.FailRunningCycles(ctx, "leader lost"); err != nil || n != 0 {
		t.Fatalf("second FailRunningCycles = %d, %v; want 0", n, err)
	}
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(leaderDeadline)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond) // polling interval, not synchronisation
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
