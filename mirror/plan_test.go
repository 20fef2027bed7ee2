package mirror

import (
	"encoding/json"
	"testing"

	"rackflow/inventory"
)

func TestCounters_JSONNamesMatchTheSpec(t *testing.T) {
	b, err := json.Marshal(Counters{})
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]int
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"pulled", "skipped_invalid", "skipped_duplicate", "skipped_conflict",
		"skipped_name_taken", "legacy_exempt", "inserted", "updated", "adopted", "resurrected", "soft_deleted",
		"tombstones_gc", "bmc_inserted", "bmc_updated", "bmc_deleted", "bmc_evicted", "held_deletes",
		"bmc_refused", "bmc_contested"} {
		if _, ok := got[name]; !ok {
			t.Errorf("counter %s missing from %s", name, b)
		}
	}
	if len(got) != 19 || len(Counters{}.Attrs()) != 19 {
		t.Errorf("want 19 counters, got %d in JSON and %d attributes", len(got), len(Counters{}.Attrs()))
	}
}

func TestCounters_RolledBackKeepsOnlyInputCounters(t *testing.T) {
	c := Counters{Pulled: 5, SkippedInvalid: 1, SkippedDuplicate: 1, SkippedConflict: 1, SkippedNameTaken: 1,
		LegacyExempt: 1, Inserted: 2, Updated: 1, SoftDeleted: 1, BMCInserted: 2, HeldDeletes: 3, BMCRefused: 1}
	want := Counters{Pulled: 5, SkippedInvalid: 1, SkippedDuplicate: 1, SkippedConflict: 1, SkippedNameTaken: 1, LegacyExempt: 1}
	assertCounters(t, c.RolledBack(), want)
}

func TestEvents_CarryCycleSourceAndTime(t *testing.T) {
	opt := testOptions()
	e := opt.event(inventory.EntityRack, "r1", inventory.ActionUpdate, nil)
	if e.CycleID == nil || *e.CycleID != "cycle-1" || e.Source != inventory.SourceMirror || !e.At.Equal(t0) || e.Changes == nil {
		t.Errorf("event = %+v", e)
	}
	opt.CycleID = ""
	if e := opt.event(inventory.EntityRack, "r1", inventory.ActionUpdate, nil); e.CycleID != nil {
		t.Errorf("a plan outside a cycle recorded cycle %q", *e.CycleID)
	}
}
