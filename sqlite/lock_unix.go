//go:build unix

package sqlite

import (
	"errors"
	"os"
	"syscall"
)

// tryLock takes a non-blocking exclusive flock. flock belongs to the open
// file description, so even two opens in one process conflict, and the lock
// goes when the descriptor closes or the process exits.
func tryLock(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.EWOULDBLOCK):
			return errWouldBlock
		}
		return err
	}
}
