// Package coresim is a simulator of NICo Core's forge.Forge gRPC service. It
// owns the site manifest (a YAML description of Core's expected and actual
// inventory plus injected faults), the gRPC server that serves a manifest
// over the same wire protocol as Core, and the generator of synthetic
// GB200 NVL72 sites.
//
// The demo, the tests and the benchmarks run against it, in the rackflow
// process or as `rackflow core-sim`. Package simtest starts one for a test.
package coresim
