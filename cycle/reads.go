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
//
// A step's own writes move the counter too. The step reads the counter once
// more after its writes, inside its transaction and under its lock, where no
// other writer can move it; once the transaction has committed, the held
// rows are advanced by the step's writes (mirror.Advanced) and take that
// counter. Writes Advanced cannot follow, a failed step, or a failed read
// drop the held rows, and the next step reads them again.
type inventoryReads struct {
	st      mirror.ComponentState
	version int64
	current bool
	// pending is the inventory writes of the step in flight; pendingAt the
	// counter its transaction read after them (valid when pendingRead).
	pending     *inventory.Writes
	pendingAt   int64
	pendingRead bool
	// idx indexes st for the planners, built on first use.
	idx *inventory.RowIndex
	// check, when set (tests), is given the rows held each time they advance
	// by a step's writes (advanced true) and, when they are still current,
	// at the end of each cycle (advanced false), outside any transaction.
	check func(st mirror.ComponentState, advanced bool)
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
	c.st, c.version, c.current, c.idx = st, v, versioned, nil
	return st, nil
}

// index returns the index of the rows held, building it on first use. The
// steps that plan from the same rows share it.
func (c *inventoryReads) index() *inventory.RowIndex {
	if c.idx == nil {
		c.idx = inventory.NewRowIndex(c.st.Racks, c.st.Components, c.st.BMCs)
	}
	return c.idx
}

// writing is told, before a step applies w, what it will write: rows the
// step writes make the held rows stale until the step has committed.
func (c *inventoryReads) writing(w inventory.Writes) {
	if !w.TouchesInventory() {
		return
	}
	if !c.current {
		c.forget()
		return
	}
	c.current, c.pending, c.pendingRead = false, &w, false
}

// wrote reads, inside the step's transaction and after its writes, the
// counter those writes left.
func (c *inventoryReads) wrote(ctx context.Context, tx inventory.ReadTx) error {
	if c.pending == nil {
		return nil
	}
	vt, ok := tx.(inventory.VersionedTx)
	if !ok {
		c.forget()
		return nil
	}
	v, err := vt.InventoryVersion(ctx)
	if err != nil {
		c.forget()
		return err
	}
	c.pendingAt, c.pendingRead = v, true
	return nil
}

// done is told whether the step's transaction committed. After a commit the
// held rows advance by the step's writes; otherwise they are dropped.
func (c *inventoryReads) done(committed bool) {
	w, read := c.pending, c.pendingRead
	c.pending, c.pendingRead = nil, false
	if w == nil {
		return
	}
	if !committed || !read {
		c.forget()
		return
	}
	st, ok := mirror.Advanced(c.st, *w)
	if !ok {
		c.forget()
		return
	}
	c.st, c.version, c.current, c.idx = st, c.pendingAt, true, nil
	if c.check != nil {
		c.check(st, true)
	}
}

func (c *inventoryReads) forget() {
	c.st, c.current, c.pending, c.pendingRead, c.idx = mirror.ComponentState{}, false, nil, false, nil
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
	if st.BMCs, err = tx.BMCs(ctx); err != nil {
		return st, err
	}
	inventory.ShareValues(st.Components, st.BMCs)
	return st, nil
}
