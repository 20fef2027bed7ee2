package inventory

import "context"

// VersionedTx is a transaction that can read the inventory's write counter:
// a number that moves whenever a rack, component or bmc row is written, by
// rackflow or by anyone else. Two equal reads, each made under the inventory
// write lock, prove that nobody wrote those tables in between, so rows read
// under the first still are the tables' rows under the second.
type VersionedTx interface {
	InventoryVersion(ctx context.Context) (int64, error)
}

// TouchesInventory reports whether w writes a rack, component or bmc row;
// events and drift do not move the inventory's write counter.
func (w Writes) TouchesInventory() bool {
	inv := w
	inv.Events, inv.DriftDeletes, inv.DriftUpdates, inv.DriftInserts, inv.DriftHistory = nil, nil, nil, nil, nil
	return !inv.Empty()
}
