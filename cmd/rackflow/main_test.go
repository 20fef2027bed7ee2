package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"rackflow/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m, "cmd") }

// result is what one command run printed and returned.
type result struct {
	code     int
	out, err string
}

// run executes the CLI in-process with the given environment.
func run(t *testing.T, envs map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, IO{
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
