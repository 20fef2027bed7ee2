package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"rackflow/cycle"
	"rackflow/httpapi"
	"rackflow/inventory"
	"rackflow/metrics"
	"rackflow/postgres"
	"rackflow/sqlite"
)

// apiConfig wires the HTTP API to the store, the dry run, the import and the
// readiness check.
func (d *daemon) apiConfig(reg *prometheus.Registry) httpapi.Config {
	return httpapi.Config{Listen: d.cfg.Listen, Token: d.cfg.Token, ReadToken: d.cfg.ReadToken, Logger: d.svc.log,
		Registry: reg, ShutdownTimeout: d.cfg.ShutdownTimeout, Reader: d.svc.db, Planner: dryRunner{d.svc},
		Importer: importer{d.svc.db}, Ready: d.ready}
}

// dryRunner serves GET /v1/plan with the report rackflow plan --json prints.
type dryRunner struct{ svc *service }

func (p dryRunner) Plan(ctx context.Context) (any, error) {
	d, err := cycle.PlanMirror(ctx, p.svc.db, p.svc.core, p.svc.cfg.GuardRatio, p.svc.cfg.GuardMin, time.Now())
	if err != nil {
		return nil, err
	}
	return newPlanReport(d), nil
}

// importer applies POST /v1/import in one write transaction.
type importer struct{ db inventory.Store }

func (im importer) Import(ctx context.Context, doc inventory.ImportDocument) (inventory.ImportResult, error) {
	// Validating before taking the write lock keeps a bad file from
	// blocking cycles; Import validates again inside, which is cheap.
	if err := doc.Validate(); err != nil {
		return inventory.ImportResult{}, err
	}
	var res inventory.ImportResult
	err := im.db.Write(ctx, func(tx inventory.Tx) error {
		itx, ok := tx.(inventory.ImportTx)
		if !ok {
			return errors.New("import: the store cannot tell which rows the mirror owns")
		}
		var err error
		res, err = inventory.Import(ctx, itx, doc, time.Now())
		return err
	})
	return res, err
}

// maxCycleAge is how old the newest cycle may be while the instance is
// ready: three intervals plus one cycle's time budget.
func (d *daemon) maxCycleAge() time.Duration {
	return 3*d.cfg.Interval + d.svc.cfg.CycleTimeout
}

// ready is the check of /readyz: the database answers, its schema is this
// binary's, and some instance started a cycle recently (or this one started
// less than maxCycleAge ago).
func (d *daemon) ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := d.svc.db.CheckSchema(ctx); err != nil {
		if errors.Is(err, inventory.ErrSchemaBehind) || errors.Is(err, inventory.ErrSchemaAhead) {
			return fmt.Errorf("database schema is not current: %w", err)
		}
		return errors.New("database unreachable")
	}
	cs, err := d.svc.db.Cycles(ctx, 1)
	if err != nil {
		return errors.New("database unreachable")
	}
	limit := d.maxCycleAge()
	if len(cs) == 0 {
		if age := time.Since(d.started); age > limit {
			return fmt.Errorf("no cycle has run in the %s since start-up", age.Round(time.Second))
		}
		return nil
	}
	if age := time.Since(cs[0].StartedAt); age > limit {
		return fmt.Errorf("the last cycle started %s ago, more than %s", age.Round(time.Second), limit)
	}
	return nil
}

// registerReadMetrics registers the Core RPC metrics, the database pool
// statistics and the age of the oldest open drift.
func registerReadMetrics(reg *prometheus.Registry, svc *service) (*metrics.OldestDrift, error) {
	if err := svc.coreRPC.Register(reg); err != nil {
		return nil, err
	}
	backend, stats := poolStats(svc.db)
	if err := metrics.RegisterPool(reg, backend, stats); err != nil {
		return nil, err
	}
	return metrics.NewOldestDrift(reg)
}

// poolStats reads the connection pool of either store.
func poolStats(db database) (string, func() metrics.PoolStats) {
	switch x := db.(type) {
	case *postgres.DB:
		return "postgres", func() metrics.PoolStats {
			s := x.Pool().Stat()
			return metrics.PoolStats{Max: int(s.MaxConns()), Open: int(s.TotalConns()), InUse: int(s.AcquiredConns()),
				Idle: int(s.IdleConns()), WaitCount: s.EmptyAcquireCount(), WaitDuration: s.AcquireDuration()}
		}
	case *sqlite.DB:
		return "sqlite", func() metrics.PoolStats {
			s := x.SQL().Stats()
			return metrics.PoolStats{Max: s.MaxOpenConnections, Open: s.OpenConnections, InUse: s.InUse, Idle: s.Idle,
				WaitCount: s.WaitCount, WaitDuration: s.WaitDuration}
		}
	}
	return "unknown", func() metrics.PoolStats { return metrics.PoolStats{} }
}
