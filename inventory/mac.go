package inventory

import (
	"fmt"
	"strings"
)

// NormalizeMAC returns the canonical form of a 48-bit MAC address: lower-case,
// six colon-separated pairs. Surrounding whitespace is ignored. Accepted inputs,
// in any case, are six pairs separated by ':' or '-', three groups of four
// separated by '.', or twelve bare hex digits. The all-zero and broadcast
// addresses are rejected, as is every other form.
func NormalizeMAC(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if isCanonicalMAC(s) { // the common case, and the form every stored MAC has: no copy
		switch s {
		case "00:00:00:00:00:00":
			return "", fmt.Errorf("mac %q: %w: the all-zero address", raw, ErrInvalid)
		case "ff:ff:ff:ff:ff:ff":
			return "", fmt.Errorf("mac %q: %w: the broadcast address", raw, ErrInvalid)
		}
		return s, nil
	}
	hex, ok := macDigits(s)
	if !ok {
		return "", fmt.Errorf("mac %q: %w: not a 48-bit address in a known form", raw, ErrInvalid)
	}
	hex = strings.ToLower(hex)
	switch hex {
	case "000000000000":
		return "", fmt.Errorf("mac %q: %w: the all-zero address", raw, ErrInvalid)
	case "ffffffffffff":
		return "", fmt.Errorf("mac %q: %w: the broadcast address", raw, ErrInvalid)
	}
	var b strings.Builder
	b.Grow(17)
	for i := 0; i < 12; i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(hex[i : i+2])
	}
	return b.String(), nil
}

// isCanonicalMAC reports whether s is already six lower-case pairs joined by ':'.
func isCanonicalMAC(s string) bool {
	if len(s) != 17 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if i%3 == 2 {
			if c != ':' {
				return false
			}
		} else if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// macDigits strips the separators of one accepted form and returns the twelve
// hex digits.
func macDigits(s string) (string, bool) {
	switch len(s) {
	case 12:
		return s, isHex(s)
	case 14:
		return grouped(s, '.', 4)
	case 17:
		if d, ok := grouped(s, ':', 2); ok {
			return d, true
		}
		return grouped(s, '-', 2)
	}
	return "", false
}

// grouped checks that s is groups of width hex digits joined by sep, and returns
// the digits.
func grouped(s string, sep byte, width int) (string, bool) {
	parts := strings.Split(s, string(sep))
	if len(parts)*width != 12 {
		return "", false
	}
	for _, p := range parts {
		if len(p) != width || !isHex(p) {
			return "", false
		}
	}
	return strings.Join(parts, ""), true
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
