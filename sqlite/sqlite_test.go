package sqlite_test

import (
	"context"
	"testing"

	"rackflow/inventory"
	"rackflow/sqlite"
	"rackflow/storetest"
)

// openMemory returns a fresh, migrated in-memory store.
func openMemory(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), sqlite.Memory)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return db
}

func TestStoreConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) inventory.Store { return openMemory(t) })
}

func TestReaderConformance(t *testing.T) {
	storetest.RunReader(t, func(t *testing.T) inventory.Store { return openMemory(t) })
}
