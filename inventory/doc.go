// Package inventory is rackflow's domain: racks, components, BMCs, drift, audit
// events and cycles, their natural keys and the pure rules over them.
//
// It performs no I/O. Adapters (the stores, the Core client, the HTTP API)
// implement or consume the interfaces declared here, and only cmd/rackflow wires
// them together.
package inventory
