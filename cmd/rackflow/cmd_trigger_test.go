package main

import (
	"context"
	"strings"
	"sync"
	"testing"

	"rackflow/httpapi"
)

// serve hands its daemon to the HTTP API as the triggerer.
var _ httpapi.Triggerer = (*daemon)(nil)

// triggers records what the in-process server was asked for.
type triggers struct {
	mu    sync.Mutex
	calls []bool
}

func (tr *triggers) Trigger(allow bool) error {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.calls = append(tr.calls, allow)
	return nil
}

func (tr *triggers) got() []bool {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return append([]bool(nil), tr.calls...)
}

// serveAPI runs an httpapi server on a loopback port for the test and
// returns its URL.
func serveAPI(t *testing.T, token string, tr httpapi.Triggerer) string {
	t.Helper()
	s := httpapi.New(httpapi.Config{Listen: "127.0.0.1:0", Token: token}, tr)
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Start(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return "http://" + s.Addr()
}

func TestTrigger_AcceptedPrintsOneLineAndExits0(t *testing.T) {
	tr := &triggers{}
	url := serveAPI(t, "tok-123", tr)
	r := run(t, map[string]string{"RACKFLOW_API_TOKEN": "tok-123"}, "trigger", "--server", url)
	if r.code != 0 || r.out != "cycle requested (allow_mass_delete: false)\n" || r.err != "" {
		t.Fatalf("got %+v, want exit 0 and one line on stdout", r)
	}
	r = run(t, map[string]string{"RACKFLOW_API_TOKEN": "tok-123", "RACKFLOW_SERVER": url + "/"}, "trigger", "--allow-mass-delete")
	if r.code != 0 || !strings.Contains(r.out, "allow_mass_delete: true") {
		t.Fatalf("with RACKFLOW_SERVER and --allow-mass-delete: %+v", r)
	}
	if got := tr.got(); len(got) != 2 || got[0] || !got[1] {
		t.Fatalf("server received %v, want [false true]", got)
	}
}

func TestTrigger_WrongTokenExits1NamingStatusAndServerError(t *testing.T) {
	tr := &triggers{}
	url := serveAPI(t, "tok-123", tr)
	r := run(t, map[string]string{"RACKFLOW_API_TOKEN": "guess-456"}, "trigger", "--server", url)
	if r.code != 1 || r.out != "" || strings.Count(r.err, "\n") != 1 ||
		!strings.Contains(r.err, "401 Unauthorized") || !strings.Contains(r.err, "missing or wrong bearer token (unauthorized)") {
		t.Fatalf("got %+v, want exit 1 and one line naming 401 and the server's error", r)
	}
	if strings.Contains(r.err, "guess-456") {
		t.Fatalf("error line %q prints the token", r.err)
	}
	r = run(t, nil, "trigger", "--server", url)
	if r.code != 1 || !strings.Contains(r.err, "RACKFLOW_API_TOKEN is not set here") {
		t.Fatalf("without a token: %+v, want a hint that RACKFLOW_API_TOKEN is not set", r)
	}
	if got := tr.got(); len(got) != 0 {
		t.Fatalf("refused requests reached the scheduler: %v", got)
	}
}

func TestTrigger_ServerWithoutTokenExits1Saying403(t *testing.T) {
	url := serveAPI(t, "", &triggers{})
	r := run(t, map[string]string{"RACKFLOW_API_TOKEN": "tok"}, "trigger", "--server", url)
	if r.code != 1 || !strings.Contains(r.err, "403 Forbidden") || !strings.Contains(r.err, "RACKFLOW_API_TOKEN is not set on the server") {
		t.Fatalf("got %+v, want exit 1 naming 403 and the server's reason", r)
	}
}

func TestTrigger_UnreachableOrBadServerExits1WithOneLine(t *testing.T) {
	for _, server := range []string{"http://127.0.0.1:1", "ftp://x", "not a url"} {
		r := run(t, map[string]string{"RACKFLOW_API_TOKEN": "tok-secret"}, "trigger", "--server", server)
		if r.code != 1 || strings.Count(r.err, "\n") != 1 || strings.Contains(r.err, "tok-secret") {
			t.Errorf("--server %q: got %+v, want exit 1 and one clean line", server, r)
		}
	}
}

func TestTrigger_RejectsStrayArguments(t *testing.T) {
	if r := run(t, nil, "trigger", "now"); r.code != 1 {
		t.Fatalf("got %+v, want exit 1", r)
	}
}
