package main

import (
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"rackflow/core"
)

func TestCoreConfig_FlagBeatsEnvBeatsDefault(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		env  map[string]string
		want core.Config
	}{
		{"defaults", []string{"--core", "h:1"}, nil, core.Config{Addr: "h:1", Timeout: 60 * time.Second, MaxRecv: 256 << 20}},
		{"env", nil, map[string]string{
			"RACKFLOW_CORE_ADDR": "e:1", "RACKFLOW_CORE_INSECURE": "true", "RACKFLOW_CORE_TIMEOUT": "5s",
			"RACKFLOW_CORE_MAX_RECV": "1MiB", "RACKFLOW_CORE_TLS_CA": "ca", "RACKFLOW_CORE_TLS_CERT": "c", "RACKFLOW_CORE_TLS_KEY": "k",
		}, core.Config{Addr: "e:1", Insecure: true, Timeout: 5 * time.Second, MaxRecv: 1 << 20, TLSCA: "ca", TLSCert: "c", TLSKey: "k"}},
		{"flags over env", []string{"--core", "f:1", "--core-insecure=false", "--core-timeout", "2s", "--core-max-recv", "1048576", "--core-tls-ca", "fca"},
			map[string]string{"RACKFLOW_CORE_ADDR": "e:1", "RACKFLOW_CORE_INSECURE": "true", "RACKFLOW_CORE_TIMEOUT": "5s", "RACKFLOW_CORE_TLS_CA": "ca"},
			core.Config{Addr: "f:1", Timeout: 2 * time.Second, MaxRecv: 1 << 20, TLSCA: "fca"}},
		{"bare insecure flag", []string{"--core", "h:1", "--core-insecure"}, nil, core.Config{Addr: "h:1", Insecure: true, Timeout: 60 * time.Second, MaxRecv: 256 << 20}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			s := addCoreFlags(fs, func(k string) string { return tt.env[k] })
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			got, err := s.config()
			if err != nil {
				t.Fatal(err)
			}
			if got.Addr != tt.want.Addr || got.Insecure != tt.want.Insecure || got.Timeout != tt.want.Timeout ||
				got.MaxRecv != tt.want.MaxRecv || got.TLSCA != tt.want.TLSCA || got.TLSCert != tt.want.TLSCert || got.TLSKey != tt.want.TLSKey {
				t.Errorf("config = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseBytes(t *testing.T) {
	for in, want := range map[string]int{"256MiB": 256 << 20, "1MiB": 1 << 20, "64KiB": 64 << 10, "1GiB": 1 << 30, "1048576": 1 << 20, "2mb": 2e6, " 10 B ": 10} {
		if got, err := parseBytes(in); err != nil || got != want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "lots", "1.5MiB", "0", "9GiB"} {
		if _, err := parseBytes(in); err == nil {
			t.Errorf("parseBytes(%q) should fail", in)
		}
	}
}

func TestCoreConfig_ConcurrencyFromEnvironment(t *testing.T) {
	for env, want := range map[string]int{"": 0, "1": 1, "8": 8} {
		s := addCoreFlags(flag.NewFlagSet("t", flag.ContinueOnError), func(k string) string {
			return map[string]string{"RACKFLOW_CORE_ADDR": "h:1", "RACKFLOW_CORE_CONCURRENCY": env}[k]
		})
		got, err := s.config()
		if err != nil || got.Concurrency != want {
			t.Errorf("RACKFLOW_CORE_CONCURRENCY=%q: concurrency %d, %v; want %d", env, got.Concurrency, err, want)
		}
	}
	for _, bad := range []string{"0", "-2", "many", "65"} {
		s := addCoreFlags(flag.NewFlagSet("t", flag.ContinueOnError), func(k string) string {
			return map[string]string{"RACKFLOW_CORE_ADDR": "h:1", "RACKFLOW_CORE_CONCURRENCY": bad}[k]
		})
		if _, err := s.config(); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("RACKFLOW_CORE_CONCURRENCY=%q: error %v, want one naming the value", bad, err)
		}
	}
}
