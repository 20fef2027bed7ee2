package sqlite_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"rackflow/inventory"
	"rackflow/sqlite"
)

// helperEnv, when set to a database path, turns this test binary into a
// process that holds that database's lock until its stdin closes.
const helperEnv = "RACKFLOW_TEST_LOCK_HELPER"

// TestLockFile_HelperProcess is not a test: it is the child process of
// TestLockFile_SecondProcessIsRefusedNamingTheHoldersPID.
func TestLockFile_HelperProcess(t *testing.T) {
	path := os.Getenv(helperEnv)
	if path == "" {
		return
	}
	release, err := sqlite.LockFile(path)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(2)
	}
	fmt.Println("locked")
	bufio.NewReader(os.Stdin).ReadString('\n') // hold until the parent closes stdin
	release()
	os.Exit(0)
}

func mustLock(t *testing.T, path string) func() error {
	t.Helper()
	release, err := sqlite.LockFile(path)
	if err != nil {
		t.Fatalf("LockFile(%s): %v", path, err)
	}
	t.Cleanup(func() { release() })
	return release
}

func TestLockFile_SecondLockIsRefusedAtOnceNamingTheHolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.db")
	release := mustLock(t, path)

	_, err := sqlite.LockFile(path)
	var locked *sqlite.LockedError
	if !errors.As(err, &locked) || !errors.Is(err, inventory.ErrConflict) {
		t.Fatalf("second LockFile = %v, want a *LockedError wrapping ErrConflict", err)
	}
	want := fmt.Sprintf("database %s is in use by another rackflow process (pid %d)", path, os.Getpid())
	if err.Error() != want {
		t.Fatalf("error = %q, want %q", err, want)
	}
	if err := release(); err != nil {
		t.Fatalf("release: %v", err)
	}
	mustLock(t, path)
}

func TestLockFile_WritesTheHoldersPID(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.db")
	mustLock(t, path)
	b, err := os.ReadFile(sqlite.LockPath(path))
	if err != nil || strings.TrimSpace(string(b)) != strconv.Itoa(os.Getpid()) {
		t.Fatalf("lock file holds %q (%v), want this pid %d", b, err, os.Getpid())
	}
}

func TestLockFile_InMemoryTakesNoLock(t *testing.T) {
	mustLock(t, sqlite.Memory)
	mustLock(t, sqlite.Memory)
	if _, err := os.Stat(sqlite.LockPath(sqlite.Memory)); !os.IsNotExist(err) {
		t.Fatalf("a lock file for :memory: exists (%v)", err)
	}
}

func TestLockFile_ReportsAnUnwritableDirectory(t *testing.T) {
	_, err := sqlite.LockFile(filepath.Join(t.TempDir(), "no", "such", "r.db"))
	var locked *sqlite.LockedError
	if err == nil || errors.As(err, &locked) {
		t.Fatalf("LockFile in a missing directory = %v, want a plain error", err)
	}
}

func TestLockFile_SecondProcessIsRefusedNamingTheHoldersPID(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockFile_HelperProcess$")
	cmd.Env = append(os.Environ(), helperEnv+"="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); cmd.Wait() })
	if line := readLine(t, stdout); line != "locked" {
		t.Fatalf("helper said %q, want locked", line)
	}

	_, err = sqlite.LockFile(path)
	want := fmt.Sprintf("database %s is in use by another rackflow process (pid %d)", path, cmd.Process.Pid)
	if err == nil || err.Error() != want {
		t.Fatalf("LockFile while the helper holds it = %v, want %q", err, want)
	}

	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	// The holder is gone, and the operating system released its lock with it.
	mustLock(t, path)
}

// readLine reads one line of the helper's output within a deadline.
func readLine(t *testing.T, r interface{ Read([]byte) (int, error) }) string {
	t.Helper()
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case s := <-line:
		return s
	case <-time.After(30 * time.Second):
		t.Fatal("helper process never reported")
		return ""
	}
}

func TestDB_FailRunningCyclesMarksOnlyRunningRows(t *testing.T) {
	db := openMemory(t)
	ctx := context.Background()
	now := time.Now()
	rows := []inventory.Cycle{
		{ID: "00000000-0000-0000-0000-000000000001", StartedAt: now, Trigger: inventory.TriggerInterval, Instance: "h:1", Status: inventory.CycleRunning},
		{ID: "00000000-0000-0000-0000-000000000002", StartedAt: now, FinishedAt: &now, Trigger: inventory.TriggerInterval, Instance: "h:1", Status: inventory.CycleOK},
	}
	for _, c := range rows {
		if err := db.StartCycle(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	n, err := db.FailRunningCycles(ctx, "leader lost: the process holding the database died")
	if err != nil || n != 1 {
		t.Fatalf("FailRunningCycles = %d, %v; want 1", n, err)
	}
	got, err := db.Cycle(ctx, rows[0].ID)
	if err != nil || got.Status != inventory.CycleFailed || got.FinishedAt == nil || got.Error == nil || !strings.Contains(*got.Error, "leader lost") {
		t.Fatalf("orphaned cycle = %+v, %v; want failed with a finish time and the reason", got, err)
	}
	if got, _ := db.Cycle(ctx, rows[1].ID); got.Status != inventory.CycleOK || got.Error != nil {
		t.Fatalf("finished cycle changed: %+v", got)
	}
}
