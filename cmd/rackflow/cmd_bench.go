package main

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5"

	"rackflow/core"
	"rackflow/coresim"
	"rackflow/cycle"
	"rackflow/internal/sqlkit"
	"rackflow/inventory"
	"rackflow/mirror"
	"rackflow/postgres"
	"rackflow/sqlite"
)

// rackflow bench measures the mirror and the cycle on generated GB200 NVL72
// sites served by the simulator, on both backends, beside three baselines
// measured in the same run: a raw bulk load of the same components and BMCs,
// a plain scan of the same tables, and a per-row apply of the same plan.
// Every scenario runs in a child process (this binary, re-executed), so that
// its peak RSS is its own: the simulator and the parent are not counted.

func init() {
	commands["bench"] = command{summary: "measure the mirror and the cycle on generated sites, beside raw baselines", run: runBench}
}

// benchScenario is one row of the table: the child operations that prepare
// its database (untimed, in their own processes), then the measured one.
type benchScenario struct {
	name  string
	setup []string
	churn bool // serve the churned site to the measured operation
	op    string
}

var benchScenarios = []benchScenario{
	{name: "first mirror", op: "mirror"},
	{name: "no-op mirror", setup: []string{"mirror"}, op: "mirror"},
	{name: "mirror, 1% churn", setup: []string{"mirror"}, churn: true, op: "mirror"},
	{name: "first cycle", op: "cycle"},
	{name: "steady cycle, 1% drift", setup: []string{"cycle"}, op: "cycle"},
	{name: "steady cycle, same process", setup: []string{"cycle"}, op: "cycle-again"},
	{name: "baseline: raw bulk load", op: "load"},
	{name: "baseline: plain scan", setup: []string{"mirror"}, op: "scan"},
	{name: "baseline: per-row apply", op: "per-row"},
}

// benchResult is what a child reports on its standard output.
type benchResult struct {
	Seconds    float64 `json:"seconds"`
	Statements int64   `json:"statements"`
	RSS        int64   `json:"peak_rss_bytes"`
	// Steps holds the stage times of each step of a measured mirror or
	// cycle, by "phase/type" ("mirror/Compute", "actual/NVSwitch").
	Steps map[string]benchStep `json:"steps,omitempty"`
}

// benchStep is one step's stage times in seconds (cycle.Timing).
type benchStep struct {
	Pull  float64 `json:"pull_seconds"`
	Plan  float64 `json:"plan_seconds"`
	Apply float64 `json:"apply_seconds"`
	Total float64 `json:"total_seconds"`
}

// pullSeconds is the time the measured operation's steps spent pulling
// from Core.
func (r benchResult) pullSeconds() float64 {
	var total float64
	for _, s := range r.Steps {
		total += s.Pull
	}
	return total
}

func stepTimes(into map[string]benchStep, phase string, steps map[string]cycle.Step) {
	for name, s := range steps {
		t := s.Timing
		into[phase+"/"+name] = benchStep{Pull: t.Pull.Seconds(), Plan: t.Plan.Seconds(), Apply: t.Apply.Seconds(), Total: t.Total.Seconds()}
	}
}

type benchOptions struct {
	racks    []int
	backends []string
	postgres string
	only     string
	exe      string
	profile  string // directory for the measured children's profiles, or ""
	memLimit string // GOMEMLIMIT of the measured children, or ""
	count    int    // runs of each scenario
}

