package storetest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"rackflow/inventory"
)

// ReadStore is a store that also implements the read contract.
type ReadStore interface {
	inventory.Store
	inventory.Reader
}

// RunReader runs the conformance tests of inventory.Reader against stores
// made by open, which must implement it.
func RunReader(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, ReadStore, *site)
	}{
		{"RacksFilterByEveryField", testRacksFilter},
		{"RacksPageByCursorInBothOrders", testRacksPaging},
		{"RacksPageThroughTiesByID", testRacksPagingThroughTies},
		{"RacksIncludeComponents", testRacksIncludeComponents},
		{"RackByIDOrNameWithComponentsAndBMCs", testRackDetail},
		{"ElevationOrdersSlotsWithDrift", testElevation},
		{"ComponentsFilterByEveryField", testComponentsFilter},
		{"ComponentsPageByCursor", testComponentsPaging},
		{"ComponentDetailCarriesDriftHistoryAndEvents", testComponentDetail},
		{"DriftFiltersByStateAndEveryField", testDriftFilter},
		{"DriftPagesByCursor", testDriftPaging},
		{"DriftSummaryCountsOpenDrift", testDriftSummary},
		{"CyclesFilterAndOrder", testCyclesList},
		{"EventsFilterAndPage", testEventsList},
		{"HeldDeletesComeFromTheLatestCycles", testHeldDeletes},
		{"BadValuesAreRejectedNamingTheValue", testReadRejectsBadValues},
		{"UnknownRackOrComponentIsNotFound", testReadNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := open(t).(ReadStore)
			if !ok {
				t.Fatal("the store does not implement inventory.Reader")
			}
			tt.fn(t, s, seedSite(t, s))
		})
	}
}

// site is the fixture every read test starts from; now is the reference
// time of drift ages.
type site struct {
	now        time.Time
	racks      map[string]inventory.Rack      // by name
	components map[string]inventory.Component // by serial
	drifts     map[string]inventory.Drift     // by label
	resolvedID string
	cycles     []inventory.Cycle // oldest first
}

func (s *site) rackID(name string) string        { return s.racks[name].ID }
func (s *site) componentID(serial string) string { return s.components[serial].ID }

