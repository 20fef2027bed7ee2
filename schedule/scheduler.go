// Package schedule decides when inventory cycles run: once at start-up, then
// on a jittered interval, and on demand. It owns the rule that cycles never
// overlap: requests that arrive while a cycle runs merge into one pending run.
// What a cycle does, and whether this instance may run it, is the RunFunc's
// business.
package schedule

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"rackflow/inventory"
)

// Request is one run the scheduler asks for.
type Request struct {
	// Trigger says why the cycle runs: startup, interval or manual.
	Trigger inventory.Trigger
	// AllowMassDelete releases the mirror's held deletes for this one cycle.
	AllowMassDelete bool
}

// RunFunc runs one cycle. Its context is cancelled when the scheduler shuts
// down; the scheduler waits for it to return before Start does.
type RunFunc func(ctx context.Context, r Request)

// TimerFunc starts a one-shot timer of duration d. It returns the channel the
// timer fires on and a function that stops it. Tests substitute a fake clock.
type TimerFunc func(d time.Duration) (c <-chan time.Time, stop func() bool)

// Option configures a Scheduler.
type Option func(*Scheduler)

// WithTimer replaces the real-time timer, so that tests control time.
func WithTimer(f TimerFunc) Option { return func(s *Scheduler) { s.timer = f } }

// WithRand replaces the source of jitter: f returns a number in [0, 1).
func WithRand(f func() float64) Option { return func(s *Scheduler) { s.rand = f } }

// WithLogger sets the logger; the default discards.
func WithLogger(l *slog.Logger) Option { return func(s *Scheduler) { s.log = l } }

// Scheduler runs cycles at start-up, on an interval and on demand, one at a
// time.
type Scheduler struct {
	interval time.Duration
	run      RunFunc
	timer    TimerFunc
	rand     func() float64
	log      *slog.Logger

	// wake carries at most one token: "look at pending". A full channel means
	// the loop will look anyway, so Trigger never has to wait.
	wake chan struct{}

	mu      sync.Mutex
	pending *Request // the merged on-demand request, nil when none
}

// New returns a scheduler that calls run once at start-up and then every
// interval (±10% jitter), measured from the end of the previous cycle.
func New(interval time.Duration, run RunFunc, opts ...Option) *Scheduler {
	s := &Scheduler{
		interval: interval,
		run:      run,
		timer:    realTimer,
		rand:     rand.Float64,
		log:      slog.New(slog.DiscardHandler),
		wake:     make(chan struct{}, 1),
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

func realTimer(d time.Duration) (<-chan time.Time, func() bool) {
	t := time.NewTimer(d)
	return t.C, t.Stop
}

// Trigger asks for a cycle as soon as none is running. It never blocks. Calls
// that arrive before the pending run starts merge into it; a request to allow
// mass deletes survives the merge.
func (s *Scheduler) Trigger(allowMassDelete bool) {
	s.mu.Lock()
	if s.pending == nil {
		s.pending = &Request{Trigger: inventory.TriggerManual}
	}
	s.pending.AllowMassDelete = s.pending.AllowMassDelete || allowMassDelete
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// takePending returns the merged on-demand request and clears it.
func (s *Scheduler) takePending() (Request, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pending
	s.pending = nil
	if p == nil {
		return Request{}, false
	}
	return *p, true
}

// Start runs the start-up cycle, then loops until ctx is cancelled. It returns
// nil once ctx is done and the running cycle, if any, has returned.
func (s *Scheduler) Start(ctx context.Context) error {
	if s.interval <= 0 {
		return errors.New("schedule: interval must be positive")
	}
	s.runOne(ctx, Request{Trigger: inventory.TriggerStartup})
	for ctx.Err() == nil {
		r, ok := s.next(ctx)
		if !ok {
			break
		}
		s.runOne(ctx, r)
	}
	s.log.Info("scheduler stopped")
	return nil
}

// next waits for the interval timer or an on-demand request, whichever comes
// first, and returns the request to run. It returns false when ctx is done.
func (s *Scheduler) next(ctx context.Context) (Request, bool) {
	d := jitter(s.interval, s.rand())
	c, stop := s.timer(d)
	defer stop()
	for {
		select {
		case <-ctx.Done():
			return Request{}, false
		case <-c:
			return s.intervalRequest(), true
		case <-s.wake:
			// A token can outlive the request it announced, which an earlier
			// wake already took; keep waiting on the same timer then.
			if r, ok := s.takePending(); ok {
				return r, true
			}
		}
	}
}

// intervalRequest is the request for a timer tick. An on-demand request
// that is already waiting is folded in, so that it does not run a second
// cycle straight after this one.
func (s *Scheduler) intervalRequest() Request {
	if r, ok := s.takePending(); ok {
		return r
	}
	return Request{Trigger: inventory.TriggerInterval}
}

func (s *Scheduler) runOne(ctx context.Context, r Request) {
	s.log.Debug("cycle starting", "trigger", string(r.Trigger), "allow_mass_delete", r.AllowMassDelete)
	s.run(ctx, r)
}

// jitter spreads interval by ±10%: u in [0, 1) maps linearly onto
// [0.9, 1.1)×interval, so replicas started together drift apart.
func jitter(interval time.Duration, u float64) time.Duration {
	return time.Duration(float64(interval) * (0.9 + 0.2*u))
}
