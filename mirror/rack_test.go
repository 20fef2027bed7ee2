package mirror

import (
	"encoding/json"
	"errors"
	"log/slog"
	"testing"
	"time"

	"rackflow/inventory"
)

func TestPlanRacks_InsertsCoreRacksIntoAnEmptyDatabase(t *testing.T) {
	w := newWorld(nil, nil, nil)
	pull := rackPull(
		coreRack("a12", "Foxconn", "SN-1", named("Rack A12"), model("GB200"), described("row 1"),
			label("location.region", "eu"), label("location.room", " r2 ")),
		coreRack("b07", "Foxconn", "SN-2"),
	)
	plan := planRacks(t, w, pull, testOptions())

	assertCounters(t, plan.Counters, Counters{Pulled: 2, Inserted: 2})
	a := rackByExt(t, w, "a12")
	if a.Name != "Rack A12" || a.Manufacturer != "Foxconn" || a.SerialNumber != "SN-1" || a.Status != "new" {
		t.Errorf("rack a12 = %+v", a)
	}
	if !jsonEqual(a.Description, json.RawMessage(`{"model":"GB200","text":"row 1"}`)) {
		t.Errorf("description = %s", a.Description)
	}
	if !jsonEqual(a.Location, json.RawMessage(`{"region":"eu","room":"r2"}`)) {
		t.Errorf("location = %s", a.Location)
	}
	if b := rackByExt(t, w, "b07"); b.Name != "b07" || b.Description != nil || b.Location != nil {
		t.Errorf("rack b07 = %+v, want name from rack_id and NULL JSON", b)
	}
	e := eventFor(t, plan.Writes, inventory.EntityRack, a.ID)
	if e.Action != inventory.ActionInsert || *e.CycleID != "cycle-1" || !e.At.Equal(t0) || e.Changes[inventory.ColName].New != "Rack A12" {
		t.Errorf("insert event = %+v", e)
	}
	assertRacksSettled(t, w, pull)
}

func TestPlanRacks_NameFallsBackToRackIDThenChassis(t *testing.T) {
	w := newWorld(nil, nil, nil)
	pull := rackPull(coreRack("a12", "Foxconn", "SN-1", named("  ")), coreRack("", "Foxconn", "SN-2"))
	plan := planRacks(t, w, pull, testOptions())
	if got := w.racks["new-0001"].Name; got != "a12" {
		t.Errorf("name = %q, want the rack_id", got)
	}
	noID := w.racks["new-0002"]
	if noID.Name != "Foxconn-SN-2" || noID.ExternalID != nil {
		t.Errorf("rack without rack_id = %+v, want name Foxconn-SN-2 and NULL external id", noID)
	}
	assertFinding(t, plan.Findings, slog.LevelWarn, "no rack_id", "SN-2")
	assertRacksSettled(t, w, pull)
}

func TestPlanRacks_TrimsValuesAndTreatsBlankAsAbsent(t *testing.T) {
	w := newWorld(nil, nil, nil)
	pull := rackPull(coreRack(" a12 ", " Foxconn ", " SN-1 ", named(" A "), model("  ")))
	planRacks(t, w, pull, testOptions())
	r := rackByExt(t, w, "a12")
	if r.Name != "A" || r.Manufacturer != "Foxconn" || r.SerialNumber != "SN-1" || r.Description != nil {
		t.Errorf("rack = %+v, want trimmed values and a NULL description", r)
	}
}

func TestPlanRacks_ResurrectsTombstoneWithSameUUID(t *testing.T) {
	w := newWorld([]inventory.Rack{tombstone(dbRack("r1", "a12", "a12", "Foxconn", "SN-1"))}, nil, nil)
	pull := rackPull(coreRack("a12", "Foxconn", "SN-1"))
	plan := planRacks(t, w, pull, testOptions())

	assertCounters(t, plan.Counters, Counters{Pulled: 1, Resurrected: 1})
	if r := w.racks["r1"]; !r.Live() {
		t.Fatalf("rack r1 is still a tombstone")
	}
	e := eventFor(t, plan.Writes, inventory.EntityRack, "r1")
	if c := e.Changes[inventory.ColDeletedAt]; e.Action != inventory.ActionResurrect || c.New != nullTime() {
		t.Errorf("event = %+v, want resurrect clearing deleted_at", e)
	}
	assertRacksSettled(t, w, pull)
}

