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
	ID            string
	ComponentID   *string // nil for missing_in_expected
	ExternalID    *string
	ComponentType ComponentType
	DriftType     DriftType
	Diffs         []Diff
	FirstSeenAt   time.Time
	CheckedAt     time.Time
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
	ID            int64
	CycleID       string
	At            time.Time
	DriftID       string
	ComponentType ComponentType
	DriftType     DriftType
	ComponentID   *string
	ExternalID    *string
	Event         DriftEvent
	Diffs         []Diff
}
