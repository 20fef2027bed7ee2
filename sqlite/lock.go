package sqlite

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"

	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

// LockedError says that another process holds a database's lock file.
type LockedError struct {
	Path string // the database path
	PID  int    // the holder's pid, 0 when it could not be read
}

func (e *LockedError) Error() string {
	holder := "pid unknown"
	if e.PID > 0 {
		holder = "pid " + strconv.Itoa(e.PID)
	}
	return fmt.Sprintf("database %s is in use by another rackflow process (%s)", e.Path, holder)
}

// Unwrap places the refusal in the inventory error vocabulary.
func (e *LockedError) Unwrap() error { return inventory.ErrConflict }

// LockPath returns the lock file that guards the database at path.
func LockPath(path string) string { return path + ".lock" }

// LockFile takes an exclusive lock on <path>.lock for the life of the
// process, or until release is called, and writes this process's pid into it.
// SQLite's own locks only serialise transactions, and two rackflow processes
// interleaving cycles on one file would each think they lead; this lock makes
// the second one fail at once with a *LockedError naming the holder's pid. The
// operating system drops the lock when the process dies, so a crash leaves no
// stale lock. The file itself is left in place: deleting it would let a third
// process lock a new file while the second still holds the old one.
// ":memory:" is private to the process and takes no lock.
func LockFile(path string) (release func() error, err error) {
	if path == Memory {
		return func() error { return nil }, nil
	}
	f, err := os.OpenFile(LockPath(path), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("sqlite: opening lock file: %w", err)
	}
	if err := tryLock(f); err != nil {
		f.Close()
		if errors.Is(err, errWouldBlock) {
			return nil, &LockedError{Path: path, PID: readPID(LockPath(path))}
		}
		return nil, fmt.Errorf("sqlite: locking %s: %w", LockPath(path), err)
	}
	if err := writePID(f); err != nil {
		f.Close() // closing the descriptor drops the lock
		return nil, fmt.Errorf("sqlite: writing pid to %s: %w", LockPath(path), err)
	}
	var once sync.Once
	var closeErr error
	return func() error {
		once.Do(func() { closeErr = f.Close() })
		return closeErr
	}, nil
}

// errWouldBlock is what tryLock returns when another process holds the lock.
var errWouldBlock = errors.New("lock is held")

func writePID(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return err
}

// readPID returns the pid in a lock file, or 0: the holder writes it just
// after locking, so a contender can see an empty file for a moment.
func readPID(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}

// FailRunningCycles marks every sync_cycle row still running as failed, with
// reason as its error, and returns how many it marked. Call it right after
// LockFile succeeds: a running row belongs to a process that died holding the
// lock.
func (db *DB) FailRunningCycles(ctx context.Context, reason string) (int, error) {
	res, err := db.db.ExecContext(ctx, `UPDATE sync_cycle SET status = 'failed', finished_at = ?, error = ?
		WHERE status = 'running'`, sqlkit.FormatTime(timeNow()), reason)
	if err != nil {
		return 0, fmt.Errorf("sqlite: failing running cycles: %w", mapErr(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlite: failing running cycles: %w", mapErr(err))
	}
	return int(n), nil
}