// Example 3.
func TestPlanRacks_AdoptsLegacyRackByChassis(t *testing.T) {
	w := newWorld([]inventory.Rack{dbRack("legacy", "", "old-name", "Foxconn", "SN-1")}, nil, nil)
	pull := rackPull(coreRack("a12", "Foxconn", "SN-1"))
	plan := planRacks(t, w, pull, testOptions())

	assertCounters(t, plan.Counters, Counters{Pulled: 1, Adopted: 1})
	if got := rackByExt(t, w, "a12"); got.ID != "legacy" || got.Name != "a12" {
		t.Errorf("adopted rack = %+v, want the legacy UUID renamed to a12", got)
	}
	e := eventFor(t, plan.Writes, inventory.EntityRack, "legacy")
	ext := e.Changes[inventory.ColExternalID]
	if e.Action != inventory.ActionAdopt || ext.Old != (*string)(nil) || *ext.New.(*string) != "a12" {
		t.Errorf("event = %+v, want adopt setting external_id to a12", e)
	}
	assertRacksSettled(t, w, pull)
}

func TestPlanRacks_AdoptingATombstoneIsAResurrect(t *testing.T) {
	w := newWorld([]inventory.Rack{tombstone(dbRack("old", "gone", "gone", "Foxconn", "SN-1"))}, nil, nil)
	pull := rackPull(coreRack("a12", "Foxconn", "SN-1"))
	plan := planRacks(t, w, pull, testOptions())
	assertCounters(t, plan.Counters, Counters{Pulled: 1, Resurrected: 1})
	e := eventFor(t, plan.Writes, inventory.EntityRack, "old")
	if e.Action != inventory.ActionResurrect || e.Changes[inventory.ColExternalID].New == nil {
		t.Errorf("event = %+v, want one resurrect carrying the new external id", e)
	}
	assertRacksSettled(t, w, pull)
}

func TestPlanRacks_AbsorbsRackIDRenameByAdoption(t *testing.T) {
	w := newWorld([]inventory.Rack{dbRack("r1", "a12", "a12", "Foxconn", "SN-1")}, nil, nil)
	pull := rackPull(coreRack("a13", "Foxconn", "SN-1"))
	plan := planRacks(t, w, pull, testOptions())
	assertCounters(t, plan.Counters, Counters{Pulled: 1, Adopted: 1})
	if got := rackByExt(t, w, "a13"); got.ID != "r1" || got.Name != "a13" || !got.Live() {
		t.Errorf("renamed rack = %+v, want r1 live under a13", got)
	}
	assertRacksSettled(t, w, pull)
}

func TestPlanRacks_NeverStealsARowWhoseExternalIDIsStillReported(t *testing.T) {
	w := newWorld([]inventory.Rack{dbRack("r1", "a12", "a12", "Foxconn", "SN-1")}, nil, nil)
	// b07 claims a12's chassis, but Core still reports a12 (with a new chassis).
	pull := rackPull(coreRack("a12", "Foxconn", "SN-9"), coreRack("b07", "Foxconn", "SN-1"))
	plan := planRacks(t, w, pull, testOptions())

	assertCounters(t, plan.Counters, Counters{Pulled: 2, Updated: 1, Inserted: 1})
	if got := rackByExt(t, w, "a12"); got.ID != "r1" || got.SerialNumber != "SN-9" {
		t.Errorf("a12 = %+v, want r1 with its new chassis", got)
	}
	if got := rackByExt(t, w, "b07"); got.ID == "r1" || got.SerialNumber != "SN-1" {
		t.Errorf("b07 = %+v, want a new row with the freed chassis", got)
	}
	assertRacksSettled(t, w, pull)
}

