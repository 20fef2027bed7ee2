package storetest

import (
	"context"
	"slices"
	"testing"

	"rackflow/inventory"
)

func rackNames(t *testing.T, s ReadStore, q inventory.RackQuery) []string {
	t.Helper()
	l, err := s.ListRacks(context.Background(), q)
	if err != nil {
		t.Fatalf("ListRacks(%+v): %v", q, err)
	}
	if l.Total != len(l.Items) {
		t.Errorf("ListRacks(%+v): total %d for %d items on one page", q, l.Total, len(l.Items))
	}
	return names(l.Items, func(r inventory.RackView) string { return r.Name })
}

func testRacksFilter(t *testing.T, s ReadStore, st *site) {
	yes, no := true, false
	tests := []struct {
		name string
		q    inventory.RackQuery
		want []string
	}{
		{"no filter lists live racks by name", inventory.RackQuery{}, []string{"rack-a", "rack-b", "rack-c", "rack-e"}},
		{"repeated names match any", inventory.RackQuery{Name: []string{"rack-b", "rack-e", "nope"}}, []string{"rack-b", "rack-e"}},
		{"manufacturer", inventory.RackQuery{Manufacturer: []string{"Foxconn"}}, []string{"rack-a", "rack-c"}},
		{"model from the description", inventory.RackQuery{Model: []string{"GB300"}}, []string{"rack-b"}},
		{"status", inventory.RackQuery{Status: []string{"ready"}}, []string{"rack-b"}},
		{"region", inventory.RackQuery{Region: []string{"eu"}}, []string{"rack-a", "rack-e"}},
		{"datacenter and room combine with AND", inventory.RackQuery{Datacenter: []string{"dc1"}, Room: []string{"h9"}}, []string{"rack-e"}},
		{"position", inventory.RackQuery{Position: []string{"p1", "p2"}}, []string{"rack-a", "rack-b"}},
		{"with drift", inventory.RackQuery{HasDrift: &yes}, []string{"rack-a", "rack-b"}},
		{"without drift", inventory.RackQuery{HasDrift: &no}, []string{"rack-c", "rack-e"}},
		{"drift type", inventory.RackQuery{DriftType: []inventory.DriftType{inventory.MissingInActual}}, []string{"rack-b"}},
		{"drift types match any", inventory.RackQuery{DriftType: []inventory.DriftType{inventory.MissingInActual, inventory.Mismatch}}, []string{"rack-a", "rack-b"}},
		{"tombstones only", inventory.RackQuery{Deleted: inventory.DeletedOnly}, []string{"rack-d"}},
		{"live and tombstones", inventory.RackQuery{Deleted: inventory.DeletedAll, Region: []string{"eu"}}, []string{"rack-a", "rack-d", "rack-e"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rackNames(t, s, tt.q); !slices.Equal(got, tt.want) {
				t.Errorf("racks = %v, want %v", got, tt.want)
			}
		})
	}
	l, err := s.ListRacks(context.Background(), inventory.RackQuery{Name: []string{"rack-a"}})
	if err != nil || len(l.Items) != 1 {
		t.Fatalf("ListRacks(rack-a) = %+v, %v", l, err)
	}
	if got := l.Items[0].Drift; got != (inventory.DriftCounts{Mismatch: 1, Total: 1}) {
		t.Errorf("rack-a drift counts = %+v, want one mismatch", got)
	}
}

func testRacksPaging(t *testing.T, s ReadStore, st *site) {
	for _, tt := range []struct {
		order string
		want  []string
	}{
		{"name", []string{"rack-a", "rack-b", "rack-c", "rack-e"}},
		{"-name", []string{"rack-e", "rack-c", "rack-b", "rack-a"}},
		{"created_at", []string{"rack-e", "rack-c", "rack-b", "rack-a"}},
		{"-created_at", []string{"rack-a", "rack-b", "rack-c", "rack-e"}},
	} {
		t.Run(tt.order, func(t *testing.T) {
			all, pages := walk(t, 3, func(cursor string) (inventory.List[inventory.RackView], error) {
				l, err := s.ListRacks(context.Background(), inventory.RackQuery{Page: inventory.Page{Limit: 3, OrderBy: tt.order, Cursor: cursor}})
				if err == nil && l.Total != 4 {
					t.Errorf("total = %d on a page, want 4", l.Total)
				}
				return l, err
			})
			got := names(all, func(r inventory.RackView) string { return r.Name })
			if pages != 2 || !slices.Equal(got, tt.want) {
				t.Errorf("%d pages of %v, want 2 pages of %v", pages, got, tt.want)
			}
		})
	}
}

