package main

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"rackflow/core"
	"rackflow/coresim/simtest"
)

func TestCoreProbe_ReportsCoreGoneOnceItsAnswerExpires(t *testing.T) {
	addr, sim := simtest.Start(t, simtest.Load(t, "../../testdata/sites/tiny.yaml"))
	client, err := core.Dial(context.Background(), core.Config{Addr: addr, Insecure: true, Timeout: time.Second,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	p := newCoreProbe(client)
	p.timeout = time.Second
	if err := p.CheckCore(context.Background()); err != nil {
		t.Fatalf("CheckCore with the simulator up: %v", err)
	}
	sim.Stop()
	if err := p.CheckCore(context.Background()); err != nil {
		t.Errorf("CheckCore within the cache time asked Core again: %v", err)
	}
	p.ttl = 0
	if err := p.CheckCore(context.Background()); err == nil {
		t.Errorf("CheckCore after the simulator stopped and the answer expired = nil, want an error")
	}
}

func TestNewToken_IsRandomHex(t *testing.T) {
	a, err := newToken()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := newToken()
	if len(a) != 32 || a == b {
		t.Errorf("tokens %q and %q: want two different 32-character tokens", a, b)
	}
}
