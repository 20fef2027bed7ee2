package main

import (
	"context"
	"fmt"
)

func init() {
	commands["migrate"] = command{summary: "apply pending database migrations", run: runMigrate}
}

func runMigrate(ctx context.Context, args []string, o IO) int {
	fs := newFlags("migrate", o)
	var dbURL string
	dbFlag(fs, o, &dbURL)
	if ok, code := parseFlags(fs, args, o); !ok {
		return code
	}
	release, err := lockSQLite(dbURL)
	if err != nil {
		return fail(o, "migrate", err)
	}
	defer release()
	db, err := openDatabase(ctx, dbURL)
	if err != nil {
		return fail(o, "migrate", err)
	}
	defer db.Close()
	n, err := db.Migrate(ctx)
	if err != nil {
		return fail(o, "migrate", err)
	}
	fmt.Fprintf(o.Out, "applied %d migration(s); schema is current\n", n)
	return 0
}
