package dashboard_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"rackflow/core"
	"rackflow/coresim"
	"rackflow/coresim/simtest"
	"rackflow/cycle"
	"rackflow/dashboard"
	"rackflow/inventory"
	"rackflow/mirror"
	"rackflow/postgres/pgtest"
	"rackflow/sqlite/sqlitetest"
)

// BenchmarkRackGrid renders the rack grid (GET /racks) of a 1,000-rack site
// with 1% drift, on a SQLite file and on PostgreSQL, through the stores'
// own Reader. The target is under a second per page, server-side.
func BenchmarkRackGrid(b *testing.B) {
	for _, bk := range []struct {
		name string
		open func(b *testing.B) inventory.Store
	}{
		{"sqlite", openSQLiteFileB},
		{"postgres", func(b *testing.B) inventory.Store { return pgtest.Open(b) }},
	} {
		b.Run(bk.name+"/1000Racks", func(b *testing.B) {
			st := bk.open(b)
			fillSite(b, st, 1000)
			rd, ok := st.(dashboard.Reader)
			if !ok {
				b.Fatalf("%T does not implement dashboard.Reader", st)
			}
			h := dashboard.New(dashboard.Config{Reader: rd})
			b.ResetTimer()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/racks", nil))
				if rec.Code != http.StatusOK || strings.Count(rec.Body.String(), `href="/racks/`) != 1000 {
					b.Fatalf("GET /racks: status %d, %d rack links", rec.Code, strings.Count(rec.Body.String(), `href="/racks/`))
				}
			}
		})
	}
}

func openSQLiteFileB(b *testing.B) inventory.Store { return sqlitetest.OpenFile(b) }

// fillSite runs one full cycle of a generated site into st.
func fillSite(b *testing.B, st inventory.Store, racks int) {
	b.Helper()
	addr, _ := simtest.Start(b, coresim.Generate(coresim.GenerateOptions{Racks: racks, Seed: 1, Drift: 0.01}))
	client, err := core.Dial(context.Background(), core.Config{Addr: addr, Insecure: true, Timeout: 5 * time.Minute,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { client.Close() })
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	r := &cycle.Runner{Store: st, Core: client, Instance: "bench:1", Logger: logger,
		Mirror: &cycle.MirrorRunner{Store: st, Core: client, GuardRatio: mirror.DefaultGuardRatio, GuardMin: mirror.DefaultGuardMin}}
	res, err := r.Run(context.Background(), cycle.Request{Trigger: inventory.TriggerOnce})
	if err != nil || res.Cycle.Status != inventory.CycleOK {
		b.Fatalf("cycle: %v %s", err, res.Cycle.Steps)
	}
}