func runBench(ctx context.Context, args []string, o IO) int {
	fs := newFlags("bench", o)
	racks := fs.String("racks", "100,1000", "comma-separated site sizes in racks; 10000 takes several minutes per backend")
	backends := fs.String("backends", "sqlite,postgres", "comma-separated backends: sqlite, postgres")
	pg := fs.String("postgres", env(o, "RACKFLOW_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"),
		"PostgreSQL server in which scratch databases are created and dropped (RACKFLOW_TEST_POSTGRES)")
	only := fs.String("only", "", "comma-separated: run only the scenarios whose name contains one of these")
	asJSON := fs.Bool("json", false, "print the results as JSON instead of a table")
	withSteps := fs.Bool("steps", false, "also print the stage times of each step of every measured mirror and cycle")
	child := fs.String("child", "", "internal: run one measured operation in this process")
	coreAddr := fs.String("core", "", "internal: the simulator address of a child")
	db := fs.String("db", "", "internal: the database URL of a child")
	profile := fs.String("profile", "", "write a CPU and a heap profile of each measured operation into this directory")
	memLimit := fs.String("memory-limit", "", "run each measured operation with this GOMEMLIMIT (the Go runtime's soft memory limit, e.g. 900MiB)")
	count := fs.Int("count", 1, "run each scenario this many times, the scenarios of a size and backend in turn, and report the median run")
	if ok, code := parseFlags(fs, args, o); !ok {
		return code
	}
	if *child != "" {
		return benchChild(ctx, *child, *coreAddr, *db, *profile, o)
	}
	opt := benchOptions{backends: splitList(*backends), postgres: *pg, only: *only, profile: *profile, memLimit: *memLimit, count: *count}
	if opt.count < 1 {
		return fail(o, "bench", fmt.Errorf("--count %d: want at least 1", opt.count))
	}
	var err error
	if opt.racks, err = parseSizes(*racks); err != nil {
		return fail(o, "bench", err)
	}
	for _, b := range opt.backends {
		if b != "sqlite" && b != "postgres" {
			return fail(o, "bench", fmt.Errorf("backend %q: want sqlite or postgres", b))
		}
	}
	if opt.exe, err = os.Executable(); err != nil {
		return fail(o, "bench", err)
	}
	rows, err := benchAll(ctx, opt, o)
	if err != nil {
		return fail(o, "bench", err)
	}
	if *asJSON {
		if err := json.NewEncoder(o.Out).Encode(rows); err != nil {
			return fail(o, "bench", err)
		}
		return 0
	}
	printBench(o.Out, rows)
	if *withSteps {
		fmt.Fprintln(o.Out)
		printBenchSteps(o.Out, rows)
	}
	return 0
}

// selected reports whether the scenario is to run.
func (o benchOptions) selected(name string) bool {
	words := splitList(o.only)
	for _, w := range words {
		if strings.Contains(name, w) {
			return true
		}
	}
	return len(words) == 0
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func parseSizes(s string) ([]int, error) {
	var out []int
	for _, p := range splitList(s) {
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("site size %q: want a positive number of racks", p)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, errors.New("no site size given (--racks)")
	}
	return out, nil
}

// benchRow is one measured scenario of one size and backend: its median
// run, and the time of every run in the order they ran.
type benchRow struct {
	Racks    int         `json:"racks"`
	Backend  string      `json:"backend"`
	Scenario string      `json:"scenario"`
	Result   benchResult `json:"result"`
	Runs     []float64   `json:"runs_seconds,omitempty"`
}

// medianRun returns the run with the median time; of an even number of
// runs, the slower of the two middle ones.
func medianRun(runs []benchResult) benchResult {
	sorted := slices.SortedFunc(slices.Values(runs), func(a, b benchResult) int { return cmp.Compare(a.Seconds, b.Seconds) })
	return sorted[len(sorted)/2]
}

func benchAll(ctx context.Context, opt benchOptions, o IO) ([]benchRow, error) {
	var rows []benchRow
	for _, n := range opt.racks {
		site := coresim.Generate(coresim.GenerateOptions{Racks: n, Seed: 1, Drift: 0.01})
		churned := churn(site)
		srv, addr, err := serveBenchSite(site)
		if err != nil {
			return nil, err
		}
		for _, backend := range opt.backends {
			// Each round runs every selected scenario once, so that the
			// machine's drift reaches all of them alike.
			runs := map[string][]benchResult{}
			for run := range opt.count {
				for _, sc := range benchScenarios {
					if !opt.selected(sc.name) {
						continue
					}
					fmt.Fprintf(o.Err, "bench: %d racks, %s: %s%s\n", n, backend, sc.name, runLabel(run, opt.count))
					res, err := runScenario(ctx, opt, n, backend, addr, srv, site, churned, sc, run)
					if err != nil {
						srv.Stop()
						return nil, fmt.Errorf("%d racks, %s, %s: %w", n, backend, sc.name, err)
					}
					runs[sc.name] = append(runs[sc.name], res)
				}
			}
			for _, sc := range benchScenarios {
				if rs := runs[sc.name]; len(rs) > 0 {
					rows = append(rows, benchRow{Racks: n, Backend: backend, Scenario: sc.name, Result: medianRun(rs), Runs: runTimes(rs)})
				}
			}
		}
		srv.Stop()
	}
	return rows, nil
}

func runLabel(run, count int) string {
	if count == 1 {
		return ""
	}
	return fmt.Sprintf(" (run %d of %d)", run+1, count)
}

// runTimes lists the runs' times, or nothing for a single run.
func runTimes(runs []benchResult) []float64 {
	if len(runs) < 2 {
		return nil
	}
	out := make([]float64, len(runs))
	for i, r := range runs {
		out[i] = r.Seconds
	}
	return out
}

func serveBenchSite(m *coresim.Manifest) (*coresim.Server, string, error) {
	srv, err := coresim.New(m, slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, "", err
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	go srv.Serve(lis) //nolint:errcheck // ends with Stop
	return srv, lis.Addr().String(), nil
}

// runScenario prepares a scratch database, runs the setup operations and
// then the measured one, each in its own child process, and drops the
// database.
func runScenario(ctx context.Context, opt benchOptions, racks int, backend, addr string, srv *coresim.Server, site, churned *coresim.Manifest,
	sc benchScenario, run int) (benchResult, error) {
	dbURL, drop, err := scratchDB(ctx, opt, backend)
	if err != nil {
		return benchResult{}, err
	}
	defer drop()
	for _, op := range sc.setup {
		if _, err := runChild(ctx, opt.exe, op, addr, dbURL, "", ""); err != nil {
			return benchResult{}, fmt.Errorf("setup %s: %w", op, err)
		}
	}
	if sc.churn {
		if err := srv.Reload(churned); err != nil {
			return benchResult{}, err
		}
		defer srv.Reload(site) //nolint:errcheck // the same manifest loaded before
	}
	prof := ""
	if opt.profile != "" {
		prof = filepath.Join(opt.profile, fmt.Sprintf("%d-%s-%s", racks, backend, profileSlug(sc.name)))
		if opt.count > 1 {
			prof += fmt.Sprintf("-run%d", run+1) // the table's median may be any run
		}
	}
	return runChild(ctx, opt.exe, sc.op, addr, dbURL, prof, opt.memLimit)
}

// profileSlug is a scenario name made fit for a file name.
func profileSlug(name string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, name)
}

// runChild runs one operation in a child process and returns its result.
// With a non-empty profile the child writes profile+".cpu.pprof" and
// profile+".heap.pprof". A non-empty memLimit is the child's GOMEMLIMIT.
func runChild(ctx context.Context, exe, op, addr, dbURL, profile, memLimit string) (benchResult, error) {
	cmd := exec.CommandContext(ctx, exe, "bench", "--child", op, "--core", addr, "--db", dbURL, "--profile", profile)
	if memLimit != "" {
		cmd.Env = append(os.Environ(), "GOMEMLIMIT="+memLimit)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return benchResult{}, fmt.Errorf("%s: %w: %s", op, err, strings.TrimSpace(errb.String()))
	}
	var res benchResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		return benchResult{}, fmt.Errorf("%s: reading the child's result %q: %w", op, out.String(), err)
	}
	return res, nil
}

