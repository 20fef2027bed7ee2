// Package postgres is the PostgreSQL implementation of inventory.Store, the
// production store. It owns the PostgreSQL migrations and every SQL statement
// for that dialect; batches travel as one JSON parameter per statement.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations returns this dialect's migrations, in order.
func Migrations() ([]sqlkit.Migration, error) {
	return sqlkit.LoadMigrations(migrationFS, "migrations")
}

// DB is a PostgreSQL store.
type DB struct {
	pool       *pgxpool.Pool
	statements atomic.Int64
}

var _ inventory.Store = (*DB)(nil)

// Open connects to the database at url and checks that it answers. It does
// not check the schema version: see CheckSchema and Migrate.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: database URL does not parse (%w): %s", inventory.ErrInvalid, redactErr(err))
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connecting (%w): %s", inventory.ErrUnavailable, redactErr(err))
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: cannot reach %s:%d (%w): %s", cfg.ConnConfig.Host, cfg.ConnConfig.Port, inventory.ErrUnavailable, redactErr(err))
	}
	return &DB{pool: pool}, nil
}

// Close releases every connection.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// StatementCount returns how many write statements transactions have issued;
// benchmarks and tests use it to prove that writes are set-based.
func (db *DB) StatementCount() int64 { return db.statements.Load() }

// Pool exposes the connection pool to the leader elector and to tests.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// redactErr renders a driver error on one line, without a URL's password.
func redactErr(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if i := strings.Index(s, "://"); i >= 0 {
		if j := strings.Index(s[i:], "@"); j >= 0 {
			s = s[:i+3] + "…" + s[i+j:]
		}
	}
	return passwordParam.ReplaceAllString(s, "${1}xxxxx")
}

// passwordParam matches a password given as a URL or DSN parameter.
var passwordParam = regexp.MustCompile(`(?i)(password=)[^&\s'"` + "`" + `]*`)

// Migrate applies every pending migration, each in its own transaction, and
// records it in schema_migrations. It returns the number applied.
func (db *DB) Migrate(ctx context.Context) (int, error) {
	ms, err := Migrations()
	if err != nil {
		return 0, err
	}
	return sqlkit.Migrate(ctx, db, ms)
}

// EnsureVersionTable creates schema_migrations if it is missing.
func (db *DB) EnsureVersionTable(ctx context.Context) error {
	if _, err := db.pool.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("postgres: creating schema_migrations: %w", mapErr(err))
	}
	return nil
}

// ApplyMigration runs one migration and records it, in one transaction.
func (db *DB) ApplyMigration(ctx context.Context, m sqlkit.Migration) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			return fmt.Errorf("postgres: migration %s: %w", m.Name, mapErr(err))
		}
		_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.Version, m.Name)
		return mapErr(err)
	})
}

// CheckSchema returns an error wrapping inventory.ErrSchemaBehind or
// ErrSchemaAhead unless the database is exactly at this binary's version.
func (db *DB) CheckSchema(ctx context.Context) error {
	ms, err := Migrations()
	if err != nil {
		return err
	}
	return sqlkit.CheckSchema(ctx, db, ms)
}

// SchemaVersion returns the highest applied migration, 0 for none.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var exists bool
	if err := db.pool.QueryRow(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&exists); err != nil {
		return 0, fmt.Errorf("postgres: reading schema version: %w", mapErr(err))
	}
	if !exists {
		return 0, nil
	}
	var v int
	if err := db.pool.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("postgres: reading schema version: %w", mapErr(err))
	}
	return v, nil
}

// mapErr translates PostgreSQL errors into the inventory error vocabulary,
// keeping the original text for logs.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return fmt.Errorf("%w: %s (%s)", inventory.ErrConflict, pgErr.Message, pgErr.ConstraintName)
		case "23503", "23502", "23514", "22P02", "22007", "22008":
			return fmt.Errorf("%w: %s", inventory.ErrInvalid, pgErr.Message)
		}
		// Class 08 is a connection exception, class 57 an operator
		// intervention: the server ended or refused the session.
		if c := pgErr.Code; strings.HasPrefix(c, "08") || strings.HasPrefix(c, "57") {
			return fmt.Errorf("%w: %s (SQLSTATE %s)", inventory.ErrUnavailable, pgErr.Message, c)
		}
		return err
	}
	if pgconn.SafeToRetry(err) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var connErr *pgconn.ConnectError
	if errors.As(err, &connErr) {
		return fmt.Errorf("%w: %v", inventory.ErrUnavailable, err)
	}
	return err
}
