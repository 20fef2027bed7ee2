package mirror

import (
	"fmt"
	"slices"
	"testing"
)

func ids(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%03d", prefix, i)
	}
	return out
}

func TestGuardDeletes(t *testing.T) {
	base := Options{GuardRatio: DefaultGuardRatio, GuardMin: DefaultGuardMin}
	tests := []struct {
		name    string
		live    int
		planned []string
		opt     Options
		deleted int
		held    int
	}{
		{"deletes up to the minimum go ahead", 50, ids("d", 20), base, 20, 0},
		{"one past the minimum holds them all", 50, ids("d", 21), base, 0, 21},
		{"the ratio raises the limit on a large site", 1000, ids("d", 100), base, 100, 0},
		{"past the ratio on a large site holds them all", 1000, ids("d", 101), base, 0, 101},
		{"a ratio of 1 turns the guard off", 30, ids("d", 30), Options{GuardRatio: 1, GuardMin: 0}, 30, 0},
		{"released ids go ahead and the rest are guarded on their own", 50,
			append(ids("r", 30), ids("d", 5)...), Options{GuardRatio: 0.1, GuardMin: 20, Release: ids("r", 30)}, 35, 0},
		{"a fresh mass delete behind a release is still held", 50,
			append(ids("r", 30), ids("d", 25)...), Options{GuardRatio: 0.1, GuardMin: 20, Release: ids("r", 30)}, 30, 25},
		{"released ids no longer planned are not deleted", 50,
			ids("d", 3), Options{GuardRatio: 0.1, GuardMin: 20, Release: ids("r", 30)}, 3, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := guardDeletes("Compute", tt.live, tt.planned, tt.opt)
			if len(v.Delete) != tt.deleted || len(v.Held) != tt.held {
				t.Fatalf("deleted %d, held %d; want %d, %d", len(v.Delete), len(v.Held), tt.deleted, tt.held)
			}
			if (v.Finding != nil) != (tt.held > 0) {
				t.Fatalf("finding %v, want one exactly when deletes are held", v.Finding)
			}
			if v.Finding != nil && attrOf(v.Finding, "type") != "Compute" {
				t.Errorf("finding %+v does not name the type", v.Finding)
			}
			for _, id := range v.Delete {
				if !slices.Contains(tt.planned, id) {
					t.Errorf("deleted %s, which was not planned", id)
				}
			}
		})
	}
}
