package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

// timeNow is the clock for the few timestamps the store itself writes.
var timeNow = time.Now

// tx is one transaction on a dedicated connection; it implements inventory.Tx
// and sqlkit.Statements.
type tx struct {
	conn *sql.Conn
	db   *DB
}

var (
	_ inventory.Tx      = (*tx)(nil)
	_ sqlkit.Statements = (*tx)(nil)
)

// Write runs fn in a BEGIN IMMEDIATE transaction, which takes the database's
// write lock up front, so reads inside fn see exactly what the writes apply to.
func (db *DB) Write(ctx context.Context, fn func(inventory.Tx) error) error {
	return db.inTx(ctx, "BEGIN IMMEDIATE", func(t *tx) error { return fn(t) })
}

// View runs fn in a read transaction with one consistent snapshot.
func (db *DB) View(ctx context.Context, fn func(inventory.ReadTx) error) error {
	return db.inTx(ctx, "BEGIN", func(t *tx) error { return fn(t) })
}

func (db *DB) inTx(ctx context.Context, begin string, fn func(*tx) error) (err error) {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("sqlite: connection: %w", mapErr(err))
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, begin); err != nil {
		return fmt.Errorf("sqlite: begin: %w", mapErr(err))
	}
	if err := fn(&tx{conn: conn, db: db}); err != nil {
		rollback(conn)
		return err
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		rollback(conn)
		return fmt.Errorf("sqlite: commit: %w", mapErr(err))
	}
	return nil
}

// rollback ends a failed transaction even when the caller's context is done.
func rollback(conn *sql.Conn) {
	conn.ExecContext(context.Background(), "ROLLBACK") //nolint:errcheck // nothing left to undo on error
}

// Apply performs w with set-based statements.
func (t *tx) Apply(ctx context.Context, w inventory.Writes) error {
	if err := sqlkit.Apply(ctx, t, w); err != nil {
		return fmt.Errorf("sqlite: apply: %w", err)
	}
	return nil
}

func (t *tx) exec(ctx context.Context, q string, args ...any) error {
	t.db.statements.Add(1)
	_, err := t.conn.ExecContext(ctx, q, args...)
	return mapErr(err)
}
