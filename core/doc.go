// Package core is rackflow's client of NICo Core's forge.Forge gRPC service.
//
// It owns the transport (mutual TLS or explicit plaintext, the receive limit,
// a deadline per attempt, bounded retries), the batching of every request that
// carries ids, the checks on each reply, and the conversion of Core's messages
// into the domain values of package inventory. Credentials that Core sends are
// dropped here and never leave the package.
package core