// peakRSS is this process's peak resident set size in bytes: VmHWM from
// /proc/self/status, or 0 where there is none. Not the rusage of the child:
// Linux carries ru_maxrss across fork and exec, so a child would report at
// least the parent's size (the parent holds the simulator and the site).
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kib, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0
			}
			return kib * 1024
		}
	}
	return 0
}

// scratchDB creates an empty, migrated database and returns its URL and a
// function that removes it.
func scratchDB(ctx context.Context, opt benchOptions, backend string) (string, func(), error) {
	if backend == "sqlite" {
		dir, err := os.MkdirTemp("", "rackflow-bench-")
		if err != nil {
			return "", nil, err
		}
		path := filepath.Join(dir, "rackflow.db")
		drop := func() { os.RemoveAll(dir) }
		db, err := sqlite.Open(ctx, path)
		if err == nil {
			_, err = db.Migrate(ctx)
			db.Close()
		}
		if err != nil {
			drop()
			return "", nil, err
		}
		return "sqlite://" + path, drop, nil
	}
	return scratchPostgres(ctx, opt.postgres)
}

func scratchPostgres(ctx context.Context, server string) (string, func(), error) {
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		return "", nil, fmt.Errorf("connecting to %s: %w", redactURL(server), err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "rackflow_bench_" + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close(ctx)
		return "", nil, err
	}
	drop := func() {
		admin.Exec(context.WithoutCancel(ctx), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") //nolint:errcheck // best effort
		admin.Close(context.WithoutCancel(ctx))
	}
	u, err := url.Parse(server)
	if err != nil {
		drop()
		return "", nil, err
	}
	u.Path = "/" + name
	db, err := postgres.Open(ctx, u.String())
	if err == nil {
		_, err = db.Migrate(ctx)
		db.Close()
	}
	if err != nil {
		drop()
		return "", nil, err
	}
	return u.String(), drop, nil
}

// churn returns a copy of m in which 1% of the expected components change:
// a third get a new name and BMC IP, a third disappear, and a third are
// replaced by a new component (new serial, MAC and Core id) in their place.
func churn(m *coresim.Manifest) *coresim.Manifest {
	c := *m
	used := map[string]bool{}
	for _, l := range [][]coresim.ExpectedComponent{m.Expected.Machines, m.Expected.Switches, m.Expected.PowerShelves} {
		for _, e := range l {
			used[strings.ToLower(e.BMCMAC)] = true
		}
	}
	for _, a := range m.Actual.Machines {
		used[strings.ToLower(a.BMCMAC)] = true
	}
	next := 0
	newMAC := func() string {
		for {
			next++
			mac := fmt.Sprintf("06:ee:%02x:%02x:%02x:%02x", byte(next>>24), byte(next>>16), byte(next>>8), byte(next))
			if !used[mac] {
				return mac
			}
		}
	}
	c.Expected.Machines = churnList(m.Expected.Machines, newMAC)
	c.Expected.Switches = churnList(m.Expected.Switches, newMAC)
	c.Expected.PowerShelves = churnList(m.Expected.PowerShelves, newMAC)
	return &c
}

func churnList(in []coresim.ExpectedComponent, newMAC func() string) []coresim.ExpectedComponent {
	out := make([]coresim.ExpectedComponent, 0, len(in))
	for i, e := range in {
		switch i % 300 {
		case 0:
			e.Name += "-renamed"
			e.BMCIP = ""
		case 100:
			continue
		case 200:
			e.ID, e.Serial, e.BMCMAC, e.Name = inventory.NewID(), e.Serial+"-NEW", newMAC(), e.Name+"-new"
		}
		out = append(out, e)
	}
	return out
}

// benchStore is a store that counts its write statements.
type benchStore interface {
	inventory.Store
	StatementCount() int64
}

// benchChild runs one operation against the database and prints its result
// as JSON. Logs go through a JSON handler at INFO into io.Discard, so that
// formatting them costs what it costs in the service.
func benchChild(ctx context.Context, op, coreAddr, dbURL, profile string, o IO) int {
	run, ok := benchOps[op]
	if !ok {
		return fail(o, "bench", fmt.Errorf("unknown operation %q", op))
	}
	target, err := parseDatabaseURL(dbURL)
	if err != nil {
		return fail(o, "bench", err)
	}
	var st benchStore
	if target.Postgres {
		st, err = postgres.Open(ctx, target.Target)
	} else {
		st, err = sqlite.Open(ctx, target.Target)
	}
	if err != nil {
		return fail(o, "bench", err)
	}
	defer st.Close()
	log := slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
	client, err := core.Dial(ctx, core.Config{Addr: coreAddr, Insecure: true, Timeout: 10 * time.Minute, Logger: log})
	if err != nil {
		return fail(o, "bench", err)
	}
	defer client.Close()
	stop, err := startProfile(profile)
	if err != nil {
		return fail(o, "bench", err)
	}
	steps := map[string]benchStep{}
	took, stmts, err := run(ctx, benchEnv{store: st, core: client, log: log, steps: steps})
	if perr := stop(); perr != nil && err == nil {
		err = perr
	}
	if err != nil {
		return fail(o, "bench", fmt.Errorf("%s: %w", op, err))
	}
	res := benchResult{Seconds: took.Seconds(), Statements: stmts, RSS: peakRSS(), Steps: steps}
	json.NewEncoder(o.Out).Encode(res) //nolint:errcheck // the parent reports a missing result
	return 0
}

// startProfile starts a CPU profile into profile+".cpu.pprof" and returns
// the function that stops it and writes the allocations profile beside it
// (profile+".heap.pprof"). Meanwhile, every second, a new high of the live
// heap writes the heap profile as of then to profile+".peak.pprof", which
// shows what was held when the process was largest. With an empty profile
// it does nothing.
func startProfile(profile string) (stop func() error, err error) {
	if profile == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(profile + ".cpu.pprof")
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	done, sampled := make(chan struct{}), make(chan error, 1)
	go func() { sampled <- samplePeakHeap(profile+".peak.pprof", done) }()
	return func() error {
		close(done)
		peakErr := <-sampled
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			return err
		}
		if err := writeProfile(profile+".heap.pprof", "allocs"); err != nil {
			return err
		}
		return peakErr
	}, nil
}

