package schedule

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"rackflow/inventory"
)

const waitFor = 5 * time.Second

// fakeTimer is one timer the scheduler started on the fake clock.
type fakeTimer struct {
	d    time.Duration
	fire chan time.Time
}

// fakeClock hands each timer the scheduler starts to the test, which fires it
// when it wants. A started timer also tells the test that the scheduler is
// idle, waiting for the next request.
type fakeClock struct{ timers chan fakeTimer }

func newFakeClock() *fakeClock { return &fakeClock{timers: make(chan fakeTimer, 100)} }

func (c *fakeClock) timer(d time.Duration) (<-chan time.Time, func() bool) {
	t := fakeTimer{d: d, fire: make(chan time.Time, 1)}
	c.timers <- t
	return t.fire, func() bool { return true }
}

// idle waits until the scheduler starts its next timer.
func (c *fakeClock) idle(t *testing.T) fakeTimer {
	t.Helper()
	select {
	case tm := <-c.timers:
		return tm
	case <-time.After(waitFor):
		t.Fatal("scheduler never went idle")
		return fakeTimer{}
	}
}

// recorder is a RunFunc that reports each request and can hold a run open
// until the test releases it.
type recorder struct {
	runs    chan Request
	release chan struct{} // nil: runs return at once
}

func (r *recorder) run(ctx context.Context, req Request) {
	r.runs <- req
	if r.release != nil {
		select {
		case <-r.release:
		case <-ctx.Done():
		}
	}
}

func (r *recorder) next(t *testing.T) Request {
	t.Helper()
	select {
	case req := <-r.runs:
		return req
	case <-time.After(waitFor):
		t.Fatal("no cycle ran")
		return Request{}
	}
}

// start runs a scheduler in the background and returns a function that stops
// it and waits for Start to return.
func start(t *testing.T, s *Scheduler) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Start(ctx) }()
	stop = func() {
		t.Helper()
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("Start returned %v", err)
			}
		case <-time.After(waitFor):
			t.Fatal("Start did not return after cancellation")
		}
	}
	t.Cleanup(cancel)
	return stop
}

func TestScheduler_RunsAStartupCycleFirst(t *testing.T) {
	clock, rec := newFakeClock(), &recorder{runs: make(chan Request, 10)}
	stop := start(t, New(time.Minute, rec.run, WithTimer(clock.timer)))
	defer stop()
	if got := rec.next(t); got != (Request{Trigger: inventory.TriggerStartup}) {
		t.Fatalf("first run = %+v, want a startup run", got)
	}
}

func TestScheduler_RunsAnIntervalCycleWhenTheJitteredTimerFires(t *testing.T) {
	clock, rec := newFakeClock(), &recorder{runs: make(chan Request, 10)}
	stop := start(t, New(time.Minute, rec.run, WithTimer(clock.timer)))
	defer stop()
	rec.next(t)
	tm := clock.idle(t)
	if tm.d < 54*time.Second || tm.d > 66*time.Second {
		t.Fatalf("timer of %v, want within ±10%% of 1m", tm.d)
	}
	tm.fire <- time.Now()
	if got := rec.next(t); got.Trigger != inventory.TriggerInterval || got.AllowMassDelete {
		t.Fatalf("run after the timer = %+v, want an interval run", got)
	}
	clock.idle(t) // the next timer starts only after that run
}

func TestScheduler_MergesTriggersDuringARunningCycle(t *testing.T) {
	clock := newFakeClock()
	rec := &recorder{runs: make(chan Request, 10), release: make(chan struct{})}
	s := New(time.Minute, rec.run, WithTimer(clock.timer))
	stop := start(t, s)
	defer stop()

	rec.next(t) // the startup cycle is now running and held open
	for range 5 {
		s.Trigger(false)
	}
	rec.release <- struct{}{}
	if got := rec.next(t); got != (Request{Trigger: inventory.TriggerManual}) {
		t.Fatalf("run after the merged triggers = %+v, want one manual run", got)
	}
	rec.release <- struct{}{}
	clock.idle(t)
	clock.idle(t) // idle again after the manual run: nothing else was pending
	if n := len(rec.runs); n != 0 {
		t.Fatalf("%d extra run(s) after the merged one, want none", n)
	}
}

func TestScheduler_KeepsAllowMassDeleteThroughAMerge(t *testing.T) {
	clock := newFakeClock()
	rec := &recorder{runs: make(chan Request, 10), release: make(chan struct{})}
	s := New(time.Minute, rec.run, WithTimer(clock.timer))
	stop := start(t, s)
	defer stop()

	rec.next(t)
	s.Trigger(false)
	s.Trigger(true)
	s.Trigger(false)
	rec.release <- struct{}{}
	if got := rec.next(t); got != (Request{Trigger: inventory.TriggerManual, AllowMassDelete: true}) {
		t.Fatalf("merged run = %+v, want a manual run that allows mass deletes", got)
	}
	rec.release <- struct{}{}
	clock.idle(t)
	clock.idle(t)
	s.Trigger(false)
	if got := rec.next(t); got.AllowMassDelete {
		t.Fatalf("a later trigger = %+v; the one-shot release must not carry over", got)
	}
	rec.release <- struct{}{}
}

