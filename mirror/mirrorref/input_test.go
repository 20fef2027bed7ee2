package mirrorref_test

import (
	"strings"

	"rackflow/coresim"
)

// The model reads the manifest the simulator serves, applying the faults the
// generator uses (error, empty, keep) itself, so that the client's conversion
// is under test too.

// Type names, in the order every cycle processes them.
const (
	typeCompute    = "Compute"
	typeNVSwitch   = "NVSwitch"
	typePowerShelf = "PowerShelf"
)

var componentTypes = []string{typeCompute, typeNVSwitch, typePowerShelf}

// rpcOf names the RPC that serves each pull.
var rpcOf = map[string]string{
	"rack":         "GetAllExpectedRacks",
	typeCompute:    "GetAllExpectedMachines",
	typeNVSwitch:   "GetAllExpectedSwitches",
	typePowerShelf: "GetAllExpectedPowerShelves",
}

// pull is one served reply: failed, or its entries (possibly none).
type pull[T any] struct {
	failed  bool
	entries []T
}

// serve applies the manifest's faults on rpc to entries, in list order: an
// error fails the call and ends the list, empty drops every row, keep
// truncates.
func serve[T any](m *coresim.Manifest, rpc string, entries []T) pull[T] {
	keep := -1
	for _, f := range m.Faults {
		if f.RPC != rpc {
			continue
		}
		if f.Error != "" {
			return pull[T]{failed: true}
		}
		if f.Empty {
			return pull[T]{}
		}
		if f.Keep != nil && (keep < 0 || *f.Keep < keep) {
			keep = *f.Keep
		}
	}
	if keep >= 0 && keep < len(entries) {
		entries = entries[:keep]
	}
	return pull[T]{entries: entries}
}

func componentsOf(m *coresim.Manifest, t string) []coresim.ExpectedComponent {
	switch t {
	case typeCompute:
		return m.Expected.Machines
	case typeNVSwitch:
		return m.Expected.Switches
	}
	return m.Expected.PowerShelves
}

// labels flattens labels the way the client does: the last value of a repeated
// key wins and unset values are dropped.
func labels(ls coresim.Labels) map[string]string {
	out := map[string]string{}
	for _, l := range ls {
		if l.Value != nil {
			out[l.Key] = *l.Value
		}
	}
	return out
}

// Normalisation, written from mirror.md's "Inputs and normalisation".

func trim(s string) string { return strings.TrimSpace(s) }

// normalMAC returns the stored form of a MAC, or false when it is invalid:
// six pairs joined by ':' or '-', three quads joined by '.', or twelve bare
// hex digits, in any case; never all zeros or broadcast.
func normalMAC(raw string) (string, bool) {
	s := strings.ToLower(trim(raw))
	var digits string
	switch {
	case len(s) == 17 && sameSeparators(s, ':', 2):
		digits = strings.ReplaceAll(s, ":", "")
	case len(s) == 17 && sameSeparators(s, '-', 2):
		digits = strings.ReplaceAll(s, "-", "")
	case len(s) == 14 && sameSeparators(s, '.', 4):
		digits = strings.ReplaceAll(s, ".", "")
	case len(s) == 12:
		digits = s
	default:
		return "", false
	}
	if len(digits) != 12 || strings.Trim(digits, "0123456789abcdef") != "" {
		return "", false
	}
	if digits == "000000000000" || digits == "ffffffffffff" {
		return "", false
	}
	pairs := make([]string, 6)
	for i := range pairs {
		pairs[i] = digits[2*i : 2*i+2]
	}
	return strings.Join(pairs, ":"), true
}

// sameSeparators reports whether s is groups of width characters joined by sep.
func sameSeparators(s string, sep byte, width int) bool {
	for i := range len(s) {
		if (i+1)%(width+1) == 0 {
			if s[i] != sep {
				return false
			}
		} else if s[i] == sep {
			return false
		}
	}
	return true
}

// intLabel parses an integer label. An absent or empty label is unknown (nil,
// not malformed); anything but decimal digits with a value from 0 to 2^31−1
// is malformed.
func intLabel(raw string, present bool) (v *int64, malformed bool) {
	s := trim(raw)
	if !present || s == "" {
		return nil, false
	}
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			return nil, true
		}
		n = n*10 + int64(c-'0')
		if n > 1<<31-1 {
			return nil, true
		}
	}
	return &n, false
}

// optional is a trimmed value, nil when absent.
func optional(s string) *string {
	if s = trim(s); s == "" {
		return nil
	}
	return &s
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
