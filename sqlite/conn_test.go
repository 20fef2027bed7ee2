package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	"rackflow/inventory"
	"rackflow/sqlite"
)

func openFile(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "rackflow.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestOpen_EveryConnectionEnforcesForeignKeys holds several connections at
// once, so that the pool must open each of them, and checks the pragmas on
// every one.
func TestOpen_EveryConnectionEnforcesForeignKeys(t *testing.T) {
	db := openFile(t)
	ctx := context.Background()
	var conns []*sql.Conn
	for range 4 {
		c, err := db.SQL().Conn(ctx)
		if err != nil {
			t.Fatalf("Conn: %v", err)
		}
		conns = append(conns, c)
	}
	for i, c := range conns {
		var fk, busy int
		var mode string
		if err := c.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if fk != 1 || busy != sqlite.BusyTimeoutMillis || mode != "wal" {
			t.Errorf("connection %d: foreign_keys=%d busy_timeout=%d journal_mode=%s, want 1, %d, wal", i, fk, busy, mode, sqlite.BusyTimeoutMillis)
		}
	}
	for _, c := range conns {
		c.Close()
	}
}

func TestOpen_MemoryDatabaseSetsForeignKeys(t *testing.T) {
	db := openMemory(t)
	var fk int
	if err := db.SQL().QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign_keys = %d (%v), want 1", fk, err)
	}
}

func TestOpen_PathWithQueryCharactersIsTakenVerbatim(t *testing.T) {
	path := filepath.Join(t.TempDir(), "odd?name#1%.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open(%q): %v", path, err)
	}
	defer db.Close()
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	if _, err := filepath.Glob(path); err != nil {
		t.Fatal(err)
	}
	if matches, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "odd*")); len(matches) == 0 || filepath.Base(matches[0]) != "odd?name#1%.db" {
		t.Fatalf("files = %v, want the database at %s", matches, path)
	}
}

func TestOpen_UnopenablePathIsUnavailable(t *testing.T) {
	_, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "missing-dir", "x.db"))
	if !errors.Is(err, inventory.ErrUnavailable) {
		t.Fatalf("Open in a missing directory = %v, want ErrUnavailable", err)
	}
}

func TestCheckSchema_RefusesBehindAndAhead(t *testing.T) {
	db := openFile(t)
	ctx := context.Background()
	if err := db.CheckSchema(ctx); !errors.Is(err, inventory.ErrSchemaBehind) {
		t.Fatalf("CheckSchema on an empty database = %v, want ErrSchemaBehind", err)
	}
	n, err := db.Migrate(ctx)
	if err != nil || n == 0 {
		t.Fatalf("Migrate = %d, %v", n, err)
	}
	if err := db.CheckSchema(ctx); err != nil {
		t.Fatalf("CheckSchema after Migrate = %v", err)
	}
	if n, err := db.Migrate(ctx); err != nil || n != 0 {
		t.Fatalf("second Migrate = %d, %v; want 0, nil", n, err)
	}
	if _, err := db.SQL().Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')`); err != nil {
		t.Fatal(err)
	}
	if err := db.CheckSchema(ctx); !errors.Is(err, inventory.ErrSchemaAhead) {
		t.Fatalf("CheckSchema on a newer database = %v, want ErrSchemaAhead", err)
	}
	if _, err := db.Migrate(ctx); !errors.Is(err, inventory.ErrSchemaAhead) {
		t.Fatalf("Migrate on a newer database = %v, want ErrSchemaAhead", err)
	}
}
