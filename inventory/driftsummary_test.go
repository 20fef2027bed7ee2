package inventory

import (
	"testing"
	"time"
)

func TestSummarizeDrift_CountsTypesAgesAndTopRacks(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	item := func(dt DriftType, ct ComponentType, age time.Duration, rack string) DriftItem {
		d := DriftItem{DriftType: dt, ComponentType: ct, FirstSeenAt: now.Add(-age)}
		if rack != "" {
			d.RackID, d.RackName = Ptr("id-"+rack), Ptr(rack)
		}
		return d
	}
	resolved := item(Mismatch, Compute, 100*24*time.Hour, "r1")
	resolved.ResolvedAt = Ptr(now)
	s := SummarizeDrift([]DriftItem{
		item(Mismatch, Compute, time.Minute, "r2"),
		item(Mismatch, Compute, 2*time.Hour, "r1"),
		item(MissingInActual, NVSwitch, 3*24*time.Hour, "r1"),
		item(MissingInExpected, Compute, 40*24*time.Hour, ""),
		resolved,
	}, now, 1)
	if s.Total != 4 || s.OldestAgeSeconds != int64(40*24*time.Hour/time.Second) {
		t.Fatalf("total %d oldest %d, want 4 and 40 days", s.Total, s.OldestAgeSeconds)
	}
	counts := map[string]int{}
	for _, b := range s.AgeBuckets {
		counts[b.Label] = b.Count
	}
	if counts["<1h"] != 1 || counts["1h-24h"] != 1 || counts["1d-7d"] != 1 || counts["7d-30d"] != 0 || counts[">=30d"] != 1 {
		t.Errorf("age buckets = %+v", s.AgeBuckets)
	}
	if len(s.ByType) != 3 || s.ByType[0] != (DriftTypeCount{Mismatch, Compute, 2}) {
		t.Errorf("by type = %+v, want mismatch/Compute=2 first of 3", s.ByType)
	}
	if len(s.TopRacks) != 1 || *s.TopRacks[0].RackName != "r1" || s.TopRacks[0].Count != 2 {
		t.Errorf("top racks = %+v, want r1 with 2", s.TopRacks)
	}
}
