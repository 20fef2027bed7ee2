package mirror

import (
	"log/slog"
	"time"

	"rackflow/inventory"
)

// Outcome is how one Core pull ended.
type Outcome int

// Pull outcomes. A pull with rows of which none is valid is treated as Empty.
const (
	// Rows means the call succeeded with at least one row.
	Rows Outcome = iota
	// Empty means the call succeeded with no rows; the delete phase is skipped.
	Empty
	// Error means the call failed; the type is skipped entirely.
	Error
)

func (o Outcome) String() string {
	switch o {
	case Rows:
		return "rows"
	case Empty:
		return "empty"
	case Error:
		return "error"
	}
	return "unknown"
}

// Default mass-delete guard settings (RACKFLOW_DELETE_GUARD_RATIO and
// RACKFLOW_DELETE_GUARD_MIN).
const (
	DefaultGuardRatio = 0.10
	DefaultGuardMin   = 20
)

// Options carries what one planning call needs besides the pull and the rows.
type Options struct {
	// Now is the time of every write: updated_at, deleted_at and event times.
	Now time.Time
	// CycleID is recorded on every event; empty records none (a dry run
	// outside a cycle).
	CycleID string
	// GuardRatio and GuardMin set the mass-delete guard. They are used as
	// given: zero values make the guard hold any delete, which is the safe
	// failure. Callers normally pass DefaultGuardRatio and DefaultGuardMin
	// unless configured otherwise. A ratio of 1 or more turns the guard off.
	GuardRatio float64
	GuardMin   int
	// Release lists the ids this step's type held in the latest cycle that
	// recorded a held list for it, when an operator released them.
	Release []string
	// NewID returns the id of each inserted row; nil means inventory.NewID.
	NewID func() string
	// Index, when set, indexes exactly the rows the component step plans
	// from; nil builds one for the step.
	Index *inventory.RowIndex
}

func (o Options) now() time.Time { return inventory.Timestamp(o.Now) }

func (o Options) newID() string {
	if o.NewID != nil {
		return o.NewID()
	}
	return inventory.NewID()
}

// event builds one audit event of this planning call.
func (o Options) event(entity, id string, action inventory.Action, ch inventory.Changes) inventory.Event {
	var cycle *string
	if o.CycleID != "" {
		c := o.CycleID
		cycle = &c
	}
	if ch == nil {
		ch = inventory.Changes{}
	}
	return inventory.Event{CycleID: cycle, At: o.now(), Entity: entity, EntityID: id,
		Action: action, Changes: ch, Source: inventory.SourceMirror}
}

// Counters are one type's mirror counters for one cycle. They do not overlap:
// each written row is counted in exactly one write counter, and each Core entry
// in at most one input counter. See RolledBack for a failed transaction.
type Counters struct {
	// Input counters.
	Pulled           int `json:"pulled"`
	SkippedInvalid   int `json:"skipped_invalid"`
	SkippedDuplicate int `json:"skipped_duplicate"`
	SkippedConflict  int `json:"skipped_conflict"`
	SkippedNameTaken int `json:"skipped_name_taken"`
	LegacyExempt     int `json:"legacy_exempt"`
	// Write counters.
	Inserted     int `json:"inserted"`
	Updated      int `json:"updated"`
	Adopted      int `json:"adopted"`
	Resurrected  int `json:"resurrected"`
	SoftDeleted  int `json:"soft_deleted"`
	TombstonesGC int `json:"tombstones_gc"`
	BMCInserted  int `json:"bmc_inserted"`
	BMCUpdated   int `json:"bmc_updated"`
	BMCDeleted   int `json:"bmc_deleted"`
	BMCEvicted   int `json:"bmc_evicted"`
	// Held and refused.
	HeldDeletes  int `json:"held_deletes"`
	BMCRefused   int `json:"bmc_refused"`
	BMCContested int `json:"bmc_contested"`
}

// RolledBack returns the counters to report when the transaction failed:
// nothing was written, but what was pulled and skipped stays true.
func (c Counters) RolledBack() Counters {
	return Counters{Pulled: c.Pulled, SkippedInvalid: c.SkippedInvalid,
		SkippedDuplicate: c.SkippedDuplicate, SkippedConflict: c.SkippedConflict,
		SkippedNameTaken: c.SkippedNameTaken, LegacyExempt: c.LegacyExempt}
}

// Attrs returns every counter as a log attribute, for the per-type summary line.
func (c Counters) Attrs() []slog.Attr {
	return []slog.Attr{
		slog.Int("pulled", c.Pulled), slog.Int("skipped_invalid", c.SkippedInvalid),
		slog.Int("skipped_duplicate", c.SkippedDuplicate), slog.Int("skipped_conflict", c.SkippedConflict),
		slog.Int("skipped_name_taken", c.SkippedNameTaken), slog.Int("legacy_exempt", c.LegacyExempt),
		slog.Int("inserted", c.Inserted), slog.Int("updated", c.Updated), slog.Int("adopted", c.Adopted),
		slog.Int("resurrected", c.Resurrected), slog.Int("soft_deleted", c.SoftDeleted),
		slog.Int("tombstones_gc", c.TombstonesGC), slog.Int("bmc_inserted", c.BMCInserted),
		slog.Int("bmc_updated", c.BMCUpdated), slog.Int("bmc_deleted", c.BMCDeleted),
		slog.Int("bmc_evicted", c.BMCEvicted), slog.Int("held_deletes", c.HeldDeletes),
		slog.Int("bmc_refused", c.BMCRefused), slog.Int("bmc_contested", c.BMCContested),
	}
}

// Finding is one log line the spec asks for (a WARN, an ERROR or an INFO),
// with attributes naming the offending values.
type Finding = inventory.Finding

func warn(msg string, attrs ...slog.Attr) Finding {
	return Finding{Level: slog.LevelWarn, Msg: msg, Attrs: attrs}
}

func errorf(msg string, attrs ...slog.Attr) Finding {
	return Finding{Level: slog.LevelError, Msg: msg, Attrs: attrs}
}

// EventAttrs returns the attributes of the INFO line that accompanies an audit
// event, carrying the same data as the event.
func EventAttrs(e inventory.Event) []slog.Attr {
	return []slog.Attr{
		slog.String("entity", e.Entity), slog.String("entity_id", e.EntityID),
		slog.String("action", string(e.Action)), slog.Any("changes", e.Changes),
	}
}
