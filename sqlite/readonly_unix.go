//go:build unix

package sqlite

import (
	"errors"
	"path/filepath"
	"syscall"
)

// readOnlyHint explains a failed open when the database file or its
// directory cannot be written (SQLite needs both, for the journal); it is
// empty otherwise.
func readOnlyHint(path string) string {
	const wOK = 2
	for _, p := range []string{path, filepath.Dir(path)} {
		err := syscall.Access(p, wOK)
		switch {
		case errors.Is(err, syscall.EROFS):
			return " (" + p + " is on a read-only file system)"
		case errors.Is(err, syscall.EACCES):
			return " (" + p + " is not writable by this process)"
		}
	}
	return ""
}