func TestPlanRacks_RackWithoutRackIDAdoptsOnlyNullExternalIDs(t *testing.T) {
	w := newWorld([]inventory.Rack{
		dbRack("legacy", "", "L", "Foxconn", "SN-1"),
		dbRack("stale", "x99", "S", "Foxconn", "SN-2"),
	}, nil, nil)
	pull := rackPull(coreRack("", "Foxconn", "SN-1", named("L")), coreRack("", "Foxconn", "SN-2"))
	plan := planRacks(t, w, pull, testOptions())

	// SN-1 matches the legacy row with nothing to change. SN-2 may not take
	// x99's row, so its insert conflicts on the chassis; x99 is unreported and
	// soft-deleted, and still holds the chassis this cycle.
	assertCounters(t, plan.Counters, Counters{Pulled: 2, SkippedConflict: 1, SoftDeleted: 1})
	if w.racks["stale"].ExternalID == nil || *w.racks["stale"].ExternalID != "x99" {
		t.Errorf("stale row lost its external id: %+v", w.racks["stale"])
	}
	// A later cycle garbage-collects the old tombstone and inserts the rack.
	next := planRacks(t, w, pull, testOptions())
	assertCounters(t, next.Counters, Counters{Pulled: 2, Inserted: 1, TombstonesGC: 1})
	assertRacksSettled(t, w, pull)
}

func TestPlanRacks_SkipsRackWithoutChassisButKeepsItsRow(t *testing.T) {
	w := newWorld([]inventory.Rack{dbRack("r1", "a12", "a12", "Foxconn", "SN-1")}, nil, nil)
	pull := rackPull(coreRack("a12", "Foxconn", ""), coreRack("b07", "Foxconn", "SN-2"))
	plan := planRacks(t, w, pull, testOptions())
	assertCounters(t, plan.Counters, Counters{Pulled: 2, SkippedInvalid: 1, Inserted: 1})
	if !w.racks["r1"].Live() {
		t.Error("a12 was deleted although Core reported its rack_id")
	}
	assertFinding(t, plan.Findings, slog.LevelWarn, "chassis.manufacturer and chassis.serial-number are required", "a12")
}

func TestPlanRacks_DuplicatesLaterEntryWins(t *testing.T) {
	tests := []struct {
		name     string
		pull     RackPull
		wantExt  string
		wantSN   string
		dropped  int
		inserted int
	}{
		{"same rack_id keeps the later chassis",
			rackPull(coreRack("a12", "F", "SN-1"), coreRack("a12", "F", "SN-2")), "a12", "SN-2", 1, 1},
		{"same chassis keeps the later rack_id",
			rackPull(coreRack("a12", "F", "SN-1"), coreRack("b07", "F", "SN-1")), "b07", "SN-1", 1, 1},
		{"an entry sharing one key with each of two kept entries drops both",
			rackPull(coreRack("a12", "F", "SN-1"), coreRack("b07", "F", "SN-2"), coreRack("a12", "F", "SN-2")), "a12", "SN-2", 2, 1},
		{"a dropped entry does not shadow a third entry sharing only its other key",
			rackPull(coreRack("a12", "F", "SN-1"), coreRack("a12", "F", "SN-2"), coreRack("c03", "F", "SN-1")), "c03", "SN-1", 1, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(nil, nil, nil)
			plan := planRacks(t, w, tt.pull, testOptions())
			if plan.Counters.SkippedDuplicate != tt.dropped || plan.Counters.Inserted != tt.inserted {
				t.Fatalf("counters = %+v", plan.Counters)
			}
			if got := rackByExt(t, w, tt.wantExt); got.SerialNumber != tt.wantSN {
				t.Errorf("%s has serial %s, want %s", tt.wantExt, got.SerialNumber, tt.wantSN)
			}
			assertFinding(t, plan.Findings, slog.LevelWarn, "duplicate rack")
			assertRacksSettled(t, w, tt.pull)
		})
	}
}

