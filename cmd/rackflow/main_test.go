package main

import (
	"bytes"
	"context"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"rackflow/postgres/pgtest"
)

// childEnv makes the test binary act as the rackflow binary, so that tests
// can run real processes (serve, a second sync) against one database.
const childEnv = "RACKFLOW_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := Run(ctx, os.Args[1:], IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Getenv: os.Getenv})
		stop()
		os.Exit(code)
	}
	pgtest.Main(m, "cmd")
}

// result is what one command run printed and returned.
type result struct {
	code     int
	out, err string
}

// run executes the CLI in-process with the given environment.
func run(t *testing.T, envs map[string]string, args ...string) result {
	t.Helper()
	return runWithin(t, 30*time.Second, envs, args...)
}

// runWithin is run with a deadline of its own, for commands that take
// longer (the bench and its child processes).
func runWithin(t *testing.T, d time.Duration, envs map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	code := Run(ctx, args, IO{
		In: strings.NewReader(""), Out: &out, Err: &errb,
		Getenv: func(k string) string { return envs[k] },
	})
	return result{code, out.String(), errb.String()}
}

func TestRun_UnknownCommandExits1WithOneLine(t *testing.T) {
	r := run(t, nil, "frobnicate")
	if r.code != 1 || strings.Count(r.err, "\n") != 1 || !strings.Contains(r.err, `"frobnicate"`) {
		t.Fatalf("got %+v, want exit 1 and one line naming the command", r)
	}
}

func TestVersion_PrintsToStdout(t *testing.T) {
	r := run(t, nil, "version")
	if r.code != 0 || !strings.HasPrefix(r.out, "rackflow ") || r.err != "" {
		t.Fatalf("got %+v", r)
	}
}

// syncBuffer is a bytes.Buffer safe for a process writing while a test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// eventually polls cond until it holds or d passes.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond) // the polling interval, not synchronisation
	}
}
