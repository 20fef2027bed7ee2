package mirrorref_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"rackflow/core"
	"rackflow/coresim"
	"rackflow/coresim/simtest"
	"rackflow/cycle"
	"rackflow/inventory"
	"rackflow/storetest"
)

// orderSeeds is how many random sequences the reply-order property runs:
// 30 in the tests, RACKFLOW_ORDER_SEEDS in make reliability.
func orderSeeds(t *testing.T) uint64 {
	raw := os.Getenv("RACKFLOW_ORDER_SEEDS")
	if raw == "" {
		return 30
	}
	n, err := strconv.ParseUint(raw, 10, 32)
	if err != nil || n == 0 {
		t.Fatalf("RACKFLOW_ORDER_SEEDS %q: want a positive whole number", raw)
	}
	return n
}

// orderMutations are the edits the property draws: cross-type serial moves,
// MACs shared or swapped across types, rack id and chassis swaps. Edits that
// put one key twice in one reply are left out: for those the spec lets the
// last entry win, which depends on order by definition.
var orderMutations = []func(*gen, *coresim.Manifest){
	addRack, dropRack, swapRackIDs, swapRackChassis, addComponent, dropComponent,
	retypeComponent, shareMAC, swapMACs, relabelComponent, reboard,
}

// TestMirror_ResultDoesNotDependOnReplyOrderAndNeverFlipFlops is row 9 of
// the reliability matrix. For random manifest sequences it runs the mirror
// twice on fresh stores, once with Core's replies in manifest order and once
// with every list shuffled (freshly each cycle), and requires the same
// tables after every cycle. Each cycle is repeated until it writes nothing
// (at most maxRepeats times), and then a repeat with yet another order must
// write nothing: the result never flip-flops.
func TestMirror_ResultDoesNotDependOnReplyOrderAndNeverFlipFlops(t *testing.T) {
	for seed := uint64(1); seed <= orderSeeds(t); seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			g := &gen{r: rand.New(rand.NewPCG(seed, 0x07de7))}
			manifests := []*coresim.Manifest{withoutDuplicates(g.manifest())}
			for range 3 {
				c := clone(manifests[len(manifests)-1])
				for range g.n(1, 3) {
					pickOne(g, orderMutations)(g, c)
				}
				manifests = append(manifests, withoutDuplicates(c))
			}
			plain := newOrderSite(t, manifests[0], nil)
			shuffled := newOrderSite(t, manifests[0], rand.New(rand.NewPCG(seed, 7)))
			for i, m := range manifests {
				a, b := plain.settle(m), shuffled.settle(m)
				if a.Sum() != b.Sum() {
					t.Fatalf("cycle %d: the tables depend on reply order (-manifest order +shuffled):\n%s\nmanifest:\n%s",
						i+1, storetest.Diff(a, b), describe(m))
				}
				shuffled.noFlipFlop(m, i+1)
			}
		})
	}
}

// withoutDuplicates drops every entry whose rack id, rack name, chassis,
// component serial or MAC an earlier entry of the same reply already has.
func withoutDuplicates(m *coresim.Manifest) *coresim.Manifest {
	c := clone(m)
	seen := map[string]bool{}
	first := func(keys ...string) bool {
		for _, k := range keys {
			if seen[k] {
				return false
			}
		}
		for _, k := range keys {
			seen[k] = true
		}
		return true
	}
	var racks []coresim.ExpectedRack
	for _, r := range c.Expected.Racks {
		l := labelValues(r.Labels)
		name := strings.TrimSpace(r.Name)
		if name == "" {
			name = strings.TrimSpace(l["chassis.manufacturer"]) + "-" + strings.TrimSpace(l["chassis.serial-number"])
		}
		if first("rack id "+strings.TrimSpace(r.RackID), "rack name "+name, "chassis "+strings.TrimSpace(l["chassis.serial-number"])) {
			racks = append(racks, r)
		}
	}
	c.Expected.Racks = racks
	for _, typ := range componentTypes {
		list := componentList(c, typ)
		var kept []coresim.ExpectedComponent
		for _, e := range *list {
			mac, _ := inventory.NormalizeMAC(e.BMCMAC)
			if first(typ+" serial "+strings.TrimSpace(e.Serial), typ+" mac "+mac) {
				kept = append(kept, e)
			}
		}
		*list = kept
	}
	return c
}

