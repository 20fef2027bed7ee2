package cycle

import "rackflow/mirror"

// SetReadCheck makes r give check the rows a cycle holds each time they
// advance by a step's own writes.
func SetReadCheck(r *Runner, check func(mirror.ComponentState)) { r.checkReads = check }
