package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"rackflow/inventory"
)

const testToken = "s3cret-token"

// fakeTriggerer records the requests it receives.
type fakeTriggerer struct {
	mu     sync.Mutex
	calls  []bool
	refuse error // returned for requests that allow mass deletes
}

func (f *fakeTriggerer) Trigger(allowMassDelete bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if allowMassDelete && f.refuse != nil {
		return f.refuse
	}
	f.calls = append(f.calls, allowMassDelete)
	return nil
}

func (f *fakeTriggerer) got() []bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]bool(nil), f.calls...)
}

// startServer serves cfg on a loopback port until the test ends and returns
// its base URL.
func startServer(t *testing.T, cfg Config, tr Triggerer) string {
	t.Helper()
	cfg.Listen = "127.0.0.1:0"
	s := New(cfg, tr)
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Start(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Start: %v", err)
		}
	})
	return "http://" + s.Addr()
}

// call sends one request and returns the status and the decoded JSON body.
func call(t *testing.T, method, url, token, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%s %s answered %d with non-JSON body %q", method, url, resp.StatusCode, raw)
	}
	return resp.StatusCode, v
}

// errMessage and errCode read the {"error": {"code", "message"}} body.
func errMessage(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	m, _ := e["message"].(string)
	return m
}

func errCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func TestPostCycles_AcceptsWithTheTokenAndTriggersOnce(t *testing.T) {
	tr := &fakeTriggerer{}
	base := startServer(t, Config{Token: testToken}, tr)
	tests := []struct {
		name, body string
		allow      bool
	}{
		{"no body", "", false},
		{"empty object", "{}", false},
		{"release held deletes", `{"allow_mass_delete": true}`, true},
		{"explicit false", `{"allow_mass_delete": false}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := call(t, "POST", base+"/v1/cycles", testToken, tt.body)
			if code != http.StatusAccepted || body["status"] != "accepted" || body["allow_mass_delete"] != tt.allow {
				t.Fatalf("got %d %v, want 202 accepted with allow_mass_delete=%v", code, body, tt.allow)
			}
		})
	}
	if got := tr.got(); len(got) != 4 || got[0] || got[1] || !got[2] || got[3] {
		t.Fatalf("triggers = %v, want [false false true false]", got)
	}
}

func TestPostCycles_ARefusedReleaseIsAnErrorNamingWhoCanTakeIt(t *testing.T) {
	tr := &fakeTriggerer{refuse: fmt.Errorf("%w: this instance does not lead; send the release to the leader, host-a:1", inventory.ErrConflict)}
	base := startServer(t, Config{Token: testToken}, tr)
	code, body := call(t, "POST", base+"/v1/cycles", testToken, `{"allow_mass_delete": true}`)
	if code != http.StatusConflict || !strings.Contains(errMessage(body), "host-a:1") || errCode(body) != "conflict" {
		t.Fatalf("got %d %v, want 409 naming the leader", code, body)
	}
	tr.mu.Lock()
	tr.refuse = errors.New("cannot check the leader lock")
	tr.mu.Unlock()
	if code, _ := call(t, "POST", base+"/v1/cycles", testToken, `{"allow_mass_delete": true}`); code != http.StatusServiceUnavailable {
		t.Fatalf("got %d, want 503 when the instance cannot tell who leads", code)
	}
	if got := tr.got(); len(got) != 0 {
		t.Fatalf("refused requests were triggered: %v", got)
	}
}

func TestPostCycles_RefusesAMissingOrWrongTokenWith401(t *testing.T) {
	tr := &fakeTriggerer{}
	base := startServer(t, Config{Token: testToken}, tr)
	for _, tok := range []string{"", "wrong", testToken + "x", strings.ToUpper(testToken)} {
		code, body := call(t, "POST", base+"/v1/cycles", tok, "")
		if code != http.StatusUnauthorized || errCode(body) != "unauthorized" {
			t.Errorf("token %q: got %d %v, want 401 with an error", tok, code, body)
		}
	}
	if got := tr.got(); len(got) != 0 {
		t.Fatalf("unauthorised requests triggered cycles: %v", got)
	}
}

func TestPostCycles_AcceptsALowerCaseBearerScheme(t *testing.T) {
	base := startServer(t, Config{Token: testToken}, &fakeTriggerer{})
	req, _ := http.NewRequest("POST", base+"/v1/cycles", nil)
	req.Header.Set("Authorization", "bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("status %d, want 202", resp.StatusCode)
	}
}

func TestPostCycles_IsDisabledWithoutAConfiguredToken(t *testing.T) {
	tr := &fakeTriggerer{}
	base := startServer(t, Config{}, tr)
	for _, tok := range []string{"", "anything"} {
		code, body := call(t, "POST", base+"/v1/cycles", tok, "")
		msg := errMessage(body)
		if code != http.StatusForbidden || !strings.Contains(msg, "RACKFLOW_API_TOKEN is not set") || errCode(body) != "forbidden" {
			t.Errorf("token %q: got %d %v, want 403 saying RACKFLOW_API_TOKEN is not set", tok, code, body)
		}
	}
	if got := tr.got(); len(got) != 0 {
		t.Fatalf("a disabled endpoint triggered cycles: %v", got)
	}
}

func TestPostCycles_RejectsAMalformedBodyWith400NamingTheProblem(t *testing.T) {
	tr := &fakeTriggerer{}
	base := startServer(t, Config{Token: testToken}, tr)
	tests := []struct{ name, body, want string }{
		{"not JSON", "allow=1", "not valid JSON"},
		{"bad literal", `{"allow_mass_delete": tru}`, "not valid JSON"},
		{"unfinished object", `{"allow_mass_delete": true`, "truncated"},
		{"wrong type", `{"allow_mass_delete": "yes"}`, `"allow_mass_delete" must be a boolean`},
		{"unknown field", `{"allow_mass_deletes": true}`, `unknown field "allow_mass_deletes"`},
		{"not an object", `[true]`, "must be a JSON object"},
		{"trailing data", `{} {}`, "data after the JSON object"},
		{"too large", `{"allow_mass_delete": true` + strings.Repeat(" ", 5000) + "}", "larger than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := call(t, "POST", base+"/v1/cycles", testToken, tt.body)
			msg := errMessage(body)
			if code != http.StatusBadRequest || !strings.Contains(msg, tt.want) || errCode(body) != "invalid" {
				t.Fatalf("got %d %q, want 400 containing %q", code, msg, tt.want)
			}
			if strings.Contains(msg, "json:") {
				t.Fatalf("error %q leaks decoder text", msg)
			}
		})
	}
	if got := tr.got(); len(got) != 0 {
		t.Fatalf("malformed requests triggered cycles: %v", got)
	}
}

func TestServer_AnswersUnknownRoutesAndMethodsWithJSONErrors(t *testing.T) {
	base := startServer(t, Config{Token: testToken}, &fakeTriggerer{})
	if code, body := call(t, "DELETE", base+"/v1/cycles", testToken, ""); code != http.StatusMethodNotAllowed || errCode(body) != "method_not_allowed" {
		t.Errorf("DELETE /v1/cycles: %d %v, want 405 with an error", code, body)
	}
	if code, body := call(t, "GET", base+"/nope", "", ""); code != http.StatusNotFound || errCode(body) != "not_found" {
		t.Errorf("GET /nope: %d %v, want 404 with an error", code, body)
	}
}

func TestHealthz_AnswersOK(t *testing.T) {
	base := startServer(t, Config{}, &fakeTriggerer{})
	if code, body := call(t, "GET", base+"/healthz", "", ""); code != http.StatusOK || body["status"] != "ok" {
		t.Fatalf("GET /healthz: %d %v, want 200 ok", code, body)
	}
}

func TestMetrics_ServesTheRegistryPassedIn(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "rackflow_test_total", Help: "A test counter."})
	reg.MustRegister(c)
	c.Add(7)
	base := startServer(t, Config{Registry: reg}, &fakeTriggerer{})
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(raw), "rackflow_test_total 7") {
		t.Fatalf("GET /metrics: %d %q, want the registry's counter", resp.StatusCode, raw)
	}
}

func TestServer_StartReturnsAfterCancellationAndFreesThePort(t *testing.T) {
	s := New(Config{Listen: "127.0.0.1:0", ShutdownTimeout: time.Second}, &fakeTriggerer{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	addr := s.Addr()
	go func() { done <- s.Start(ctx) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Start = %v, want nil after cancellation", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Start did not return after cancellation")
	}
	again := New(Config{Listen: addr}, &fakeTriggerer{})
	if err := again.Listen(); err != nil {
		t.Fatalf("listening again on %s after shutdown: %v", addr, err)
	}
	again.listener.Close()
}

func TestServer_ListenReportsAPortConflict(t *testing.T) {
	a := New(Config{Listen: "127.0.0.1:0"}, &fakeTriggerer{})
	if err := a.Listen(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.listener.Close() })
	b := New(Config{Listen: a.Addr()}, &fakeTriggerer{})
	if err := b.Listen(); err == nil || !strings.Contains(err.Error(), a.Addr()) {
		t.Fatalf("Listen on a taken port = %v, want an error naming %s", err, a.Addr())
	}
	if err := b.Start(context.Background()); err == nil {
		t.Fatal("Start on a taken port succeeded")
	}
}

func TestTokensEqual(t *testing.T) {
	if !tokensEqual("abc", "abc") || tokensEqual("abc", "abd") || tokensEqual("abc", "abcd") || tokensEqual("", "abc") {
		t.Fatal("tokensEqual compares wrongly")
	}
}
