package sqlkit

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"rackflow/inventory"
)

// testDialect writes casts and list parameters the way PostgreSQL does, so
// that what the shared listings leave to the dialect shows in the SQL.
var testDialect = Dialect{
	Mark: dollar, UUIDParam: "%s::uuid", IntParam: "%s::bigint",
	Time:     func(t time.Time) any { return t.UTC().Format(time.RFC3339) },
	InIDs:    func(expr string) string { return expr + " = ANY(%s::uuid[])" },
	IDs:      func(ids []string) any { return ids },
	Elements: func(a string) (string, string) { return "elements(" + a + ") e", "e" },
	NullTime: "NULL::ts", DriftComponents: "JOIN component c ON c.id = d.component_id",
	RackColumns: "r.id", ComponentColumns: "c.id", DriftItemColumns: "d.id", CycleColumns: "id", EventColumns: "id",
}

const someID = "6f1c3e1a-0000-4000-8000-000000000001"

func TestRackList_CountsWithoutTheDriftJoinUnlessADriftFilterAsks(t *testing.T) {
	l, err := RackList(testDialect, inventory.RackQuery{Name: []string{"r1"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "SELECT count(*) FROM rack r WHERE r.name IN ($1) AND r.deleted_at IS NULL"; l.Count.SQL != want {
		t.Errorf("count = %s\nwant    %s", l.Count.SQL, want)
	}
	drifting := true
	l, err = RackList(testDialect, inventory.RackQuery{HasDrift: &drifting})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(l.Count.SQL, "FROM component_drift d JOIN component c ON c.id = d.component_id") ||
		!strings.Contains(l.Count.SQL, "coalesce(dc.total, 0) > 0") {
		t.Errorf("count with a drift filter = %s", l.Count.SQL)
	}
}

func TestListing_CountLeavesOutTheCursorAndThePageFetchesOneMore(t *testing.T) {
	order := inventory.Order{Column: "started_at", Desc: true}
	cursor := inventory.EncodeCursor(order, "2026-01-02T03:04:05.000000Z", someID)
	l, err := CycleList(testDialect, inventory.CycleQuery{Status: []inventory.CycleStatus{"failed"},
		Page: inventory.Page{Limit: 10, Cursor: cursor}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "SELECT count(*) FROM sync_cycle WHERE status IN ($1)"; l.Count.SQL != want {
		t.Errorf("count = %s\nwant    %s", l.Count.SQL, want)
	}
	if !slices.Equal(l.Count.Args, []any{"failed"}) {
		t.Errorf("count args = %v", l.Count.Args)
	}
	want := "SELECT id FROM sync_cycle WHERE status IN ($1) AND (started_at, id) < ($2, $3::uuid) " +
		"ORDER BY started_at DESC, id DESC LIMIT 11"
	if l.Page.SQL != want {
		t.Errorf("page = %s\nwant   %s", l.Page.SQL, want)
	}
	if !slices.Equal(l.Page.Args, []any{"failed", "2026-01-02T03:04:05Z", someID}) {
		t.Errorf("page args = %v", l.Page.Args)
	}
}

func TestListing_RejectsACursorWhoseIDIsNotAUUID(t *testing.T) {
	order := inventory.Order{Column: "started_at", Desc: true}
	cursor := inventory.EncodeCursor(order, "2026-01-02T03:04:05.000000Z", "rack-7")
	_, err := CycleList(testDialect, inventory.CycleQuery{Page: inventory.Page{Cursor: cursor}})
	if !errors.Is(err, inventory.ErrInvalid) || !strings.Contains(err.Error(), "rack-7") {
		t.Errorf("err = %v, want invalid naming rack-7", err)
	}
}

func TestDriftList_MatchesRacksByIDOrNameAndAgesItemsAtNow(t *testing.T) {
	now := time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
	l, err := DriftList(testDialect, inventory.DriftQuery{Now: now, Rack: []string{"r1", someID},
		Field: []string{"slot_id"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []string{"NULL::ts AS resolved_at FROM component_drift",
		"EXISTS (SELECT 1 FROM elements(d.diffs) e WHERE e->>'field_name' IN ($1))",
		"(c.rack_id IN ($2::uuid) OR r.name IN ($3))"} {
		if !strings.Contains(l.Count.SQL, part) {
			t.Errorf("count lacks %q:\n%s", part, l.Count.SQL)
		}
	}
	page := l.Finish([]inventory.DriftItem{{ID: someID, FirstSeenAt: now.Add(-time.Minute)}}, 1)
	if got := page.Items[0].AgeSeconds; got != 60 {
		t.Errorf("age = %d s, want 60", got)
	}
}

func TestEventList_ComparesTimesAsTheDialectStoresThem(t *testing.T) {
	since := time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600))
	l, err := EventList(testDialect, inventory.EventQuery{CycleID: []string{someID}, Since: since})
	if err != nil {
		t.Fatal(err)
	}
	if want := "SELECT count(*) FROM inventory_event WHERE cycle_id IN ($1::uuid) AND at >= $2"; l.Count.SQL != want {
		t.Errorf("count = %s\nwant    %s", l.Count.SQL, want)
	}
	if !slices.Equal(l.Count.Args, []any{someID, "2026-01-02T02:04:05Z"}) {
		t.Errorf("args = %v", l.Count.Args)
	}
}

func TestAttachComponents_GivesEveryRackItsOwnOrAnEmptyList(t *testing.T) {
	a, b := "rack-a", "rack-b"
	racks := []inventory.RackView{{Rack: inventory.Rack{ID: a}}, {Rack: inventory.Rack{ID: b}}}
	st := testDialect.RackComponents(racks, inventory.DeletedExclude)
	if !strings.Contains(st.SQL, "c.rack_id = ANY($1::uuid[]) AND c.deleted_at IS NULL") {
		t.Errorf("query = %s", st.SQL)
	}
	AttachComponents(racks, []inventory.Component{{ID: "c1", RackID: &a}, {ID: "c2", RackID: &a}})
	if len(racks[0].Components) != 2 || racks[1].Components == nil || len(racks[1].Components) != 0 {
		t.Errorf("components = %+v / %+v", racks[0].Components, racks[1].Components)
	}
}

func TestRackByIDOrName_LooksUpAUUIDByIDAndAnythingElseByName(t *testing.T) {
	if got := testDialect.RackByIDOrName(someID); !strings.HasSuffix(got, "WHERE r.id = $1::uuid") {
		t.Errorf("by id: %s", got)
	}
	if got := testDialect.RackByIDOrName("rack-7"); !strings.HasSuffix(got, "WHERE r.name = $1") {
		t.Errorf("by name: %s", got)
	}
}
