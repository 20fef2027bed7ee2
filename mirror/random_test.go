package mirror

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"rackflow/inventory"
)

// gen draws small, collision-prone inventories and Core responses, so that
// duplicates, swaps, contested and DPU MACs, retyped serials, unknown racks,
// malformed labels and empty or failed pulls all turn up.
type gen struct{ r *rand.Rand }

func (g gen) pick(vs ...string) string { return vs[g.r.IntN(len(vs))] }
func (g gen) chance(p float64) bool    { return g.r.Float64() < p }

func (g gen) world() *world {
	w := newWorld(nil, nil, nil)
	for i := range g.r.IntN(6) {
		r := dbRack(fmt.Sprintf("r%d", i), g.pick("a", "b", "c", "d", "", ""), g.pick("n1", "n2", "n3", "a", "b"),
			"F", g.pick("1", "2", "3", "4", "5"))
		if g.chance(0.3) {
			r = tombstone(r)
		}
		w.racks[r.ID] = r
		if !g.consistent(w) {
			delete(w.racks, r.ID)
		}
	}
	g.components(w)
	return w
}

func (g gen) components(w *world) {
	types := []inventory.ComponentType{inventory.Compute, inventory.NVSwitch, inventory.PowerShelf}
	rackIDs := keysOf(w.racks)
	for i := range g.r.IntN(7) {
		c := dbComp(fmt.Sprintf("c%d", i), types[g.r.IntN(3)], "NV", g.pick("1", "2", "3", "4", "5", "6"))
		if len(rackIDs) > 0 && g.chance(0.5) {
			c.RackID = inventory.Ptr(rackIDs[g.r.IntN(len(rackIDs))])
		}
		if g.chance(0.3) {
			c = deadComp(c)
		}
		w.comps[c.ID] = c
		if !g.consistent(w) {
			delete(w.comps, c.ID)
		}
	}
	compIDs := keysOf(w.comps)
	for i := range g.r.IntN(6) {
		if len(compIDs) == 0 {
			break
		}
		b := hostBMC(fmt.Sprintf("aa:bb:cc:00:00:0%d", i+1), compIDs[g.r.IntN(len(compIDs))])
		if g.chance(0.25) {
			b.Type = inventory.DPUBMC
		}
		w.bmcs[b.MAC] = b
	}
}

// consistent reports whether the world satisfies every index.
func (g gen) consistent(w *world) bool { return len(w.violations()) == 0 }

func (g gen) rackPull() RackPull {
	switch {
	case g.chance(0.1):
		return RackPull{Outcome: Error}
	case g.chance(0.1):
		return RackPull{Outcome: Empty}
	}
	var p RackPull
	for range 1 + g.r.IntN(5) {
		p.Racks = append(p.Racks, coreRack(g.pick("a", "b", "c", "d", "e", ""), g.pick("F", "F", "F", ""),
			g.pick("1", "2", "3", "4", "5", "6"), named(g.pick("", "n1", "n2", "n3", "a"))))
	}
	return p
}

func (g gen) compPull(t inventory.ComponentType) ComponentPull {
	switch {
	case g.chance(0.1):
		return ComponentPull{Type: t, Outcome: Error}
	case g.chance(0.1):
		return ComponentPull{Type: t, Outcome: Empty}
	}
	p := ComponentPull{Type: t}
	for range g.r.IntN(5) {
		p.Specs = append(p.Specs, coreComp(t, g.pick("NV", "NV", "NV", ""), g.pick("1", "2", "3", "4", "5", "6"),
			g.pick("aa:bb:cc:00:00:01", "AA-BB-CC-00-00-02", "aabbcc000003", "aa:bb:cc:00:00:04", "aa:bb:cc:00:00:05", "bad"),
			inRack(g.pick("", "a", "b", "c", "zz")), withIP(g.pick("", "10.0.0.1", "10.0.0.2")),
			compLabel(labelSlotID, g.pick("", "1", "2", "x")), compModel(g.pick("", "M1", "M2"))))
	}
	return p
}

// TestMirror_RandomCyclesKeepIndexesAndConverge runs random cycles. Every
// transaction's end state must satisfy every unique index and foreign key,
// give each row and MAC one operation and one event, keep the UUID of every
// component whose key returns, and repeating the same Core data must reach a
// cycle that writes nothing (tombstone GC may need one extra cycle).
func TestMirror_RandomCyclesKeepIndexesAndConverge(t *testing.T) {
	for seed := range uint64(400) {
		g := gen{rand.New(rand.NewPCG(seed, 7))}
		w := g.world()
		racks := g.rackPull()
		var pulls []ComponentPull
		for _, typ := range inventory.MirroredTypes {
			pulls = append(pulls, g.compPull(typ))
		}
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			before := idsByKey(w)
			opt := testOptions()
			for cycle := range 4 {
				plans := runCycle(t, w, racks, pulls, opt)
				if t.Failed() {
					t.Fatalf("cycle %d failed", cycle)
				}
				if cycleEmpty(plans) {
					assertStableIDs(t, before, idsByKey(w))
					return
				}
			}
			t.Fatalf("no fixed point after 4 cycles")
		})
	}
}

func cycleEmpty(p cyclePlans) bool {
	for _, c := range p.comps {
		if !c.Writes.Empty() {
			return false
		}
	}
	return p.racks.Writes.Empty()
}

func idsByKey(w *world) map[inventory.ChassisKey]string {
	out := map[inventory.ChassisKey]string{}
	for _, c := range w.comps {
		out[c.Key()] = c.ID
	}
	return out
}

func assertStableIDs(t *testing.T, before, after map[inventory.ChassisKey]string) {
	t.Helper()
	for k, id := range before {
		if got, ok := after[k]; ok && got != id {
			t.Errorf("component %s changed id %s → %s", k, id, got)
		}
	}
}