func TestPlanRacks_DroppedDuplicateRackIDStillCountsAsReported(t *testing.T) {
	w := newWorld([]inventory.Rack{dbRack("r1", "a12", "a12", "F", "SN-1")}, nil, nil)
	// The a12 entry loses to b07 on the chassis; a12's row must not be deleted,
	// and b07 may not adopt it because a12 is still reported.
	pull := rackPull(coreRack("a12", "F", "SN-1"), coreRack("b07", "F", "SN-1"))
	plan := planRacks(t, w, pull, testOptions())
	assertCounters(t, plan.Counters, Counters{Pulled: 2, SkippedDuplicate: 1, SkippedConflict: 1})
	if r := w.racks["r1"]; !r.Live() || *r.ExternalID != "a12" {
		t.Errorf("r1 = %+v, want it live and still a12", r)
	}
}

// Example 4, plus the rest of the JSON ownership rules.
func TestPlanRacks_JSONColumnsKeepOperatorKeys(t *testing.T) {
	r := dbRack("r1", "a12", "a12", "F", "SN-1")
	r.Description = json.RawMessage(`{"text":"note","owner":"ops"}`)
	r.Location = json.RawMessage(`["not","an","object"]`)
	w := newWorld([]inventory.Rack{r}, nil, nil)
	pull := rackPull(coreRack("a12", "F", "SN-1", model("M1"), label("location.room", "r9")))
	plan := planRacks(t, w, pull, testOptions())

	got := w.racks["r1"]
	if !jsonEqual(got.Description, json.RawMessage(`{"text":"note","owner":"ops","model":"M1"}`)) {
		t.Errorf("description = %s", got.Description)
	}
	if string(got.Location) != `["not","an","object"]` {
		t.Errorf("location = %s, want the non-object left alone", got.Location)
	}
	assertFinding(t, plan.Findings, slog.LevelWarn, "not a JSON object", "location")
	assertRacksSettled(t, w, pull)
}

func TestPlanRacks_NullJSONStaysNullWithoutValues(t *testing.T) {
	w := newWorld([]inventory.Rack{dbRack("r1", "a12", "a12", "F", "SN-1")}, nil, nil)
	plan := planRacks(t, w, rackPull(coreRack("a12", "F", "SN-1")), testOptions())
	if !plan.Writes.Empty() {
		t.Errorf("plan writes %s", describeEvents(plan.Writes.Events))
	}
}

// Example 11.
func TestPlanRacks_SwapsChassisPairsInOneCycle(t *testing.T) {
	w := newWorld([]inventory.Rack{
		dbRack("ra", "a12", "a12", "F", "SN-1"),
		dbRack("rb", "b07", "b07", "F", "SN-2"),
	}, nil, nil)
	pull := rackPull(coreRack("a12", "F", "SN-2"), coreRack("b07", "F", "SN-1"))
	plan := planRacks(t, w, pull, testOptions())

	assertCounters(t, plan.Counters, Counters{Pulled: 2, Updated: 2})
	if w.racks["ra"].SerialNumber != "SN-2" || w.racks["rb"].SerialNumber != "SN-1" {
		t.Errorf("after swap: a12 %s, b07 %s", w.racks["ra"].SerialNumber, w.racks["rb"].SerialNumber)
	}
	assertRacksSettled(t, w, pull)
}

func TestPlanRacks_ChainOfRenamesSurvives(t *testing.T) {
	w := newWorld([]inventory.Rack{
		dbRack("r1", "a", "n1", "F", "SN-1"),
		dbRack("r2", "b", "n2", "F", "SN-2"),
		dbRack("r3", "c", "n3", "F", "SN-3"),
	}, nil, nil)
	pull := rackPull(coreRack("a", "F", "SN-1", named("n2")), coreRack("b", "F", "SN-2", named("n3")),
		coreRack("c", "F", "SN-3", named("n4")))
	plan := planRacks(t, w, pull, testOptions())
	assertCounters(t, plan.Counters, Counters{Pulled: 3, Updated: 3})
	assertRacksSettled(t, w, pull)
}