// orderSite runs the mirror alone over one fresh SQLite store, serving each
// manifest in manifest order (shuffle nil) or shuffled.
type orderSite struct {
	t       *testing.T
	store   inventory.Store
	sim     *coresim.Server
	runner  *cycle.MirrorRunner
	shuffle *rand.Rand
	clock   time.Time
}

func newOrderSite(t *testing.T, m *coresim.Manifest, shuffle *rand.Rand) *orderSite {
	t.Helper()
	s := openSQLite(t)
	addr, sim := simtest.Start(t, m)
	client, err := core.Dial(context.Background(), core.Config{Addr: addr, Insecure: true, Timeout: 5 * time.Second,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	return &orderSite{t: t, store: s, sim: sim, shuffle: shuffle, clock: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC),
		runner: &cycle.MirrorRunner{Store: s, Core: client, GuardRatio: 1, GuardMin: 0}}
}

// serve loads m, shuffled when the site shuffles.
func (o *orderSite) serve(m *coresim.Manifest) {
	o.t.Helper()
	c := clone(m)
	if o.shuffle != nil {
		shuffle(o.shuffle, c.Expected.Racks)
		for _, typ := range componentTypes {
			shuffle(o.shuffle, *componentList(c, typ))
		}
	}
	if err := o.sim.Reload(c); err != nil {
		o.t.Fatalf("reload: %v", err)
	}
}

func shuffle[T any](r *rand.Rand, s []T) {
	r.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
}

// run runs one mirror cycle and returns how many events it wrote.
func (o *orderSite) run() int {
	o.t.Helper()
	before := o.events()
	o.clock = o.clock.Add(time.Minute)
	steps := o.runner.Run(context.Background(), cycle.MirrorRequest{CycleID: inventory.NewID(), Now: o.clock, Logger: slog.New(slog.DiscardHandler)})
	for name, st := range steps {
		if st.Err != nil {
			o.t.Fatalf("mirror step %s failed: %v", name, st.Err)
		}
	}
	return o.events() - before
}

func (o *orderSite) events() int {
	o.t.Helper()
	es, err := o.store.Events(context.Background(), inventory.EventFilter{Limit: 1 << 30})
	if err != nil {
		o.t.Fatal(err)
	}
	return len(es)
}

// settle serves m and runs cycles until one writes nothing, and returns the
// tables' content.
func (o *orderSite) settle(m *coresim.Manifest) storetest.Content {
	o.t.Helper()
	o.serve(m)
	for i := 0; o.run() > 0; i++ {
		if i == maxRepeats {
			o.t.Fatalf("the mirror did not settle within %d repeats on:\n%s", maxRepeats, describe(m))
		}
		o.serve(m)
	}
	c, err := storetest.ReadContent(context.Background(), o.store)
	if err != nil {
		o.t.Fatal(err)
	}
	return c
}

// noFlipFlop serves m once more in a new order: nothing may be written.
func (o *orderSite) noFlipFlop(m *coresim.Manifest, cycleNo int) {
	o.t.Helper()
	o.serve(m)
	if n := o.run(); n != 0 {
		o.t.Fatalf("cycle %d: a settled site wrote %d events when Core's reply order changed:\n%s", cycleNo, n, describe(m))
	}
}

// describe prints a manifest for a failure message.
func describe(m *coresim.Manifest) string {
	var b strings.Builder
	if err := coresim.MarshalManifest(&b, m); err != nil {
		return err.Error()
	}
	return b.String()
}

// labelValues is the last value of each label key, as the client flattens
// them.
func labelValues(ls coresim.Labels) map[string]string {
	out := map[string]string{}
	for _, l := range ls {
		if l.Value != nil {
			out[l.Key] = *l.Value
		}
	}
	return out
}
