//go:build linux

package cycle_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rackflow/cycle"
	"rackflow/inventory"
	"rackflow/sqlite"
	"rackflow/sqlite/sqlitetest"
	"rackflow/storetest"
)

const spareBytes = 64 << 10

func openSQLiteAt(t *testing.T, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func integrityOK(t *testing.T, path string) {
	t.Helper()
	db := openSQLiteAt(t, path)
	defer db.Close()
	var res string
	if err := db.SQL().QueryRow("PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		t.Fatalf("integrity_check = %q, %v", res, err)
	}
}

// TestFaults_SQLiteOnAFullDiskFailsClearlyStaysIntactAndConvergesWithSpace
// is row 7 of the reliability matrix, first half: a cycle that needs space
// on a full disk fails its steps with a clear error and commits nothing;
// the file passes integrity_check; with space again the next cycle converges.
func TestFaults_SQLiteOnAFullDiskFailsClearlyStaysIntactAndConvergesWithSpace(t *testing.T) {
	dir := sqlitetest.SmallDisk(t, "2m")
	path := filepath.Join(dir, "rackflow.db")
	db := openSQLiteAt(t, path)
	defer db.Close()
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, db, example1().manifest())
	e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
	ref := e.content()

	// Enough room is left for the cycle's own row, not for its writes.
	filler := sqlitetest.FillDisk(t, dir, spareBytes)
	e.reload(faultSite().manifest())
	res, err := e.runner.Run(context.Background(), cycle.Request{Trigger: inventory.TriggerOnce})
	if err == nil && res.Cycle.Status == inventory.CycleOK {
		t.Fatalf("a cycle on a full disk succeeded")
	}
	if text := errText(err, res); !strings.Contains(text, "full") {
		t.Errorf("the full disk is not named: %s", text)
	}
	e.wantContent("after the cycle on a full disk", ref)
	integrityOK(t, path)

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
	e.wantContent("after the next cycle with space", cleanContent(t, example1(), faultSite()))
	integrityOK(t, path)
}

// TestFaults_SQLiteOnAReadOnlyFileFailsClearlyAndConvergesWhenWritable is
// row 7's second half: a database on a read-only file system is refused
// with a clear error, stays intact, and converges once writable.
func TestFaults_SQLiteOnAReadOnlyFileFailsClearlyAndConvergesWhenWritable(t *testing.T) {
	dir := sqlitetest.SmallDisk(t, "8m")
	path := filepath.Join(dir, "rackflow.db")
	db := openSQLiteAt(t, path)
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, db, example1().manifest())
	e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
	ref := e.content()
	db.Close()

	sqlitetest.Remount(t, dir, true)
	if ro, err := sqlite.Open(context.Background(), path); err == nil {
		ro.Close()
		t.Fatalf("a database on a read-only file system opened")
	} else if !strings.Contains(err.Error(), "read-only file system") || !strings.Contains(err.Error(), path) {
		t.Errorf("the read-only file is not named: %v", err)
	}
	sqlitetest.Remount(t, dir, false)
	integrityOK(t, path)

	rw := openSQLiteAt(t, path)
	defer rw.Close()
	e3 := newEnv(t, rw, faultSite().manifest())
	if got := e3.content(); got.Sum() != ref.Sum() {
		t.Errorf("the refused cycle changed the tables:\n%s", storetest.Diff(ref, got))
	}
	e3.wantStatus(e3.cycle(cycle.Request{}), inventory.CycleOK)
	e3.wantContent("after the next cycle on a writable file", cleanContent(t, example1(), faultSite()))
}

// errText is what a cycle reported: its start error, or its steps.
func errText(err error, res cycle.Result) string {
	if err != nil {
		return err.Error()
	}
	text := string(res.Cycle.Steps)
	if res.Cycle.Error != nil {
		text += " " + *res.Cycle.Error
	}
	return text
}