func TestPlanRacks_RevertsNameHeldByLegacyRack(t *testing.T) {
	w := newWorld([]inventory.Rack{
		dbRack("legacy", "", "shared", "Other", "SN-0"),
		dbRack("r1", "a12", "a12", "F", "SN-1"),
	}, nil, nil)
	pull := rackPull(coreRack("a12", "F", "SN-1", named("shared"), model("M")))
	plan := planRacks(t, w, pull, testOptions())

	assertCounters(t, plan.Counters, Counters{Pulled: 1, SkippedNameTaken: 1, Updated: 1, LegacyExempt: 1})
	if got := w.racks["r1"]; got.Name != "a12" || got.Description == nil {
		t.Errorf("r1 = %+v, want its name kept and the model still written", got)
	}
	assertFinding(t, plan.Findings, slog.LevelWarn, "reverted", "a12", "shared", "legacy")
	assertRacksSettled(t, w, pull)
}

func TestPlanRacks_RevertCascadesAlongAChain(t *testing.T) {
	w := newWorld([]inventory.Rack{
		dbRack("legacy", "", "n2", "Other", "SN-0"),
		dbRack("r1", "a", "n1", "F", "SN-1"),
		dbRack("r2", "b", "n0", "F", "SN-2"),
	}, nil, nil)
	// a wants n2 (held), so it keeps n1, which b wanted.
	pull := rackPull(coreRack("a", "F", "SN-1", named("n2")), coreRack("b", "F", "SN-2", named("n1")))
	plan := planRacks(t, w, pull, testOptions())
	assertCounters(t, plan.Counters, Counters{Pulled: 2, SkippedNameTaken: 2, LegacyExempt: 1})
	assertRacksSettled(t, w, pull)
}

func TestPlanRacks_ChassisHeldByAnotherRowRevertsTheChassisChange(t *testing.T) {
	w := newWorld([]inventory.Rack{
		dbRack("legacy", "", "L", "F", "SN-9"),
		dbRack("r1", "a12", "a12", "F", "SN-1"),
	}, nil, nil)
	pull := rackPull(coreRack("a12", "F", "SN-9"))
	plan := planRacks(t, w, pull, testOptions())
	assertCounters(t, plan.Counters, Counters{Pulled: 1, SkippedConflict: 1})
	if w.racks["r1"].SerialNumber != "SN-1" {
		t.Errorf("r1 took a chassis another row holds")
	}
	assertFinding(t, plan.Findings, slog.LevelWarn, "reverted", "a12", "F/SN-9")
	assertRacksSettled(t, w, pull)
}

func TestPlanRacks_ContentionForAFreeValue(t *testing.T) {
	tests := []struct {
		name   string
		rows   []inventory.Rack
		pull   RackPull
		winner string // external id of the rack that ends up named "x"
		want   Counters
	}{
		{"the lowest rack_id wins a free name among inserts",
			nil, rackPull(coreRack("b", "F", "SN-2", named("x")), coreRack("a", "F", "SN-1", named("x"))),
			"a", Counters{Pulled: 2, Inserted: 1, SkippedConflict: 1}},
		{"a rack without rack_id comes last",
			nil, rackPull(coreRack("", "F", "SN-1", named("x")), coreRack("z", "F", "SN-2", named("x"))),
			"z", Counters{Pulled: 2, Inserted: 1, SkippedConflict: 1}},
		{"the current holder keeps its name",
			[]inventory.Rack{dbRack("r1", "b", "x", "F", "SN-2")},
			rackPull(coreRack("a", "F", "SN-1", named("x")), coreRack("b", "F", "SN-2", named("x"))),
			"b", Counters{Pulled: 2, SkippedConflict: 1}},
		{"renames of existing rows follow rack_id order",
			[]inventory.Rack{dbRack("r1", "a", "n1", "F", "SN-1"), dbRack("r2", "b", "n2", "F", "SN-2")},
			rackPull(coreRack("b", "F", "SN-2", named("x")), coreRack("a", "F", "SN-1", named("x"))),
			"a", Counters{Pulled: 2, Updated: 1, SkippedNameTaken: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(tt.rows, nil, nil)
			plan := planRacks(t, w, tt.pull, testOptions())
			assertCounters(t, plan.Counters, tt.want)
			for _, r := range w.racks {
				if r.Name == "x" && deref(r.ExternalID) != tt.winner {
					t.Errorf("name x went to %q, want %q", deref(r.ExternalID), tt.winner)
				}
			}
			assertRacksSettled(t, w, tt.pull)
		})
	}
}

