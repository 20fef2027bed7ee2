package mirrorref_test

import (
	"flag"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var (
	sequences = flag.Int("sequences", 60, "random sequences to run on each backend")
	onlySeed  = flag.Uint64("seed", 0, "run only the sequence with this seed")
)

// TestMirror_MatchesReferenceModel drives random sequences of Core sites
// through the real mirror on both backends. After every cycle the tables must
// equal the reference model's, every step must report what the model expects
// (failures only for failed pulls, the same held deletes), and component keys
// that return must keep their UUIDs. Each cycle is then repeated over the
// same inputs until the model changes nothing, and that repeat must write
// nothing at all.
func TestMirror_MatchesReferenceModel(t *testing.T) {
	seeds := make([]uint64, 0, *sequences)
	for i := range *sequences {
		seeds = append(seeds, uint64(i+1))
	}
	if *onlySeed != 0 {
		seeds = []uint64{*onlySeed}
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			cov := coverage{}
			for _, seed := range seeds {
				seq := generate(seed)
				t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
					st := newSite(t, b.open(t), seq, cov)
					for i, m := range seq.manifests {
						label := fmt.Sprintf("cycle %d of %d", i+1, len(seq.manifests))
						if err := st.sim.Reload(m); err != nil {
							t.Fatalf("%s: reload: %v", label, err)
						}
						st.cycle(m, label)
						st.repeat(m, label)
					}
				})
			}
			if *onlySeed == 0 && !t.Failed() {
				checkCoverage(t, cov)
			}
		})
	}
}

// mustCover lists the rules the generator must reach in a normal run, so
// that a change to the generator cannot quietly stop testing one of them.
var mustCover = []string{
	"rack pull failed", "rack duplicate dropped", "rack without chassis skipped",
	"rack pull empty or without valid rows", "rack adopted a legacy row", "rack adopted a row whose rack_id Core renamed",
	"rack resurrected", "legacy rack exempt from deletes", "rack deletes held", "rack soft-deleted",
	"rack rename reverted", "rack insert reverted", "rack contention settled by rack_id",
	"rack tombstone garbage-collected", "component rack cleared by tombstone GC", "rack value moved between rows",
	"rack JSON that is not an object left alone",
	"component pull failed", "component duplicate dropped", "component without manufacturer or serial skipped",
	"component with an invalid MAC skipped", "component pull empty or without valid rows",
	"component conflicting with a live row of another type skipped", "component tombstone resurrected as another type",
	"component resurrected", "unresolved rack reference on insert", "unresolved rack reference on update",
	"malformed integer label on insert", "malformed integer label on update",
	"component deletes held", "component soft-deleted",
	"contested MAC", "contested MAC across types", "contested MAC kept by its owner over type and response order",
	"losing spec of a contested MAC leaves its BMCs unchanged", "host BMC refused: the MAC is a DPU BMC",
	"host BMC evicted from another component", "host BMC IP updated", "host BMC inserted",
	"other host BMC of the component deleted",
	"pull failed with UNAVAILABLE", "pull empty by fault", "pull truncated by keep",
}

// checkCoverage fails when the run missed a rule, and logs what it reached.
func checkCoverage(t *testing.T, cov coverage) {
	t.Helper()
	for _, name := range slices.Sorted(maps.Keys(cov)) {
		t.Logf("%6d  %s", cov[name], name)
	}
	for _, name := range mustCover {
		if cov[name] == 0 {
			t.Errorf("the generator never reached %q", name)
		}
	}
}

// diffRows compares two full reads of the store, every column included.
func diffRows(before, after storeRows) string {
	return cmp.Diff(before, after, cmp.AllowUnexported(storeRows{}))
}
