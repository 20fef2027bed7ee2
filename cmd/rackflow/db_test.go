package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"rackflow/inventory"
	"rackflow/postgres/pgtest"
	"rackflow/sqlite"
)

func TestParseDatabaseURL(t *testing.T) {
	tests := []struct {
		name, in string
		want     dbTarget
	}{
		{"relative sqlite path", "sqlite://rackflow.db", dbTarget{Target: "rackflow.db"}},
		{"absolute sqlite path", "sqlite:///var/lib/rackflow.db", dbTarget{Target: "/var/lib/rackflow.db"}},
		{"sqlite path taken verbatim", "sqlite://a b?c=d", dbTarget{Target: "a b?c=d"}},
		{"in-memory sqlite", "sqlite://:memory:", dbTarget{Target: ":memory:"}},
		{"postgres scheme", "postgres://u@h/db", dbTarget{Postgres: true, Target: "postgres://u@h/db"}},
		{"postgresql scheme", "postgresql://u@h/db", dbTarget{Postgres: true, Target: "postgresql://u@h/db"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseDatabaseURL(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("parseDatabaseURL(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseDatabaseURL_RejectsOtherFormsListingTheSupportedOnes(t *testing.T) {
	for _, in := range []string{"", "rackflow.db", "mysql://u:hunter2@h/db", "sqlite://", "SQLITE://x"} {
		_, err := parseDatabaseURL(in)
		if err == nil {
			t.Errorf("parseDatabaseURL(%q) succeeded", in)
			continue
		}
		if msg := err.Error(); strings.Contains(msg, "hunter2") {
			t.Errorf("parseDatabaseURL(%q) error %q leaks a password", in, msg)
		}
	}
	_, err := parseDatabaseURL("mysql://x")
	for _, form := range []string{"sqlite://PATH", "sqlite://:memory:", "postgres://", "postgresql://"} {
		if !strings.Contains(err.Error(), form) {
			t.Errorf("error %q does not list %s", err, form)
		}
	}
}

func TestMigrate_SQLiteThenCurrent(t *testing.T) {
	url := "sqlite://" + filepath.Join(t.TempDir(), "r.db")
	ms, err := sqlite.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if r := run(t, nil, "migrate", "--db", url); r.code != 0 || !strings.Contains(r.out, fmt.Sprintf("applied %d migration(s)", len(ms))) {
		t.Fatalf("first migrate: %+v", r)
	}
	if r := run(t, map[string]string{"RACKFLOW_DB": url}, "migrate"); r.code != 0 || !strings.Contains(r.out, "applied 0 migration(s)") {
		t.Fatalf("second migrate via RACKFLOW_DB: %+v", r)
	}
	db, err := openCurrentDatabase(context.Background(), url)
	if err != nil {
		t.Fatalf("openCurrentDatabase after migrate: %v", err)
	}
	db.Close()
}

func TestMigrate_PostgreSQL(t *testing.T) {
	r := run(t, nil, "migrate", "--db", pgtest.URL(t))
	if r.code != 0 || !strings.Contains(r.out, "applied 0 migration(s)") {
		t.Fatalf("migrate on the migrated package database: %+v", r)
	}
}

func TestOpenCurrentDatabase_RefusesBehindSchemaSayingToMigrate(t *testing.T) {
	url := "sqlite://" + filepath.Join(t.TempDir(), "r.db")
	_, err := openCurrentDatabase(context.Background(), url)
	if !errors.Is(err, inventory.ErrSchemaBehind) || !strings.Contains(err.Error(), "run 'rackflow migrate'") {
		t.Fatalf("openCurrentDatabase on an empty database = %v, want ErrSchemaBehind saying to run rackflow migrate", err)
	}
}

func TestMigrate_BadInputIsOneErrorLine(t *testing.T) {
	for _, url := range []string{"mysql://x", "postgres://%zz", "postgres://u:pw@127.0.0.1:1/x?connect_timeout=2&sslmode=disable",
		"sqlite://" + filepath.Join(t.TempDir(), "no", "such", "dir.db")} {
		r := run(t, nil, "migrate", "--db", url)
		if r.code != 1 || strings.Count(r.err, "\n") != 1 || strings.Contains(r.err, "goroutine") || strings.Contains(r.err, ":pw@") {
			t.Errorf("migrate --db %s: code %d, stderr %q; want exit 1 and one clean line", url, r.code, r.err)
		}
	}
}

func TestRedactURL_HidesEveryPasswordForm(t *testing.T) {
	for _, in := range []string{
		"postgres://u:hunter2@h:5432/db?sslmode=disable",
		"postgres://u@h/db?password=hunter2",
		"postgresql://h/db?user=u&password=hunter2&sslpassword=hunter2",
		"postgres://u:hunter2@h/db?PASSWORD=hunter2",
		"postgres://u:hunter2@%zz/db",
	} {
		if got := redactURL(in); strings.Contains(got, "hunter2") {
			t.Errorf("redactURL(%q) = %q, leaks the password", in, got)
		}
	}
	if got := redactURL("sqlite://rackflow.db"); got != "sqlite://rackflow.db" {
		t.Errorf("redactURL changed a URL without secrets: %q", got)
	}
	if got := redactURL("postgres://u@h/db?sslmode=disable"); !strings.Contains(got, "u@h/db") || !strings.Contains(got, "sslmode=disable") {
		t.Errorf("redactURL lost the non-secret parts: %q", got)
	}
}
