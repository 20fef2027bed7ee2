package cycle

import (
	"encoding/json"
	"fmt"
	"time"

	"rackflow/inventory"
)

// Step is the result of one transaction of one phase and one type: the mirror
// of racks, Compute, NVSwitch or PowerShelf, or the actual sync of a type.
type Step struct {
	// Counters is the step's counter struct; its JSON members become the
	// step's members in sync_cycle.steps.
	Counters any
	// Err is why the step failed; a failed step committed nothing.
	Err error
	// Held lists the ids whose soft deletes the mass-delete guard held.
	Held []string
	// OptionalErrors names the optional calls that failed, with their errors.
	// They make the cycle partial without failing the step.
	OptionalErrors map[string]string
	// Flags notes conditions worth seeing that are not failures, such as an
	// empty pull.
	Flags []string
	// Timing is where the step's time went.
	Timing Timing
}

// Timing is the wall-clock time of one step by stage. Pull is the step's call
// to Core (the mirror's pull of its type, or the actual snapshot); Plan runs
// from the start of the transaction, lock and reads included, to the end of
// planning; Apply from there to the commit; Total is the whole step,
// its pull and its logging included. A stage the step never reached is zero.
type Timing struct {
	Pull, Plan, Apply, Total time.Duration
}

// stepClock measures a step's stages with the monotonic clock.
type stepClock struct {
	started                 time.Time
	pull                    time.Duration
	txStart, planned, txEnd time.Time
}

// startStep starts the clock of a step, before its pull.
func startStep() *stepClock { return &stepClock{started: time.Now()} }

// startAfterPull starts the clock of a step whose pull was made earlier and
// took pull; the step's total counts that pull, not the time in between.
func startAfterPull(pull time.Duration) *stepClock {
	return &stepClock{started: time.Now().Add(-pull), pull: pull}
}

// pulled marks the end of the step's pull.
func (c *stepClock) pulled() { c.pull = time.Since(c.started) }

// beginTx marks the start of the step's transaction.
func (c *stepClock) beginTx() { c.txStart = time.Now() }

// planDone marks the end of planning, inside the transaction.
func (c *stepClock) planDone() { c.planned = time.Now() }

// endTx marks the end of the transaction (commit or rollback).
func (c *stepClock) endTx() { c.txEnd = time.Now() }

// stop returns the timing of a step that ends now.
func (c *stepClock) stop() Timing {
	t := Timing{Pull: c.pull, Total: time.Since(c.started)}
	if c.txStart.IsZero() || c.txEnd.IsZero() {
		return t
	}
	if c.planned.IsZero() {
		t.Plan = c.txEnd.Sub(c.txStart)
		return t
	}
	t.Plan, t.Apply = c.planned.Sub(c.txStart), c.txEnd.Sub(c.planned)
	return t
}

// Failed reports whether the step failed.
func (s Step) Failed() bool { return s.Err != nil }

// MarshalJSON flattens the counters, adds error, held, optional_errors and
// flags when present, and always the four stage times in seconds.
func (s Step) MarshalJSON() ([]byte, error) {
	m := map[string]any{}
	if s.Counters != nil {
		b, err := json.Marshal(s.Counters)
		if err != nil {
			return nil, fmt.Errorf("step counters: %w", err)
		}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("step counters must be a JSON object: %w", err)
		}
	}
	if s.Err != nil {
		m["error"] = s.Err.Error()
	}
	if len(s.Held) > 0 {
		m["held"] = s.Held
	}
	if len(s.OptionalErrors) > 0 {
		m["optional_errors"] = s.OptionalErrors
	}
	if len(s.Flags) > 0 {
		m["flags"] = s.Flags
	}
	m["duration_seconds"] = s.Timing.Total.Seconds()
	m["pull_seconds"] = s.Timing.Pull.Seconds()
	m["plan_seconds"] = s.Timing.Plan.Seconds()
	m["apply_seconds"] = s.Timing.Apply.Seconds()
	return json.Marshal(m)
}

// Steps holds a cycle's steps by phase and type name, in the layout of
// sync_cycle.steps: {"mirror": {"rack": …, "Compute": …}, "actual": {…}}.
type Steps struct {
	Mirror map[string]Step `json:"mirror,omitempty"`
	Actual map[string]Step `json:"actual,omitempty"`
}

// Status derives the cycle status from its steps (actual-and-drift.md): ok
// when every step that ran and every optional call succeeded (also when no
// step ran), partial when something failed and some step succeeded, failed
// when steps ran and none succeeded.
func (s Steps) Status() inventory.CycleStatus {
	succeeded, problems := 0, 0
	for _, phase := range []map[string]Step{s.Mirror, s.Actual} {
		for _, st := range phase {
			switch {
			case st.Failed():
				problems++
			case len(st.OptionalErrors) > 0:
				succeeded++
				problems++
			default:
				succeeded++
			}
		}
	}
	switch {
	case problems == 0:
		return inventory.CycleOK
	case succeeded == 0:
		return inventory.CycleFailed
	}
	return inventory.CyclePartial
}
