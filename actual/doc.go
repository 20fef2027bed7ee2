// Package actual syncs what Core has discovered into rackflow's runtime
// columns and computes drift between expected and actual state.
//
// Fetching a snapshot goes through the inventory.Core interface, before any
// transaction. Everything after that is pure: Plan matches components to
// Core objects, works out the runtime column writes, the DPU BMC rows and the
// drift with its history, and returns them as an inventory.Writes for the
// store to apply in one transaction per component type. One file per type
// (machine.go, switch.go, powershelf.go) holds what differs between types.
package actual
