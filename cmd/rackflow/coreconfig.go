package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"rackflow/core"
)

// coreSettings are the Core connection flags of one command, bound to its
// FlagSet before parsing.
type coreSettings struct {
	fs                         *flag.FlagSet
	getenv                     func(string) string
	addr, ca, cert, key        string
	insecure, timeout, maxRecv string
}

// addCoreFlags registers the Core connection flags (--core, --core-insecure,
// --core-tls-ca|cert|key, --core-timeout, --core-max-recv) on fs. After
// fs.Parse, call config to resolve them with the precedence flag, then
// environment variable, then default.
func addCoreFlags(fs *flag.FlagSet, getenv func(string) string) *coreSettings {
	s := &coreSettings{fs: fs, getenv: getenv}
	fs.StringVar(&s.addr, "core", "", "Core gRPC address host:port (env RACKFLOW_CORE_ADDR; required)")
	fs.Var(boolText{&s.insecure}, "core-insecure", "plaintext to Core, for the simulator (env RACKFLOW_CORE_INSECURE; default false)")
	fs.StringVar(&s.ca, "core-tls-ca", "", "CA file for mutual TLS to Core (env RACKFLOW_CORE_TLS_CA)")
	fs.StringVar(&s.cert, "core-tls-cert", "", "client certificate file (env RACKFLOW_CORE_TLS_CERT)")
	fs.StringVar(&s.key, "core-tls-key", "", "client key file (env RACKFLOW_CORE_TLS_KEY)")
	fs.StringVar(&s.timeout, "core-timeout", "", "deadline per Core call attempt (env RACKFLOW_CORE_TIMEOUT; default 60s)")
	fs.StringVar(&s.maxRecv, "core-max-recv", "", "largest Core reply, e.g. 256MiB (env RACKFLOW_CORE_MAX_RECV; default 256MiB)")
	return s
}

// boolText is a boolean flag kept as text, so that an unset flag can fall
// back to the environment: a bare --core-insecure means true.
type boolText struct{ v *string }

func (b boolText) String() string {
	if b.v == nil {
		return ""
	}
	return *b.v
}

func (b boolText) Set(s string) error { *b.v = s; return nil }

func (b boolText) IsBoolFlag() bool { return true }

// value returns the flag's value if it was given, else the environment
// variable's, else def.
func (s *coreSettings) value(flagName, flagValue, env, def string) string {
	set := false
	s.fs.Visit(func(f *flag.Flag) { set = set || f.Name == flagName })
	if set {
		return flagValue
	}
	if v := strings.TrimSpace(s.getenv(env)); v != "" {
		return v
	}
	return def
}

// config resolves the settings into a core.Config. The logger is left for
// the caller to set.
func (s *coreSettings) config() (core.Config, error) {
	cfg := core.Config{
		Addr:    s.value("core", s.addr, "RACKFLOW_CORE_ADDR", ""),
		TLSCA:   s.value("core-tls-ca", s.ca, "RACKFLOW_CORE_TLS_CA", ""),
		TLSCert: s.value("core-tls-cert", s.cert, "RACKFLOW_CORE_TLS_CERT", ""),
		TLSKey:  s.value("core-tls-key", s.key, "RACKFLOW_CORE_TLS_KEY", ""),
	}
	if cfg.Addr == "" {
		return cfg, fmt.Errorf("no Core address: set --core or RACKFLOW_CORE_ADDR")
	}
	var err error
	if cfg.Insecure, err = strconv.ParseBool(s.value("core-insecure", s.insecure, "RACKFLOW_CORE_INSECURE", "false")); err != nil {
		return cfg, fmt.Errorf("core-insecure: want true or false: %w", err)
	}
	timeout := s.value("core-timeout", s.timeout, "RACKFLOW_CORE_TIMEOUT", "60s")
	if cfg.Timeout, err = time.ParseDuration(timeout); err != nil || cfg.Timeout <= 0 {
		return cfg, fmt.Errorf("core-timeout %q: want a positive duration such as 60s", timeout)
	}
	if cfg.MaxRecv, err = parseBytes(s.value("core-max-recv", s.maxRecv, "RACKFLOW_CORE_MAX_RECV", "256MiB")); err != nil {
		return cfg, fmt.Errorf("core-max-recv: %w", err)
	}
	if v := strings.TrimSpace(s.getenv("RACKFLOW_CORE_CONCURRENCY")); v != "" {
		if cfg.Concurrency, err = strconv.Atoi(v); err != nil || cfg.Concurrency < 1 || cfg.Concurrency > 64 {
			return cfg, fmt.Errorf("RACKFLOW_CORE_CONCURRENCY %q: want a number of batches from 1 to 64", v)
		}
	}
	return cfg, nil
}

// byteUnits are the size suffixes parseBytes accepts, longest first.
var byteUnits = []struct {
	suffix string
	size   int64
}{
	{"gib", 1 << 30}, {"mib", 1 << 20}, {"kib", 1 << 10},
	{"gb", 1e9}, {"mb", 1e6}, {"kb", 1e3}, {"b", 1},
}

// parseBytes reads a size such as 256MiB, 1MiB, 64KB or 1048576.
func parseBytes(s string) (int, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range byteUnits {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.size
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > (1<<31-1)/mult {
		return 0, fmt.Errorf("want a positive size such as 256MiB or 1048576, found %q", s)
	}
	return int(n * mult), nil
}
