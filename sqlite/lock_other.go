//go:build !unix

package sqlite

import "os"

// tryLock is a no-op where flock does not exist; rackflow's single-instance
// guarantee on SQLite is only enforced on Unix.
func tryLock(*os.File) error { return nil }
