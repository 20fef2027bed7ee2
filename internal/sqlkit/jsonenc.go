package sqlkit

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"

	"rackflow/inventory"
)

// The encoders below write, for the value types a Change carries, exactly
// the bytes encoding/json would write for EncodeValue's result (keys sorted,
// strings HTML-escaped), without reflection or an intermediate map. Events
// are written by the hundred thousand on a first cycle, so this is on the
// hot path; the tests compare both encodings.

// appendChanges appends cs as the JSON object stored in inventory_event.changes:
// {"col":{"new":…,"old":…},…}, columns in byte order.
func appendChanges(buf []byte, cs inventory.Changes) ([]byte, error) {
	names := make([]string, 0, len(cs))
	for name := range cs {
		names = append(names, name)
	}
	slices.Sort(names)
	buf = append(buf, '{')
	for i, name := range names {
		if i > 0 {
			buf = append(buf, ',')
		}
		ch := cs[name]
		buf = appendString(buf, name)
		buf = append(buf, `:{"new":`...)
		var err error
		if buf, err = appendValue(buf, ch.New); err != nil {
			return nil, fmt.Errorf("field %s new: %w", name, err)
		}
		buf = append(buf, `,"old":`...)
		if buf, err = appendValue(buf, ch.Old); err != nil {
			return nil, fmt.Errorf("field %s old: %w", name, err)
		}
		buf = append(buf, '}')
	}
	return append(buf, '}'), nil
}

// appendValue appends the JSON of EncodeValue(v).
func appendValue(buf []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case string:
		return appendString(buf, x), nil
	case *string:
		if x == nil {
			return append(buf, "null"...), nil
		}
		return appendString(buf, *x), nil
	case int64:
		return strconv.AppendInt(buf, x, 10), nil
	case *int64:
		if x == nil {
			return append(buf, "null"...), nil
		}
		return strconv.AppendInt(buf, *x, 10), nil
	case inventory.ComponentType:
		return appendString(buf, string(x)), nil
	case inventory.BMCType:
		return appendString(buf, string(x)), nil
	}
	enc, err := EncodeValue(v)
	if err != nil {
		return nil, err
	}
	switch x := enc.(type) {
	case nil:
		return append(buf, "null"...), nil
	case string:
		return appendString(buf, x), nil
	case int64:
		return strconv.AppendInt(buf, x, 10), nil
	case bool:
		return strconv.AppendBool(buf, x), nil
	}
	b, err := json.Marshal(enc) // raw JSON: compacted and escaped as encoding/json does
	if err != nil {
		return nil, err
	}
	return append(buf, b...), nil
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string, escaped as encoding/json escapes
// it by default: quotes, backslashes and control characters, <, > and &,
// U+2028 and U+2029, and invalid UTF-8 as U+FFFD.
func appendString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			buf = append(buf, s[start:i]...)
			switch b {
			case '"', '\\':
				buf = append(buf, '\\', b)
			case '\b':
				buf = append(buf, '\\', 'b')
			case '\f':
				buf = append(buf, '\\', 'f')
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, s[start:i]...)
			buf = append(buf, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			buf = append(buf, s[start:i]...)
			buf = append(buf, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}
