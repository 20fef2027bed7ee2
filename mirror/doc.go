// Package mirror plans the expected-inventory mirror: given what Core reports
// and the rows currently in the rack, component and bmc tables, it computes
// every write one mirror transaction must make, with its audit events, its
// counters and the WARN/ERROR findings to log.
//
// The package is pure. It reads nothing and writes nothing; a store applies
// the returned inventory.Writes in one transaction, and a dry run prints them.
// Every rule comes from spec/mirror.md. The planner guarantees that the end
// state it describes violates no unique index, so a store only has to apply
// unique-value moves in two steps, as schema.md describes.
//
// A cycle's mirror step runs PlanRacks in the rack transaction, then, for each
// type of inventory.MirroredTypes in order, PlanComponents in that type's
// transaction. PrepareComponents normalises each component pull once per cycle;
// its result feeds every component transaction, because contested MACs are
// settled across types.
package mirror
