package sqlkit

import (
	"slices"
	"strconv"
	"testing"

	"rackflow/inventory"
)

func dollar(n int) string { return "$" + strconv.Itoa(n) }

func TestWhere_InAnyOfAndAfterNumberParametersInTextOrder(t *testing.T) {
	w := NewWhere(dollar)
	w.AddIn("r.name", "%s", []string{"a", "b"})
	w.AddIn("r.status", "%s", nil)
	w.AnyOf(w.In("c.rack_id", "%s::uuid", []string{"id-1"}), w.In("r.name", "%s", []string{"n"}), "")
	w.After(Key{Expr: "r.name", Param: "%s"}, Key{Expr: "r.id", Param: "%s::uuid"}, true, "x", "id-9")
	want := "r.name IN ($1, $2) AND (c.rack_id IN ($3::uuid) OR r.name IN ($4)) AND (r.name, r.id) < ($5, $6::uuid)"
	if got := w.String(); got != want {
		t.Errorf("Where = %s\nwant    %s", got, want)
	}
	if got := w.Args(); !slices.Equal(got, []any{"a", "b", "id-1", "n", "x", "id-9"}) {
		t.Errorf("args = %v", got)
	}
	if got := OrderBy(Key{Expr: "r.name"}, Key{Expr: "r.id"}, false); got != "ORDER BY r.name ASC, r.id ASC" {
		t.Errorf("OrderBy = %s", got)
	}
}

func TestFinishPage_TrimsTheExtraRowAndPointsAfterTheLastKept(t *testing.T) {
	spec := inventory.PageSpec{Order: inventory.Order{Column: "name"}, Limit: 2}
	key := func(s string) (string, string) { return s, "id-" + s }
	l := FinishPage([]string{"a", "b", "c"}, 7, spec, key)
	if !slices.Equal(l.Items, []string{"a", "b"}) || l.Total != 7 {
		t.Fatalf("page = %+v", l)
	}
	c, err := inventory.DecodeCursor(l.NextCursor, spec.Order)
	if err != nil || c.Value != "b" || c.ID != "id-b" {
		t.Errorf("next cursor = %+v, %v; want after b", c, err)
	}
	last := FinishPage([]string{"a"}, 1, spec, key)
	if last.NextCursor != "" {
		t.Errorf("the last page has a cursor %q", last.NextCursor)
	}
	if empty := FinishPage[string](nil, 0, spec, key); empty.Items == nil {
		t.Error("an empty page has null items, want []")
	}
}
