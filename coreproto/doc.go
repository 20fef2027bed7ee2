// Package coreproto holds rackflow's own protocol definitions for the subset of
// Core's forge.Forge gRPC service that rackflow speaks, and the Go code
// generated from them (run `make proto` after editing forge.proto). Only the
// core client and the Core simulator import it; the rest of rackflow sees
// domain values from package inventory.
package coreproto
