package cycle

import "rackflow/mirror"

// ReadComponentState is the read a cycle step makes of the rack, component
// and bmc tables.
var ReadComponentState = readComponentState

// SetReadCheck makes r give check the rows a cycle holds each time they
// advance by a step's own writes (advanced true), and at the end of each
// cycle the rows it leaves to the next (advanced false).
func SetReadCheck(r *Runner, check func(st mirror.ComponentState, advanced bool)) {
	r.checkReads = check
}
