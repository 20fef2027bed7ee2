package inventory

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func heldCycle(id string, at time.Time, status CycleStatus, steps string) Cycle {
	return Cycle{ID: id, StartedAt: at, Status: status, Steps: json.RawMessage(steps)}
}

func TestHeldDeletes_TheLatestStepDecidesAndTheRunGivesSinceWhen(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	cycles := []Cycle{ // newest first
		heldCycle("c6", at(6), CycleRunning, `{}`),
		heldCycle("c5", at(5), CyclePartial, `{"mirror":{"rack":{"held":["r1"]},"Compute":{"error":"pull failed"}}}`),
		heldCycle("c4", at(4), CycleOK, `{"mirror":{"rack":{"held":["r1","r2"]},"Compute":{"held":["c1"]}}}`),
		heldCycle("c3", at(3), CycleOK, `{"mirror":{"rack":{"held":["r1","r2"]},"Compute":{"held":["c1"]}}}`),
		heldCycle("c2", at(2), CycleOK, `{"mirror":{"rack":{"held":["r2"]},"Compute":{}}}`),
		heldCycle("c1", at(1), CycleOK, `{"mirror":{"rack":{"held":["r1"]},"Compute":{"held":["c1"]}}}`),
	}
	got, err := HeldDeletes(cycles)
	if err != nil {
		t.Fatal(err)
	}
	want := []HeldDelete{
		{Type: "Compute", EntityID: "c1", CycleID: "c4", HeldSince: at(3), SinceCycleID: "c3"},
		{Type: "rack", EntityID: "r1", CycleID: "c5", HeldSince: at(3), SinceCycleID: "c3"},
	}
	if len(got) != len(want) {
		t.Fatalf("HeldDeletes = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("hold %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestHeldDeletes_AStepWithoutHeldIdsHoldsNothing(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	got, err := HeldDeletes([]Cycle{
		heldCycle("c2", t0.Add(time.Hour), CycleOK, `{"mirror":{"rack":{"inserted":1}}}`),
		heldCycle("c1", t0, CycleOK, `{"mirror":{"rack":{"held":["r1"]}}}`),
	})
	if err != nil || len(got) != 0 {
		t.Fatalf("HeldDeletes = %+v, %v; want nothing held after a step that held nothing", got, err)
	}
}

func TestHeldDeletes_UnparsableStepsNameTheCycle(t *testing.T) {
	_, err := HeldDeletes([]Cycle{heldCycle("bad-cycle", time.Now(), CycleOK, `{"mirror":[1]}`)})
	if err == nil || !strings.Contains(err.Error(), "cycle bad-cycle") {
		t.Fatalf("HeldDeletes = %v, want an error naming the cycle", err)
	}
}

func TestPageHeld_PagesByCursorInBothDirections(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	var all []HeldDelete
	for i := range 5 {
		all = append(all, HeldDelete{Type: "rack", EntityID: string(rune('a' + i)), HeldSince: t0.Add(time.Duration(i) * time.Minute)})
	}
	for _, order := range []string{"held_since", "-held_since"} {
		var ids string
		cursor := ""
		for pages := 0; ; pages++ {
			l, err := PageHeld(all, HeldDeleteQuery{Page: Page{Limit: 2, OrderBy: order, Cursor: cursor}})
			if err != nil || l.Total != 5 || pages > 3 {
				t.Fatalf("%s: page %d = %+v, %v", order, pages, l, err)
			}
			for _, h := range l.Items {
				ids += h.EntityID
			}
			if cursor = l.NextCursor; cursor == "" {
				break
			}
		}
		want := map[string]string{"held_since": "abcde", "-held_since": "edcba"}[order]
		if ids != want {
			t.Errorf("%s: pages gave %q, want %q", order, ids, want)
		}
	}
}
