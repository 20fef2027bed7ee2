package cycle

import (
	"context"

	"rackflow/inventory"
	"rackflow/mirror"
)

// inventoryReads is one cycle's latest read of the rack, component and bmc
// tables, with the inventory write counter it was read at. Each step still
// reads the counter under its own lock; while the counter has not moved,
// nobody (no other writer, no earlier step) has written those tables, so the
// rows held are exactly the rows the step's plan is applied to and are used
// again instead of being reread. When it has moved, the step rereads.
type inventoryReads struct {
	st      mirror.ComponentState
	version int64
	current bool
	// full counts the full reads, for tests.
	full int
}

// state returns the inventory as the transaction tx sees it.
func (c *inventoryReads) state(ctx context.Context, tx inventory.ReadTx) (mirror.ComponentState, error) {
	vt, versioned := tx.(inventory.VersionedTx)
	var v int64
	if versioned {
		var err error
		if v, err = vt.InventoryVersion(ctx); err != nil {
			c.forget()
			return mirror.ComponentState{}, err
		}
		if c.current && v == c.version {
			return c.st, nil
		}
	}
	c.forget() // let the old rows go before the new ones arrive
	st, err := readComponentState(ctx, tx)
	if err != nil {
		return mirror.ComponentState{}, err
	}
	c.st, c.version, c.current = st, v, versioned
	c.full++
	return st, nil
}

// writing is told, before a step applies w, what it will write: rows the
// step writes make the held rows stale, committed or not.
func (c *inventoryReads) writing(w inventory.Writes) {
	if w.TouchesInventory() {
		c.forget()
	}
}

func (c *inventoryReads) forget() {
	c.st, c.current = mirror.ComponentState{}, false
}

func readComponentState(ctx context.Context, tx inventory.ReadTx) (mirror.ComponentState, error) {
	var st mirror.ComponentState
	var err error
	if st.Racks, err = tx.Racks(ctx); err != nil {
		return st, err
	}
	if st.Components, err = tx.Components(ctx); err != nil {
		return st, err
	}
	st.BMCs, err = tx.BMCs(ctx)
	return st, err
}
