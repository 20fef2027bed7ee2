package inventory

import (
	"context"
	"log/slog"
)

// Finding is something a pure planner wants logged: a WARN for skipped or
// suspicious input, an ERROR for a refused write, an INFO for a write. The
// caller logs findings with its own logger, so planners stay free of I/O and
// tests can assert exactly what an operator would read.
type Finding struct {
	Level slog.Level
	Msg   string // constant; data goes in Attrs
	Attrs []slog.Attr
}

// Log writes f to l.
func (f Finding) Log(l *slog.Logger) {
	l.LogAttrs(context.Background(), f.Level, f.Msg, f.Attrs...)
}
