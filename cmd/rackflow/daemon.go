package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"rackflow/cycle"
	"rackflow/httpapi"
	"rackflow/inventory"
	"rackflow/metrics"
	"rackflow/postgres"
	"rackflow/schedule"
)

// daemonConfig is the configuration of the long-running commands (serve,
// demo) on top of serviceConfig.
type daemonConfig struct {
	Interval        time.Duration
	Listen          string
	Token           string
	ReadToken       string
	ShutdownTimeout time.Duration
	Retention       time.Duration
}

func (c *daemonConfig) register(fs *flag.FlagSet, o IO, svc *serviceConfig, defaultInterval time.Duration) {
	fs.DurationVar(&c.Interval, "interval", svc.envDuration(o, "interval", "RACKFLOW_INTERVAL", defaultInterval), "cycle interval, ±10% jitter (RACKFLOW_INTERVAL)")
	fs.StringVar(&c.Listen, "listen", env(o, "RACKFLOW_LISTEN", "127.0.0.1:8080"), "address of the API, metrics and dashboard (RACKFLOW_LISTEN)")
	c.Token = o.Getenv("RACKFLOW_API_TOKEN")
	// A func flag shows no default in -h, so the token is never printed.
	c.ReadToken = o.Getenv("RACKFLOW_API_READ_TOKEN")
	fs.Func("api-read-token", "bearer token that reads require too (RACKFLOW_API_READ_TOKEN)", func(s string) error {
		c.ReadToken = s
		return nil
	})
	c.ShutdownTimeout = svc.envDuration(o, "", "RACKFLOW_SHUTDOWN_TIMEOUT", 30*time.Second)
	c.Retention = svc.envDuration(o, "", "RACKFLOW_EVENT_RETENTION", 2160*time.Hour)
}

func (c daemonConfig) validate() error {
	switch {
	case c.Interval <= 0:
		return fmt.Errorf("interval %v: want a positive duration", c.Interval)
	case c.ShutdownTimeout <= 0:
		return fmt.Errorf("shutdown timeout %v: want a positive duration", c.ShutdownTimeout)
	case c.Retention <= 0:
		return fmt.Errorf("event retention %v: want a positive duration", c.Retention)
	}
	return nil
}

// daemon runs cycles on a schedule while it leads, and serves the HTTP API.
type daemon struct {
	svc      *service
	cfg      daemonConfig
	election *election
	metrics  *metrics.Cycle
	oldest   *metrics.OldestDrift
	runner   *cycle.Runner
	api      *httpapi.Server
	sched    *schedule.Scheduler
	// onCycle, when set, is told about every finished cycle (the demo prints it).
	onCycle func(cycle.Result)
	// started is when the daemon was built; readiness allows the first
	// cycle this long to come.
	started time.Time
}

// newDaemon wires the registry, the election, the runner, the scheduler and
// the API, and binds the listen address so that a taken port fails at once.
func newDaemon(ctx context.Context, svc *service, cfg daemonConfig) (*daemon, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m, err := metrics.NewCycle(reg)
	if err != nil {
		return nil, err
	}
	oldest, err := registerReadMetrics(reg, svc)
	if err != nil {
		return nil, err
	}
	e, err := svc.newElection(ctx, postgres.OnLeaderChange(m.SetLeader))
	if err != nil {
		return nil, err
	}
	if e.leader == nil {
		m.SetLeader(true)
	}
	svc.beforeCommit = e.alive
	d := &daemon{svc: svc, cfg: cfg, election: e, metrics: m, oldest: oldest, runner: svc.runner(), started: time.Now()}
	d.runner.Observe = d.observe
	d.sched = schedule.New(cfg.Interval, d.run, schedule.WithLogger(svc.log))
	apiCfg := d.apiConfig(reg)
	apiCfg.UI = newDashboard(svc, d, cfg.Token)
	d.api = httpapi.New(apiCfg, d)
	if err := d.api.Listen(); err != nil {
		e.close(ctx)
		return nil, err
	}
	return d, nil
}

// run is the scheduler's RunFunc: one cycle, if this instance leads.
func (d *daemon) run(ctx context.Context, r schedule.Request) {
	log := d.svc.log
	ok, holder, err := d.election.acquire(ctx)
	switch {
	case err != nil:
		log.Error("cannot take the leader lock; cycle skipped", "error", err)
		d.metrics.CycleStartFailed()
		return
	case !ok && r.AllowMassDelete:
		log.Warn("another instance took the lead; this cycle's release of held deletes is not applied, send it again",
			"leader", holderName(holder))
		return
	case !ok:
		log.Info("another instance leads; cycle skipped", "leader", holderName(holder))
		return
	}
	d.failUnfinishedCycles(ctx)
	res, err := d.runner.Run(ctx, cycle.Request{Trigger: r.Trigger, AllowMassDelete: r.AllowMassDelete})
	if err != nil {
		d.metrics.CycleStartFailed()
		return
	}
	d.refreshDriftGauges(ctx)
	d.prune(ctx)
	if d.onCycle != nil {
		d.onCycle(res)
	}
}

// failUnfinishedCycles marks cycle rows still running as failed. This
// instance holds the lock and runs one cycle at a time, so such a row is an
// earlier cycle whose end could not be recorded (a full disk, a database that
// went away mid-cycle), not a cycle that runs.
func (d *daemon) failUnfinishedCycles(ctx context.Context) {
	n, err := d.svc.db.FailRunningCycles(ctx, "the end of this cycle could not be recorded; it is not running")
	switch {
	case err != nil:
		d.svc.log.Warn("cannot mark unfinished cycles failed", "error", err)
	case n > 0:
		d.svc.log.Warn("marked cycles whose end was not recorded as failed", "cycles", n)
	}
}

