package main

import (
	"context"
	"io"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"rackflow/coresim"
)

// BenchmarkCLIComponentsAll1000 measures `rackflow components --all` over
// real HTTP on a 1,000-rack site (35,000 components, 35 pages of 1,000) in
// each output format, discarding what it prints. Besides time and
// allocations it reports output-MiB, what the command printed, and
// peak-heap-MiB: the largest growth of the live heap (what the last garbage
// collection marked) over its size before the command, sampled during one
// untimed run with the collector set to run at 5% growth so that it marks
// often. "json one page" fetches one page for comparison. The server runs
// in the same process, so its page in flight counts too. JSON and CSV stream
// page by page; a table keeps its text until it is aligned at the end. The
// CLI does not depend on the backend, so the site is on SQLite only.
func BenchmarkCLIComponentsAll1000(b *testing.B) {
	store := openBenchSQLite(b)
	fillSite(b, store, coresim.Generate(coresim.GenerateOptions{Racks: 1000, Seed: 1, Drift: 0.01}))
	env := map[string]string{"RACKFLOW_SERVER": serveReader(b, store)}
	for _, c := range []struct {
		name string
		args []string
	}{
		{"json one page", []string{"--limit", "1000", "-o", outJSON}},
		{"json", []string{"--all", "--limit", "1000", "-o", outJSON}},
		{"json pages of 500", []string{"--all", "--limit", "500", "-o", outJSON}},
		{"csv", []string{"--all", "--limit", "1000", "-o", outCSV}},
		{"table", []string{"--all", "--limit", "1000", "-o", outTable}},
	} {
		b.Run(c.name, func(b *testing.B) {
			args := append([]string{"components"}, c.args...)
			var out countingWriter
			peak := &heapPeak{}
			stop := peak.sample()
			runCLI(b, env, args, &out)
			stop()
			for b.Loop() {
				runCLI(b, env, args, io.Discard)
			}
			b.ReportMetric(float64(peak.max())/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(out)/(1<<20), "output-MiB")
		})
	}
}

// runCLI runs one command in-process, writing its result to out.
func runCLI(b *testing.B, env map[string]string, args []string, out io.Writer) {
	b.Helper()
	var stderr strings.Builder
	code := Run(context.Background(), args, IO{In: strings.NewReader(""), Out: out, Err: &stderr,
		Getenv: func(k string) string { return env[k] }})
	if code != 0 {
		b.Fatalf("rackflow %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
	}
}

// countingWriter discards what it is given and counts the bytes.
type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

// heapPeak records the largest growth of the live heap seen while sampling.
type heapPeak struct {
	mu   sync.Mutex
	peak uint64
}

func liveHeap(s []metrics.Sample) uint64 {
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// sample reads the live heap every millisecond until the returned stop is
// called. The interval paces the measurement; nothing waits on it.
func (h *heapPeak) sample() (stop func()) {
	gc := debug.SetGCPercent(5)
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	base := liveHeap(s)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			if live := liveHeap(s); live > base {
				h.mu.Lock()
				h.peak = max(h.peak, live-base)
				h.mu.Unlock()
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished; debug.SetGCPercent(gc) }
}

func (h *heapPeak) max() uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.peak
}
