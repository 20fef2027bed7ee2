package main

import (
	"context"
	"time"
)

func init() {
	commands["serve"] = command{summary: "run cycles on a schedule and serve the API and metrics", run: runServe}
}

func runServe(ctx context.Context, args []string, o IO) int {
	fs := newFlags("serve", o)
	var cfg serviceConfig
	var dcfg daemonConfig
	cfg.register(fs, o)
	dcfg.register(fs, o, &cfg, 60*time.Second)
	if ok, code := parseFlags(fs, args, o); !ok {
		return code
	}
	// The daemon's own settings are checked before the database is opened,
	// so that a bad value starts nothing.
	if err := dcfg.validate(); err != nil {
		return fail(o, "serve", err)
	}
	svc, err := cfg.open(ctx, o)
	if err != nil {
		return fail(o, "serve", err)
	}
	defer svc.Close()
	d, err := newDaemon(ctx, svc, dcfg)
	if err != nil {
		return fail(o, "serve", err)
	}
	if err := d.serve(ctx); err != nil {
		return fail(o, "serve", err)
	}
	return 0
}
