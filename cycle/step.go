package cycle

import (
	"encoding/json"
	"fmt"

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
}

// Failed reports whether the step failed.
func (s Step) Failed() bool { return s.Err != nil }

// MarshalJSON flattens the counters and adds error, held, optional_errors and
// flags when present.
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