// samplePeakHeap writes the heap profile to path each time, checked once a
// second until done closes, the live heap is larger than ever before.
func samplePeakHeap(path string, done <-chan struct{}) error {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var peak uint64
	for {
		select {
		case <-done:
			return nil
		case <-tick.C:
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapAlloc <= peak {
			continue
		}
		peak = ms.HeapAlloc
		if err := writeProfile(path, "heap"); err != nil {
			return err
		}
	}
}

func writeProfile(path, name string) error {
	h, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup(name).WriteTo(h, 0); err != nil {
		h.Close()
		return err
	}
	return h.Close()
}

// benchEnv is what an operation runs against.
type benchEnv struct {
	store benchStore
	core  *core.Client
	log   *slog.Logger
	steps map[string]benchStep // filled by the mirror and the cycle
}

// benchOp runs and times one operation. It returns the time of the part
// that is measured and the write statements that part issued.
type benchOp func(ctx context.Context, e benchEnv) (time.Duration, int64, error)

var benchOps = map[string]benchOp{
	"mirror": benchMirror,
	"cycle":  benchCycle,
	// cycle-again runs a cycle untimed, then times the next one of the same
	// runner, as serve runs them: the second may use the rows the first left.
	"cycle-again": benchCycleAgain,
	"load":        benchLoad,
	"scan":        benchScan,
	"per-row":     benchPerRow,
}

func (e benchEnv) mirrorRunner() *cycle.MirrorRunner {
	return &cycle.MirrorRunner{Store: e.store, Core: e.core, GuardRatio: mirror.DefaultGuardRatio, GuardMin: mirror.DefaultGuardMin}
}

// counted times fn and counts the write statements the store issued in it.
func (e benchEnv) counted(fn func() error) (time.Duration, int64, error) {
	before, start := e.store.StatementCount(), time.Now()
	err := fn()
	return time.Since(start), e.store.StatementCount() - before, err
}

func benchMirror(ctx context.Context, e benchEnv) (time.Duration, int64, error) {
	return e.counted(func() error {
		steps := e.mirrorRunner().Run(ctx, cycle.MirrorRequest{CycleID: inventory.NewID(), Now: inventory.Timestamp(time.Now()), Logger: e.log})
		stepTimes(e.steps, "mirror", steps)
		for name, s := range steps {
			if s.Failed() {
				return fmt.Errorf("mirror step %s: %w", name, s.Err)
			}
		}
		return nil
	})
}

func benchCycle(ctx context.Context, e benchEnv) (time.Duration, int64, error) {
	r := &cycle.Runner{Store: e.store, Core: e.core, Mirror: e.mirrorRunner(), Instance: "bench", Logger: e.log}
	return e.timedCycle(ctx, r)
}

func benchCycleAgain(ctx context.Context, e benchEnv) (time.Duration, int64, error) {
	r := &cycle.Runner{Store: e.store, Core: e.core, Mirror: e.mirrorRunner(), Instance: "bench", Logger: e.log}
	if _, _, err := e.timedCycle(ctx, r); err != nil {
		return 0, 0, fmt.Errorf("the untimed cycle: %w", err)
	}
	clear(e.steps)
	return e.timedCycle(ctx, r)
}

// timedCycle runs and times one cycle of r, which must end ok.
func (e benchEnv) timedCycle(ctx context.Context, r *cycle.Runner) (time.Duration, int64, error) {
	return e.counted(func() error {
		res, err := r.Run(ctx, cycle.Request{Trigger: inventory.TriggerOnce})
		if err != nil {
			return err
		}
		stepTimes(e.steps, "mirror", res.Steps.Mirror)
		stepTimes(e.steps, "actual", res.Steps.Actual)
		if res.Cycle.Status != inventory.CycleOK {
			return fmt.Errorf("cycle status %s: %s", res.Cycle.Status, res.Cycle.Steps)
		}
		return nil
	})
}

// firstMirrorPlan is the plan of a first mirror into the empty database,
// from the dry run: every rack, component, BMC and event it would insert.
func firstMirrorPlan(ctx context.Context, e benchEnv) ([]inventory.Writes, error) {
	dry, err := cycle.PlanMirror(ctx, e.store, e.core, mirror.DefaultGuardRatio, mirror.DefaultGuardMin, inventory.Timestamp(time.Now()))
	if err != nil {
		return nil, err
	}
	plans := []inventory.Writes{dry.Racks.Writes}
	for _, c := range dry.Components {
		plans = append(plans, c.Writes)
	}
	for _, w := range plans {
		rest := w
		rest.RackInserts, rest.ComponentInserts, rest.BMCInserts, rest.Events = nil, nil, nil, nil
		if !rest.Empty() {
			return nil, errors.New("the baselines need an empty database: the plan holds more than inserts")
		}
	}
	return plans, nil
}

// benchPerRow applies the first mirror's plan row by row: one plain INSERT
// statement per rack, component, BMC and event, in one transaction.
func benchPerRow(ctx context.Context, e benchEnv) (time.Duration, int64, error) {
	plans, err := firstMirrorPlan(ctx, e)
	if err != nil {
		return 0, 0, err
	}
	rows := perRowValues(plans, isSQLite(e.store))
	start := time.Now()
	switch db := e.store.(type) {
	case *postgres.DB:
		err = pgx.BeginFunc(ctx, db.Pool(), func(tx pgx.Tx) error {
			for _, r := range rows {
				if _, err := tx.Exec(ctx, insertStatement(r.table, r.cols, postgresPlaceholder), r.vals...); err != nil {
					return fmt.Errorf("%s: %w", r.table, err)
				}
			}
			return nil
		})
	case *sqlite.DB:
		err = perRowSQLite(ctx, db, rows)
	}
	return time.Since(start), int64(len(rows)), err
}

func isSQLite(s benchStore) bool {
	_, ok := s.(*sqlite.DB)
	return ok
}

func perRowSQLite(ctx context.Context, db *sqlite.DB, rows []benchInsert) error {
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after commit
	for _, r := range rows {
		if _, err := tx.ExecContext(ctx, insertStatement(r.table, r.cols, sqlitePlaceholder), r.vals...); err != nil {
			return fmt.Errorf("%s: %w", r.table, err)
		}
	}
	return tx.Commit()
}

// benchInsert is one row of a per-row apply.
type benchInsert struct {
	table string
	cols  []string
	vals  []any
}

var (
	rackColumns = []string{"id", "name", "manufacturer", "serial_number", "description", "location", "nvldomain_id",
		"status", "created_at", "updated_at", "ingested_at", "deleted_at", "external_id"}
	eventBenchColumns = []string{"cycle_id", "at", "entity", "entity_id", "action", "changes", "source"}
)

// perRowValues lists the plan's rows in apply order, each type's rows then
// its events; timeText renders timestamps as SQLite stores them.
func perRowValues(plans []inventory.Writes, timeText bool) []benchInsert {
	ts := func(t time.Time) any {
		if timeText {
			return sqlkit.FormatTime(t)
		}
		return t
	}
	var out []benchInsert
	for _, w := range plans {
		for _, r := range w.RackInserts {
			status := r.Status
			if status == "" {
				status = "new"
			}
			out = append(out, benchInsert{"rack", rackColumns, []any{r.ID, r.Name, r.Manufacturer, r.SerialNumber,
				jsonOrNil(r.Description), jsonOrNil(r.Location), r.NVLDomainID, status, ts(w.At), ts(w.At), nil, nil, r.ExternalID}})
		}
		for _, c := range w.ComponentInserts {
			if c.UpdatedAt.IsZero() {
				c.UpdatedAt = w.At
			}
			out = append(out, benchInsert{"component", componentColumns, componentValues(c, timeText)})
		}
		for _, b := range w.BMCInserts {
			vals, _ := bmcValues(b) // planned MACs are valid
			out = append(out, benchInsert{"bmc", bmcColumns, vals})
		}
		for _, ev := range w.Events {
			ch, _ := sqlkit.ChangesJSON(ev.Changes) // planned changes encode
			out = append(out, benchInsert{"inventory_event", eventBenchColumns, []any{ev.CycleID, ts(ev.At), ev.Entity, ev.EntityID,
				string(ev.Action), string(ch), string(ev.Source)}})
		}
	}
	return out
}

func jsonOrNil(m []byte) any {
	if len(m) == 0 {
		return nil
	}
	return string(m)
}

func postgresPlaceholder(i int) string { return "$" + strconv.Itoa(i+1) }
func sqlitePlaceholder(int) string     { return "?" }

// benchLoad is the raw bulk load of the first mirror's components and BMCs:
// binary COPY on PostgreSQL, one prepared statement per table reused in one
// transaction on SQLite. The racks are inserted first, untimed, for the
// foreign keys. Its statements are the COPYs, or the prepared statements'
// executions.
func benchLoad(ctx context.Context, e benchEnv) (time.Duration, int64, error) {
	plans, err := firstMirrorPlan(ctx, e)
	if err != nil {
		return 0, 0, err
	}
	racks := inventory.Writes{At: plans[0].At, RackInserts: plans[0].RackInserts}
	if err := e.store.Write(ctx, func(tx inventory.Tx) error { return tx.Apply(ctx, racks) }); err != nil {
		return 0, 0, err
	}
	var comps []inventory.Component
	var bmcs []inventory.BMC
	for _, w := range plans[1:] {
		comps, bmcs = append(comps, w.ComponentInserts...), append(bmcs, w.BMCInserts...)
	}
	for i := range comps {
		if comps[i].UpdatedAt.IsZero() {
			comps[i].UpdatedAt = plans[0].At
		}
	}
	start := time.Now()
	switch db := e.store.(type) {
	case *postgres.DB:
		err = copyPostgres(ctx, db, comps, bmcs)
		return time.Since(start), 2, err
	case *sqlite.DB:
		err = insertSQLite(ctx, db, comps, bmcs)
		return time.Since(start), int64(len(comps) + len(bmcs)), err
	}
	return 0, 0, fmt.Errorf("no bulk load for %T", e.store)
}

var (
	componentColumns = []string{"id", "name", "type", "manufacturer", "serial_number", "model", "description",
		"firmware_version", "rack_id", "slot_id", "tray_index", "host_id", "external_id", "power_state",
		"ingested_at", "updated_at", "deleted_at"}
	bmcColumns = []string{"mac_address", "type", "component_id", "ip_address"}
)

func componentValues(c inventory.Component, timeText bool) []any {
	var power *int64
	if c.PowerState != nil {
		p := int64(*c.PowerState)
		power = &p
	}
	var desc any
	if len(c.Description) > 0 {
		desc = string(c.Description)
	}
	var updated, ingested, deleted any = c.UpdatedAt, c.IngestedAt, c.DeletedAt
	if timeText {
		updated, ingested, deleted = sqlkit.FormatTime(c.UpdatedAt), sqlkit.FormatTimePtr(c.IngestedAt), sqlkit.FormatTimePtr(c.DeletedAt)
	}
	return []any{c.ID, c.Name, string(c.Type), c.Manufacturer, c.SerialNumber, c.Model, desc, c.FirmwareVersion,
		c.RackID, c.SlotID, c.TrayIndex, c.HostID, c.ExternalID, power, ingested, updated, deleted}
}

func bmcValues(b inventory.BMC) ([]any, error) {
	mac, err := inventory.NormalizeMAC(b.MAC)
	return []any{mac, string(b.Type), b.ComponentID, b.IPAddress}, err
}

func copyPostgres(ctx context.Context, db *postgres.DB, comps []inventory.Component, bmcs []inventory.BMC) error {
	return pgx.BeginFunc(ctx, db.Pool(), func(tx pgx.Tx) error {
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"component"}, componentColumns, pgx.CopyFromSlice(len(comps), func(i int) ([]any, error) {
			return componentValues(comps[i], false), nil
		}))
		if err != nil {
			return err
		}
		_, err = tx.CopyFrom(ctx, pgx.Identifier{"bmc"}, bmcColumns, pgx.CopyFromSlice(len(bmcs), func(i int) ([]any, error) {
			return bmcValues(bmcs[i])
		}))
		return err
	})
}

