// Package mirrorref is the differential test of the expected-inventory
// mirror. Its test files hold a plain, row-by-row reference model of
// spec/mirror.md over in-memory maps, and a property test that drives random
// sequences of simulated Core sites through the real mirror (simulator, gRPC
// client, cycle.MirrorRunner, store) on both database backends and compares
// the tables with the model's after every cycle.
//
// The model is deliberately independent of package mirror: it reads the
// manifests the simulator serves, not the planner's types, and it settles
// every rule one row at a time so that a reader can check it against the
// spec line by line. Nothing outside the tests uses this package.
package mirrorref