func TestPlanRacks_RevertedInsertDoesNotBlockOtherChanges(t *testing.T) {
	w := newWorld([]inventory.Rack{
		dbRack("legacy", "", "L5", "F", "SN-5"),
		dbRack("rc", "c", "c", "F", "SN-0"),
		dbRack("r2", "b", "b", "F", "SN-2"),
	}, nil, nil)
	// c cannot take the legacy chassis, so it keeps SN-0; insert a, which
	// wants SN-0, is skipped; it would have won the name x over b, so b's
	// rename goes ahead only because the skipped insert no longer claims it.
	pull := rackPull(coreRack("c", "F", "SN-5"), coreRack("a", "F", "SN-0", named("x")),
		coreRack("b", "F", "SN-2", named("x")))
	plan := planRacks(t, w, pull, testOptions())
	assertCounters(t, plan.Counters, Counters{Pulled: 3, SkippedConflict: 2, Updated: 1})
	if w.racks["r2"].Name != "x" {
		t.Errorf("b kept the name %s, want x", w.racks["r2"].Name)
	}
	assertRacksSettled(t, w, pull)
}

func TestPlanRacks_GarbageCollectsTombstoneHoldingANeededName(t *testing.T) {
	tomb := tombstone(dbRack("old", "gone", "shared", "F", "SN-0"))
	comp := inventory.Component{ID: "c1", Type: inventory.Compute, Manufacturer: "M", SerialNumber: "S", RackID: inventory.Ptr("old")}
	w := newWorld([]inventory.Rack{tomb}, []inventory.Component{comp}, nil)
	pull := rackPull(coreRack("a12", "F", "SN-1", named("shared")))
	plan := planRacks(t, w, pull, testOptions())

	assertCounters(t, plan.Counters, Counters{Pulled: 1, Inserted: 1, TombstonesGC: 1})
	if _, ok := w.racks["old"]; ok {
		t.Error("tombstone survived")
	}
	if w.comps["c1"].RackID != nil {
		t.Error("component of the GC'd rack kept its rack_id")
	}
	if e := eventFor(t, plan.Writes, inventory.EntityComponent, "c1"); e.Action != inventory.ActionUpdate {
		t.Errorf("component event = %+v, want update", e)
	}
	if e := eventFor(t, plan.Writes, inventory.EntityRack, "old"); e.Action != inventory.ActionGC {
		t.Errorf("tombstone event = %+v, want gc", e)
	}
	if got := plan.Writes.Events[0].Entity; got != inventory.EntityComponent {
		t.Errorf("first event is a %s event, want the component clear first", got)
	}
	assertRacksSettled(t, w, pull)
}

func TestPlanRacks_GarbageCollectsTombstoneHoldingANeededChassis(t *testing.T) {
	w := newWorld([]inventory.Rack{
		tombstone(dbRack("old", "", "old", "F", "SN-9")),
		dbRack("r1", "a12", "a12", "F", "SN-1"),
	}, nil, nil)
	// The tombstone has a NULL external id, so a12 could adopt it too, but a12
	// already matched by external id; the tombstone only stands in the way.
	pull := rackPull(coreRack("a12", "F", "SN-9"))
	plan := planRacks(t, w, pull, testOptions())
	assertCounters(t, plan.Counters, Counters{Pulled: 1, Updated: 1, TombstonesGC: 1})
	assertRacksSettled(t, w, pull)
}

