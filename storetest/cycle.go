package storetest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"rackflow/inventory"
)

func testTimestampsRoundTrip(t *testing.T, s inventory.Store) {
	zone := time.FixedZone("UTC+5:30", 5*3600+1800)
	started := time.Date(2026, 3, 4, 15, 6, 7, 891234567, zone)
	c := inventory.Cycle{ID: inventory.NewID(), StartedAt: started, Trigger: inventory.TriggerOnce, Instance: "host:1",
		MirrorEnabled: true, Status: inventory.CycleRunning}
	if err := s.StartCycle(context.Background(), c); err != nil {
		t.Fatalf("StartCycle: %v", err)
	}
	got, err := s.Cycle(context.Background(), c.ID)
	if err != nil {
		t.Fatalf("Cycle: %v", err)
	}
	want := time.Date(2026, 3, 4, 9, 36, 7, 891234000, time.UTC)
	if !got.StartedAt.Equal(want) || got.StartedAt.Location() != time.UTC || got.StartedAt.Nanosecond() != 891234000 {
		t.Errorf("started_at = %v, want %v in UTC with microseconds", got.StartedAt, want)
	}
	finished := started.Add(1500 * time.Microsecond)
	c.FinishedAt, c.Status, c.Steps = &finished, inventory.CycleOK, json.RawMessage(`{"mirror":{"rack":{"pulled":2}}}`)
	if err := s.FinishCycle(context.Background(), c); err != nil {
		t.Fatalf("FinishCycle: %v", err)
	}
	got, _ = s.Cycle(context.Background(), c.ID)
	if got.FinishedAt == nil || !got.FinishedAt.Equal(inventory.Timestamp(finished)) || got.Status != inventory.CycleOK {
		t.Errorf("finished cycle = %+v", got)
	}
	if !jsonEqual(got.Steps, `{"mirror":{"rack":{"pulled":2}}}`) {
		t.Errorf("steps = %s", got.Steps)
	}

	r := rack("r1", "SN-1", nil)
	r.CreatedAt = started
	mustApply(t, s, inventory.Writes{At: started, RackInserts: []inventory.Rack{r}})
	if got := read(t, s).rack(t, r.ID); !got.CreatedAt.Equal(want) || got.CreatedAt.Location() != time.UTC {
		t.Errorf("rack created_at = %v, want %v", got.CreatedAt, want)
	}
}

// testCycleOrdering uses instants whose naive text forms would sort wrongly.
func testCycleOrdering(t *testing.T, s inventory.Store) {
	base := time.Date(2026, 11, 26, 9, 59, 59, 0, time.UTC)
	starts := []time.Time{
		base.Add(900 * time.Millisecond),
		base.Add(1*time.Second + time.Microsecond),
		base.Add(123456 * time.Microsecond),
		base.Add(500 * time.Millisecond).In(time.FixedZone("west", -8*3600)),
	}
	ids := make([]string, len(starts))
	for i, st := range starts {
		ids[i] = inventory.NewID()
		c := inventory.Cycle{ID: ids[i], StartedAt: st, Trigger: inventory.TriggerInterval, Instance: "i", Status: inventory.CycleOK}
		if err := s.StartCycle(context.Background(), c); err != nil {
			t.Fatalf("StartCycle: %v", err)
		}
	}
	got, err := s.Cycles(context.Background(), 10)
	if err != nil {
		t.Fatalf("Cycles: %v", err)
	}
	want := []string{ids[1], ids[0], ids[3], ids[2]}
	if len(got) != len(want) {
		t.Fatalf("cycles = %d, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].ID != want[i] {
			t.Errorf("cycle %d = %s (%v), want %s", i, got[i].ID, got[i].StartedAt, want[i])
		}
	}
}

func testCycleNotFound(t *testing.T, s inventory.Store) {
	_, err := s.Cycle(context.Background(), inventory.NewID())
	wantErr(t, err, inventory.ErrNotFound, "reading a cycle that does not exist")
	err = s.FinishCycle(context.Background(), inventory.Cycle{ID: inventory.NewID(), Status: inventory.CycleOK})
	wantErr(t, err, inventory.ErrNotFound, "finishing a cycle that does not exist")
}
