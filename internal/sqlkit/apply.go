package sqlkit

import (
	"context"
	"fmt"
	"time"

	"rackflow/inventory"
)

// Statements is what a dialect provides to apply Writes: one set-based
// statement per call, each taking a whole batch as one JSON parameter.
type Statements interface {
	// FreeValues performs step one of a unique-value move for every row in
	// payload: each listed column becomes NULL or the row's placeholder.
	FreeValues(ctx context.Context, t Table, payload []byte, cols []Column) error
	// SetValues writes the listed columns of every row in payload; a row that
	// lacks a column keeps it. at is the new updated_at, "" for tables without one.
	SetValues(ctx context.Context, t Table, payload []byte, cols []Column, at string) error
	// DeleteRows hard-deletes the rows whose key is in keys.
	DeleteRows(ctx context.Context, t Table, keys []string) error
	InsertRacks(ctx context.Context, payload []byte) error
	InsertComponents(ctx context.Context, payload []byte) error
	InsertBMCs(ctx context.Context, payload []byte) error
	InsertEvents(ctx context.Context, payload []byte) error
	DeleteDrifts(ctx context.Context, ids []string) error
	UpdateDrifts(ctx context.Context, payload []byte) error
	InsertDrifts(ctx context.Context, payload []byte) error
	InsertDriftHistory(ctx context.Context, payload []byte) error
}

// Copier is implemented by a dialect that loads inserted rows straight from
// the values (PostgreSQL's binary COPY) rather than through one JSON
// payload. Each call is one statement and must keep the rows' order.
type Copier interface {
	// CopyComponents inserts components; a zero UpdatedAt becomes at.
	CopyComponents(ctx context.Context, rows []inventory.Component, at time.Time) error
	// CopyBMCs inserts BMCs with normalised MACs.
	CopyBMCs(ctx context.Context, rows []inventory.BMC) error
	// CopyEvents appends events in order.
	CopyEvents(ctx context.Context, rows []inventory.Event) error
}

// Apply performs w through s in the order documented on inventory.Writes,
// skipping empty steps, so that a no-op plan issues no statement at all.
func Apply(ctx context.Context, s Statements, w inventory.Writes) error {
	at := FormatTime(w.At)
	steps := []struct {
		name string
		run  func() error
		skip bool
	}{
		{"clear component racks", func() error { return updateRows(ctx, s, ComponentTable, w.ComponentRackClears, at) }, len(w.ComponentRackClears) == 0},
		{"delete racks", func() error { return s.DeleteRows(ctx, RackTable, w.RackDeletes) }, len(w.RackDeletes) == 0},
		{"update racks", func() error { return updateRows(ctx, s, RackTable, w.RackUpdates, at) }, len(w.RackUpdates) == 0},
		{"insert racks", func() error { return insert(ctx, s.InsertRacks, RackRows, w.RackInserts, at) }, len(w.RackInserts) == 0},
		{"soft-delete racks", func() error { return updateRows(ctx, s, RackTable, w.RackSoftDeletes, at) }, len(w.RackSoftDeletes) == 0},
		{"delete bmcs", func() error { return deleteBMCs(ctx, s, w.BMCDeletes) }, len(w.BMCDeletes) == 0},
		{"delete components", func() error { return s.DeleteRows(ctx, ComponentTable, w.ComponentDeletes) }, len(w.ComponentDeletes) == 0},
		{"insert components", func() error { return insertComponents(ctx, s, w.ComponentInserts, w.At, at) }, len(w.ComponentInserts) == 0},
		{"update components", func() error { return updateRows(ctx, s, ComponentTable, w.ComponentUpdates, at) }, len(w.ComponentUpdates) == 0},
		{"move bmcs", func() error { return updateRows(ctx, s, BMCTable, w.BMCMoves, "") }, len(w.BMCMoves) == 0},
		{"insert bmcs", func() error { return insertBMCs(ctx, s, w.BMCInserts) }, len(w.BMCInserts) == 0},
		{"update bmcs", func() error { return updateRows(ctx, s, BMCTable, w.BMCUpdates, "") }, len(w.BMCUpdates) == 0},
		{"soft-delete components", func() error { return updateRows(ctx, s, ComponentTable, w.ComponentSoftDeletes, at) }, len(w.ComponentSoftDeletes) == 0},
		{"insert events", func() error { return insertEvents(ctx, s, w.Events) }, len(w.Events) == 0},
		{"delete drifts", func() error { return s.DeleteDrifts(ctx, w.DriftDeletes) }, len(w.DriftDeletes) == 0},
		{"update drifts", func() error { return insert(ctx, s.UpdateDrifts, ignoreAt(DriftRows), w.DriftUpdates, at) }, len(w.DriftUpdates) == 0},
		{"insert drifts", func() error { return insert(ctx, s.InsertDrifts, ignoreAt(DriftRows), w.DriftInserts, at) }, len(w.DriftInserts) == 0},
		{"insert drift history", func() error { return insert(ctx, s.InsertDriftHistory, ignoreAt(HistoryRows), w.DriftHistory, at) }, len(w.DriftHistory) == 0},
	}
	for _, st := range steps {
		if st.skip {
			continue
		}
		if err := st.run(); err != nil {
			return fmt.Errorf("%s: %w", st.name, err)
		}
	}
	return nil
}

// updateRows applies updates with the two-step move: values that moving
// columns give up are freed for every row before any new value is assigned.
func updateRows(ctx context.Context, s Statements, t Table, ups []inventory.RowUpdate, at string) error {
	payload, cols, err := UpdatePayload(t, ups)
	if err != nil {
		return err
	}
	var moving []Column
	for _, c := range cols {
		if c.Move != NoMove {
			moving = append(moving, c)
		}
	}
	if len(moving) > 0 {
		if err := s.FreeValues(ctx, t, payload, moving); err != nil {
			return err
		}
	}
	if len(cols) == 0 && at == "" {
		return nil
	}
	return s.SetValues(ctx, t, payload, cols, at)
}

func insertComponents(ctx context.Context, s Statements, rows []inventory.Component, at time.Time, atText string) error {
	if c, ok := s.(Copier); ok {
		return c.CopyComponents(ctx, rows, at)
	}
	return insert(ctx, s.InsertComponents, ComponentRows, rows, atText)
}

func insertBMCs(ctx context.Context, s Statements, rows []inventory.BMC) error {
	if c, ok := s.(Copier); ok {
		return c.CopyBMCs(ctx, rows)
	}
	return insert(ctx, s.InsertBMCs, ignoreAt(BMCRows), rows, "")
}

func insertEvents(ctx context.Context, s Statements, rows []inventory.Event) error {
	if c, ok := s.(Copier); ok {
		return c.CopyEvents(ctx, rows)
	}
	return insert(ctx, s.InsertEvents, ignoreAt(EventRows), rows, "")
}

func insert[T any](ctx context.Context, exec func(context.Context, []byte) error, enc func([]T, string) ([]byte, error), rows []T, at string) error {
	payload, err := enc(rows, at)
	if err != nil {
		return err
	}
	return exec(ctx, payload)
}

// ignoreAt adapts an encoder whose rows carry their own timestamps.
func ignoreAt[T any](enc func([]T) ([]byte, error)) func([]T, string) ([]byte, error) {
	return func(rows []T, _ string) ([]byte, error) { return enc(rows) }
}

func deleteBMCs(ctx context.Context, s Statements, macs []string) error {
	keys, err := NormalizeMACs(macs)
	if err != nil {
		return err
	}
	return s.DeleteRows(ctx, BMCTable, keys)
}
