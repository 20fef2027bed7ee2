package inventory

import (
	"encoding/json"
	"time"
)

// CycleStatus is the outcome of a cycle.
type CycleStatus string

// Cycle statuses.
const (
	CycleRunning CycleStatus = "running"
	CycleOK      CycleStatus = "ok"
	CyclePartial CycleStatus = "partial"
	CycleFailed  CycleStatus = "failed"
)

// Trigger says why a cycle ran.
type Trigger string

// Triggers.
const (
	TriggerInterval Trigger = "interval"
	TriggerManual   Trigger = "manual"
	TriggerStartup  Trigger = "startup"
	TriggerOnce     Trigger = "once"
)

// Cycle is a row of sync_cycle. Steps holds the per-step results as JSON:
// {"mirror": {"rack": {…}, "Compute": {…}}, "actual": {"Compute": {…}}}.
type Cycle struct {
	ID            string          `json:"id"`
	StartedAt     time.Time       `json:"started_at"`
	FinishedAt    *time.Time      `json:"finished_at"`
	Trigger       Trigger         `json:"trigger"`
	Instance      string          `json:"instance"`
	MirrorEnabled bool            `json:"mirror_enabled"`
	Status        CycleStatus     `json:"status"`
	Steps         json.RawMessage `json:"steps"`
	Error         *string         `json:"error"`
}
