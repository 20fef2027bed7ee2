package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"rackflow/inventory"
	"rackflow/postgres"
	"rackflow/postgres/pgtest"
	"rackflow/sqlite"
)

func TestMigrations_NumbersMatchSQLite(t *testing.T) {
	pg, err := postgres.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	lite, err := sqlite.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(pg) != len(lite) {
		t.Fatalf("postgres has %d migrations, sqlite %d", len(pg), len(lite))
	}
	for i := range pg {
		if pg[i].Name != lite[i].Name {
			t.Errorf("migration %d: postgres %s, sqlite %s", i+1, pg[i].Name, lite[i].Name)
		}
	}
}

func TestCheckSchema_PackageDatabaseIsCurrent(t *testing.T) {
	db := pgtest.Open(t)
	if err := db.CheckSchema(context.Background()); err != nil {
		t.Fatalf("CheckSchema = %v", err)
	}
	if n, err := db.Migrate(context.Background()); err != nil || n != 0 {
		t.Fatalf("Migrate on a current database = %d, %v; want 0, nil", n, err)
	}
}

func TestCheckSchema_RefusesAheadDatabase(t *testing.T) {
	db := pgtest.Open(t)
	ctx := context.Background()
	if _, err := db.Pool().Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES (999, 'future')`); err != nil {
		t.Fatal(err)
	}
	defer db.Pool().Exec(ctx, `DELETE FROM schema_migrations WHERE version = 999`)
	if err := db.CheckSchema(ctx); !errors.Is(err, inventory.ErrSchemaAhead) {
		t.Fatalf("CheckSchema = %v, want ErrSchemaAhead", err)
	}
}

func TestOpen_BadURLAndUnreachableServer(t *testing.T) {
	ctx := context.Background()
	if _, err := postgres.Open(ctx, "postgres://%zz"); !errors.Is(err, inventory.ErrInvalid) {
		t.Errorf("Open(bad URL) = %v, want ErrInvalid", err)
	}
	_, err := postgres.Open(ctx, "postgres://postgres:secret@127.0.0.1:1/x?sslmode=disable&connect_timeout=2")
	if !errors.Is(err, inventory.ErrUnavailable) {
		t.Errorf("Open(unreachable) = %v, want ErrUnavailable", err)
	}
	if err != nil && strings.Contains(err.Error(), "secret") {
		t.Errorf("error leaks the password: %v", err)
	}
}

func TestOpen_ErrorsNeverShowAPassword(t *testing.T) {
	ctx := context.Background()
	for _, url := range []string{
		"postgres://u:hunter2@127.0.0.1:1/x?sslmode=disable&connect_timeout=2",
		"postgres://u@127.0.0.1:1/x?password=hunter2&sslmode=disable&connect_timeout=2",
		"postgres://u@%zz/x?password=hunter2",
	} {
		if _, err := postgres.Open(ctx, url); err == nil || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Open(%q) error %v shows the password", url, err)
		}
	}
}
