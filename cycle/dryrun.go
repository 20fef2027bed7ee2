package cycle

import (
	"context"
	"fmt"
	"time"

	"rackflow/inventory"
	"rackflow/mirror"
)

// DryRun is what the next mirror would do, computed from the same pulls and
// the same planner without writing.
type DryRun struct {
	Racks      mirror.RackPlan
	Components []mirror.ComponentPlan
	// PullErrors names the steps whose pull failed.
	PullErrors map[string]string
}

// Pending reports whether any write that would not be held is planned. Held
// deletes alone are not pending changes.
func (d DryRun) Pending() bool {
	if !d.Racks.Writes.Empty() {
		return true
	}
	for _, c := range d.Components {
		if !c.Writes.Empty() {
			return true
		}
	}
	return false
}

// PlanMirror computes the dry run from one consistent read. Each step is
// planned against the end state the steps before it would leave, as the
// cycle's transactions see each other's commits: component rack references
// resolve against the racks' planned end state, a later type sees an earlier
// type's deletes and evictions.
func PlanMirror(ctx context.Context, store inventory.Store, core inventory.Core, guardRatio float64, guardMin int, now time.Time) (DryRun, error) {
	pulls := Pull(ctx, core)
	d := DryRun{PullErrors: map[string]string{}}
	if pulls.Racks.Err != nil {
		d.PullErrors[RackStep] = pulls.Racks.Err.Error()
	}
	opt := mirror.Options{Now: now, GuardRatio: guardRatio, GuardMin: guardMin}
	err := store.View(ctx, func(tx inventory.ReadTx) error {
		st, err := readComponentState(ctx, tx)
		if err != nil {
			return err
		}
		d.Racks = mirror.PlanRacks(pulls.Racks, st.Racks, st.Components, opt)
		st = applied(st, d.Racks.Writes, &opt)
		for _, t := range inventory.MirroredTypes {
			if p := pulls.Prepared[t]; p.Err != nil {
				d.PullErrors[string(t)] = p.Err.Error()
			}
			if opt.Index == nil {
				opt.Index = inventory.NewRowIndex(st.Racks, st.Components, st.BMCs)
			}
			plan := mirror.PlanComponents(t, pulls.Prepared, st, opt)
			mirror.SettleClaims(pulls.Prepared, plan, true)
			st = applied(st, plan.Writes, &opt)
			d.Components = append(d.Components, plan)
		}
		return nil
	})
	if err != nil {
		return d, fmt.Errorf("cycle: dry run: %w", err)
	}
	return d, nil
}

// applied is the state a step's writes leave for the next step. A step that
// writes no inventory row leaves st as it is, with its index; otherwise the
// index is dropped, to be built again over the new state.
func applied(st mirror.ComponentState, w inventory.Writes, opt *mirror.Options) mirror.ComponentState {
	if !w.TouchesInventory() {
		return st
	}
	opt.Index = nil
	return mirror.Applied(st, w)
}
