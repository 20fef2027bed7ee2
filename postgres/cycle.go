package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

// StartCycle inserts a sync_cycle row.
func (db *DB) StartCycle(ctx context.Context, c inventory.Cycle) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO sync_cycle (id, started_at, finished_at, trigger, instance,
		mirror_enabled, status, steps, error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		c.ID, inventory.Timestamp(c.StartedAt), c.FinishedAt, c.Trigger, c.Instance, c.MirrorEnabled,
		c.Status, sqlkit.StepsJSON(c.Steps), c.Error)
	if err != nil {
		return fmt.Errorf("postgres: starting cycle %s: %w", c.ID, mapErr(err))
	}
	return nil
}

// FinishCycle records how a cycle ended.
func (db *DB) FinishCycle(ctx context.Context, c inventory.Cycle) error {
	tag, err := db.pool.Exec(ctx, `UPDATE sync_cycle SET finished_at = $2, status = $3, steps = $4, error = $5
		WHERE id = $1`, c.ID, c.FinishedAt, c.Status, sqlkit.StepsJSON(c.Steps), c.Error)
	if err != nil {
		return fmt.Errorf("postgres: finishing cycle %s: %w", c.ID, mapErr(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: finishing cycle %s: %w", c.ID, inventory.ErrNotFound)
	}
	return nil
}

const cycleColumns = `id::text, started_at, finished_at, trigger, instance, mirror_enabled, status, steps::text, error`

// Cycle returns one cycle.
func (db *DB) Cycle(ctx context.Context, id string) (inventory.Cycle, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+cycleColumns+` FROM sync_cycle WHERE id::text = $1`, id)
	if err != nil {
		return inventory.Cycle{}, fmt.Errorf("postgres: cycle %s: %w", id, mapErr(err))
	}
	c, err := pgx.CollectExactlyOneRow(rows, scanCycle)
	if errors.Is(err, pgx.ErrNoRows) {
		return inventory.Cycle{}, fmt.Errorf("postgres: cycle %s: %w", id, inventory.ErrNotFound)
	}
	if err != nil {
		return inventory.Cycle{}, fmt.Errorf("postgres: cycle %s: %w", id, mapErr(err))
	}
	return c, nil
}

// Cycles returns the most recent cycles, newest first.
func (db *DB) Cycles(ctx context.Context, limit int) ([]inventory.Cycle, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+cycleColumns+` FROM sync_cycle ORDER BY started_at DESC, id LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: cycles: %w", mapErr(err))
	}
	cs, err := pgx.CollectRows(rows, scanCycle)
	if err != nil {
		return nil, fmt.Errorf("postgres: cycles: %w", mapErr(err))
	}
	return cs, nil
}

func scanCycle(row pgx.CollectableRow) (inventory.Cycle, error) {
	var c inventory.Cycle
	var steps string
	err := row.Scan(&c.ID, &c.StartedAt, &c.FinishedAt, &c.Trigger, &c.Instance, &c.MirrorEnabled,
		&c.Status, &steps, &c.Error)
	c.StartedAt, c.FinishedAt = c.StartedAt.UTC(), utcPtr(c.FinishedAt)
	c.Steps = []byte(steps)
	return c, err
}
