// Package simtest starts the Core simulator for tests of any package, on a
// loopback port, and stops it when the test ends.
package simtest

import (
	"log/slog"
	"net"
	"testing"

	"rackflow/coresim"
)

// Start serves m on 127.0.0.1 on a free port and returns the address and the
// server (for Reload and Calls). The server stops when the test ends.
func Start(t testing.TB, m *coresim.Manifest) (addr string, srv *coresim.Server) {
	t.Helper()
	return StartWithLogger(t, m, nil)
}

// StartWithLogger is Start with the simulator's logs sent to logger.
func StartWithLogger(t testing.TB, m *coresim.Manifest, logger *slog.Logger) (addr string, srv *coresim.Server) {
	t.Helper()
	srv, err := coresim.New(m, logger)
	if err != nil {
		t.Fatalf("simtest: %v", err)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("simtest: listen: %v", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(lis)
	}()
	t.Cleanup(func() {
		srv.Stop()
		<-done
	})
	return lis.Addr().String(), srv
}

// Load parses a manifest file or fails the test.
func Load(t testing.TB, path string) *coresim.Manifest {
	t.Helper()
	m, err := coresim.LoadManifest(path)
	if err != nil {
		t.Fatalf("simtest: %v", err)
	}
	return m
}

// Parse parses manifest YAML or fails the test.
func Parse(t testing.TB, yaml string) *coresim.Manifest {
	t.Helper()
	m, err := coresim.ParseManifest([]byte(yaml))
	if err != nil {
		t.Fatalf("simtest: %v", err)
	}
	return m
}
