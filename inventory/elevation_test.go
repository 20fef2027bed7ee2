package inventory

import (
	"testing"
	"time"
)

func TestBuildElevation_OrdersSlotsAndMarksDrift(t *testing.T) {
	r := Rack{ID: "rack-1", Name: "r1"}
	comp := func(id string, slot, tray *int64) Component {
		return Component{ID: id, SerialNumber: "s-" + id, RackID: Ptr("rack-1"), SlotID: slot, TrayIndex: tray}
	}
	gone := comp("gone", Ptr[int64](1), nil)
	gone.DeletedAt = Ptr(time.Now())
	other := comp("other", Ptr[int64](1), nil)
	other.RackID = Ptr("rack-2")
	cs := []Component{
		comp("unknown", nil, nil),
		comp("s2t1", Ptr[int64](2), Ptr[int64](1)),
		comp("s2t0", Ptr[int64](2), Ptr[int64](0)),
		comp("s1", Ptr[int64](1), nil),
		gone, other,
	}
	ds := []Drift{
		{ComponentID: Ptr("s2t1"), DriftType: Mismatch, Diffs: []Diff{{FieldName: "slot_id", ExpectedValue: "2", ActualValue: "3"}}},
		{ComponentID: Ptr("s1"), DriftType: MissingInActual},
		{ComponentID: Ptr("other"), DriftType: MissingInActual},
	}
	e := BuildElevation(r, cs, ds)
	var order []string
	for _, s := range e.Slots {
		order = append(order, s.Expected.ID)
	}
	if got, want := order, []string{"s1", "s2t0", "s2t1", "unknown"}; len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] || got[3] != want[3] {
		t.Fatalf("slot order = %v, want %v", got, want)
	}
	if s := e.Slots[0]; s.State != SlotMissing || s.Actual.Seen {
		t.Errorf("slot 1 = %+v, want missing in actual", s)
	}
	if s := e.Slots[2]; s.State != SlotMismatch || s.Actual.Differs["slot_id"] != "3" {
		t.Errorf("slot 2 tray 1 = %+v, want a mismatch with actual slot 3", s)
	}
	if s := e.Slots[1]; s.State != SlotOK || len(s.Drift) != 0 || !s.Actual.Seen {
		t.Errorf("slot 2 tray 0 = %+v, want ok", s)
	}
	if e.Drift != (DriftCounts{MissingInActual: 1, Mismatch: 1, Total: 2}) {
		t.Errorf("rack drift = %+v, want one missing and one mismatch", e.Drift)
	}
}
