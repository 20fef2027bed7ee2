//go:build linux

package cycle_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"rackflow/cycle"
	"rackflow/inventory"
	"rackflow/sqlite"
	"rackflow/storetest"
)

// smallDisk mounts a tmpfs of the given size on a fresh directory and
// unmounts it when the test ends. Mounting needs root (CI runs as root); a
// machine where it is refused fails the test, with the reason.
func smallDisk(t *testing.T, size string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "disk")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		t.Fatalf("mounting a %s tmpfs on %s (needs root, as in CI): %v", size, dir, err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmounting %s: %v", dir, err)
		}
	})
	return dir
}

// remount switches the tmpfs at dir between read-only and read-write.
func remount(t *testing.T, dir string, readOnly bool) {
	t.Helper()
	flags := uintptr(syscall.MS_REMOUNT)
	if readOnly {
		flags |= syscall.MS_RDONLY
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", flags, ""); err != nil {
		t.Fatalf("remounting %s (read-only %v): %v", dir, readOnly, err)
	}
}

// fillDisk writes a file in dir until the disk is full, then gives back
// spare bytes, and returns the file's path.
func fillDisk(t *testing.T, dir string, spare int64) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("filling %s: %v", dir, err)
			}
			st, err := f.Stat()
			if err != nil {
				t.Fatal(err)
			}
			if err := f.Truncate(max(0, st.Size()-spare)); err != nil {
				t.Fatal(err)
			}
			return path
		}
	}
}

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
	dir := smallDisk(t, "2m")
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
	filler := fillDisk(t, dir, spareBytes)
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
	dir := smallDisk(t, "8m")
	path := filepath.Join(dir, "rackflow.db")
	db := openSQLiteAt(t, path)
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, db, example1().manifest())
	e.wantStatus(e.cycle(cycle.Request{}), inventory.CycleOK)
	ref := e.content()
	db.Close()

	remount(t, dir, true)
	if ro, err := sqlite.Open(context.Background(), path); err == nil {
		ro.Close()
		t.Fatalf("a database on a read-only file system opened")
	} else if !strings.Contains(err.Error(), "read-only file system") || !strings.Contains(err.Error(), path) {
		t.Errorf("the read-only file is not named: %v", err)
	}
	remount(t, dir, false)
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
