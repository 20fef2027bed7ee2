// Package sqlitetest gives tests of any package a fresh, migrated SQLite
// store, the embedded counterpart of postgres/pgtest.
package sqlitetest

import (
	"context"
	"path/filepath"
	"testing"

	"rackflow/sqlite"
)

// Open returns a migrated private in-memory store, closed when the test ends.
func Open(t testing.TB) *sqlite.DB {
	t.Helper()
	return open(t, sqlite.Memory)
}

// OpenFile returns a migrated store in a file of the test's temporary
// directory (WAL mode, as in production), closed when the test ends.
func OpenFile(t testing.TB) *sqlite.DB {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "rackflow.db"))
}

func open(t testing.TB, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("sqlitetest: opening %s: %v", path, err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("sqlitetest: migrating %s: %v", path, err)
	}
	return db
}
