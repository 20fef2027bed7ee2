package cycle_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"rackflow/cycle"
	"rackflow/inventory"
	"rackflow/postgres"
	"rackflow/sqlite"
)

// countingStore counts the full component reads its write transactions make.
type countingStore struct {
	inventory.Store
	reads *int
}

func (s countingStore) Write(ctx context.Context, fn func(inventory.Tx) error) error {
	return s.Store.Write(ctx, func(tx inventory.Tx) error {
		return fn(countingTx{Tx: tx, VersionedTx: tx.(inventory.VersionedTx), reads: s.reads})
	})
}

type countingTx struct {
	inventory.Tx
	inventory.VersionedTx
	reads *int
}

func (t countingTx) Components(ctx context.Context) ([]inventory.Component, error) {
	*t.reads++
	return t.Tx.Components(ctx)
}

// hookCore runs before once, just before the actual Compute snapshot: between
// the mirror's transactions and the actual steps' transactions.
type hookCore struct {
	inventory.Core
	before func()
}

func (c *hookCore) MachineIDs(ctx context.Context) ([]string, error) {
	if c.before != nil {
		c.before()
		c.before = nil
	}
	return c.Core.MachineIDs(ctx)
}

// writeOutside changes the inventory with plain SQL, as an operator or another
// tool would, outside any rackflow transaction.
func writeOutside(t *testing.T, s inventory.Store, sql string) {
	t.Helper()
	var err error
	switch db := s.(type) {
	case *sqlite.DB:
		_, err = db.SQL().Exec(sql)
	case *postgres.DB:
		_, err = db.Pool().Exec(context.Background(), sql)
	default:
		t.Fatalf("no SQL access to %T", s)
	}
	if err != nil {
		t.Fatal(err)
	}
}

func TestCycle_SteadyCycleReadsTheInventoryOnce(t *testing.T) {
	backends(t, func(t *testing.T, s inventory.Store) {
		var reads int
		e := newEnv(t, countingStore{Store: s, reads: &reads}, example1().manifest())
		e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
		// A new runner, as after a restart, holds no rows: it reads once.
		fresh := *e
		fresh.runner = &cycle.Runner{Store: e.runner.Store, Core: e.runner.Core, Mirror: e.runner.Mirror, Instance: "test:2",
			Logger: e.runner.Logger, Now: e.runner.Now}
		cycle.SetReadCheck(fresh.runner, fresh.checkAdvanced)
		reads = 0
		fresh.wantStatus(fresh.cycle(cycle.Request{}), inventory.CycleOK)
		if reads != 1 {
			t.Errorf("a steady cycle of a new runner read the components %d times, want once for its seven steps", reads)
		}
	})
}

func TestCycle_SteadyCycleUsesTheRowsThePreviousCycleLeft(t *testing.T) {
	backends(t, func(t *testing.T, s inventory.Store) {
		var reads int
		e := newEnv(t, countingStore{Store: s, reads: &reads}, example1().manifest())
		e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
		if e.kept != 1 {
			t.Fatalf("cycles that left current rows = %d, want the first (compared with a fresh read)", e.kept)
		}
		reads = 0
		e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
		if reads != 0 {
			t.Errorf("a steady cycle after a cycle of the same runner read the components %d times, want none", reads)
		}
	})
}

func TestCycle_SeesARowChangedOutsideRackflowBetweenCycles(t *testing.T) {
	backends(t, func(t *testing.T, s inventory.Store) {
		e := newEnv(t, s, example1().manifest())
		e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
		writeOutside(t, s, `UPDATE component SET slot_id = 9 WHERE serial_number = 'SN-C-0001'`)
		res := e.cycle(cycle.Request{})
		e.wantStatus(res, inventory.CycleOK)
		if got := stepsJSON(t, res.Cycle)["mirror"]["Compute"]["updated"]; got != float64(1) {
			t.Errorf("mirror Compute updated = %v, want the changed row put back", got)
		}
		if c := e.tables().component(t, "SN-C-0001"); c.SlotID == nil || *c.SlotID != 1 {
			t.Errorf("slot_id after the cycle = %v, want 1 again", c.SlotID)
		}
	})
}

func TestCycle_SeesARowChangedOutsideRackflowBetweenItsSteps(t *testing.T) {
	backends(t, func(t *testing.T, s inventory.Store) {
		e := newEnv(t, s, example1().manifest())
		e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
		e.runner.Core = &hookCore{Core: e.runner.Core, before: func() {
			writeOutside(t, s, `UPDATE component SET slot_id = 9 WHERE serial_number = 'SN-C-0001'`)
		}}
		e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
		ds := e.tables().drifts[inventory.Compute]
		if len(ds) != 1 || ds[0].DriftType != inventory.Mismatch {
			t.Fatalf("Compute drift after a slot changed between the mirror and the actual sync = %+v, want one mismatch", ds)
		}
	})
}

func TestCycle_FirstCycleRereadsOnlyAfterInsertingRacks(t *testing.T) {
	backends(t, func(t *testing.T, s inventory.Store) {
		var reads int
		e := newEnv(t, countingStore{Store: s, reads: &reads}, example1().manifest())
		e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
		// The rack step reads; its rack inserts are reread by the Compute
		// step; every later step's writes advance the rows held (and
		// checkAdvanced compares them with the store's each time).
		if reads != 2 {
			t.Errorf("a first cycle read the components %d times, want 2", reads)
		}
		if e.advances != 6 {
			t.Errorf("rows held advanced %d times, want 6 (three mirror and three actual steps)", e.advances)
		}
	})
}

// queryCount runs a count(*) query with plain SQL.
func queryCount(t *testing.T, s inventory.Store, sql string) int {
	t.Helper()
	var n int
	var err error
	switch db := s.(type) {
	case *sqlite.DB:
		err = db.SQL().QueryRow(sql).Scan(&n)
	case *postgres.DB:
		err = db.Pool().QueryRow(context.Background(), sql).Scan(&n)
	default:
		t.Fatalf("no SQL access to %T", s)
	}
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCycle_LogsOneLinePerActualWriteAfterItCommits(t *testing.T) {
	backends(t, func(t *testing.T, s inventory.Store) {
		e := newEnv(t, s, example1().manifest())
		e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
		lines := 0
		for _, line := range bytes.Split(e.logs.Bytes(), []byte("\n")) {
			var rec struct {
				Msg, Source, Entity string
				Changes             map[string]map[string]any
			}
			if json.Unmarshal(line, &rec) != nil || rec.Msg != "inventory write" || rec.Source != "actual" {
				continue
			}
			lines++
			if rec.Entity == "" || len(rec.Changes) == 0 {
				t.Errorf("actual write line lacks its entity or changes: %s", line)
			}
		}
		if events := queryCount(t, s, `SELECT count(*) FROM inventory_event WHERE source = 'actual'`); lines != events || lines == 0 {
			t.Errorf("actual write lines = %d, want one per actual event (%d)", lines, events)
		}
	})
}
