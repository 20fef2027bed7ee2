package mirror

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strings"
)

// clean trims a value from Core; the empty result means absent.
func clean(s string) string { return strings.TrimSpace(s) }

// parseIntLabel parses an integer label strictly: decimal digits only, leading
// zeros allowed, from 0 to 2^31−1. Absent or empty is unknown (nil, true). A
// sign, a decimal point, inner spaces or an out-of-range value is malformed
// (nil, false), because guessing would write a position Core never stated.
func parseIntLabel(raw string) (*int64, bool) {
	s := clean(raw)
	if s == "" {
		return nil, true
	}
	var v int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return nil, false
		}
		v = v*10 + int64(c-'0')
		if v > math.MaxInt32 {
			return nil, false
		}
	}
	return &v, true
}

// mergeOwned sets the owned keys Core gave values for in a stored JSON object
// and leaves every other key as it is. It returns the new value and whether it
// differs by content from stored. A stored NULL (or JSON null) becomes an
// object only when some key is set. A stored value that is not an object is
// never rewritten: notObject reports it so that the caller can warn.
func mergeOwned(stored json.RawMessage, set map[string]string) (merged json.RawMessage, changed, notObject bool) {
	if len(set) == 0 {
		return stored, false, false
	}
	obj := map[string]json.RawMessage{}
	if !isNullJSON(stored) {
		if err := json.Unmarshal(stored, &obj); err != nil || obj == nil {
			return stored, false, true
		}
	}
	changed = isNullJSON(stored)
	for k, v := range set {
		if !jsonStringEquals(obj[k], v) {
			changed = true
		}
		obj[k] = mustMarshal(v)
	}
	if !changed {
		return stored, false, false
	}
	return mustMarshal(obj), true, false
}

func isNullJSON(v json.RawMessage) bool {
	t := bytes.TrimSpace(v)
	return len(t) == 0 || string(t) == "null"
}

func jsonStringEquals(raw json.RawMessage, want string) bool {
	var got string
	if raw == nil || json.Unmarshal(raw, &got) != nil {
		return false
	}
	return got == want
}

// jsonEqual compares two JSON values by content, the way jsonb does.
func jsonEqual(a, b json.RawMessage) bool {
	if isNullJSON(a) || isNullJSON(b) {
		return isNullJSON(a) == isNullJSON(b)
	}
	var va, vb any
	if json.Unmarshal(a, &va) != nil || json.Unmarshal(b, &vb) != nil {
		return bytes.Equal(a, b)
	}
	return reflect.DeepEqual(va, vb)
}

func mustMarshal(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		// Only strings and maps of raw messages that were already parsed reach here.
		panic("mirror: marshal JSON: " + err.Error())
	}
	return b
}
