package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"rackflow/core"
	"rackflow/cycle"
	"rackflow/metrics"
	"rackflow/mirror"
)

// serviceConfig is the configuration of the commands that run the mirror and
// cycles (sync, plan, serve), built once from flags and environment.
type serviceConfig struct {
	DB           string
	Log          logConfig
	core         *coreSettings
	expectedSync boolFlag
	GuardRatio   float64
	GuardMin     int
	Instance     string
	CycleTimeout time.Duration
	// envErrs holds malformed environment values by the flag that overrides
	// them ("" for variables without a flag); validate reports those whose
	// flag was not given.
	envErrs []envErr
	flags   *flag.FlagSet
}

// boolFlag is an optional boolean flag: set records whether it was given.
type boolFlag struct {
	set   bool
	value bool
}

func (b *boolFlag) String() string { return strconv.FormatBool(b.value) }

func (b *boolFlag) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("want true or false")
	}
	b.set, b.value = true, v
	return nil
}

func (b *boolFlag) IsBoolFlag() bool { return true }

// envErr is a malformed environment value.
type envErr struct {
	flag string
	err  error
}

func (c *serviceConfig) register(fs *flag.FlagSet, o IO) {
	c.registerLocal(fs, o)
	c.core = addCoreFlags(fs, o.Getenv)
	fs.Var(&c.expectedSync, "expected-sync", "enable the expected-inventory mirror; overrides "+mirror.GateEnv)
}

// registerLocal registers the settings that do not concern Core: the
// database, logs, the guard, the instance name and the cycle budget.
func (c *serviceConfig) registerLocal(fs *flag.FlagSet, o IO) {
	c.flags = fs
	dbFlag(fs, o, &c.DB)
	c.Log.register(fs, o)
	fs.Float64Var(&c.GuardRatio, "delete-guard-ratio", c.envFloat(o, "delete-guard-ratio", "RACKFLOW_DELETE_GUARD_RATIO", mirror.DefaultGuardRatio), "mass-delete guard ratio in [0, 1]; 1 turns the guard off (RACKFLOW_DELETE_GUARD_RATIO)")
	fs.IntVar(&c.GuardMin, "delete-guard-min", c.envInt(o, "delete-guard-min", "RACKFLOW_DELETE_GUARD_MIN", mirror.DefaultGuardMin), "deletes always allowed per type and cycle (RACKFLOW_DELETE_GUARD_MIN)")
	fs.StringVar(&c.Instance, "instance", env(o, "RACKFLOW_INSTANCE", defaultInstance()), "instance name in cycles and logs (RACKFLOW_INSTANCE)")
	fs.DurationVar(&c.CycleTimeout, "cycle-timeout", c.envDuration(o, "cycle-timeout", "RACKFLOW_CYCLE_TIMEOUT", 10*time.Minute), "time budget of one cycle (RACKFLOW_CYCLE_TIMEOUT)")
}

func defaultInstance() string {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown"
	}
	return fmt.Sprintf("%s:%d", host, os.Getpid())
}

func (c *serviceConfig) validate() error {
	given := map[string]bool{}
	if c.flags != nil {
		c.flags.Visit(func(f *flag.Flag) { given[f.Name] = true })
	}
	for _, e := range c.envErrs {
		if e.flag == "" || !given[e.flag] {
			return e.err
		}
	}
	if c.GuardRatio < 0 || c.GuardRatio > 1 {
		return fmt.Errorf("delete guard ratio %v: want a value in [0, 1]", c.GuardRatio)
	}
	if c.GuardMin < 0 {
		return fmt.Errorf("delete guard min %d: want 0 or more", c.GuardMin)
	}
	if c.CycleTimeout <= 0 {
		return fmt.Errorf("cycle timeout %v: want a positive duration", c.CycleTimeout)
	}
	return nil
}

// gate decides the mirror gate once and logs the decision.
func (c *serviceConfig) gate(o IO, log *slog.Logger) bool {
	var flagValue *bool
	if c.expectedSync.set {
		flagValue = &c.expectedSync.value
	}
	env, envSet := lookupEnv(o, mirror.GateEnv)
	g, warning := mirror.DecideGate(flagValue, env, envSet)
	if warning != nil {
		log.LogAttrs(context.Background(), warning.Level, warning.Msg, warning.Attrs...)
	}
	log.Info("expected-inventory mirror gate", "enabled", g.On, "reason", g.Reason)
	return g.On
}

