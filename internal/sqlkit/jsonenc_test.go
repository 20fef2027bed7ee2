package sqlkit

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"rackflow/inventory"
)

// referenceChangesJSON is the encoding ChangesJSON must reproduce byte for
// byte: EncodeValue of each side, through encoding/json.
func referenceChangesJSON(t testing.TB, cs inventory.Changes) []byte {
	t.Helper()
	out := make(map[string]map[string]any, len(cs))
	for name, ch := range cs {
		o, err := EncodeValue(ch.Old)
		if err != nil {
			t.Fatal(err)
		}
		n, err := EncodeValue(ch.New)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = map[string]any{"old": o, "new": n}
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestChangesJSON_WritesWhatEncodingJSONWrites(t *testing.T) {
	at := time.Date(2026, 12, 3, 17, 4, 5, 123456000, time.UTC)
	power := inventory.PowerState(2)
	cases := map[string]inventory.Changes{
		"nil":   nil,
		"empty": {},
		"insert": {
			inventory.ColName: {New: inventory.Ptr("gb200-r01-c07")}, inventory.ColType: {New: string(inventory.Compute)},
			inventory.ColSlotID: {New: inventory.Ptr(int64(7))}, inventory.ColRackID: {New: (*string)(nil)},
		},
		"every kind": {
			"a": {Old: "x", New: int64(-12)}, "b": {Old: 3, New: true}, "c": {Old: inventory.NVSwitch, New: inventory.DPUBMC},
			"d": {Old: &power, New: power}, "e": {Old: at, New: &at}, "f": {Old: (*time.Time)(nil), New: (*inventory.PowerState)(nil)},
			"g": {Old: json.RawMessage(`{ "z": 1, "a": "<b>" }`), New: json.RawMessage(nil)}, "h": {Old: (*int64)(nil), New: nil},
		},
		"escapes": {
			"quote\"key": {Old: "tab\there\nnew\rline\\", New: "<script>&amp;</script>"},
			"ctl":        {Old: "\x00\x01\x08\x0c\x1f\x7f", New: "\u2028 and \u2029, é, 机架"},
			"bad utf-8":  {Old: "\xff\xfe ok \xc3", New: inventory.Ptr("\xed\xa0\x80")},
		},
	}
	for name, cs := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := ChangesJSON(cs)
			if err != nil {
				t.Fatal(err)
			}
			if want := referenceChangesJSON(t, cs); string(got) != string(want) {
				t.Errorf("ChangesJSON:\n got  %s\n want %s", got, want)
			}
		})
	}
}

func TestChangesJSON_NamesTheFieldOfAnUnsupportedValue(t *testing.T) {
	_, err := ChangesJSON(inventory.Changes{"slot_id": {Old: 1.5}})
	if err == nil || !strings.Contains(err.Error(), "slot_id old") {
		t.Fatalf("err = %v, want one naming slot_id old", err)
	}
}

func FuzzChangesJSON_Strings(f *testing.F) {
	for _, s := range []string{"", "plain", "\"\\/\b\f\n\r\t", "<>&", "\u2028\u2029", "\xff", "é机", "\x00\x1f\x7f"} {
		f.Add(s, s+"x")
	}
	f.Fuzz(func(t *testing.T, key, value string) {
		cs := inventory.Changes{key: {Old: value, New: inventory.Ptr(value)}, "z" + key: {Old: nil, New: value}}
		got, err := ChangesJSON(cs)
		if err != nil {
			t.Fatal(err)
		}
		if want := referenceChangesJSON(t, cs); string(got) != string(want) {
			t.Errorf("ChangesJSON(%q, %q):\n got  %s\n want %s", key, value, got, want)
		}
	})
}

// BenchmarkChangesJSON compares the direct encoder with encoding/json on a
// component insert's changes, the most common event of a first cycle.
func BenchmarkChangesJSON(b *testing.B) {
	cs := inventory.Changes{
		inventory.ColName: {New: inventory.Ptr("gb200-r01-c07")}, inventory.ColType: {New: string(inventory.Compute)},
		inventory.ColManufacturer: {New: "NVIDIA"}, inventory.ColSerialNumber: {New: "1652123456789"},
		inventory.ColModel: {New: inventory.Ptr("GB200 NVL72 compute tray")}, inventory.ColRackID: {New: inventory.Ptr("0f6d3c1e-0a43-4a8e-9a7e-2b8f0e9c5d11")},
		inventory.ColSlotID: {New: inventory.Ptr(int64(7))}, inventory.ColTrayIndex: {New: inventory.Ptr(int64(3))},
	}
	b.Run("direct", func(b *testing.B) {
		for b.Loop() {
			if _, err := ChangesJSON(cs); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		for b.Loop() {
			referenceChangesJSON(b, cs)
		}
	})
}
