package storetest

import (
	"context"
	"slices"
	"testing"

	"rackflow/inventory"
)

func componentSerials(t *testing.T, s ReadStore, q inventory.ComponentQuery) []string {
	t.Helper()
	l, err := s.ListComponents(context.Background(), q)
	if err != nil {
		t.Fatalf("ListComponents(%+v): %v", q, err)
	}
	if l.Total != len(l.Items) {
		t.Errorf("ListComponents(%+v): total %d for %d items on one page", q, l.Total, len(l.Items))
	}
	return names(l.Items, func(c inventory.ComponentView) string { return c.SerialNumber })
}

func testComponentsFilter(t *testing.T, s ReadStore, st *site) {
	tests := []struct {
		name string
		q    inventory.ComponentQuery
		want []string
	}{
		{"no filter lists live components by serial", inventory.ComponentQuery{}, []string{"C-1", "C-2", "C-3", "P-1", "S-1"}},
		{"rack by name", inventory.ComponentQuery{Rack: []string{"rack-b"}}, []string{"P-1"}},
		{"rack by id or name", inventory.ComponentQuery{Rack: []string{st.rackID("rack-b"), "rack-a"}}, []string{"C-1", "C-2", "P-1", "S-1"}},
		{"type", inventory.ComponentQuery{Type: []inventory.ComponentType{inventory.NVSwitch, inventory.PowerShelf}}, []string{"P-1", "S-1"}},
		{"serial", inventory.ComponentQuery{Serial: []string{"C-2", "C-9"}}, []string{"C-2"}},
		{"external id", inventory.ComponentQuery{ExternalID: []string{"ps-1", "m-1"}}, []string{"C-1", "P-1"}},
		{"BMC MAC in any form", inventory.ComponentQuery{BMCMAC: []string{"AA-BB-CC-00-00-02"}}, []string{"C-2"}},
		{"tombstones only", inventory.ComponentQuery{Deleted: inventory.DeletedOnly}, []string{"C-9"}},
		{"all rows of a rack", inventory.ComponentQuery{Deleted: inventory.DeletedAll, Rack: []string{"rack-a"}, Type: []inventory.ComponentType{inventory.Compute}}, []string{"C-1", "C-2", "C-9"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := componentSerials(t, s, tt.q); !slices.Equal(got, tt.want) {
				t.Errorf("components = %v, want %v", got, tt.want)
			}
		})
	}
	l, _ := s.ListComponents(context.Background(), inventory.ComponentQuery{Serial: []string{"C-1", "C-3"}})
	if len(l.Items) != 2 || l.Items[0].RackName == nil || *l.Items[0].RackName != "rack-a" || l.Items[1].RackName != nil {
		t.Errorf("rack names = %+v, want rack-a for C-1 and none for C-3", l.Items)
	}
}

func testComponentsPaging(t *testing.T, s ReadStore, st *site) {
	for _, tt := range []struct {
		order string
		want  []string
	}{
		{"serial_number", []string{"C-1", "C-2", "C-3", "P-1", "S-1"}},
		{"-serial_number", []string{"S-1", "P-1", "C-3", "C-2", "C-1"}},
	} {
		all, pages := walk(t, 2, func(cursor string) (inventory.List[inventory.ComponentView], error) {
			return s.ListComponents(context.Background(), inventory.ComponentQuery{Page: inventory.Page{Limit: 2, OrderBy: tt.order, Cursor: cursor}})
		})
		if got := names(all, func(c inventory.ComponentView) string { return c.SerialNumber }); pages != 3 || !slices.Equal(got, tt.want) {
			t.Errorf("%s: %d pages of %v, want 3 pages of %v", tt.order, pages, got, tt.want)
		}
	}
	all, _ := walk(t, 2, func(cursor string) (inventory.List[inventory.ComponentView], error) {
		return s.ListComponents(context.Background(), inventory.ComponentQuery{Page: inventory.Page{Limit: 2, OrderBy: "type", Cursor: cursor}})
	})
	if got := names(all, func(c inventory.ComponentView) string { return c.SerialNumber }); !sameSet(got, []string{"C-1", "C-2", "C-3", "P-1", "S-1"}) || got[3] != "S-1" || got[4] != "P-1" {
		t.Errorf("by type = %v, want the Compute trays, then S-1 (NVSwitch), then P-1 (PowerShelf)", got)
	}
}

func testComponentDetail(t *testing.T, s ReadStore, st *site) {
	d, err := s.Component(context.Background(), st.componentID("C-1"))
	if err != nil {
		t.Fatal(err)
	}
	if d.SerialNumber != "C-1" || d.RackName == nil || *d.RackName != "rack-a" {
		t.Errorf("component = %+v", d.Component)
	}
	if len(d.BMCs) != 1 || d.BMCs[0].MAC != "aa:bb:cc:00:00:01" || d.BMCs[0].IPAddress == nil {
		t.Errorf("BMCs = %+v", d.BMCs)
	}
	if len(d.Drift) != 1 || d.Drift[0].ID != st.drifts["slot"].ID || len(d.DriftHistory) != 1 || d.DriftHistory[0].Event != inventory.DriftOpened {
		t.Errorf("drift = %+v, history = %+v", d.Drift, d.DriftHistory)
	}
	if len(d.Events) != 3 || d.Events[0].ID < d.Events[2].ID {
		t.Errorf("events = %+v, want the three cycle events, newest first", d.Events)
	}
	resolved, err := s.Component(context.Background(), st.componentID("C-2"))
	if err != nil || len(resolved.Drift) != 0 || len(resolved.DriftHistory) != 2 || resolved.Events == nil {
		t.Errorf("C-2 = %+v, %v; want no open drift and two history rows", resolved, err)
	}
}