// lookupEnv reports a variable's value and whether it is set. IO.Getenv cannot
// tell unset from empty, and the gate treats both as off, so empty counts as
// unset here.
func lookupEnv(o IO, key string) (string, bool) {
	v := o.Getenv(key)
	return v, v != ""
}

// service is what a cycle-running command has built from its configuration.
type service struct {
	cfg    *serviceConfig
	log    *slog.Logger
	db     database
	core   *core.Client
	mirror bool
	// beforeCommit runs inside every cycle transaction before it commits.
	beforeCommit func(context.Context) error
	// lockRelease releases a SQLite lock file the command already holds.
	lockRelease func() error
	// coreRPC observes every Core call; the daemon registers it.
	coreRPC *metrics.CoreRPC
}

// open builds the logger, checks the configuration, opens the database
// (refusing a schema that is not current) and prepares the Core client.
func (c *serviceConfig) open(ctx context.Context, o IO) (*service, error) {
	log, err := c.Log.logger(o.Err)
	if err != nil {
		return nil, err
	}
	coreCfg, err := c.core.config()
	if err != nil {
		return nil, err
	}
	return c.openWith(ctx, o, log, coreCfg)
}

// openWith is open with the logger and Core settings already decided.
func (c *serviceConfig) openWith(ctx context.Context, o IO, log *slog.Logger, coreCfg core.Config) (*service, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	coreCfg.Logger = log
	log.Info("configuration", "db", redactURL(c.DB), "core", coreCfg.Addr, "core_insecure", coreCfg.Insecure,
		"core_timeout", coreCfg.Timeout.String(), "core_max_recv", coreCfg.MaxRecv, "delete_guard_ratio", c.GuardRatio,
		"delete_guard_min", c.GuardMin, "instance", c.Instance, "cycle_timeout", c.CycleTimeout.String())
	db, err := openCurrentDatabase(ctx, c.DB)
	if err != nil {
		return nil, err
	}
	rpc := metrics.NewCoreRPC()
	coreCfg.DialOptions = append(coreCfg.DialOptions, rpc.DialOption())
	client, err := core.Dial(ctx, coreCfg)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &service{cfg: c, log: log, db: db, core: client, mirror: c.gate(o, log), coreRPC: rpc}, nil
}

func (s *service) Close() {
	s.core.Close()
	s.db.Close()
}

// runner builds the cycle runner.
func (s *service) runner() *cycle.Runner {
	r := &cycle.Runner{Store: s.db, Core: s.core, Instance: s.cfg.Instance, Logger: s.log, Budget: s.cfg.CycleTimeout,
		BeforeCommit: s.beforeCommit}
	if s.mirror {
		r.Mirror = &cycle.MirrorRunner{Store: s.db, Core: s.core, GuardRatio: s.cfg.GuardRatio, GuardMin: s.cfg.GuardMin}
	}
	return r
}

// envValue parses an environment variable with parse, falling back to def
// when it is unset and recording an error naming the value when it is
// malformed (unless flagName, which takes precedence, is given).
func envValue[T any](c *serviceConfig, o IO, flagName, key string, def T, parse func(string) (T, error)) T {
	raw := o.Getenv(key)
	if raw == "" {
		return def
	}
	v, err := parse(raw)
	if err != nil {
		c.envErrs = append(c.envErrs, envErr{flag: flagName, err: fmt.Errorf("%s=%q: not a valid value", key, raw)})
		return def
	}
	return v
}

func (c *serviceConfig) envFloat(o IO, flagName, key string, def float64) float64 {
	return envValue(c, o, flagName, key, def, func(s string) (float64, error) { return strconv.ParseFloat(s, 64) })
}

func (c *serviceConfig) envInt(o IO, flagName, key string, def int) int {
	return envValue(c, o, flagName, key, def, strconv.Atoi)
}

func (c *serviceConfig) envDuration(o IO, flagName, key string, def time.Duration) time.Duration {
	return envValue(c, o, flagName, key, def, time.ParseDuration)
}
