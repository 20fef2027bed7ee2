package mirror

import (
	"log/slog"
	"testing"
)

// Example 9 and every strconv.ParseBool spelling.
func TestParseGate(t *testing.T) {
	tests := []struct {
		value string
		on    bool
		warns bool
	}{
		{"", false, false},
		{"TRUE", true, false},
		{"1", true, false}, {"t", true, false}, {"T", true, false}, {"true", true, false}, {"True", true, false},
		{"0", false, false}, {"f", false, false}, {"F", false, false}, {"FALSE", false, false},
		{"false", false, false}, {"False", false, false},
		{"yes", false, true}, {"on", false, true}, {"ture", false, true}, {" true", false, true},
	}
	for _, tt := range tests {
		t.Run("value "+tt.value, func(t *testing.T) {
			on, w := ParseGate(tt.value)
			if on != tt.on {
				t.Errorf("ParseGate(%q) on = %v, want %v", tt.value, on, tt.on)
			}
			if (w != nil) != tt.warns {
				t.Fatalf("ParseGate(%q) warning = %v, want warning %v", tt.value, w, tt.warns)
			}
			if w != nil {
				if w.Level != slog.LevelWarn || attrOf(w, "variable") != GateEnv || attrOf(w, "value") != tt.value {
					t.Errorf("warning %+v does not name the variable and the value", w)
				}
			}
		})
	}
}

func TestDecideGate(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name   string
		flag   *bool
		env    string
		envSet bool
		on     bool
		warns  bool
	}{
		{"unset is off", nil, "", false, false, false},
		{"empty is off", nil, "", true, false, false},
		{"TRUE turns it on", nil, "TRUE", true, true, false},
		{"yes is off with a warning", nil, "yes", true, false, true},
		{"the flag wins over the variable", &no, "true", true, false, false},
		{"the flag turns it on alone", &yes, "", false, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, w := DecideGate(tt.flag, tt.env, tt.envSet)
			if g.On != tt.on || (w != nil) != tt.warns || g.Reason == "" {
				t.Errorf("DecideGate = %+v, %v; want on %v, warning %v and a reason", g, w, tt.on, tt.warns)
			}
		})
	}
}

// attr returns the string form of a finding's attribute, or "" when absent.
func attrOf(f *Finding, key string) string {
	for _, a := range f.Attrs {
		if a.Key == key {
			return a.Value.String()
		}
	}
	return ""
}