func insertSQLite(ctx context.Context, db *sqlite.DB, comps []inventory.Component, bmcs []inventory.BMC) error {
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after commit
	insertComp, err := tx.PrepareContext(ctx, insertStatement("component", componentColumns, sqlitePlaceholder))
	if err != nil {
		return err
	}
	for _, c := range comps {
		if _, err := insertComp.ExecContext(ctx, componentValues(c, true)...); err != nil {
			return err
		}
	}
	insertBMC, err := tx.PrepareContext(ctx, insertStatement("bmc", bmcColumns, sqlitePlaceholder))
	if err != nil {
		return err
	}
	for _, b := range bmcs {
		vals, err := bmcValues(b)
		if err != nil {
			return err
		}
		if _, err := insertBMC.ExecContext(ctx, vals...); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func insertStatement(table string, cols []string, placeholder func(int) string) string {
	ps := make([]string, len(cols))
	for i := range cols {
		ps[i] = placeholder(i)
	}
	return "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES (" + strings.Join(ps, ", ") + ")"
}

// benchScan reads every rack, component and BMC column the stores read, once,
// with no lock and no conversion beyond the driver's.
func benchScan(ctx context.Context, e benchEnv) (time.Duration, int64, error) {
	queries := []string{
		"SELECT id, name, manufacturer, serial_number, description, location, nvldomain_id, status, created_at, updated_at, ingested_at, deleted_at, external_id FROM rack",
		"SELECT " + strings.Join(componentColumns, ", ") + " FROM component",
		"SELECT " + strings.Join(bmcColumns, ", ") + " FROM bmc",
	}
	start := time.Now()
	for _, q := range queries {
		var err error
		switch db := e.store.(type) {
		case *postgres.DB:
			err = scanPostgres(ctx, db, q)
		case *sqlite.DB:
			err = scanSQLite(ctx, db, q)
		}
		if err != nil {
			return 0, 0, err
		}
	}
	return time.Since(start), 0, nil
}

func scanPostgres(ctx context.Context, db *postgres.DB, q string) error {
	rows, err := db.Pool().Query(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if _, err := rows.Values(); err != nil {
			return err
		}
	}
	return rows.Err()
}

func scanSQLite(ctx context.Context, db *sqlite.DB, q string) error {
	rows, err := db.SQL().QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals, ptrs := make([]any, len(cols)), make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
	}
	return rows.Err()
}

// benchRatios names, per scenario, the scenario of the same size and backend
// it is compared with. The targets (docs/performance.md): first mirror ≤ 3x the bulk load,
// no-op mirror ≤ 3x the scan, per-row apply ≥ 5x the first mirror.
var benchRatios = map[string]string{
	"first mirror":            "baseline: raw bulk load",
	"no-op mirror":            "baseline: plain scan",
	"baseline: per-row apply": "first mirror",
}

// printBench prints the table, with each scenario's ratio to its baseline
// of the same size and backend.
func printBench(w io.Writer, rows []benchRow) {
	find := func(racks int, backend, scenario string) float64 {
		for _, r := range rows {
			if r.Racks == racks && r.Backend == backend && r.Scenario == scenario {
				return r.Result.Seconds
			}
		}
		return 0
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "racks\tbackend\tscenario\ttime\tratio\tpeak RSS\tstatements")
	for _, r := range rows {
		ratio := ""
		if base, ok := benchRatios[r.Scenario]; ok && find(r.Racks, r.Backend, base) > 0 {
			b := find(r.Racks, r.Backend, base)
			ratio = fmt.Sprintf("%.1fx %s", r.Result.Seconds/b, base)
			if pulls := r.Result.pullSeconds(); r.Scenario == "no-op mirror" && pulls > 0 {
				ratio += fmt.Sprintf("; %.1fx without its Core pulls (%s)", (r.Result.Seconds-pulls)/b, benchSeconds(pulls))
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\n", r.Racks, r.Backend, r.Scenario, benchTime(r), ratio,
			benchBytes(r.Result.RSS), r.Result.Statements)
	}
	tw.Flush()
}

// printBenchSteps prints where each measured mirror and cycle spent its
// time, step by step, in the order the cycle runs them.
func printBenchSteps(w io.Writer, rows []benchRow) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "racks\tbackend\tscenario\tstep\tpull\tplan\tapply\ttotal")
	order := []string{"mirror/" + cycle.RackStep}
	for _, phase := range []string{"mirror", "actual"} {
		for _, t := range inventory.MirroredTypes {
			order = append(order, phase+"/"+string(t))
		}
	}
	for _, r := range rows {
		for _, name := range order {
			s, ok := r.Result.Steps[name]
			if !ok {
				continue
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Racks, r.Backend, r.Scenario, name,
				benchSeconds(s.Pull), benchSeconds(s.Plan), benchSeconds(s.Apply), benchSeconds(s.Total))
		}
	}
	tw.Flush()
}

// benchTime is a row's time: of several runs, the median and the range.
func benchTime(r benchRow) string {
	if len(r.Runs) < 2 {
		return benchSeconds(r.Result.Seconds)
	}
	return fmt.Sprintf("%s (median of %d: %s to %s)", benchSeconds(r.Result.Seconds), len(r.Runs),
		benchSeconds(slices.Min(r.Runs)), benchSeconds(slices.Max(r.Runs)))
}

func benchSeconds(s float64) string {
	if s < 1 {
		return fmt.Sprintf("%.0f ms", s*1000)
	}
	return fmt.Sprintf("%.2f s", s)
}

func benchBytes(n int64) string {
	if n <= 0 {
		return "-"
	}
	return fmt.Sprintf("%d MiB", n>>20)
}
