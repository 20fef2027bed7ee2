package main

import (
	"encoding/json"
	"strings"
	"testing"

	"rackflow/coresim/simtest"
)

// runCmd runs the binary's Run with buffers and a map-backed environment.
func runCmd(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	r := run(t, env, args...)
	return r.code, r.out, r.err
}

func TestCoreGet_PrintsJSONArraysWithoutCredentials(t *testing.T) {
	addr, _ := simtest.Start(t, simtest.Load(t, "../../testdata/sites/tiny.yaml"))
	env := map[string]string{"RACKFLOW_CORE_ADDR": addr, "RACKFLOW_CORE_INSECURE": "true"}
	want := map[string]int{
		"version": 1, "expected-racks": 2, "expected-machines": 4, "expected-switches": 2,
		"expected-power-shelves": 2, "machines": 6, "switches": 2, "power-shelves": 2,
	}
	for kind, n := range want {
		t.Run(kind, func(t *testing.T) {
			code, out, stderr := runCmd(t, env, "core", "get", kind, "-o", "json")
			if code != 0 {
				t.Fatalf("exit %d, stderr: %s", code, stderr)
			}
			var rows []map[string]any
			if err := json.Unmarshal([]byte(out), &rows); err != nil {
				t.Fatalf("stdout is not a JSON array: %v\n%s", err, out)
			}
			if len(rows) != n {
				t.Errorf("got %d objects, want %d", len(rows), n)
			}
			if strings.Contains(out+stderr, "tiny-secret") || strings.Contains(out, "admin") {
				t.Errorf("credentials printed:\n%s", out)
			}
		})
	}
}

func TestCoreGet_PrintsTable(t *testing.T) {
	addr, _ := simtest.Start(t, simtest.Load(t, "../../testdata/sites/tiny.yaml"))
	code, out, stderr := runCmd(t, nil, "core", "get", "machines", "--core", addr, "--core-insecure")
	if code != 0 {
		t.Fatalf("exit %d, stderr: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 7 || !strings.HasPrefix(lines[0], "ID") || !strings.Contains(out, "fm100h-0001") {
		t.Errorf("table:\n%s", out)
	}
	if strings.Contains(out, "tiny-secret") {
		t.Errorf("credentials printed:\n%s", out)
	}
}

func TestCoreGet_UsageErrorsAreOneLine(t *testing.T) {
	for _, args := range [][]string{
		{"core"},
		{"core", "get"},
		{"core", "get", "gpus", "--core", "x:1"},
		{"core", "get", "machines"},
		{"core", "get", "machines", "--core", "x:1", "-o", "yaml"},
		{"core", "get", "machines", "--core", "x:1", "--core-max-recv", "lots"},
	} {
		code, out, stderr := runCmd(t, nil, args...)
		if code != 1 || out != "" || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 1 and one line", args, code, out, stderr)
		}
	}
}

func TestCoreGet_FailsWhenCoreFails(t *testing.T) {
	m := simtest.Load(t, "../../testdata/sites/tiny.yaml")
	m.Faults = nil
	addr, _ := simtest.Start(t, m)
	code, _, _ := runCmd(t, map[string]string{"RACKFLOW_CORE_INSECURE": "1"}, "core", "get", "version", "--core", addr)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	code, _, stderr := runCmd(t, nil, "core", "get", "version", "--core", addr)
	if code != 1 || !strings.Contains(stderr, "TLS") {
		t.Errorf("without TLS files or --core-insecure: exit %d, stderr %q", code, stderr)
	}
}
