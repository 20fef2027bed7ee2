package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"rackflow/inventory"
)

func testCyclesList(t *testing.T, s ReadStore, st *site) {
	l, err := s.ListCycles(context.Background(), inventory.CycleQuery{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{st.cycles[2].ID, st.cycles[1].ID, st.cycles[0].ID}
	if got := names(l.Items, func(c inventory.Cycle) string { return c.ID }); l.Total != 3 || !slices.Equal(got, want) {
		t.Errorf("cycles = %v (total %d), want newest first %v", got, l.Total, want)
	}
	if !strings.Contains(string(l.Items[0].Steps), `"duration_seconds"`) {
		t.Errorf("steps = %s, want them as stored", l.Items[0].Steps)
	}
	all, pages := walk(t, 2, func(cursor string) (inventory.List[inventory.Cycle], error) {
		return s.ListCycles(context.Background(), inventory.CycleQuery{Page: inventory.Page{Limit: 2, OrderBy: "started_at", Cursor: cursor}})
	})
	if got := names(all, func(c inventory.Cycle) string { return c.ID }); pages != 2 || !slices.Equal(got, []string{want[2], want[1], want[0]}) {
		t.Errorf("cycles oldest first = %v in %d pages", got, pages)
	}
	p, err := s.ListCycles(context.Background(), inventory.CycleQuery{Status: []inventory.CycleStatus{inventory.CyclePartial}})
	if err != nil || len(p.Items) != 1 || p.Items[0].ID != st.cycles[1].ID {
		t.Errorf("partial cycles = %+v, %v", p.Items, err)
	}
	for trigger, want := range map[inventory.Trigger]int{inventory.TriggerManual: 1, inventory.TriggerInterval: 2} {
		l, err := s.ListCycles(context.Background(), inventory.CycleQuery{Trigger: []inventory.Trigger{trigger}})
		if err != nil || l.Total != want {
			t.Errorf("%s cycles: %d, %v; want %d", trigger, l.Total, err, want)
		}
	}
}

func testHeldDeletes(t *testing.T, s ReadStore, st *site) {
	l, err := s.HeldDeletes(context.Background(), inventory.HeldDeleteQuery{})
	if err != nil {
		t.Fatal(err)
	}
	got := names(l.Items, func(h inventory.HeldDelete) string { return h.Type + "/" + h.EntityID + "@" + h.SinceCycleID })
	want := []string{"Compute/c-x@" + st.cycles[1].ID, "rack/r-new@" + st.cycles[1].ID}
	if !slices.Equal(got, want) || l.Items[0].CycleID != st.cycles[2].ID {
		t.Errorf("held = %v, want %v held in the latest cycle", got, want)
	}
	racks, err := s.HeldDeletes(context.Background(), inventory.HeldDeleteQuery{Type: []string{"rack"}})
	if err != nil || racks.Total != 1 {
		t.Errorf("held racks = %+v, %v", racks, err)
	}
}

func testEventsList(t *testing.T, s ReadStore, st *site) {
	count := func(q inventory.EventQuery) int {
		t.Helper()
		l, err := s.ListEvents(context.Background(), q)
		if err != nil {
			t.Fatalf("ListEvents(%+v): %v", q, err)
		}
		return l.Total
	}
	tests := []struct {
		name string
		q    inventory.EventQuery
		want int
	}{
		{"everything", inventory.EventQuery{}, 7},
		{"entity", inventory.EventQuery{Entity: []string{inventory.EntityRack, inventory.EntityBMC}}, 4},
		{"entity id", inventory.EventQuery{EntityID: []string{st.componentID("C-1")}}, 3},
		{"a BMC's MAC in another form", inventory.EventQuery{EntityID: []string{"AABB.CC00.0001"}}, 1},
		{"action", inventory.EventQuery{Action: []inventory.Action{inventory.ActionInsert}}, 1},
		{"source", inventory.EventQuery{Source: []inventory.Source{inventory.SourceImport, inventory.SourceActual}}, 4},
		{"cycle", inventory.EventQuery{CycleID: []string{st.cycles[0].ID}}, 2},
		{"since", inventory.EventQuery{Since: st.cycles[1].StartedAt}, 5},
		{"until", inventory.EventQuery{Until: st.cycles[1].StartedAt}, 2},
	}
	for _, tt := range tests {
		if got := count(tt.q); got != tt.want {
			t.Errorf("%s: %d events, want %d", tt.name, got, tt.want)
		}
	}
	for _, order := range []string{"id", "-id"} {
		all, pages := walk(t, 3, func(cursor string) (inventory.List[inventory.Event], error) {
			return s.ListEvents(context.Background(), inventory.EventQuery{Page: inventory.Page{Limit: 3, OrderBy: order, Cursor: cursor}})
		})
		ok := len(all) == 7 && pages == 3
		for i := 1; ok && i < len(all); i++ {
			ok = (all[i].ID > all[i-1].ID) == (order == "id")
		}
		if !ok {
			t.Errorf("%s: %d events in %d pages, not in order", order, len(all), pages)
		}
	}
}

func testReadRejectsBadValues(t *testing.T, s ReadStore, st *site) {
	ctx := context.Background()
	_, err := s.ListRacks(ctx, inventory.RackQuery{DriftType: []inventory.DriftType{"odd"}})
	wantInvalidNaming(t, err, `"odd"`)
	_, err = s.ListRacks(ctx, inventory.RackQuery{Page: inventory.Page{OrderBy: "colour"}})
	wantInvalidNaming(t, err, `"colour"`)
	_, err = s.ListRacks(ctx, inventory.RackQuery{Page: inventory.Page{Limit: 5000}})
	wantInvalidNaming(t, err, "5000")
	_, err = s.ListComponents(ctx, inventory.ComponentQuery{BMCMAC: []string{"zz"}})
	wantInvalidNaming(t, err, `"zz"`)
	_, err = s.ListComponents(ctx, inventory.ComponentQuery{Page: inventory.Page{Cursor: "garbage"}})
	wantInvalidNaming(t, err, `"garbage"`)
	_, err = s.ListDrift(ctx, inventory.DriftQuery{State: "stale"})
	wantInvalidNaming(t, err, `"stale"`)
	_, err = s.ListDrift(ctx, inventory.DriftQuery{Field: []string{"colour"}})
	wantInvalidNaming(t, err, `"colour"`)
	_, err = s.ListCycles(ctx, inventory.CycleQuery{Status: []inventory.CycleStatus{"done"}})
	wantInvalidNaming(t, err, `"done"`)
	_, err = s.ListEvents(ctx, inventory.EventQuery{CycleID: []string{"not-a-uuid"}})
	wantInvalidNaming(t, err, `"not-a-uuid"`)
	_, err = s.ListEvents(ctx, inventory.EventQuery{Source: []inventory.Source{"robot"}})
	wantInvalidNaming(t, err, `"robot"`)
	_, err = s.HeldDeletes(ctx, inventory.HeldDeleteQuery{Page: inventory.Page{OrderBy: "-entity"}})
	wantInvalidNaming(t, err, `"-entity"`)
	forged := inventory.EncodeCursor(inventory.Order{Column: "name"}, "rack-a", "not-a-uuid")
	_, err = s.ListRacks(ctx, inventory.RackQuery{Page: inventory.Page{Cursor: forged}})
	wantInvalidNaming(t, err, `"not-a-uuid"`)
	bad := inventory.EncodeCursor(inventory.Order{Column: "created_at"}, "yesterday", st.rackID("rack-a"))
	_, err = s.ListRacks(ctx, inventory.RackQuery{Page: inventory.Page{OrderBy: "created_at", Cursor: bad}})
	wantInvalidNaming(t, err, "yesterday")
}

func testReadNotFound(t *testing.T, s ReadStore, st *site) {
	ctx := context.Background()
	_, err := s.Rack(ctx, "no-such-rack")
	wantErr(t, err, inventory.ErrNotFound, "Rack(no-such-rack)")
	_, err = s.Rack(ctx, inventory.NewID())
	wantErr(t, err, inventory.ErrNotFound, "Rack(random id)")
	_, err = s.Elevation(ctx, "no-such-rack")
	wantErr(t, err, inventory.ErrNotFound, "Elevation(no-such-rack)")
	_, err = s.Component(ctx, inventory.NewID())
	wantErr(t, err, inventory.ErrNotFound, "Component(random id)")
	_, err = s.Component(ctx, "C-1")
	wantErr(t, err, inventory.ErrNotFound, "Component(a serial)")
}