func TestScheduler_RunsATriggerMadeBeforeStartAfterTheStartupCycle(t *testing.T) {
	clock, rec := newFakeClock(), &recorder{runs: make(chan Request, 10)}
	s := New(time.Minute, rec.run, WithTimer(clock.timer))
	s.Trigger(true) // before Start: pending when the loop first waits
	stop := start(t, s)
	defer stop()
	rec.next(t)
	if got := rec.next(t); got != (Request{Trigger: inventory.TriggerManual, AllowMassDelete: true}) {
		t.Fatalf("run = %+v, want the pending manual run", got)
	}
	clock.idle(t)
	tm := clock.idle(t)
	tm.fire <- time.Now()
	if got := rec.next(t); got.Trigger != inventory.TriggerInterval {
		t.Fatalf("run = %+v, want an interval run", got)
	}
}

func TestScheduler_FoldsAPendingTriggerIntoAnIntervalTick(t *testing.T) {
	s := New(time.Minute, func(context.Context, Request) {})
	if got := s.intervalRequest(); got != (Request{Trigger: inventory.TriggerInterval}) {
		t.Fatalf("tick with nothing pending = %+v, want an interval run", got)
	}
	s.Trigger(true)
	if got := s.intervalRequest(); got != (Request{Trigger: inventory.TriggerManual, AllowMassDelete: true}) {
		t.Fatalf("tick with a pending trigger = %+v, want the pending manual run", got)
	}
	if _, ok := s.takePending(); ok {
		t.Fatal("the folded trigger is still pending; it would run a second cycle")
	}
}

func TestScheduler_TriggerNeverBlocks(t *testing.T) {
	s := New(time.Minute, func(context.Context, Request) {})
	done := make(chan struct{})
	go func() {
		for range 1000 {
			s.Trigger(true)
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(waitFor):
		t.Fatal("Trigger blocked with no scheduler running")
	}
}

func TestScheduler_ShutdownWhileIdleStopsTheLoop(t *testing.T) {
	clock, rec := newFakeClock(), &recorder{runs: make(chan Request, 10)}
	stop := start(t, New(time.Minute, rec.run, WithTimer(clock.timer)))
	rec.next(t)
	clock.idle(t)
	stop()
	if n := len(rec.runs); n != 0 {
		t.Fatalf("%d run(s) after shutdown", n)
	}
}

func TestScheduler_ShutdownCancelsTheRunningCycleAndWaitsForIt(t *testing.T) {
	clock := newFakeClock()
	returned := make(chan struct{})
	started := make(chan struct{})
	run := func(ctx context.Context, _ Request) {
		close(started)
		<-ctx.Done()
		close(returned)
	}
	stop := start(t, New(time.Minute, run, WithTimer(clock.timer)))
	<-started
	stop()
	select {
	case <-returned:
	default:
		t.Fatal("Start returned before the running cycle did")
	}
}

func TestScheduler_RejectsANonPositiveInterval(t *testing.T) {
	if err := New(0, func(context.Context, Request) {}).Start(context.Background()); err == nil {
		t.Fatal("Start with a zero interval succeeded")
	}
}

func TestJitter_StaysWithinTenPercent(t *testing.T) {
	const interval = 60 * time.Second
	lo, hi := 54*time.Second, 66*time.Second
	r := rand.New(rand.NewPCG(1, 2))
	minSeen, maxSeen := interval*2, time.Duration(0)
	for range 100000 {
		d := jitter(interval, r.Float64())
		if d < lo || d > hi {
			t.Fatalf("jitter = %v, outside [%v, %v]", d, lo, hi)
		}
		minSeen, maxSeen = min(minSeen, d), max(maxSeen, d)
	}
	// The draws must actually spread over the range, not sit at the centre.
	if minSeen > 54500*time.Millisecond || maxSeen < 65500*time.Millisecond {
		t.Fatalf("jitter spans [%v, %v], want close to [%v, %v]", minSeen, maxSeen, lo, hi)
	}
	if got := jitter(interval, 0); got != lo {
		t.Errorf("jitter(u=0) = %v, want %v", got, lo)
	}
	if got := jitter(interval, 0.5); got != interval {
		t.Errorf("jitter(u=0.5) = %v, want %v", got, interval)
	}
}
