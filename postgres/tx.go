package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

// tx is one transaction; it implements inventory.Tx and sqlkit.Statements.
type tx struct {
	tx pgx.Tx
	db *DB
}

var (
	_ inventory.Tx      = (*tx)(nil)
	_ sqlkit.Statements = (*tx)(nil)
)

// Write runs fn in a transaction that first locks the inventory tables against
// concurrent writers (readers are not blocked).
func (db *DB) Write(ctx context.Context, fn func(inventory.Tx) error) error {
	return db.inTx(ctx, pgx.TxOptions{}, func(t *tx) error {
		if _, err := t.tx.Exec(ctx, `LOCK TABLE rack, component, bmc IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return fmt.Errorf("postgres: locking inventory: %w", mapErr(err))
		}
		return fn(t)
	})
}

// View runs fn in a read-only transaction with one consistent snapshot.
func (db *DB) View(ctx context.Context, fn func(inventory.ReadTx) error) error {
	opts := pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead}
	return db.inTx(ctx, opts, func(t *tx) error { return fn(t) })
}

func (db *DB) inTx(ctx context.Context, opts pgx.TxOptions, fn func(*tx) error) error {
	ptx, err := db.pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", mapErr(err))
	}
	defer ptx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // a no-op after commit
	if err := fn(&tx{tx: ptx, db: db}); err != nil {
		return err
	}
	if err := ptx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: commit: %w", mapErr(err))
	}
	return nil
}

// Apply performs w with set-based statements.
func (t *tx) Apply(ctx context.Context, w inventory.Writes) error {
	if err := sqlkit.Apply(ctx, t, w); err != nil {
		return fmt.Errorf("postgres: apply: %w", err)
	}
	return nil
}

func (t *tx) exec(ctx context.Context, sql string, args ...any) error {
	t.db.statements.Add(1)
	_, err := t.tx.Exec(ctx, sql, args...)
	return mapErr(err)
}
