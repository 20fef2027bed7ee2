// Package cycle runs one inventory cycle: the mirror of Core's expected
// inventory (when enabled), then the actual sync and drift of each component
// type, recorded as one sync_cycle row. Each step is its own transaction; a
// failed step never stops the others.
package cycle

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"rackflow/actual"
	"rackflow/inventory"
	"rackflow/mirror"
)

// Mirror runs the expected-inventory mirror for one cycle and returns its
// steps by type name ("rack", "Compute", "NVSwitch", "PowerShelf").
type Mirror interface {
	Run(ctx context.Context, req MirrorRequest) map[string]Step
}

// MirrorRequest is what the mirror needs from the cycle.
type MirrorRequest struct {
	CycleID         string
	Now             time.Time
	AllowMassDelete bool
	// BeforeCommit runs inside each transaction just before it commits.
	BeforeCommit func(context.Context) error
	Logger       *slog.Logger
	// reads is the cycle's inventory read, shared with the actual steps; nil
	// gives the mirror one of its own.
	reads *inventoryReads
}

// Request asks for one cycle.
type Request struct {
	Trigger         inventory.Trigger
	AllowMassDelete bool
}

// Runner runs cycles. Its fields are set once, by cmd.
type Runner struct {
	Store    inventory.Store
	Core     inventory.Core
	Mirror   Mirror // nil when the gate is off
	Instance string
	Logger   *slog.Logger
	// Budget bounds one cycle; zero means no bound beyond the caller's context.
	Budget time.Duration
	// BeforeCommit, when set, runs inside every step's transaction just before
	// it commits; the leader uses it to prove it still holds the lock.
	BeforeCommit func(context.Context) error
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Observe, when set, is told about every finished cycle (metrics).
	Observe func(inventory.Cycle, Steps)
	// checkReads, when set (tests), is given the rows a cycle holds each
	// time they advance by a step's own writes, and at the end of the cycle
	// the rows it leaves to the next one.
	checkReads func(st mirror.ComponentState, advanced bool)

	// held is the rows the last cycle ended with, and the write counter they
	// stand at; the next cycle uses them again while the counter has not
	// moved (cycle/reads.go). Taken by a cycle while it runs.
	heldMu sync.Mutex
	held   *inventoryReads
}

// Result is a finished cycle with its decoded steps.
type Result struct {
	Cycle inventory.Cycle
	Steps Steps
}

// Run executes one cycle and records it. It returns an error only when the
// cycle could not be recorded at all (the database is unreachable); every
// other failure is in the result's status and steps.
func (r *Runner) Run(ctx context.Context, req Request) (Result, error) {
	now := r.now()
	c := inventory.Cycle{ID: inventory.NewID(), StartedAt: now, Trigger: req.Trigger, Instance: r.Instance,
		MirrorEnabled: r.Mirror != nil, Status: inventory.CycleRunning}
	log := r.logger().With("cycle_id", c.ID)
	if err := r.Store.StartCycle(ctx, c); err != nil {
		log.Error("cycle could not start", "error", err)
		return Result{Cycle: c}, fmt.Errorf("cycle: recording start: %w", err)
	}
	log.Info("cycle started", "trigger", req.Trigger, "instance", r.Instance, "mirror_enabled", c.MirrorEnabled)
	budgetCtx, cancel := r.withBudget(ctx)
	defer cancel()
	steps := r.steps(budgetCtx, c, req, log)
	return r.finish(ctx, c, steps, budgetCtx.Err(), log)
}

func (r *Runner) steps(ctx context.Context, c inventory.Cycle, req Request, log *slog.Logger) Steps {
	var steps Steps
	reads := r.takeReads()
	defer r.keepReads(reads)
	if r.Mirror != nil {
		steps.Mirror = r.Mirror.Run(ctx, MirrorRequest{CycleID: c.ID, Now: c.StartedAt, AllowMassDelete: req.AllowMassDelete,
			BeforeCommit: r.BeforeCommit, Logger: log, reads: reads})
	} else {
		log.Debug("mirror skipped: FLOW_EXPECTED_INVENTORY_SYNC_ENABLED is off")
	}
	steps.Actual = map[string]Step{}
	for _, t := range inventory.MirroredTypes {
		if ctx.Err() != nil {
			break
		}
		clock := startStep()
		steps.Actual[string(t)] = timed(clock, r.actualStep(ctx, clock, reads, c, t, log.With("step", "actual", "type", t)))
	}
	return steps
}

