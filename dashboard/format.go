package dashboard

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// age renders a duration the way an operator reads it at a glance: the two
// largest units, "3d 4h", "5h 12m", "4m 3s", "12s". Negative durations (a
// clock ahead of ours) read as "0s".
func age(d time.Duration) string {
	if d < time.Second {
		return "0s"
	}
	s := int64(d / time.Second)
	days, s := s/86400, s%86400
	hours, s := s/3600, s%3600
	mins, secs := s/60, s%60
	switch {
	case days > 0:
		return unitPair(days, "d", hours, "h")
	case hours > 0:
		return unitPair(hours, "h", mins, "m")
	case mins > 0:
		return unitPair(mins, "m", secs, "s")
	}
	return fmt.Sprintf("%ds", secs)
}

func unitPair(a int64, ua string, b int64, ub string) string {
	if b == 0 {
		return fmt.Sprintf("%d%s", a, ua)
	}
	return fmt.Sprintf("%d%s %d%s", a, ua, b, ub)
}

// duration renders a short duration with a precision that fits it: "850ms",
// "12.4s", then as age.
func duration(d time.Duration) string {
	switch {
	case d < 0:
		return "–"
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return age(d)
}

// timestamp renders a time in UTC to the second, the form every page uses.
func timestamp(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.UTC().Format("2006-01-02 15:04:05Z")
}

// minute renders a time in UTC to the minute, for dense tables.
func minute(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.UTC().Format("2006-01-02 15:04Z")
}

// deref returns *p, or dflt for nil.
func deref(p *string, dflt string) string {
	if p == nil {
		return dflt
	}
	return *p
}

// intText renders a nullable integer column; NULL reads "–".
func intText(p *int64) string {
	if p == nil {
		return "–"
	}
	return strconv.FormatInt(*p, 10)
}

// descriptionModel is description.model, the rack model the mirror keeps.
func descriptionModel(raw json.RawMessage) string {
	var d struct {
		Model string `json:"model"`
	}
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &d) // a description that is not an object has no model
	}
	return d.Model
}

// valueText renders an audit change value: strings as themselves, NULL as
// "null", anything else as compact JSON.
func valueText(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return x
	case *string:
		return deref(x, "null")
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// count renders a count with thousands separators: 35,000.
func count(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + count(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
