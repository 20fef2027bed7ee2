package mirror

import (
	"encoding/json"
	"testing"
)

func TestParseIntLabel(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		want    int64
		unknown bool
		ok      bool
	}{
		{"an absent label is unknown", "", 0, true, true},
		{"a blank label is unknown", "   ", 0, true, true},
		{"digits are the value", "12", 12, false, true},
		{"leading zeros are allowed", "007", 7, false, true},
		{"surrounding whitespace is trimmed", " 3 ", 3, false, true},
		{"zero is a value", "0", 0, false, true},
		{"the largest int32 is accepted", "2147483647", 2147483647, false, true},
		{"beyond int32 is malformed", "2147483648", 0, false, false},
		{"a huge number is malformed without overflowing", "99999999999999999999999", 0, false, false},
		{"a plus sign is malformed", "+1", 0, false, false},
		{"a minus sign is malformed", "-1", 0, false, false},
		{"inner spaces are malformed", "1 2", 0, false, false},
		{"a decimal point is malformed", "1.0", 0, false, false},
		{"letters are malformed", "abc", 0, false, false},
		{"hex is malformed", "0x1", 0, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseIntLabel(tt.raw)
			if ok != tt.ok {
				t.Fatalf("parseIntLabel(%q) ok = %v, want %v", tt.raw, ok, tt.ok)
			}
			if !ok || tt.unknown {
				if got != nil {
					t.Fatalf("parseIntLabel(%q) = %d, want nil", tt.raw, *got)
				}
				return
			}
			if got == nil || *got != tt.want {
				t.Fatalf("parseIntLabel(%q) = %v, want %d", tt.raw, got, tt.want)
			}
		})
	}
}

func TestMergeOwned(t *testing.T) {
	tests := []struct {
		name      string
		stored    string
		set       map[string]string
		want      string
		changed   bool
		notObject bool
	}{
		{"nothing to set leaves NULL alone", "", nil, "", false, false},
		{"a set key turns NULL into an object", "", map[string]string{"model": "M1"}, `{"model":"M1"}`, true, false},
		{"JSON null is treated as NULL", "null", map[string]string{"model": "M1"}, `{"model":"M1"}`, true, false},
		{"other keys survive a set key", `{"text":"note","owner":"ops"}`, map[string]string{"model": "M1"}, `{"text":"note","owner":"ops","model":"M1"}`, true, false},
		{"an equal value by content is no change", `{ "model" : "M\u0031", "x": 1 }`, map[string]string{"model": "M1"}, `{ "model" : "M\u0031", "x": 1 }`, false, false},
		{"a non-string stored value is replaced", `{"model":1}`, map[string]string{"model": "1"}, `{"model":"1"}`, true, false},
		{"an array is left alone", `[1,2]`, map[string]string{"model": "M1"}, `[1,2]`, false, true},
		{"a string is left alone", `"legacy"`, map[string]string{"model": "M1"}, `"legacy"`, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stored json.RawMessage
			if tt.stored != "" {
				stored = json.RawMessage(tt.stored)
			}
			got, changed, notObject := mergeOwned(stored, tt.set)
			if changed != tt.changed || notObject != tt.notObject {
				t.Fatalf("changed, notObject = %v, %v, want %v, %v", changed, notObject, tt.changed, tt.notObject)
			}
			if tt.want == "" {
				if got != nil {
					t.Fatalf("merged = %s, want NULL", got)
				}
				return
			}
			if !jsonEqual(got, json.RawMessage(tt.want)) {
				t.Fatalf("merged = %s, want %s by content", got, tt.want)
			}
		})
	}
}
