package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"rackflow/postgres/pgtest"
)

func TestBench_MeasuresEveryScenarioOnBothBackendsInChildProcesses(t *testing.T) {
	pgtest.Open(t)          // fails the test when PostgreSQL is unreachable
	t.Setenv(childEnv, "1") // the children are this test binary acting as rackflow
	r := runWithin(t, 5*time.Minute, nil, "bench", "--racks", "2", "--json", "--postgres", pgtest.URL(t))
	if r.code != 0 {
		t.Fatalf("bench exit %d: %s", r.code, r.err)
	}
	var rows []benchRow
	if err := json.Unmarshal([]byte(r.out), &rows); err != nil {
		t.Fatalf("bench output %q: %v", r.out, err)
	}
	got := map[string]benchResult{}
	for _, r := range rows {
		got[r.Backend+"/"+r.Scenario] = r.Result
	}
	// Two racks: 2 racks, 70 components and 70 host BMCs, one event each.
	const rowsAndEvents = 2 * (2 + 70 + 70)
	for _, backend := range []string{"sqlite", "postgres"} {
		for _, sc := range benchScenarios {
			res, ok := got[backend+"/"+sc.name]
			if !ok {
				t.Errorf("no result for %s %s", backend, sc.name)
				continue
			}
			if res.Seconds <= 0 || res.RSS <= 0 {
				t.Errorf("%s %s: %+v, want a positive time and peak RSS", backend, sc.name, res)
			}
		}
		for sc, want := range map[string]int64{"first mirror": 11, "no-op mirror": 0, "baseline: per-row apply": rowsAndEvents} {
			if n := got[backend+"/"+sc].Statements; n != want {
				t.Errorf("%s %s: %d statements, want %d", backend, sc, n, want)
			}
		}
	}
}

func TestBench_TablePrintsRatiosToTheBaselines(t *testing.T) {
	rows := []benchRow{
		{Racks: 10, Backend: "sqlite", Scenario: "first mirror", Result: benchResult{Seconds: 3, Statements: 11, RSS: 64 << 20}},
		{Racks: 10, Backend: "sqlite", Scenario: "no-op mirror", Result: benchResult{Seconds: 0.5}, Runs: []float64{0.7, 0.5, 0.4}},
		{Racks: 10, Backend: "sqlite", Scenario: "baseline: raw bulk load", Result: benchResult{Seconds: 1.5}},
		{Racks: 10, Backend: "sqlite", Scenario: "baseline: plain scan", Result: benchResult{Seconds: 0.25}},
		{Racks: 10, Backend: "sqlite", Scenario: "baseline: per-row apply", Result: benchResult{Seconds: 15}},
	}
	var b bytes.Buffer
	printBench(&b, rows)
	for _, want := range []string{"2.0x baseline: raw bulk load", "2.0x baseline: plain scan", "5.0x first mirror", "64 MiB", "3.00 s",
		"500 ms (median of 3: 400 ms to 700 ms)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
}

func TestBench_StepsProfilesAndMemoryLimitOfTheMeasuredChild(t *testing.T) {
	t.Setenv(childEnv, "1")
	dir := t.TempDir()
	r := runWithin(t, 2*time.Minute, nil, "bench", "--racks", "2", "--backends", "sqlite", "--only", "no-op,scan", "--steps",
		"--profile", dir, "--memory-limit", "512MiB")
	if r.code != 0 {
		t.Fatalf("bench exit %d: %s", r.code, r.err)
	}
	for _, want := range []string{"without its Core pulls", "mirror/rack", "mirror/PowerShelf"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("output lacks %q:\n%s", want, r.out)
		}
	}
	for _, suffix := range []string{".cpu.pprof", ".heap.pprof"} {
		if _, err := os.Stat(filepath.Join(dir, "2-sqlite-no-op-mirror"+suffix)); err != nil {
			t.Errorf("profile %s: %v", suffix, err)
		}
	}
}

func TestBench_AMalformedMemoryLimitFailsTheRunNamingIt(t *testing.T) {
	t.Setenv(childEnv, "1")
	r := runWithin(t, 2*time.Minute, nil, "bench", "--racks", "2", "--backends", "sqlite", "--only", "first mirror", "--memory-limit", "lots")
	if r.code == 0 || !strings.Contains(r.err, "GOMEMLIMIT=lots") {
		t.Fatalf("exit %d, stderr %q: want a failure naming GOMEMLIMIT=lots", r.code, r.err)
	}
}

func TestBench_CountRunsEachScenarioAndReportsTheMedianRun(t *testing.T) {
	t.Setenv(childEnv, "1")
	dir := t.TempDir()
	res := runWithin(t, 2*time.Minute, nil, "bench", "--racks", "2", "--backends", "sqlite", "--only", "no-op,scan", "--count", "3",
		"--json", "--profile", dir)
	if res.code != 0 {
		t.Fatalf("bench exit %d: %s", res.code, res.err)
	}
	var rows []benchRow
	if err := json.Unmarshal([]byte(res.out), &rows); err != nil {
		t.Fatalf("bench output %q: %v", res.out, err)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows, want one per scenario: %+v", len(rows), rows)
	}
	for _, r := range rows {
		if len(r.Runs) != 3 {
			t.Errorf("%s: runs %v, want 3", r.Scenario, r.Runs)
			continue
		}
		sorted := slices.Sorted(slices.Values(r.Runs))
		if r.Result.Seconds != sorted[1] {
			t.Errorf("%s: reported %v s, want the median of %v", r.Scenario, r.Result.Seconds, r.Runs)
		}
	}
	for run := 1; run <= 3; run++ {
		if _, err := os.Stat(filepath.Join(dir, fmt.Sprintf("2-sqlite-no-op-mirror-run%d.cpu.pprof", run))); err != nil {
			t.Errorf("profile of run %d: %v", run, err)
		}
	}
	if n := strings.Count(res.err, "no-op mirror (run "); n != 3 {
		t.Errorf("progress names %d runs of the no-op mirror, want 3:\n%s", n, res.err)
	}
}

func TestBench_ACountBelowOneIsRefused(t *testing.T) {
	r := run(t, nil, "bench", "--racks", "2", "--count", "0")
	if r.code == 0 || !strings.Contains(r.err, "--count 0") {
		t.Fatalf("exit %d, stderr %q: want a failure naming --count 0", r.code, r.err)
	}
}