// seedSite writes five racks (one deleted), six components (one deleted, one
// without a rack), two BMCs, three open drifts, one resolved drift, three
// cycles and their events.
func seedSite(t *testing.T, s inventory.Store) *site {
	t.Helper()
	st := &site{now: t0.Add(100 * time.Hour), racks: map[string]inventory.Rack{}, components: map[string]inventory.Component{}, drifts: map[string]inventory.Drift{}}
	addRack := func(name, manufacturer, serial, desc, loc, status string, ext *string, deleted bool, age int) {
		r := rack(name, serial, ext)
		r.Manufacturer, r.Status = manufacturer, status
		r.CreatedAt, r.UpdatedAt = t0.Add(time.Duration(age)*time.Minute), t0.Add(time.Duration(age)*time.Minute)
		if desc != "" {
			r.Description = []byte(desc)
		}
		if loc != "" {
			r.Location = []byte(loc)
		}
		if deleted {
			r.DeletedAt = ptr(t0)
		}
		st.racks[name] = r
	}
	addRack("rack-a", "Foxconn", "RS-1", `{"model":"GB200"}`, `{"region":"eu","datacenter":"dc1","room":"h1","position":"p1"}`, "new", ptr("ext-a"), false, 5)
	addRack("rack-b", "Quanta", "RS-2", `{"model":"GB300"}`, `{"region":"us","datacenter":"dc2","room":"h2","position":"p2"}`, "ready", ptr("ext-b"), false, 4)
	addRack("rack-c", "Foxconn", "RS-3", "", "", "new", nil, false, 3)
	addRack("rack-d", "Foxconn", "RS-4", `{"model":"GB200"}`, `{"region":"eu"}`, "new", nil, true, 2)
	addRack("rack-e", "Wiwynn", "RS-5", "", `{"region":"eu","datacenter":"dc1","room":"h9","position":"p9"}`, "new", nil, false, 1)
	addComp := func(serial string, typ inventory.ComponentType, rackName string, slot, tray *int64, ext *string, deleted bool) {
		c := component(typ, serial)
		if rackName != "" {
			c.RackID = ptr(st.rackID(rackName))
		}
		c.SlotID, c.TrayIndex, c.ExternalID = slot, tray, ext
		if deleted {
			c.DeletedAt = ptr(t0)
		}
		st.components[serial] = c
	}
	addComp("C-1", inventory.Compute, "rack-a", ptr[int64](1), ptr[int64](0), ptr("m-1"), false)
	addComp("C-2", inventory.Compute, "rack-a", ptr[int64](2), ptr[int64](0), ptr("m-2"), false)
	addComp("S-1", inventory.NVSwitch, "rack-a", ptr[int64](3), nil, nil, false)
	addComp("P-1", inventory.PowerShelf, "rack-b", ptr[int64](1), nil, ptr("ps-1"), false)
	addComp("C-3", inventory.Compute, "", nil, nil, nil, false)
	addComp("C-9", inventory.Compute, "rack-a", ptr[int64](9), nil, nil, true)

	w := inventory.Writes{At: t0}
	for _, name := range []string{"rack-a", "rack-b", "rack-c", "rack-d", "rack-e"} {
		w.RackInserts = append(w.RackInserts, st.racks[name])
	}
	for _, serial := range []string{"C-1", "C-2", "S-1", "P-1", "C-3", "C-9"} {
		w.ComponentInserts = append(w.ComponentInserts, st.components[serial])
	}
	w.BMCInserts = []inventory.BMC{
		{MAC: "aa:bb:cc:00:00:01", Type: inventory.HostBMC, ComponentID: st.componentID("C-1"), IPAddress: ptr("10.0.0.1")},
		{MAC: "aa:bb:cc:00:00:02", Type: inventory.HostBMC, ComponentID: st.componentID("C-2")},
	}
	seedDrift(st, &w)
	seedCycles(st, &w)
	mustApply(t, s, w)
	for _, c := range st.cycles {
		if err := s.StartCycle(context.Background(), c); err != nil {
			t.Fatalf("StartCycle: %v", err)
		}
	}
	return st
}

func seedDrift(st *site, w *inventory.Writes) {
	cycle := inventory.NewID()
	open := func(label, serial string, ext *string, ct inventory.ComponentType, dt inventory.DriftType, diffs []inventory.Diff, age time.Duration) {
		d := inventory.Drift{ID: inventory.NewID(), ExternalID: ext, ComponentType: ct, DriftType: dt, Diffs: diffs,
			FirstSeenAt: st.now.Add(-age), CheckedAt: st.now}
		if serial != "" {
			d.ComponentID = ptr(st.componentID(serial))
		}
		st.drifts[label] = d
		w.DriftInserts = append(w.DriftInserts, d)
		w.DriftHistory = append(w.DriftHistory, historyOf(cycle, d, d.FirstSeenAt, inventory.DriftOpened))
	}
	open("slot", "C-1", ptr("m-1"), inventory.Compute, inventory.Mismatch,
		[]inventory.Diff{{FieldName: "slot_id", ExpectedValue: "1", ActualValue: "4"}}, 48*time.Hour)
	open("gone", "P-1", nil, inventory.PowerShelf, inventory.MissingInActual, nil, time.Hour)
	open("extra", "", ptr("m-9"), inventory.Compute, inventory.MissingInExpected, nil, 10*time.Minute)
	resolved := inventory.Drift{ID: inventory.NewID(), ComponentID: ptr(st.componentID("C-2")), ExternalID: ptr("m-2"),
		ComponentType: inventory.Compute, DriftType: inventory.Mismatch,
		Diffs: []inventory.Diff{{FieldName: "tray_index", ExpectedValue: "0", ActualValue: "1"}}}
	st.resolvedID = resolved.ID
	w.DriftHistory = append(w.DriftHistory,
		historyOf(cycle, resolved, st.now.Add(-72*time.Hour), inventory.DriftOpened),
		historyOf(cycle, resolved, st.now.Add(-24*time.Hour), inventory.DriftResolved))
}