func TestPlanRacks_RowSoftDeletedThisCycleStillHoldsItsName(t *testing.T) {
	w := newWorld([]inventory.Rack{dbRack("r1", "old", "shared", "F", "SN-0")}, nil, nil)
	pull := rackPull(coreRack("a12", "F", "SN-1", named("shared")))
	plan := planRacks(t, w, pull, testOptions())
	assertCounters(t, plan.Counters, Counters{Pulled: 1, SoftDeleted: 1, SkippedConflict: 1})
	if _, ok := w.racks["r1"]; !ok {
		t.Fatal("a row soft-deleted this cycle was garbage-collected")
	}
	// Next cycle the tombstone is old enough to make way.
	next := planRacks(t, w, pull, testOptions())
	assertCounters(t, next.Counters, Counters{Pulled: 1, Inserted: 1, TombstonesGC: 1})
	assertRacksSettled(t, w, pull)
}

func TestPlanRacks_SoftDeletesUnreportedRows(t *testing.T) {
	w := newWorld([]inventory.Rack{
		dbRack("r1", "a12", "a12", "F", "SN-1"),
		dbRack("r2", "b07", "b07", "F", "SN-2"),
	}, nil, nil)
	pull := rackPull(coreRack("a12", "F", "SN-1"))
	plan := planRacks(t, w, pull, testOptions())
	assertCounters(t, plan.Counters, Counters{Pulled: 1, SoftDeleted: 1})
	e := eventFor(t, plan.Writes, inventory.EntityRack, "r2")
	if c := e.Changes[inventory.ColDeletedAt]; e.Action != inventory.ActionSoftDelete || c.Old != nullTime() || !c.New.(*time.Time).Equal(t0) {
		t.Errorf("event = %+v", e)
	}
	if d := w.racks["r2"].DeletedAt; d == nil || !d.Equal(t0) {
		t.Errorf("deleted_at = %v, want %v", d, t0)
	}
	assertRacksSettled(t, w, pull)
}

func TestPlanRacks_EmptyOrFailedPullSkipsDeletes(t *testing.T) {
	rows := []inventory.Rack{dbRack("r1", "a12", "a12", "F", "SN-1")}
	tests := []struct {
		name  string
		pull  RackPull
		level slog.Level
		msg   string
	}{
		{"an empty response", RackPull{Outcome: Empty}, slog.LevelWarn, "delete phase skipped"},
		{"a response without valid rows", rackPull(coreRack("b07", "", "")), slog.LevelWarn, "delete phase skipped"},
		{"a failed pull", RackPull{Outcome: Error, Err: errors.New("unavailable")}, slog.LevelError, "pull failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(rows, nil, nil)
			plan := planRacks(t, w, tt.pull, testOptions())
			if !plan.Writes.Empty() || plan.Counters.SoftDeleted != 0 {
				t.Errorf("plan writes %s", describeEvents(plan.Writes.Events))
			}
			assertFinding(t, plan.Findings, tt.level, tt.msg)
			if len(plan.EndRacks) != 1 {
				t.Errorf("EndRacks = %v, want the current racks", plan.EndRacks)
			}
		})
	}
}

func TestPlanRacks_EmptyPullStillInsertsValidRows(t *testing.T) {
	w := newWorld([]inventory.Rack{dbRack("r1", "a12", "a12", "F", "SN-1")}, nil, nil)
	plan := planRacks(t, w, RackPull{Outcome: Empty, Racks: []inventory.ExpectedRack{coreRack("b07", "F", "SN-2")}}, testOptions())
	assertCounters(t, plan.Counters, Counters{Pulled: 1, Inserted: 1})
}

