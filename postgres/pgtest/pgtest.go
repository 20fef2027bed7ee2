// Package pgtest gives each test package its own migrated PostgreSQL database.
// PostgreSQL being unreachable is a test failure with instructions, never a
// skip.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"rackflow/postgres"
)

// EnvURL names the variable holding the server URL tests connect to.
const EnvURL = "RACKFLOW_TEST_POSTGRES"

// DefaultURL is used when EnvURL is unset.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// packageURL is the URL of the database Main created for this test package.
var packageURL string

// ServerURL returns the administrative URL from the environment or the default.
func ServerURL() string {
	if u := os.Getenv(EnvURL); u != "" {
		return u
	}
	return DefaultURL
}

// Main creates a database for the calling test package, migrates it, runs the
// tests and drops it. Call it from TestMain. name is a short label for the
// package (letters, digits, underscores).
func Main(m *testing.M, name string) {
	os.Exit(run(m, name))
}

func run(m *testing.M, name string) int {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dbName, dbURL, err := createDatabase(ctx, name)
	if err != nil {
		fmt.Fprintf(os.Stderr, "FAIL: PostgreSQL is required for these tests: %v\n"+
			"Start it (for example 'pg_ctlcluster --skip-systemctl-redirect 15 main start', or run '.ci/run', which installs "+
			"and starts it), or point %s at a server (default %s).\n", err, EnvURL, DefaultURL)
		return 1
	}
	packageURL = dbURL
	code := m.Run()
	dropDatabase(dbName)
	return code
}

func createDatabase(ctx context.Context, name string) (dbName, dbURL string, err error) {
	admin, err := pgx.Connect(ctx, ServerURL())
	if err != nil {
		return "", "", fmt.Errorf("cannot connect to %s: %w", redact(ServerURL()), err)
	}
	defer admin.Close(ctx)
	var b [4]byte
	rand.Read(b[:])
	dbName = fmt.Sprintf("rackflow_test_%s_%s", name, hex.EncodeToString(b[:]))
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+dbName); err != nil {
		return "", "", fmt.Errorf("creating database %s: %w", dbName, err)
	}
	u, err := url.Parse(ServerURL())
	if err != nil {
		return "", "", fmt.Errorf("%s is not a URL: %w", EnvURL, err)
	}
	u.Path = "/" + dbName
	db, err := postgres.Open(ctx, u.String())
	if err != nil {
		return "", "", err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return "", "", fmt.Errorf("migrating %s: %w", dbName, err)
	}
	return dbName, u.String(), nil
}

func dropDatabase(name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, ServerURL())
	if err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: dropping %s: %v\n", name, err)
		return
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: dropping %s: %v\n", name, err)
	}
}

// URL returns the package database's URL. It fails the test when Main has
// not run.
func URL(t testing.TB) string {
	t.Helper()
	if packageURL == "" {
		t.Fatal("pgtest: call pgtest.Main from TestMain first")
	}
	return packageURL
}

// Open returns a store on the package database with every table emptied. Tests
// that use it must not run in parallel with each other.
func Open(t testing.TB) *postgres.DB {
	t.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, URL(t))
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	tables := []string{"bmc", "component", "rack", "inventory_event", "sync_cycle", "component_drift", "drift_history"}
	if _, err := db.Pool().Exec(ctx, "TRUNCATE "+strings.Join(tables, ", ")+" RESTART IDENTITY"); err != nil {
		t.Fatalf("pgtest: truncating: %v", err)
	}
	return db
}

func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "the configured URL"
	}
	return p.Redacted()
}