func historyOf(cycle string, d inventory.Drift, at time.Time, e inventory.DriftEvent) inventory.DriftHistory {
	return inventory.DriftHistory{CycleID: cycle, At: at, DriftID: d.ID, ComponentType: d.ComponentType,
		DriftType: d.DriftType, ComponentID: d.ComponentID, ExternalID: d.ExternalID, Event: e, Diffs: d.Diffs}
}

func seedCycles(st *site, w *inventory.Writes) {
	steps := []string{
		`{"mirror":{"rack":{"held":["r-old"]}}}`,
		`{"mirror":{"rack":{"held":["r-old","r-new"]},"Compute":{"held":["c-x"]}}}`,
		`{"mirror":{"rack":{"held":["r-new"]},"Compute":{"held":["c-x"]}},"actual":{"Compute":{"duration_seconds":1.5}}}`,
	}
	statuses := []inventory.CycleStatus{inventory.CycleOK, inventory.CyclePartial, inventory.CycleOK}
	for i, s := range steps {
		at := st.now.Add(time.Duration(i-3) * time.Hour)
		trigger := inventory.TriggerInterval
		if i == 1 {
			trigger = inventory.TriggerManual
		}
		c := inventory.Cycle{ID: inventory.NewID(), StartedAt: at, FinishedAt: ptr(at.Add(time.Minute)), Trigger: trigger,
			Instance: "host:1", MirrorEnabled: true, Status: statuses[i], Steps: []byte(s)}
		st.cycles = append(st.cycles, c)
		w.Events = append(w.Events,
			inventory.Event{CycleID: ptr(c.ID), At: at, Entity: inventory.EntityRack, EntityID: st.rackID("rack-a"), Action: inventory.ActionUpdate, Changes: inventory.Changes{}, Source: inventory.SourceMirror},
			inventory.Event{CycleID: ptr(c.ID), At: at, Entity: inventory.EntityComponent, EntityID: st.componentID("C-1"), Action: inventory.ActionUpdate, Changes: inventory.Changes{}, Source: inventory.SourceActual})
	}
	w.Events = append(w.Events, inventory.Event{At: st.now, Entity: inventory.EntityBMC, EntityID: "aa:bb:cc:00:00:01",
		Action: inventory.ActionInsert, Changes: inventory.Changes{}, Source: inventory.SourceImport})
}

// names returns the sorted values key gives for items.
func names[T any](items []T, key func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = key(it)
	}
	return out
}

func sameSet(got, want []string) bool {
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	return slices.Equal(g, w)
}

// walk reads every page of a listing and returns the items in order,
// failing if a page exceeds the limit or the walk does not end.
func walk[T any](t *testing.T, limit int, page func(cursor string) (inventory.List[T], error)) ([]T, int) {
	t.Helper()
	var all []T
	cursor, pages := "", 0
	for {
		l, err := page(cursor)
		if err != nil {
			t.Fatalf("page %d: %v", pages, err)
		}
		if len(l.Items) > limit {
			t.Fatalf("page %d has %d items, over the limit %d", pages, len(l.Items), limit)
		}
		all = append(all, l.Items...)
		pages++
		if l.NextCursor == "" {
			return all, pages
		}
		if pages > 100 {
			t.Fatal("the cursor never ends")
		}
		cursor = l.NextCursor
	}
}

func wantInvalidNaming(t *testing.T, err error, value string) {
	t.Helper()
	if !errors.Is(err, inventory.ErrInvalid) || !strings.Contains(err.Error(), value) {
		t.Errorf("got error %v, want one wrapping ErrInvalid that names %s", err, value)
	}
}
