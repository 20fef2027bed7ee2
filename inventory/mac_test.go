package inventory

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unsafe"
)

func TestNormalizeMAC(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"colon pairs are lower-cased", "AA:BB:CC:00:00:01", "aa:bb:cc:00:00:01"},
		{"dash pairs become colons", "aa-bb-cc-00-00-01", "aa:bb:cc:00:00:01"},
		{"dotted quads become pairs", "AABB.CC00.0001", "aa:bb:cc:00:00:01"},
		{"bare digits are split into pairs", "aabbcc000001", "aa:bb:cc:00:00:01"},
		{"surrounding whitespace is ignored", "  aa:bb:cc:00:00:01\t", "aa:bb:cc:00:00:01"},
		{"mixed case within a pair", "aA:bB:cC:0f:F0:01", "aa:bb:cc:0f:f0:01"},
		{"the canonical form is kept", "aa:bb:cc:0f:f0:01", "aa:bb:cc:0f:f0:01"},
		{"a canonical form with whitespace", " aa:bb:cc:0f:f0:01 ", "aa:bb:cc:0f:f0:01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeMAC(tt.in)
			if err != nil {
				t.Fatalf("NormalizeMAC(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("NormalizeMAC(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizeMAC_RejectsOtherForms(t *testing.T) {
	for _, in := range []string{
		"",
		"aa:bb:cc:00:00",          // five octets
		"aa:bb:cc:00:00:01:02:03", // eight octets
		"aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd", // twenty octets
		"aa:bb-cc:00:00:01", // mixed separators
		"aabb:cc00:0001",    // quads with colons
		"aa.bb.cc.00.00.01", // pairs with dots
		"gg:bb:cc:00:00:01", // not hex
		"a:bb:cc:00:00:001", // uneven groups
		"00:00:00:00:00:00", // all zero
		"ff:ff:ff:ff:ff:ff", // broadcast
		"FFFF.FFFF.FFFF",    // broadcast, dotted
		"aabbcc00000",       // eleven digits
		"aa bb cc 00 00 01", // spaces
	} {
		if got, err := NormalizeMAC(in); err == nil {
			t.Errorf("NormalizeMAC(%q) = %q, want an error", in, got)
		} else if !errors.Is(err, ErrInvalid) {
			t.Errorf("NormalizeMAC(%q) error %v does not wrap ErrInvalid", in, err)
		}
	}
}

func TestNormalizeMAC_ACanonicalMACIsNotCopied(t *testing.T) {
	in := strings.Clone("aa:bb:cc:0f:f0:01")
	got, err := NormalizeMAC(in)
	if err != nil || unsafe.StringData(got) != unsafe.StringData(in) {
		t.Errorf("NormalizeMAC(%q) = %q, %v: want the same string back, not a copy", in, got, err)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = NormalizeMAC(in) }); n != 0 {
		t.Errorf("NormalizeMAC of a canonical MAC makes %.0f allocations, want 0", n)
	}
}

var canonicalMAC = regexp.MustCompile(`^[0-9a-f]{2}(:[0-9a-f]{2}){5}$`)

func FuzzNormalizeMAC(f *testing.F) {
	for _, s := range []string{"AA:BB:CC:00:00:01", "aabb.cc00.0001", "aa-bb-cc-00-00-01", "aabbcc000001", "00:00:00:00:00:00", " x "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := NormalizeMAC(in)
		if err != nil {
			if !strings.Contains(err.Error(), fmt.Sprintf("%q", in)) {
				t.Fatalf("NormalizeMAC(%q) error %q does not name the input", in, err)
			}
			return
		}
		if !canonicalMAC.MatchString(got) {
			t.Fatalf("NormalizeMAC(%q) = %q, not canonical", in, got)
		}
		again, err := NormalizeMAC(got)
		if err != nil || again != got {
			t.Fatalf("NormalizeMAC is not idempotent on %q: %q, %v", got, again, err)
		}
		if got == "00:00:00:00:00:00" || got == "ff:ff:ff:ff:ff:ff" {
			t.Fatalf("NormalizeMAC(%q) accepted reserved address %q", in, got)
		}
	})
}