func TestPlanRacks_NeverDeletesLegacyRacks(t *testing.T) {
	w := newWorld([]inventory.Rack{
		dbRack("l1", "", "L1", "F", "SN-8"),
		dbRack("l2", "", "L2", "F", "SN-9"),
		dbRack("r1", "a12", "a12", "F", "SN-1"),
	}, nil, nil)
	plan := planRacks(t, w, rackPull(coreRack("a12", "F", "SN-1")), testOptions())
	assertCounters(t, plan.Counters, Counters{Pulled: 1, LegacyExempt: 2})
	var warns int
	for _, f := range plan.Findings {
		if f.Level == slog.LevelWarn && hasFinding([]Finding{f}, slog.LevelWarn, "legacy") {
			warns++
		}
	}
	if warns != 1 {
		t.Errorf("%d legacy warnings, want one per cycle", warns)
	}
}

func TestPlanRacks_GuardHoldsMassDeleteUntilReleased(t *testing.T) {
	var rows []inventory.Rack
	for i, id := range ids("r", 30) {
		rows = append(rows, dbRack(id, id, id, "F", ids("SN-", 30)[i]))
	}
	w := newWorld(rows, nil, nil)
	pull := rackPull(coreRack("r000", "F", "SN-000"))

	plan := planRacks(t, w, pull, testOptions())
	assertCounters(t, plan.Counters, Counters{Pulled: 1, HeldDeletes: 29})
	if len(plan.Held) != 29 || plan.Held[0] != "r001" {
		t.Fatalf("held = %v", plan.Held)
	}
	assertFinding(t, plan.Findings, slog.LevelWarn, "guard", "rack")

	opt := testOptions()
	opt.Release = plan.Held
	released := planRacks(t, w, pull, opt)
	assertCounters(t, released.Counters, Counters{Pulled: 1, SoftDeleted: 29})
}

func TestPlanRacks_GuardCountsLegacyRowsAsLive(t *testing.T) {
	var rows []inventory.Rack
	for _, id := range ids("l", 200) {
		rows = append(rows, dbRack(id, "", id, "F", id))
	}
	for _, id := range ids("r", 21) {
		rows = append(rows, dbRack(id, id, id, "G", id))
	}
	w := newWorld(rows, nil, nil)
	// 21 deletes against L = 221: the limit is 22.1, so they go ahead.
	plan := planRacks(t, w, rackPull(coreRack("new", "H", "SN")), testOptions())
	if plan.Counters.SoftDeleted != 21 || plan.Counters.HeldDeletes != 0 {
		t.Errorf("counters = %+v", plan.Counters)
	}
}

func TestPlanRacks_ResultDoesNotDependOnResponseOrder(t *testing.T) {
	rows := []inventory.Rack{
		dbRack("r1", "a", "n1", "F", "SN-1"),
		dbRack("r2", "b", "n2", "F", "SN-2"),
		dbRack("legacy", "", "L", "F", "SN-3"),
	}
	entries := []inventory.ExpectedRack{
		coreRack("a", "F", "SN-2", named("n2")), coreRack("b", "F", "SN-1", named("n1")),
		coreRack("c", "F", "SN-3", named("x")), coreRack("d", "F", "SN-4", named("x")),
	}
	var ends []map[string]string
	for _, order := range [][]int{{0, 1, 2, 3}, {3, 2, 1, 0}, {2, 0, 3, 1}} {
		var pull RackPull
		pull.Outcome = Rows
		for _, i := range order {
			pull.Racks = append(pull.Racks, entries[i])
		}
		w := newWorld(rows, nil, nil)
		planRacks(t, w, pull, testOptions())
		end := map[string]string{}
		for _, r := range w.racks {
			end[deref(r.ExternalID)+"|"+r.Chassis().String()] = r.Name
		}
		ends = append(ends, end)
	}
	for _, e := range ends[1:] {
		if diff := cmpDiff(ends[0], e); diff != "" {
			t.Errorf("end state depends on order:\n%s", diff)
		}
	}
}
