package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"rackflow/inventory"
)

func drifts(t *testing.T, s inventory.Store, ct inventory.ComponentType) []inventory.Drift {
	t.Helper()
	var ds []inventory.Drift
	err := s.View(context.Background(), func(tx inventory.ReadTx) error {
		var err error
		ds, err = tx.Drifts(context.Background(), ct)
		return err
	})
	if err != nil {
		t.Fatalf("Drifts: %v", err)
	}
	return ds
}

func testDriftLifecycle(t *testing.T, s inventory.Store) {
	cycle := inventory.NewID()
	compID := inventory.NewID()
	mismatch := inventory.Drift{ID: inventory.NewID(), ComponentID: &compID, ExternalID: ptr("m-1"),
		ComponentType: inventory.Compute, DriftType: inventory.Mismatch,
		Diffs:       []inventory.Diff{{FieldName: "slot_id", ExpectedValue: "3", ActualValue: inventory.MissingValue}},
		FirstSeenAt: t0, CheckedAt: t0}
	extra := inventory.Drift{ID: inventory.NewID(), ExternalID: ptr("m-9"), ComponentType: inventory.Compute,
		DriftType: inventory.MissingInExpected, FirstSeenAt: t0, CheckedAt: t0}
	other := inventory.Drift{ID: inventory.NewID(), ExternalID: ptr("sw-9"), ComponentType: inventory.NVSwitch,
		DriftType: inventory.MissingInExpected, FirstSeenAt: t0, CheckedAt: t0}
	mustApply(t, s, inventory.Writes{
		DriftInserts: []inventory.Drift{mismatch, extra, other},
		DriftHistory: []inventory.DriftHistory{
			{CycleID: cycle, At: t0, DriftID: mismatch.ID, ComponentType: inventory.Compute, DriftType: inventory.Mismatch, ComponentID: &compID, ExternalID: ptr("m-1"), Event: inventory.DriftOpened, Diffs: mismatch.Diffs},
			{CycleID: cycle, At: t0, DriftID: extra.ID, ComponentType: inventory.Compute, DriftType: inventory.MissingInExpected, ExternalID: ptr("m-9"), Event: inventory.DriftOpened},
		},
	})
	got := drifts(t, s, inventory.Compute)
	if len(got) != 2 {
		t.Fatalf("open Compute drifts = %d, want 2", len(got))
	}
	byID := map[string]inventory.Drift{}
	for _, d := range got {
		byID[d.ID] = d
	}
	if d := byID[mismatch.ID]; !reflect.DeepEqual(d.Diffs, mismatch.Diffs) || *d.ComponentID != compID || !d.FirstSeenAt.Equal(t0) {
		t.Errorf("mismatch drift read back as %+v", d)
	}
	if d := byID[extra.ID]; d.ComponentID != nil || len(d.Diffs) != 0 || d.Diffs == nil {
		t.Errorf("missing_in_expected drift read back as %+v, want no component and empty (not null) diffs", d)
	}

	later := t0.Add(60e9)
	mismatch.Diffs = append(mismatch.Diffs, inventory.Diff{FieldName: "rack_id", ExpectedValue: "a12", ActualValue: "b07"})
	mismatch.CheckedAt, mismatch.ExternalID = later, ptr("m-2")
	mustApply(t, s, inventory.Writes{DriftUpdates: []inventory.Drift{mismatch}, DriftDeletes: []string{extra.ID},
		DriftHistory: []inventory.DriftHistory{{CycleID: inventory.NewID(), At: later, DriftID: extra.ID, ComponentType: inventory.Compute, DriftType: inventory.MissingInExpected, ExternalID: ptr("m-9"), Event: inventory.DriftResolved}}})
	got = drifts(t, s, inventory.Compute)
	if len(got) != 1 || got[0].ID != mismatch.ID || len(got[0].Diffs) != 2 || *got[0].ExternalID != "m-2" ||
		!got[0].CheckedAt.Equal(later) || !got[0].FirstSeenAt.Equal(t0) {
		t.Fatalf("after update and delete: %+v", got)
	}
	if n := len(drifts(t, s, inventory.NVSwitch)); n != 1 {
		t.Errorf("NVSwitch drifts = %d, want 1 (untouched)", n)
	}

	hs, err := s.DriftHistory(context.Background(), inventory.DriftHistoryFilter{})
	if err != nil {
		t.Fatalf("DriftHistory: %v", err)
	}
	if len(hs) != 3 || hs[0].Event != inventory.DriftOpened || hs[2].Event != inventory.DriftResolved || hs[2].ID <= hs[1].ID {
		t.Fatalf("history = %+v, want opened, opened, resolved with increasing ids", hs)
	}
	if hs, _ := s.DriftHistory(context.Background(), inventory.DriftHistoryFilter{ComponentID: compID}); len(hs) != 1 || hs[0].Diffs[0].ActualValue != inventory.MissingValue {
		t.Errorf("history of component %s = %+v", compID, hs)
	}
}

func testPruneKeepsRecentRowsAndOpenDrift(t *testing.T, s inventory.Store) {
	ctx := context.Background()
	old, recent := t0.Add(-100*24*time.Hour), t0
	var w inventory.Writes
	for i := range 5 {
		at := old
		if i >= 3 {
			at = recent
		}
		w.Events = append(w.Events, inventory.Event{At: at, Entity: "rack", EntityID: inventory.NewID(), Action: inventory.ActionInsert, Source: inventory.SourceAPI})
		w.DriftHistory = append(w.DriftHistory, inventory.DriftHistory{CycleID: inventory.NewID(), At: at, DriftID: inventory.NewID(),
			ComponentType: inventory.Compute, DriftType: inventory.MissingInActual, Event: inventory.DriftOpened})
		if err := s.StartCycle(ctx, inventory.Cycle{ID: inventory.NewID(), StartedAt: at, Trigger: inventory.TriggerInterval, Instance: "i", Status: inventory.CycleOK}); err != nil {
			t.Fatal(err)
		}
	}
	w.DriftInserts = []inventory.Drift{{ID: inventory.NewID(), ExternalID: ptr("m-1"), ComponentType: inventory.Compute,
		DriftType: inventory.MissingInExpected, FirstSeenAt: old, CheckedAt: old}}
	mustApply(t, s, w)
	n, err := s.Prune(ctx, t0.Add(-90*24*time.Hour), 2)
	if err != nil {
		t.Fatalf("Prune: %v", err)
	}
	if n != 9 {
		t.Errorf("pruned %d rows, want 9 (3 events, 3 history, 3 cycles)", n)
	}
	if got := len(events(t, s, inventory.EventFilter{})); got != 2 {
		t.Errorf("events left = %d, want 2", got)
	}
	if hs, _ := s.DriftHistory(ctx, inventory.DriftHistoryFilter{}); len(hs) != 2 {
		t.Errorf("history left = %d, want 2", len(hs))
	}
	if cs, _ := s.Cycles(ctx, 10); len(cs) != 2 {
		t.Errorf("cycles left = %d, want 2", len(cs))
	}
	if got := len(drifts(t, s, inventory.Compute)); got != 1 {
		t.Errorf("open drifts = %d, want the old one kept", got)
	}
}
