package cycle

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"rackflow/inventory"
	"rackflow/mirror"
)

// RackStep is the step name of the rack mirror in sync_cycle.steps.
const RackStep = "rack"

// MirrorRunner runs the expected-inventory mirror: the four pulls first, then
// one transaction per type, racks first. It implements Mirror.
type MirrorRunner struct {
	Store      inventory.Store
	Core       inventory.Core
	GuardRatio float64
	GuardMin   int
}

var _ Mirror = (*MirrorRunner)(nil)

// Pulls is the outcome of the four expected-inventory pulls of one cycle.
type Pulls struct {
	Racks    mirror.RackPull
	Prepared map[inventory.ComponentType]mirror.PreparedComponents
	// Took is how long each pull took, its preparation included, by step name.
	Took map[string]time.Duration
}

// Pull makes the four pulls, one after another, before any transaction.
func Pull(ctx context.Context, core inventory.Core) Pulls {
	started := time.Now()
	racks, err := core.ExpectedRacks(ctx)
	p := Pulls{Racks: mirror.RackPull{Outcome: outcome(len(racks), err), Racks: racks, Err: err},
		Prepared: map[inventory.ComponentType]mirror.PreparedComponents{},
		Took:     map[string]time.Duration{RackStep: time.Since(started)}}
	for _, t := range inventory.MirroredTypes {
		started := time.Now()
		specs, err := core.ExpectedComponents(ctx, t)
		p.Prepared[t] = mirror.PrepareComponents(mirror.ComponentPull{Type: t, Outcome: outcome(len(specs), err), Specs: specs, Err: err})
		p.Took[string(t)] = time.Since(started)
	}
	return p
}

func outcome(n int, err error) mirror.Outcome {
	switch {
	case err != nil:
		return mirror.Error
	case n == 0:
		return mirror.Empty
	}
	return mirror.Rows
}

// Run runs the mirror for one cycle.
func (m *MirrorRunner) Run(ctx context.Context, req MirrorRequest) map[string]Step {
	log := req.Logger.With("step", "mirror")
	pulls := Pull(ctx, m.Core)
	var release map[string][]string
	if req.AllowMassDelete {
		release = m.latestHeld(ctx, log)
	}
	if req.reads == nil {
		req.reads = &inventoryReads{}
	}
	steps := map[string]Step{}
	opt := func(step string) mirror.Options {
		return mirror.Options{Now: req.Now, CycleID: req.CycleID, GuardRatio: m.GuardRatio, GuardMin: m.GuardMin, Release: release[step]}
	}
	clock := startAfterPull(pulls.Took[RackStep])
	steps[RackStep] = timed(clock, m.rackStep(ctx, clock, pulls.Racks, opt(RackStep), req, log.With("type", RackStep)))
	prepared := pulls.Prepared
	for _, t := range inventory.MirroredTypes {
		clock := startAfterPull(pulls.Took[string(t)])
		steps[string(t)] = timed(clock, m.componentStep(ctx, clock, t, prepared, opt(string(t)), req, log.With("type", string(t))))
	}
	return steps
}

// timed stops a step's clock and records its timing on the step.
func timed(clock *stepClock, s Step) Step {
	s.Timing = clock.stop()
	return s
}

func (m *MirrorRunner) rackStep(ctx context.Context, clock *stepClock, pull mirror.RackPull, opt mirror.Options, req MirrorRequest,
	log *slog.Logger) Step {
	if pull.Outcome == mirror.Error {
		return pullFailed(log, pull.Err)
	}
	var plan mirror.RackPlan
	clock.beginTx()
	err := m.Store.Write(ctx, func(tx inventory.Tx) error {
		st, err := req.reads.state(ctx, tx)
		if err != nil {
			return err
		}
		plan = mirror.PlanRacks(pull, st.Racks, st.Components, opt)
		clock.planDone()
		req.reads.writing(plan.Writes)
		return applyAndCheck(ctx, tx, plan.Writes, req.reads, req.BeforeCommit)
	})
	req.reads.done(err == nil)
	clock.endTx()
	return finishMirrorStep(log, plan.Counters, plan.Held, plan.Findings, plan.Writes.Events, pull.Outcome, err)
}

