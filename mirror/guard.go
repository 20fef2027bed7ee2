package mirror

import "log/slog"

// guardVerdict splits a type's planned soft-deletes into those that go ahead
// and those held for an operator's release.
type guardVerdict struct {
	Delete  []string
	Held    []string
	Finding *Finding
}

// guardDeletes applies the mass-delete guard. live is L, the type's live rows
// at the start of its transaction. Released ids that are still planned (live
// and unseen) go ahead; every other planned delete is guarded on its own
// against the same threshold, so a release never lets a fresh mass delete
// through behind it.
func guardDeletes(kind string, live int, planned []string, opt Options) guardVerdict {
	released, others := splitReleased(planned, opt.Release)
	limit := guardLimit(live, opt)
	if opt.GuardRatio >= 1 || float64(len(others)) <= limit {
		return guardVerdict{Delete: append(released, others...)}
	}
	w := warn("mass-delete guard held deletes",
		slog.String("type", kind), slog.Int("planned", len(others)), slog.Int("live", live),
		slog.Float64("limit", limit), slog.Int("released", len(released)))
	return guardVerdict{Delete: released, Held: others, Finding: &w}
}

// guardLimit is max(delete_guard_min, delete_guard_ratio × L).
func guardLimit(live int, opt Options) float64 {
	return max(float64(opt.GuardMin), opt.GuardRatio*float64(live))
}

func splitReleased(planned, release []string) (released, others []string) {
	set := make(map[string]bool, len(release))
	for _, id := range release {
		set[id] = true
	}
	for _, id := range planned {
		if set[id] {
			released = append(released, id)
		} else {
			others = append(others, id)
		}
	}
	return released, others
}
