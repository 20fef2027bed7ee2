package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

// StartCycle inserts a sync_cycle row.
func (db *DB) StartCycle(ctx context.Context, c inventory.Cycle) error {
	_, err := db.db.ExecContext(ctx, `INSERT INTO sync_cycle (id, started_at, finished_at, trigger, instance,
		mirror_enabled, status, steps, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, sqlkit.FormatTime(c.StartedAt), sqlkit.FormatTimePtr(c.FinishedAt), string(c.Trigger), c.Instance,
		c.MirrorEnabled, string(c.Status), sqlkit.StepsJSON(c.Steps), c.Error)
	if err != nil {
		return fmt.Errorf("sqlite: starting cycle %s: %w", c.ID, mapErr(err))
	}
	return nil
}

// FinishCycle records how a cycle ended.
func (db *DB) FinishCycle(ctx context.Context, c inventory.Cycle) error {
	res, err := db.db.ExecContext(ctx, `UPDATE sync_cycle SET finished_at = ?, status = ?, steps = ?, error = ?
		WHERE id = ?`, sqlkit.FormatTimePtr(c.FinishedAt), string(c.Status), sqlkit.StepsJSON(c.Steps), c.Error, c.ID)
	if err != nil {
		return fmt.Errorf("sqlite: finishing cycle %s: %w", c.ID, mapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("sqlite: finishing cycle %s: %w", c.ID, inventory.ErrNotFound)
	}
	return nil
}

const cycleColumns = `id, started_at, finished_at, trigger, instance, mirror_enabled, status, steps, error`

// Cycle returns one cycle.
func (db *DB) Cycle(ctx context.Context, id string) (inventory.Cycle, error) {
	row := db.db.QueryRowContext(ctx, `SELECT `+cycleColumns+` FROM sync_cycle WHERE id = ?`, id)
	c, err := scanCycle(row)
	if errors.Is(err, sql.ErrNoRows) {
		return inventory.Cycle{}, fmt.Errorf("sqlite: cycle %s: %w", id, inventory.ErrNotFound)
	}
	if err != nil {
		return inventory.Cycle{}, fmt.Errorf("sqlite: cycle %s: %w", id, mapErr(err))
	}
	return c, nil
}

// Cycles returns the most recent cycles, newest first.
func (db *DB) Cycles(ctx context.Context, limit int) ([]inventory.Cycle, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+cycleColumns+` FROM sync_cycle ORDER BY started_at DESC, id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: cycles: %w", mapErr(err))
	}
	defer rows.Close()
	var cs []inventory.Cycle
	for rows.Next() {
		c, err := scanCycle(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: cycles: %w", err)
		}
		cs = append(cs, c)
	}
	return cs, mapErr(rows.Err())
}

type scanner interface{ Scan(dest ...any) error }

func scanCycle(s scanner) (inventory.Cycle, error) {
	var c inventory.Cycle
	err := s.Scan(&c.ID, timeText{&c.StartedAt}, nullTimeText{&c.FinishedAt}, &c.Trigger, &c.Instance,
		&c.MirrorEnabled, &c.Status, jsonText{&c.Steps}, &c.Error)
	return c, err
}
