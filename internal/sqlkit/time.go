package sqlkit

import (
	"fmt"
	"time"
)

// TimeLayout is the fixed-width UTC text form of every stored timestamp in
// SQLite and in JSON payloads: microseconds, always six digits, so that text
// order is time order.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// FormatTime renders t in TimeLayout, in UTC, truncated to microseconds.
func FormatTime(t time.Time) string {
	return t.UTC().Truncate(time.Microsecond).Format(TimeLayout)
}

// ParseTime reads a TimeLayout timestamp.
func ParseTime(s string) (time.Time, error) {
	t, err := time.Parse(TimeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("sqlkit: timestamp %q: %w", s, err)
	}
	return t.UTC(), nil
}

// FormatTimePtr is FormatTime for a nullable timestamp.
func FormatTimePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := FormatTime(*t)
	return &s
}
