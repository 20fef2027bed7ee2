package inventory

import "time"

// DriftType classifies a difference between expected and actual state.
type DriftType string

// Drift types.
const (
	MissingInActual   DriftType = "missing_in_actual"
	MissingInExpected DriftType = "missing_in_expected"
	Mismatch          DriftType = "mismatch"
)

// MissingValue is the actual value recorded when Core has no value for a
// compared position.
const MissingValue = "<missing>"

// Diff is one compared field that differs. Values are strings; integers are
// written in decimal.
type Diff struct {
	FieldName     string `json:"field_name"`
	ExpectedValue string `json:"expected_value"`
	ActualValue   string `json:"actual_value"`
}

// Drift is an open drift, a row of component_drift.
type Drift struct {
	ID            string        `json:"id"`
	ComponentID   *string       `json:"component_id"` // nil for missing_in_expected
	ExternalID    *string       `json:"external_id"`
	ComponentType ComponentType `json:"component_type"`
	DriftType     DriftType     `json:"drift_type"`
	Diffs         []Diff        `json:"diffs"`
	FirstSeenAt   time.Time     `json:"first_seen_at"`
	CheckedAt     time.Time     `json:"checked_at"`
}

// DriftEvent says what happened to a drift in one cycle.
type DriftEvent string

// Drift history events.
const (
	DriftOpened   DriftEvent = "opened"
	DriftChanged  DriftEvent = "changed"
	DriftResolved DriftEvent = "resolved"
)

// DriftHistory is a row of drift_history. ID is assigned by the store.
type DriftHistory struct {
	ID            int64         `json:"id"`
	CycleID       string        `json:"cycle_id"`
	At            time.Time     `json:"at"`
	DriftID       string        `json:"drift_id"`
	ComponentType ComponentType `json:"component_type"`
	DriftType     DriftType     `json:"drift_type"`
	ComponentID   *string       `json:"component_id"`
	ExternalID    *string       `json:"external_id"`
	Event         DriftEvent    `json:"event"`
	Diffs         []Diff        `json:"diffs"`
}
