package dashboard

import (
	"strings"
	"testing"
	"time"
)

func TestAge_ShowsTheTwoLargestUnits(t *testing.T) {
	for _, c := range []struct {
		in   time.Duration
		want string
	}{
		{-time.Hour, "0s"},
		{400 * time.Millisecond, "0s"},
		{12 * time.Second, "12s"},
		{4*time.Minute + 3*time.Second, "4m 3s"},
		{5 * time.Minute, "5m"},
		{5*time.Hour + 12*time.Minute + 9*time.Second, "5h 12m"},
		{3*24*time.Hour + 4*time.Hour + 59*time.Minute, "3d 4h"},
		{40 * 24 * time.Hour, "40d"},
	} {
		if got := age(c.in); got != c.want {
			t.Errorf("age(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestDuration_FitsItsPrecisionToTheSize(t *testing.T) {
	for _, c := range []struct {
		in   time.Duration
		want string
	}{
		{850 * time.Millisecond, "850ms"},
		{12400 * time.Millisecond, "12.4s"},
		{90 * time.Second, "1m 30s"},
		{-time.Second, "–"},
	} {
		if got := duration(c.in); got != c.want {
			t.Errorf("duration(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestParseAge_AcceptsDurationsAndWholeDays(t *testing.T) {
	for in, want := range map[string]time.Duration{"90m": 90 * time.Minute, "24h": 24 * time.Hour, "7d": 7 * 24 * time.Hour, "0d": 0} {
		if got, err := parseAge(in); err != nil || got != want {
			t.Errorf("parseAge(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"soon", "-1h", "1.5d", "d"} {
		if _, err := parseAge(in); err == nil || !strings.Contains(err.Error(), in) {
			t.Errorf("parseAge(%q) error = %v, want one naming the value", in, err)
		}
	}
}

func TestCount_GroupsThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 35000: "35,000", 1234567: "1,234,567", -4200: "-4,200"} {
		if got := count(n); got != want {
			t.Errorf("count(%d) = %q, want %q", n, got, want)
		}
	}
}