// Equal sort values are ordered by id, so a page boundary inside a tie
// neither repeats nor skips a rack.
func testRacksPagingThroughTies(t *testing.T, s ReadStore, st *site) {
	for _, order := range []string{"manufacturer", "-manufacturer"} {
		all, pages := walk(t, 1, func(cursor string) (inventory.List[inventory.RackView], error) {
			return s.ListRacks(context.Background(), inventory.RackQuery{Page: inventory.Page{Limit: 1, OrderBy: order, Cursor: cursor}})
		})
		got := names(all, func(r inventory.RackView) string { return r.Manufacturer })
		want := []string{"Foxconn", "Foxconn", "Quanta", "Wiwynn"}
		if order == "-manufacturer" {
			slices.Reverse(want)
		}
		if pages != 4 || !slices.Equal(got, want) || !sameSet(names(all, func(r inventory.RackView) string { return r.Name }), []string{"rack-a", "rack-b", "rack-c", "rack-e"}) {
			t.Errorf("%s: %d pages of %v, want %v with every rack once", order, pages, got, want)
		}
	}
}

func testRacksIncludeComponents(t *testing.T, s ReadStore, st *site) {
	l, err := s.ListRacks(context.Background(), inventory.RackQuery{IncludeComponents: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, r := range l.Items {
		got[r.Name] = names(r.Components, func(c inventory.Component) string { return c.SerialNumber })
	}
	if !slices.Equal(got["rack-a"], []string{"C-1", "C-2", "S-1"}) || !slices.Equal(got["rack-b"], []string{"P-1"}) || len(got["rack-c"]) != 0 {
		t.Errorf("components by rack = %v, want rack-a C-1 C-2 S-1 in slot order and rack-b P-1", got)
	}
	l, err = s.ListRacks(context.Background(), inventory.RackQuery{})
	if err != nil || l.Items[0].Components != nil {
		t.Errorf("components are attached without being asked for: %+v, %v", l.Items[0].Components, err)
	}
}

func testRackDetail(t *testing.T, s ReadStore, st *site) {
	for _, key := range []string{"rack-a", st.rackID("rack-a")} {
		d, err := s.Rack(context.Background(), key)
		if err != nil {
			t.Fatalf("Rack(%s): %v", key, err)
		}
		if d.Name != "rack-a" || string(d.Location) == "" || d.ExternalID == nil || *d.ExternalID != "ext-a" {
			t.Errorf("Rack(%s) = %+v", key, d.Rack)
		}
		if got := names(d.Components, func(c inventory.Component) string { return c.SerialNumber }); !slices.Equal(got, []string{"C-1", "C-2", "S-1"}) {
			t.Errorf("Rack(%s) components = %v, want the live ones in slot order", key, got)
		}
		if got := names(d.BMCs, func(b inventory.BMC) string { return b.MAC }); !slices.Equal(got, []string{"aa:bb:cc:00:00:01", "aa:bb:cc:00:00:02"}) {
			t.Errorf("Rack(%s) BMCs = %v", key, got)
		}
		if d.Drift.Total != 1 {
			t.Errorf("Rack(%s) drift = %+v, want 1", key, d.Drift)
		}
	}
}

func testElevation(t *testing.T, s ReadStore, st *site) {
	e, err := s.Elevation(context.Background(), "rack-a")
	if err != nil {
		t.Fatal(err)
	}
	got := names(e.Slots, func(sl inventory.ElevationSlot) string { return sl.Expected.SerialNumber + ":" + sl.State })
	if want := []string{"C-1:mismatch", "C-2:ok", "S-1:ok"}; !slices.Equal(got, want) {
		t.Fatalf("elevation = %v, want %v", got, want)
	}
	if e.Slots[0].Actual.Differs["slot_id"] != "4" {
		t.Errorf("slot 1 actual = %+v, want slot_id 4", e.Slots[0].Actual)
	}
}
