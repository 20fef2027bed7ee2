package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"rackflow/core"
	"rackflow/coresim"
	"rackflow/cycle"
)

func init() {
	commands["demo"] = command{summary: "run everything on embedded defaults: a simulated site, SQLite, cycles and the API", run: runDemo}
}

// The demo site: fixed, so that every run shows the same inventory.
const (
	demoRacks = 8
	demoSeed  = 42
	demoDrift = 0.05
	demoDB    = "sqlite://rackflow-demo.db"
)

func runDemo(ctx context.Context, args []string, o IO) int {
	fs := newFlags("demo", o)
	var cfg serviceConfig
	var dcfg daemonConfig
	// The demo brings its own Core and turns the mirror on, so it takes no
	// Core or gate settings; its database is ./rackflow-demo.db unless --db
	// says otherwise (RACKFLOW_DB is for the real service and is not used).
	cfg.registerLocal(fs, o)
	dcfg.register(fs, o, &cfg, 30*time.Second)
	fs.Lookup("db").DefValue = demoDB
	cfg.DB = demoDB
	// The demo's own summary goes to stdout; keep stderr to warnings, in text,
	// unless asked otherwise, so that the terminal stays readable.
	if o.Getenv("RACKFLOW_LOG_LEVEL") == "" {
		cfg.Log.Level = "warn"
	}
	if o.Getenv("RACKFLOW_LOG_FORMAT") == "" {
		cfg.Log.Format = "text"
	}
	if ok, code := parseFlags(fs, args, o); !ok {
		return code
	}
	log, err := cfg.Log.logger(o.Err)
	if err != nil {
		return fail(o, "demo", err)
	}
	release, err := lockSQLite(cfg.DB)
	if err != nil {
		return fail(o, "demo", err)
	}
	defer release()
	sim, addr, err := startDemoSite(log)
	if err != nil {
		return fail(o, "demo", err)
	}
	defer sim.Stop()
	if err := migrateQuietly(ctx, cfg.DB); err != nil {
		return fail(o, "demo", err)
	}
	// Writes (the dashboard's release button, POST /v1/cycles) need a token;
	// the demo makes one unless RACKFLOW_API_TOKEN gives it.
	generated := false
	if dcfg.Token == "" {
		if dcfg.Token, err = newToken(); err != nil {
			return fail(o, "demo", err)
		}
		generated = true
	}
	cfg.expectedSync = boolFlag{set: true, value: true}
	svc, err := cfg.openWith(ctx, o, log, core.Config{Addr: addr, Insecure: true, Timeout: 30 * time.Second})
	if err != nil {
		return fail(o, "demo", err)
	}
	defer svc.Close()
	svc.lockRelease = release // the daemon's election keeps the lock taken above
	d, err := newDaemon(ctx, svc, dcfg)
	if err != nil {
		return fail(o, "demo", err)
	}
	printDemoBanner(o, demoBanner{sim: addr, db: cfg.DB, listen: d.api.Addr(), interval: dcfg.Interval, token: dcfg.Token, generated: generated})
	d.onCycle = demoPrinter(o)
	if err := d.serve(ctx); err != nil {
		return fail(o, "demo", err)
	}
	fmt.Fprintln(o.Out, "demo stopped")
	return 0
}

// startDemoSite generates the demo site and serves it on a free loopback port.
func startDemoSite(log interface{ Info(string, ...any) }) (*coresim.Server, string, error) {
	m := coresim.Generate(coresim.GenerateOptions{Racks: demoRacks, Seed: demoSeed, Drift: demoDrift})
	srv, err := coresim.New(m, nil)
	if err != nil {
		return nil, "", err
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", fmt.Errorf("starting the simulator: %w", err)
	}
	go srv.Serve(lis) //nolint:errcheck // Stop ends it
	log.Info("core simulator started", "addr", lis.Addr().String(), "racks", demoRacks)
	return srv, lis.Addr().String(), nil
}

func migrateQuietly(ctx context.Context, url string) error {
	db, err := openDatabase(ctx, url)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Migrate(ctx)
	return err
}

// demoBanner is what the demo says at start-up.
type demoBanner struct {
	sim, db, listen string
	interval        time.Duration
	token           string
	generated       bool // the token was made for this run, so it is shown
}

func printDemoBanner(o IO, b demoBanner) {
	token := "from RACKFLOW_API_TOKEN"
	if b.generated {
		token = b.token
	}
	fmt.Fprintf(o.Out, `rackflow demo
  dashboard: http://%s/
  token:     %s  (for writes: the dashboard's release of held deletes, POST /v1/cycles)
  site:      %d generated GB200 NVL72 racks (seed %d, %.0f%% drift), Core simulator on %s
  database:  %s
  API:       http://%s/v1/  (GET /healthz, GET /metrics)
  cycles:    now, then every %s (±10%%); Ctrl-C stops

`, b.listen, token, demoRacks, demoSeed, demoDrift*100, b.sim, b.db, b.listen, b.interval)
}

// demoPrinter prints a readable summary of each cycle.
func demoPrinter(o IO) func(cycle.Result) {
	var mu sync.Mutex
	n := 0
	return func(r cycle.Result) {
		mu.Lock()
		defer mu.Unlock()
		n++
		dur := time.Duration(0)
		if r.Cycle.FinishedAt != nil {
			dur = r.Cycle.FinishedAt.Sub(r.Cycle.StartedAt).Round(time.Millisecond)
		}
		// One write per cycle, so that a reader never sees half a summary.
		var b strings.Builder
		fmt.Fprintf(&b, "cycle %d (%s) %s in %s\n", n, r.Cycle.Trigger, r.Cycle.Status, dur)
		printSteps(&b, r.Steps)
		b.WriteString("\n")
		io.WriteString(o.Out, b.String())
	}
}