// finish records the cycle's outcome. The row is written with a context that
// outlives a cancelled cycle, so that shutdown still leaves a finished row.
func (r *Runner) finish(ctx context.Context, c inventory.Cycle, steps Steps, budgetErr error, log *slog.Logger) (Result, error) {
	finished := r.now()
	c.FinishedAt, c.Status = &finished, steps.Status()
	if budgetErr != nil {
		c.Status = inventory.CycleFailed
		msg := "cycle cancelled or over its time budget: " + budgetErr.Error()
		c.Error = &msg
	} else if c.Status == inventory.CycleFailed {
		msg := "no step succeeded"
		c.Error = &msg
	}
	b, err := json.Marshal(steps)
	if err != nil {
		return Result{Cycle: c, Steps: steps}, fmt.Errorf("cycle: encoding steps: %w", err)
	}
	c.Steps = b
	writeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := r.Store.FinishCycle(writeCtx, c); err != nil {
		log.Error("cycle could not be recorded", "error", err)
		return Result{Cycle: c, Steps: steps}, fmt.Errorf("cycle: recording finish: %w", err)
	}
	log.Info("cycle finished", "status", c.Status, "duration_seconds", finished.Sub(c.StartedAt).Seconds())
	if r.Observe != nil {
		r.Observe(c, steps)
	}
	return Result{Cycle: c, Steps: steps}, nil
}

// actualStep runs the actual sync and drift of one type: the snapshot is read
// before the transaction, then one transaction reads, plans and applies.
func (r *Runner) actualStep(ctx context.Context, clock *stepClock, reads *inventoryReads, c inventory.Cycle, t inventory.ComponentType,
	log *slog.Logger) Step {
	snap, err := actual.Fetch(ctx, r.Core, t)
	clock.pulled()
	if err != nil {
		log.Error("actual snapshot failed; type left untouched", "error", err)
		return Step{Err: err}
	}
	objects, optional := len(snap.Objects), snap.OptionalErrors()
	var plan actual.Plan
	clock.beginTx()
	err = r.Store.Write(ctx, func(tx inventory.Tx) error {
		st, err := readActualState(ctx, tx, reads, t)
		if err != nil {
			return err
		}
		plan, err = actual.PlanType(snap, st, actual.Options{Now: c.StartedAt, CycleID: c.ID})
		// Applying the plan needs none of the snapshot, and at 10,000 racks the
		// Compute snapshot is over 100 MB: let it go before the writes.
		snap = actual.Snapshot{}
		if err != nil {
			return err
		}
		clock.planDone()
		reads.writing(plan.Writes)
		return applyAndCheck(ctx, tx, plan.Writes, reads, r.BeforeCommit)
	})
	reads.done(err == nil)
	clock.endTx()
	logFindings(log, plan.Findings, err == nil)
	if err == nil {
		for _, e := range plan.Writes.Events {
			log.LogAttrs(ctx, slog.LevelInfo, "inventory write", actual.EventAttrs(e)...)
		}
	}
	if err != nil {
		if errors.Is(err, actual.ErrEmptySnapshot) {
			log.Warn("actual snapshot is empty while live components exist; treated as failed", "error", err)
		} else {
			log.Error("actual sync failed; rolled back", "error", err)
		}
		return Step{Err: err, Counters: actual.Counters{SnapshotObjects: objects}, OptionalErrors: optional}
	}
	for name, msg := range optional {
		log.Warn("optional Core call failed; keeping old values", "rpc", name, "error", msg)
	}
	log.Info("actual sync summary", "counters", plan.Counters)
	return Step{Counters: plan.Counters, OptionalErrors: optional}
}

// readActualState reads what the mirror's steps read, plus the type's open
// drift.
func readActualState(ctx context.Context, tx inventory.Tx, reads *inventoryReads, t inventory.ComponentType) (actual.State, error) {
	inv, err := reads.state(ctx, tx)
	if err != nil {
		return actual.State{}, err
	}
	st := actual.State{Racks: inv.Racks, Components: inv.Components, BMCs: inv.BMCs, Index: reads.index()}
	st.Drifts, err = tx.Drifts(ctx, t)
	return st, err
}

// logFindings logs a plan's findings; write lines only when the writes
// committed.
func logFindings(log *slog.Logger, fs []inventory.Finding, committed bool) {
	for _, f := range fs {
		if f.Level == slog.LevelInfo && !committed {
			continue
		}
		f.Log(log)
	}
}

// takeReads returns the rows the last cycle left, or nothing to start from
// when there are none or another cycle holds them.
func (r *Runner) takeReads() *inventoryReads {
	r.heldMu.Lock()
	reads := r.held
	r.held = nil
	r.heldMu.Unlock()
	if reads == nil {
		reads = &inventoryReads{}
	}
	reads.check = r.checkReads
	return reads
}

// keepReads keeps a finished cycle's rows for the next one.
func (r *Runner) keepReads(reads *inventoryReads) {
	if reads.current && reads.check != nil {
		reads.check(reads.st, false)
	}
	r.heldMu.Lock()
	r.held = reads
	r.heldMu.Unlock()
}

func (r *Runner) withBudget(ctx context.Context) (context.Context, context.CancelFunc) {
	if r.Budget <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, r.Budget)
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return inventory.Timestamp(r.Now())
	}
	return inventory.Timestamp(time.Now())
}

func (r *Runner) logger() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.New(slog.DiscardHandler)
}