func (m *MirrorRunner) componentStep(ctx context.Context, clock *stepClock, t inventory.ComponentType,
	prepared map[inventory.ComponentType]mirror.PreparedComponents, opt mirror.Options, req MirrorRequest, log *slog.Logger) Step {
	prep := prepared[t]
	if prep.Outcome == mirror.Error {
		return pullFailed(log, prep.Err)
	}
	plan := mirror.ComponentPlan{Type: t}
	clock.beginTx()
	err := m.Store.Write(ctx, func(tx inventory.Tx) error {
		st, err := req.reads.state(ctx, tx)
		if err != nil {
			return err
		}
		opt.Index = req.reads.index()
		plan = mirror.PlanComponents(t, prepared, st, opt)
		clock.planDone()
		req.reads.writing(plan.Writes)
		return applyAndCheck(ctx, tx, plan.Writes, req.reads, req.BeforeCommit)
	})
	req.reads.done(err == nil)
	clock.endTx()
	// What this type still claims in the later types' transactions.
	mirror.SettleClaims(prepared, plan, err == nil)
	return finishMirrorStep(log, plan.Counters, plan.Held, plan.Findings, plan.Writes.Events, prep.Outcome, err)
}

// applyAndCheck applies w, tells reads the counter it left, and runs the
// commit check.
func applyAndCheck(ctx context.Context, tx inventory.Tx, w inventory.Writes, reads *inventoryReads, beforeCommit func(context.Context) error) error {
	if err := tx.Apply(ctx, w); err != nil {
		return err
	}
	if err := reads.wrote(ctx, tx); err != nil {
		return err
	}
	if beforeCommit != nil {
		return beforeCommit(ctx)
	}
	return nil
}

// pullFailed records a type whose pull failed: it is skipped entirely, and
// its summary line still appears.
func pullFailed(log *slog.Logger, err error) Step {
	log.Error("expected pull failed; type skipped", "error", err)
	summary(log, mirror.Counters{}, err)
	return Step{Counters: mirror.Counters{}, Err: err}
}

// finishMirrorStep logs a mirror step the way operators read it: every
// finding, one INFO line per committed write, one summary line, and builds
// the step record. After a rollback the write counters are zero.
func finishMirrorStep(log *slog.Logger, c mirror.Counters, held []string, findings []mirror.Finding, events []inventory.Event,
	out mirror.Outcome, err error) Step {
	for _, f := range findings {
		f.Log(log)
	}
	step := Step{Counters: c, Held: held}
	if out == mirror.Empty {
		step.Flags = append(step.Flags, "empty_pull")
	}
	if err != nil {
		log.Error("mirror step failed; rolled back", "error", err)
		step.Counters, step.Held, step.Err = c.RolledBack(), nil, err
		summary(log, step.Counters.(mirror.Counters), err)
		return step
	}
	for _, e := range events {
		log.LogAttrs(context.Background(), slog.LevelInfo, "inventory write", mirror.EventAttrs(e)...)
	}
	summary(log, c, nil)
	return step
}

// summary is a type's one summary line per cycle, with every counter.
func summary(log *slog.Logger, c mirror.Counters, err error) {
	attrs := c.Attrs()
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	log.LogAttrs(context.Background(), slog.LevelInfo, "mirror summary", attrs...)
}

// latestHeld returns, per step, the ids held in the latest cycle that recorded
// a held list for it.
func (m *MirrorRunner) latestHeld(ctx context.Context, log *slog.Logger) map[string][]string {
	cycles, err := m.Store.Cycles(ctx, 200)
	if err != nil {
		log.Error("cannot read earlier cycles; no held deletes released", "error", err)
		return nil
	}
	out := map[string][]string{}
	for _, c := range cycles {
		var steps struct {
			Mirror map[string]struct {
				Held []string `json:"held"`
			} `json:"mirror"`
		}
		if err := json.Unmarshal(c.Steps, &steps); err != nil {
			continue
		}
		for name, s := range steps.Mirror {
			if _, done := out[name]; !done && len(s.Held) > 0 {
				out[name] = s.Held
			}
		}
	}
	for name, ids := range out {
		log.Info("releasing held deletes", "type", name, "held", len(ids))
	}
	return out
}
