package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"rackflow/core"
	"rackflow/coresim"
	"rackflow/coresim/simtest"
	"rackflow/cycle"
	"rackflow/httpapi"
	"rackflow/inventory"
	"rackflow/mirror"
	"rackflow/postgres/pgtest"
	"rackflow/sqlite/sqlitetest"
)

// BenchmarkAPI1000Racks measures the read API over real HTTP on a
// 1,000-rack site (35,000 components, 1% drift, the first cycle's 140,000
// events) that one real cycle against the simulator has written, on both
// backends. racks is GET /v1/racks?limit=1000: the whole listing in one page,
// with each rack's open drift counts. The others are one page of the
// largest listings, each with its total.
func BenchmarkAPI1000Racks(b *testing.B) {
	for _, backend := range []struct {
		name string
		open func(b *testing.B) database
	}{
		{"sqlite", openBenchSQLite},
		{"postgres", func(b *testing.B) database { return pgtest.Open(b) }},
	} {
		b.Run(backend.name, func(b *testing.B) {
			store := backend.open(b)
			fillSite(b, store, coresim.Generate(coresim.GenerateOptions{Racks: 1000, Seed: 1, Drift: 0.01}))
			base := serveReader(b, store)
			b.Run("racks", func(b *testing.B) {
				for b.Loop() {
					var l inventory.List[inventory.RackView]
					getJSON(b, base+"/v1/racks?limit=1000", &l)
					if len(l.Items) != 1000 || l.Total != 1000 {
						b.Fatalf("%d racks of %d", len(l.Items), l.Total)
					}
				}
			})
			benchPage[inventory.ComponentView](b, "components", base+"/v1/components?limit=1000", 1000)
			benchPage[inventory.Event](b, "events", base+"/v1/events?limit=100", 100)
			benchPage[inventory.DriftItem](b, "drift", base+"/v1/drift?limit=100", 100)
		})
	}
}

// benchPage measures one full page of a listing.
func benchPage[T any](b *testing.B, name, url string, want int) {
	b.Run(name, func(b *testing.B) {
		for b.Loop() {
			var l inventory.List[T]
			getJSON(b, url, &l)
			if len(l.Items) != want || l.Total < want {
				b.Fatalf("%d items of %d, want a full page of %d", len(l.Items), l.Total, want)
			}
		}
	})
}

func openBenchSQLite(b *testing.B) database { return sqlitetest.OpenFile(b) }

// fillSite runs one cycle, mirror on, from the simulator serving m.
func fillSite(b *testing.B, store inventory.Store, m *coresim.Manifest) {
	b.Helper()
	addr, _ := simtest.Start(b, m)
	log := slog.New(slog.DiscardHandler)
	client, err := core.Dial(context.Background(), core.Config{Addr: addr, Insecure: true, Timeout: time.Minute, Logger: log})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { client.Close() })
	r := &cycle.Runner{Store: store, Core: client, Instance: "bench:1", Logger: log,
		Mirror: &cycle.MirrorRunner{Store: store, Core: client, GuardRatio: mirror.DefaultGuardRatio, GuardMin: mirror.DefaultGuardMin}}
	res, err := r.Run(context.Background(), cycle.Request{Trigger: inventory.TriggerOnce})
	if err != nil || res.Cycle.Status != inventory.CycleOK {
		b.Fatalf("filling the site: %+v, %v", res.Cycle, err)
	}
}

// serveReader serves the read API over store on a loopback port.
func serveReader(b *testing.B, store inventory.Reader) string {
	b.Helper()
	s := httpapi.New(httpapi.Config{Listen: "127.0.0.1:0", Reader: store}, &triggers{})
	if err := s.Listen(); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Start(ctx) }()
	b.Cleanup(func() { cancel(); <-done })
	return "http://" + s.Addr()
}

func getJSON(b *testing.B, url string, v any) {
	b.Helper()
	resp, err := http.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		b.Fatalf("GET %s = %d %s", url, resp.StatusCode, body)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		b.Fatal(err)
	}
}
