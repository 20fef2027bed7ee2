// Package sqlite is the SQLite implementation of inventory.Store, the embedded
// default. It owns the SQLite migrations and every SQL statement for that
// dialect; batches travel as one JSON parameter per statement (json_each).
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations returns this dialect's migrations, in order.
func Migrations() ([]sqlkit.Migration, error) {
	return sqlkit.LoadMigrations(migrationFS, "migrations")
}

// Memory is the path of a private in-memory database on one connection.
const Memory = ":memory:"

// BusyTimeoutMillis bounds how long a statement waits for another writer.
const BusyTimeoutMillis = 10000

// DB is a SQLite store.
type DB struct {
	db         *sql.DB
	path       string
	statements atomic.Int64
}

var _ inventory.Store = (*DB)(nil)

// Open opens (creating if needed) the database file at path, or a private
// in-memory database for ":memory:". Every connection enforces foreign keys
// and waits for busy locks; file databases use WAL. Open does not check the
// schema version: see CheckSchema and Migrate.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, fmt.Errorf("sqlite: %w: empty database path", inventory.ErrInvalid)
	}
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, fmt.Errorf("sqlite: opening %s: %w", path, err)
	}
	if path == Memory {
		// One connection that never closes keeps the database alive.
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
	} else {
		db.SetMaxOpenConns(4)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: %w: cannot open %s: %v%s", inventory.ErrUnavailable, path, err, readOnlyHint(path))
	}
	return &DB{db: db, path: path}, nil
}

// dsn builds the driver's data source name. Pragmas in the DSN run on every new
// connection, which is what makes foreign keys hold on all of them.
func dsn(path string) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", BusyTimeoutMillis))
	q.Add("_pragma", "foreign_keys(1)")
	if path == Memory {
		return path + "?" + q.Encode()
	}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	return "file:" + escapePath(path) + "?" + q.Encode()
}

// escapePath escapes the characters that would end a file: URI's path.
func escapePath(p string) string {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return r.Replace(p)
}

// Path returns the database path as given to Open.
func (db *DB) Path() string { return db.path }

// StatementCount returns how many write statements transactions have issued;
// benchmarks and tests use it to prove that writes are set-based.
func (db *DB) StatementCount() int64 { return db.statements.Load() }

// SQL exposes the database handle to tests.
func (db *DB) SQL() *sql.DB { return db.db }

// Close closes the database.
func (db *DB) Close() error { return db.db.Close() }

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
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("sqlite: creating schema_migrations: %w", mapErr(err))
	}
	return nil
}

// ApplyMigration runs one migration and records it, in one transaction.
func (db *DB) ApplyMigration(ctx context.Context, m sqlkit.Migration) error {
	return db.inTx(ctx, "BEGIN IMMEDIATE", func(t *tx) error {
		if _, err := t.conn.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("sqlite: migration %s: %w", m.Name, mapErr(err))
		}
		return t.exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
			m.Version, m.Name, sqlkit.FormatTime(timeNow()))
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
	var n int
	err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sqlite: reading schema version: %w", mapErr(err))
	}
	if n == 0 {
		return 0, nil
	}
	var v int
	if err := db.db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("sqlite: reading schema version: %w", mapErr(err))
	}
	return v, nil
}

// mapErr translates SQLite errors into the inventory error vocabulary.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %v", inventory.ErrConflict, err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY, sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return fmt.Errorf("%w: %v", inventory.ErrInvalid, err)
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_CANTOPEN:
			return fmt.Errorf("%w: %v", inventory.ErrUnavailable, err)
		}
	}
	return err
}
