package main

import (
	"strings"
	"testing"
)

// readCommands are the commands that talk to a server's read API.
var readCommands = [][]string{
	{"racks"}, {"rack", "Rack A12"}, {"components"}, {"component", "c-1"}, {"drift"}, {"drift", "summary"},
	{"cycles"}, {"cycle", "c-1"}, {"events"}, {"held"},
}

func TestReadCommands_HelpPrintsFlagsOnStderrAndExits0(t *testing.T) {
	for _, args := range append(readCommands, []string{"import", "x.yaml"}) {
		r := run(t, nil, append(args[:1:1], "-h")...)
		if args[0] == "drift" && len(args) > 1 {
			r = run(t, nil, "drift", "summary", "-h")
		}
		if r.code != 0 || r.out != "" || !strings.Contains(r.err, "-server") || !strings.Contains(r.err, "usage of rackflow "+args[0]) {
			t.Errorf("%v -h: got %+v, want exit 0 and the flags on stderr", args, r)
		}
	}
}

func TestReadCommands_UsageErrorsExit1WithOneLine(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"an unknown output format", []string{"racks", "-o", "yaml"}, `"yaml"`},
		{"a page size over the maximum", []string{"components", "--limit", "5000"}, "--limit 5000"},
		{"an unknown flag", []string{"events", "--colour", "red"}, "colour"},
		{"a rack without its name", []string{"rack"}, "missing rack NAME"},
		{"a cycle with two ids", []string{"cycle", "a", "b"}, `unexpected argument "b"`},
		{"a malformed age", []string{"drift", "--min-age", "3x"}, `"3x"`},
		{"a malformed time", []string{"events", "--until", "noon"}, `"noon"`},
		{"a list with a positional argument", []string{"held", "now"}, `unexpected argument "now"`},
		{"import without a file", []string{"import"}, "missing FILE"},
		{"import as csv", []string{"import", "a.yaml", "-o", "csv"}, `"csv"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, nil, c.args...)
			if r.code != 1 || r.out != "" || strings.Count(r.err, "\n") != 1 || !strings.Contains(r.err, c.want) {
				t.Errorf("%v: got %+v, want exit 1 and one line containing %s", c.args, r, c.want)
			}
		})
	}
}

func TestReadCommands_UnreachableServerExits1WithOneClearLine(t *testing.T) {
	env := map[string]string{"RACKFLOW_SERVER": "http://127.0.0.1:1", "RACKFLOW_API_TOKEN": "tok-secret"}
	for _, args := range readCommands {
		r := run(t, env, args...)
		if r.code != 1 || r.out != "" || strings.Count(r.err, "\n") != 1 || !strings.Contains(r.err, "cannot reach http://127.0.0.1:1") ||
			!strings.HasPrefix(r.err, "rackflow "+args[0]) || strings.Contains(r.err, "tok-secret") {
			t.Errorf("%v: got %+v, want exit 1 and one line saying the server cannot be reached", args, r)
		}
	}
	for _, server := range []string{"ftp://x", "not a url"} {
		if r := run(t, nil, "racks", "--server", server); r.code != 1 || !strings.Contains(r.err, "is not an http:// or https:// URL") {
			t.Errorf("--server %q: got %+v", server, r)
		}
	}
}

func TestImport_UnreadableFileExits1NamingIt(t *testing.T) {
	r := run(t, map[string]string{"RACKFLOW_SERVER": "http://127.0.0.1:1"}, "import", "no-such-file.yaml")
	if r.code != 1 || strings.Count(r.err, "\n") != 1 || !strings.Contains(r.err, "no-such-file.yaml") {
		t.Errorf("got %+v, want exit 1 naming the file", r)
	}
}