// Trigger is the API's request for a cycle. A release of held deletes is
// only accepted by the leader (taking the lead if nobody holds it), so that
// it is never accepted and then dropped by a follower.
func (d *daemon) Trigger(allowMassDelete bool) error {
	if allowMassDelete && d.election.leader != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		ok, holder, err := d.election.acquire(ctx)
		if err != nil {
			return fmt.Errorf("cannot check the leader lock: %w", err)
		}
		if !ok {
			return fmt.Errorf("%w: this instance does not lead; send the release to the leader, %s",
				inventory.ErrConflict, holderName(holder))
		}
	}
	d.sched.Trigger(allowMassDelete)
	return nil
}

// observe feeds a finished cycle into the metrics.
func (d *daemon) observe(c inventory.Cycle, steps cycle.Steps) {
	finished := c.StartedAt
	if c.FinishedAt != nil {
		finished = *c.FinishedAt
	}
	d.metrics.ObserveCycle(string(c.Status), c.StartedAt, finished)
	// Every step gets a value, so a type that failed or was skipped (or a
	// gate turned off) never shows an old count.
	for _, name := range append([]string{cycle.RackStep}, typeNames()...) {
		d.metrics.SetHeldDeletes(name, len(steps.Mirror[name].Held))
	}
	observeSteps(d.metrics, steps)
}

// observeSteps feeds every step's stage times into the step histogram.
func observeSteps(m *metrics.Cycle, steps cycle.Steps) {
	for phase, byType := range map[string]map[string]cycle.Step{"mirror": steps.Mirror, "actual": steps.Actual} {
		for name, st := range byType {
			m.ObserveStep(phase, name, metrics.StepTiming(st.Timing))
		}
	}
}

func typeNames() []string {
	out := make([]string, len(inventory.MirroredTypes))
	for i, t := range inventory.MirroredTypes {
		out[i] = string(t)
	}
	return out
}

// refreshDriftGauges counts open drift by type and drift type, and finds
// the oldest.
func (d *daemon) refreshDriftGauges(ctx context.Context) {
	var oldest *time.Time
	err := d.svc.db.View(ctx, func(tx inventory.ReadTx) error {
		for _, t := range inventory.MirroredTypes {
			ds, err := tx.Drifts(ctx, t)
			if err != nil {
				return err
			}
			for _, dr := range ds {
				if oldest == nil || dr.FirstSeenAt.Before(*oldest) {
					oldest = inventory.Ptr(dr.FirstSeenAt)
				}
			}
			counts := map[inventory.DriftType]int{inventory.MissingInActual: 0, inventory.MissingInExpected: 0, inventory.Mismatch: 0}
			for _, dr := range ds {
				counts[dr.DriftType]++
			}
			for dt, n := range counts {
				d.metrics.SetDriftOpen(string(t), string(dt), n)
			}
		}
		return nil
	})
	if err != nil {
		d.svc.log.Warn("cannot count open drift for metrics", "error", err)
		return
	}
	d.oldest.Set(oldest)
}

// prune removes events, drift history and cycles past their retention, in
// batches outside any cycle transaction.
func (d *daemon) prune(ctx context.Context) {
	n, err := d.svc.db.Prune(ctx, time.Now().Add(-d.cfg.Retention), 5000)
	if err != nil {
		d.svc.log.Warn("pruning old history failed", "error", err)
		return
	}
	if n > 0 {
		d.svc.log.Info("pruned old history", "rows", n, "retention", d.cfg.Retention.String())
	}
}

// serve runs the scheduler, the API and the leader checks until ctx ends,
// then waits for them (and any running cycle) within the shutdown bound. The
// leader lock is released only after the scheduler has returned, so that no
// other replica takes over while this one still finishes its cycle.
func (d *daemon) serve(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	leaderCtx, stopLeader := context.WithCancel(context.WithoutCancel(ctx))
	defer stopLeader()
	errs := make(chan error, 3)
	run := func(wg *sync.WaitGroup, start func(context.Context) error, ctx context.Context) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := start(ctx); err != nil && !errors.Is(err, context.Canceled) {
				errs <- err
				cancel()
			}
		}()
	}
	var cycles, leader sync.WaitGroup
	run(&cycles, d.sched.Start, ctx)
	run(&cycles, d.api.Start, ctx)
	if d.election.leader != nil {
		run(&leader, d.election.leader.Start, leaderCtx)
	}
	d.svc.log.Info("serving", "listen", d.api.Addr(), "interval", d.cfg.Interval.String(), "instance", d.svc.cfg.Instance)
	<-ctx.Done()
	d.svc.log.Info("shutting down", "timeout", d.cfg.ShutdownTimeout.String())
	if !waitWithin(&cycles, d.cfg.ShutdownTimeout) {
		return fmt.Errorf("shutdown did not finish within %v", d.cfg.ShutdownTimeout)
	}
	stopLeader()
	leader.Wait()
	d.election.close(context.Background())
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

// waitWithin waits for wg, and reports false if d passes first.
func waitWithin(wg *sync.WaitGroup, d time.Duration) bool {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}
