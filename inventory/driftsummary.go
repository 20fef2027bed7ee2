package inventory

import (
	"cmp"
	"slices"
	"time"
)

// DriftSummary counts open drift: by drift type and component type, by age,
// and by rack.
type DriftSummary struct {
	Total int `json:"total"`
	// OldestFirstSeenAt is nil when nothing drifts.
	OldestFirstSeenAt *time.Time       `json:"oldest_first_seen_at"`
	OldestAgeSeconds  int64            `json:"oldest_age_seconds"`
	ByType            []DriftTypeCount `json:"by_type"`
	AgeBuckets        []AgeBucket      `json:"age_buckets"`
	TopRacks          []RackDriftCount `json:"top_racks"`
}

// DriftTypeCount is the open drift of one drift type and component type.
type DriftTypeCount struct {
	DriftType     DriftType     `json:"drift_type"`
	ComponentType ComponentType `json:"component_type"`
	Count         int           `json:"count"`
}

// AgeBucket counts open drift whose age is at least MinSeconds and less than
// MaxSeconds (nil for the last, open-ended bucket).
type AgeBucket struct {
	Label      string `json:"label"`
	MinSeconds int64  `json:"min_seconds"`
	MaxSeconds *int64 `json:"max_seconds"`
	Count      int    `json:"count"`
}

// RackDriftCount is one rack's open drift.
type RackDriftCount struct {
	RackID   string  `json:"rack_id"`
	RackName *string `json:"rack_name"`
	Count    int     `json:"count"`
}

// DefaultTopRacks is how many racks DriftSummary ranks by default.
const DefaultTopRacks = 10

// driftAgeBounds are the upper bounds of the age buckets; the last bucket
// has none.
var driftAgeBounds = []struct {
	label string
	max   time.Duration
}{
	{"<1h", time.Hour},
	{"1h-24h", 24 * time.Hour},
	{"1d-7d", 7 * 24 * time.Hour},
	{"7d-30d", 30 * 24 * time.Hour},
	{">=30d", 0},
}

// SummarizeDrift counts the open items of ds at now. top is how many racks
// to rank (DefaultTopRacks when not positive); racks rank by count, then name.
func SummarizeDrift(ds []DriftItem, now time.Time, top int) DriftSummary {
	s := DriftSummary{ByType: []DriftTypeCount{}, AgeBuckets: newAgeBuckets(), TopRacks: []RackDriftCount{}}
	byType := map[DriftTypeCount]int{}
	racks := map[string]*RackDriftCount{}
	for _, d := range ds {
		if d.ResolvedAt != nil {
			continue
		}
		s.Total++
		byType[DriftTypeCount{DriftType: d.DriftType, ComponentType: d.ComponentType}]++
		s.countAge(DriftAge(d.FirstSeenAt, nil, now))
		if s.OldestFirstSeenAt == nil || d.FirstSeenAt.Before(*s.OldestFirstSeenAt) {
			first := d.FirstSeenAt
			s.OldestFirstSeenAt = &first
			s.OldestAgeSeconds = int64(DriftAge(first, nil, now) / time.Second)
		}
		if d.RackID != nil {
			r := racks[*d.RackID]
			if r == nil {
				r = &RackDriftCount{RackID: *d.RackID, RackName: d.RackName}
				racks[*d.RackID] = r
			}
			r.Count++
		}
	}
	for k, n := range byType {
		k.Count = n
		s.ByType = append(s.ByType, k)
	}
	slices.SortFunc(s.ByType, func(a, b DriftTypeCount) int {
		return cmp.Or(cmp.Compare(a.DriftType, b.DriftType), cmp.Compare(a.ComponentType, b.ComponentType))
	})
	s.TopRacks = topRacks(racks, top)
	return s
}

func newAgeBuckets() []AgeBucket {
	out := make([]AgeBucket, len(driftAgeBounds))
	var lower time.Duration
	for i, b := range driftAgeBounds {
		out[i] = AgeBucket{Label: b.label, MinSeconds: int64(lower / time.Second)}
		if b.max > 0 {
			out[i].MaxSeconds = Ptr(int64(b.max / time.Second))
		}
		lower = b.max
	}
	return out
}

func (s *DriftSummary) countAge(age time.Duration) {
	for i, b := range driftAgeBounds {
		if b.max == 0 || age < b.max {
			s.AgeBuckets[i].Count++
			return
		}
	}
}

func topRacks(racks map[string]*RackDriftCount, top int) []RackDriftCount {
	if top <= 0 {
		top = DefaultTopRacks
	}
	out := make([]RackDriftCount, 0, len(racks))
	for _, r := range racks {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b RackDriftCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(deref(a.RackName), deref(b.RackName)), cmp.Compare(a.RackID, b.RackID))
	})
	if len(out) > top {
		out = out[:top]
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
