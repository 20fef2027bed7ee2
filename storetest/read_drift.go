package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"rackflow/inventory"
)

func driftIDs(t *testing.T, s ReadStore, q inventory.DriftQuery) []string {
	t.Helper()
	l, err := s.ListDrift(context.Background(), q)
	if err != nil {
		t.Fatalf("ListDrift(%+v): %v", q, err)
	}
	if l.Total != len(l.Items) {
		t.Errorf("ListDrift(%+v): total %d for %d items on one page", q, l.Total, len(l.Items))
	}
	return names(l.Items, func(d inventory.DriftItem) string { return d.ID })
}

func testDriftFilter(t *testing.T, s ReadStore, st *site) {
	slot, gone, extra, resolved := st.drifts["slot"].ID, st.drifts["gone"].ID, st.drifts["extra"].ID, st.resolvedID
	tests := []struct {
		name string
		q    inventory.DriftQuery
		want []string
	}{
		{"open by default, oldest first", inventory.DriftQuery{}, []string{slot, gone, extra}},
		{"resolved only", inventory.DriftQuery{State: inventory.DriftStateResolved}, []string{resolved}},
		{"all", inventory.DriftQuery{State: inventory.DriftStateAll}, []string{resolved, slot, gone, extra}},
		{"drift type", inventory.DriftQuery{Type: []inventory.DriftType{inventory.MissingInActual, inventory.MissingInExpected}}, []string{gone, extra}},
		{"component type", inventory.DriftQuery{ComponentType: []inventory.ComponentType{inventory.PowerShelf}}, []string{gone}},
		{"field of a diff", inventory.DriftQuery{State: inventory.DriftStateAll, Field: []string{"tray_index"}}, []string{resolved}},
		{"rack by name", inventory.DriftQuery{Rack: []string{"rack-a"}}, []string{slot}},
		{"rack by id, resolved too", inventory.DriftQuery{State: inventory.DriftStateAll, Rack: []string{st.rackID("rack-a")}}, []string{resolved, slot}},
		{"minimum age", inventory.DriftQuery{MinAge: 30 * time.Minute}, []string{slot, gone}},
		{"opened after", inventory.DriftQuery{OpenedAfter: st.now.Add(-2 * time.Hour)}, []string{gone, extra}},
		{"opened before", inventory.DriftQuery{OpenedBefore: st.now.Add(-2 * time.Hour)}, []string{slot}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.Now = st.now
			if got := driftIDs(t, s, tt.q); !slices.Equal(got, tt.want) {
				t.Errorf("drift = %v, want %v", got, tt.want)
			}
		})
	}
	l, err := s.ListDrift(context.Background(), inventory.DriftQuery{State: inventory.DriftStateAll, Now: st.now})
	if err != nil {
		t.Fatal(err)
	}
	r, o := l.Items[0], l.Items[1]
	if r.State != inventory.DriftStateResolved || r.ResolvedAt == nil || !r.ResolvedAt.Equal(st.now.Add(-24*time.Hour)) ||
		!r.FirstSeenAt.Equal(st.now.Add(-72*time.Hour)) || r.AgeSeconds != 48*3600 || r.Diffs[0].FieldName != "tray_index" {
		t.Errorf("resolved drift = %+v, want opened 72h and resolved 24h before now, 48h old", r)
	}
	if o.State != inventory.DriftStateOpen || o.ResolvedAt != nil || o.LastSeenAt == nil || !o.LastSeenAt.Equal(st.now) ||
		o.AgeSeconds != 48*3600 || o.RackName == nil || *o.RackName != "rack-a" || o.SerialNumber == nil || *o.SerialNumber != "C-1" {
		t.Errorf("open drift = %+v, want last seen now, 48h old, on rack-a's C-1", o)
	}
}

func testDriftPaging(t *testing.T, s ReadStore, st *site) {
	for _, tt := range []struct {
		order string
		want  []string
	}{
		{"first_seen_at", []string{"resolved", "slot", "gone", "extra"}},
		{"-first_seen_at", []string{"extra", "gone", "slot", "resolved"}},
	} {
		all, pages := walk(t, 3, func(cursor string) (inventory.List[inventory.DriftItem], error) {
			return s.ListDrift(context.Background(), inventory.DriftQuery{State: inventory.DriftStateAll, Now: st.now,
				Page: inventory.Page{Limit: 3, OrderBy: tt.order, Cursor: cursor}})
		})
		label := map[string]string{st.resolvedID: "resolved"}
		for l, d := range st.drifts {
			label[d.ID] = l
		}
		if got := names(all, func(d inventory.DriftItem) string { return label[d.ID] }); pages != 2 || !slices.Equal(got, tt.want) {
			t.Errorf("%s: %d pages of %v, want 2 pages of %v", tt.order, pages, got, tt.want)
		}
	}
}

func testDriftSummary(t *testing.T, s ReadStore, st *site) {
	sum, err := s.DriftSummary(context.Background(), inventory.DriftSummaryQuery{Now: st.now})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Total != 3 || sum.OldestAgeSeconds != 48*3600 || len(sum.ByType) != 3 {
		t.Errorf("summary = %+v, want 3 open drifts, the oldest 48h, of 3 kinds", sum)
	}
	if len(sum.TopRacks) != 2 || sum.TopRacks[0].Count != 1 {
		t.Errorf("top racks = %+v, want rack-a and rack-b with one each", sum.TopRacks)
	}
}
