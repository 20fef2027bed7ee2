package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"strings"

	"rackflow/inventory"
	"rackflow/postgres"
	"rackflow/sqlite"
)

// database is what commands need from a store beyond inventory.Store.
type database interface {
	inventory.Store
	inventory.Reader
	Migrate(ctx context.Context) (int, error)
	CheckSchema(ctx context.Context) error
	FailRunningCycles(ctx context.Context, reason string) (int, error)
}

var (
	_ database = (*postgres.DB)(nil)
	_ database = (*sqlite.DB)(nil)
)

const defaultDB = "sqlite://rackflow.db"

// dbFlag registers --db (RACKFLOW_DB).
func dbFlag(fs *flag.FlagSet, o IO, dst *string) {
	fs.StringVar(dst, "db", env(o, "RACKFLOW_DB", defaultDB), "database URL: sqlite://PATH, sqlite://:memory: or postgres://… (RACKFLOW_DB)")
}

// dbTarget is a parsed database URL.
type dbTarget struct {
	Postgres bool
	Target   string // the SQLite path, or the PostgreSQL URL
}

// parseDatabaseURL applies cli.md's rules: sqlite://PATH takes the rest
// verbatim as the path; postgres:// and postgresql:// are handed to pgx.
func parseDatabaseURL(s string) (dbTarget, error) {
	switch {
	case strings.HasPrefix(s, "sqlite://"):
		path := strings.TrimPrefix(s, "sqlite://")
		if path == "" {
			return dbTarget{}, fmt.Errorf("database URL %q has no path: want sqlite://PATH", s)
		}
		return dbTarget{Target: path}, nil
	case strings.HasPrefix(s, "postgres://"), strings.HasPrefix(s, "postgresql://"):
		return dbTarget{Postgres: true, Target: s}, nil
	}
	return dbTarget{}, fmt.Errorf("database URL %q is not supported: want sqlite://PATH, sqlite://:memory:, postgres://… or postgresql://…", redactURL(s))
}

// redactURL hides the secrets of a database URL for logs and errors: the
// password of its user part and any password or sslpassword parameter.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" {
		if strings.Contains(s, "@") || strings.Contains(strings.ToLower(s), "password") {
			return "(a URL that does not parse; not shown because it may hold a password)"
		}
		return s
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	q := u.Query()
	for k := range q {
		if strings.Contains(strings.ToLower(k), "password") {
			q.Set(k, "xxxxx")
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// openDatabase opens the store named by url without checking its schema.
func openDatabase(ctx context.Context, url string) (database, error) {
	t, err := parseDatabaseURL(url)
	if err != nil {
		return nil, err
	}
	if t.Postgres {
		return postgres.Open(ctx, t.Target)
	}
	return sqlite.Open(ctx, t.Target)
}

// openCurrentDatabase opens the store and refuses a schema that is not
// exactly this binary's, telling the operator to run rackflow migrate.
func openCurrentDatabase(ctx context.Context, url string) (database, error) {
	db, err := openDatabase(ctx, url)
	if err != nil {
		return nil, err
	}
	if err := db.CheckSchema(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}
