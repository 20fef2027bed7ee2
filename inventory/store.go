package inventory

import (
	"context"
	"time"
)

// Store is rackflow's storage contract. PostgreSQL and SQLite implement it; one
// conformance suite (package storetest) runs against both.
type Store interface {
	// Write runs fn in one transaction that holds the inventory write lock, so
	// that reads inside fn see exactly the rows the writes apply to. An error from
	// fn, or from the commit, rolls the whole transaction back.
	Write(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction.
	View(ctx context.Context, fn func(ReadTx) error) error

	// StartCycle inserts a sync_cycle row (normally with status running).
	StartCycle(ctx context.Context, c Cycle) error
	// FinishCycle sets finished_at, status, steps and error of a cycle row.
	FinishCycle(ctx context.Context, c Cycle) error
	// Cycle returns one cycle, or an error wrapping ErrNotFound.
	Cycle(ctx context.Context, id string) (Cycle, error)
	// Cycles returns the most recent cycles, newest first.
	Cycles(ctx context.Context, limit int) ([]Cycle, error)
	// DriftHistory returns drift history matching f, oldest first.
	DriftHistory(ctx context.Context, f DriftHistoryFilter) ([]DriftHistory, error)
	// Events returns audit events matching f, oldest first.
	Events(ctx context.Context, f EventFilter) ([]Event, error)

	// Prune deletes inventory_event, drift_history and sync_cycle rows older
	// than before, at most batch rows per statement, and returns how many went.
	// Open drifts are never pruned.
	Prune(ctx context.Context, before time.Time, batch int) (int64, error)

	Close() error
}

// ReadTx reads the inventory inside a transaction. The rack, component and
// bmc rows come in store order (SortRacks, SortComponents, SortBMCs), the
// same on every backend whatever its collation.
type ReadTx interface {
	// Racks returns every rack row, tombstones included.
	Racks(ctx context.Context) ([]Rack, error)
	// Components returns every component row of every type, tombstones included.
	Components(ctx context.Context) ([]Component, error)
	// BMCs returns every bmc row.
	BMCs(ctx context.Context) ([]BMC, error)
	// Drifts returns the open drifts of one component type.
	Drifts(ctx context.Context, t ComponentType) ([]Drift, error)
}

// Tx is a write transaction.
type Tx interface {
	ReadTx
	// Apply performs w with set-based statements, in the order documented on
	// Writes. A unique or foreign-key violation returns an error wrapping
	// ErrConflict or ErrInvalid, and the caller's transaction must roll back.
	Apply(ctx context.Context, w Writes) error
}

// EventFilter selects audit events. Zero fields do not filter.
type EventFilter struct {
	CycleID  string
	Entity   string
	EntityID string
	Since    time.Time
	AfterID  int64
	Limit    int
}

// DriftHistoryFilter selects drift history rows. Zero fields do not filter.
type DriftHistoryFilter struct {
	ComponentID string
	CycleID     string
	Since       time.Time
	Limit       int
}
