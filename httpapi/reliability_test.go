package httpapi

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"rackflow/inventory"
)

// lockedBuffer is a log sink safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// readUntilClosed reads from c until the server closes it, and returns what
// it sent. The deadline only bounds a broken server.
func readUntilClosed(t *testing.T, c net.Conn) string {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	b, err := io.ReadAll(c)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("the server kept a slow client's connection open for 10s; it sent %q", b)
	}
	return string(b)
}

// TestServer_CutsAClientThatSendsItsHeadersSlowly is row 11's header
// timeout: a client that never finishes its headers is disconnected after
// ReadHeader and never reaches a handler.
func TestServer_CutsAClientThatSendsItsHeadersSlowly(t *testing.T) {
	tr := &fakeTriggerer{}
	base := startServer(t, Config{Token: testToken, Timeouts: Timeouts{ReadHeader: 100 * time.Millisecond}}, tr)
	c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, "POST /v1/cycles HTTP/1.1\r\nHost: rackflow\r\nAuthorization: Bearer "+testToken+"\r\n"); err != nil {
		t.Fatal(err)
	}
	got := readUntilClosed(t, c)
	if strings.Contains(got, "HTTP/1.1 202") || len(tr.got()) != 0 {
		t.Fatalf("a request with unfinished headers was served: %q, triggers %v", got, tr.got())
	}
}

// TestServer_CutsAClientThatSendsItsBodySlowly is row 11's read timeout: a
// client that announces a body and stalls is answered with an error within
// Read, and no cycle is triggered.
func TestServer_CutsAClientThatSendsItsBodySlowly(t *testing.T) {
	tr := &fakeTriggerer{}
	base := startServer(t, Config{Token: testToken, Timeouts: Timeouts{Read: 200 * time.Millisecond}}, tr)
	c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	req := "POST /v1/cycles HTTP/1.1\r\nHost: rackflow\r\nAuthorization: Bearer " + testToken +
		"\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"allow_mass_delete\":"
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	got := readUntilClosed(t, c)
	if strings.Contains(got, "HTTP/1.1 202") || len(tr.got()) != 0 {
		t.Fatalf("a stalled body triggered a cycle: %q, triggers %v", got, tr.got())
	}
	if !strings.Contains(got, "HTTP/1.1 400") || !strings.Contains(got, "did not arrive in time") {
		t.Fatalf("a stalled body was answered %q, want 400 saying it did not arrive in time", got)
	}
}

// TestServer_TimeoutsDefaultWhenZero keeps production values when a config
// sets none.
func TestServer_TimeoutsDefaultWhenZero(t *testing.T) {
	s := New(Config{Timeouts: Timeouts{Read: time.Second}}, &fakeTriggerer{})
	if s.http.ReadTimeout != time.Second || s.http.ReadHeaderTimeout != DefaultTimeouts.ReadHeader ||
		s.http.WriteTimeout != DefaultTimeouts.Write || s.http.IdleTimeout != DefaultTimeouts.Idle {
		t.Fatalf("timeouts = %v %v %v %v", s.http.ReadHeaderTimeout, s.http.ReadTimeout, s.http.WriteTimeout, s.http.IdleTimeout)
	}
}

// TestServer_RequestLogsNeverContainTheToken sends right, wrong and
// malformed credentials at debug level and looks for them in every log line.
func TestServer_RequestLogsNeverContainTheToken(t *testing.T) {
	logs := &lockedBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	tr := &fakeTriggerer{refuse: fmt.Errorf("%w: send the release to the leader, host-a", inventory.ErrConflict)}
	base := startServer(t, Config{Token: testToken, Logger: logger}, tr)
	wrong := "wrong-" + testToken
	for _, tc := range []struct{ token, body string }{
		{testToken, ""}, {testToken, `{"allow_mass_delete": true}`}, {wrong, ""}, {testToken, "not json"},
	} {
		call(t, "POST", base+"/v1/cycles", tc.token, tc.body)
	}
	req, _ := http.NewRequest("POST", base+"/v1/cycles", nil)
	req.Header.Set("Authorization", "Basic "+testToken)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	if !strings.Contains(logs.String(), "cycle requested") {
		t.Fatalf("no request was logged; the check would prove nothing:\n%s", logs)
	}
	for _, secret := range []string{testToken, wrong} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the logs contain a token:\n%s", logs)
		}
	}
}

// TestTokensEqual_ComparesEqualLengthDigestsWithCryptoSubtle inspects the
// source: the token is compared only in tokensEqual, which hashes both sides
// to equal-length SHA-256 digests and compares those with
// subtle.ConstantTimeCompare. No == or != touches a token anywhere else.
func TestTokensEqual_ComparesEqualLengthDigestsWithCryptoSubtle(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var sawCompare, sawHash bool
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				if n.Name.Name == "tokensEqual" {
					sawCompare = callsSelector(n, "subtle", "ConstantTimeCompare")
					sawHash = callsSelector(n, "sha256", "Sum256")
					checkOnlyDigestCompare(t, fset, n)
					return false
				}
			case *ast.BinaryExpr:
				if (n.Op == token.EQL || n.Op == token.NEQ) && (mentionsToken(n.X) || mentionsToken(n.Y)) && !isEmptyString(n.X) && !isEmptyString(n.Y) {
					t.Errorf("%s: a token is compared with %s, which is not constant-time", fset.Position(n.Pos()), n.Op)
				}
			}
			return true
		})
	}
	if !sawCompare || !sawHash {
		t.Fatalf("tokensEqual does not compare SHA-256 digests with subtle.ConstantTimeCompare (compare %v, hash %v)", sawCompare, sawHash)
	}
	if !tokensEqual(testToken, testToken) || tokensEqual(testToken, testToken+"x") || tokensEqual(testToken, "") {
		t.Fatal("tokensEqual compares wrongly")
	}
}

func callsSelector(n ast.Node, pkg, fn string) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == pkg && sel.Sel.Name == fn {
				found = true
			}
		}
		return true
	})
	return found
}

func mentionsToken(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Ident:
			found = found || strings.EqualFold(n.Name, "token") || n.Name == "got"
		case *ast.SelectorExpr:
			found = found || n.Sel.Name == "Token"
		}
		return true
	})
	return found
}

func isEmptyString(e ast.Expr) bool {
	lit, ok := e.(*ast.BasicLit)
	return ok && lit.Kind == token.STRING && lit.Value == `""`
}

// checkOnlyDigestCompare fails on any == or != in tokensEqual other than the
// test of ConstantTimeCompare's result.
func checkOnlyDigestCompare(t *testing.T, fset *token.FileSet, fn *ast.FuncDecl) {
	t.Helper()
	ast.Inspect(fn, func(n ast.Node) bool {
		b, ok := n.(*ast.BinaryExpr)
		if !ok || b.Op != token.EQL && b.Op != token.NEQ {
			return true
		}
		if call, ok := b.X.(*ast.CallExpr); !ok || !callsSelector(call.Fun, "subtle", "ConstantTimeCompare") {
			t.Errorf("%s: tokensEqual compares with %s outside ConstantTimeCompare", fset.Position(b.Pos()), b.Op)
		}
		return true
	})
}
