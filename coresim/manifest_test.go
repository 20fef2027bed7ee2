package coresim_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"rackflow/coresim"
)

func TestParseManifest_RejectsBadInputWithLineAndKey(t *testing.T) {
	for _, tt := range []struct {
		name string
		yaml string
		want []string
	}{
		{"unknown top-level key", "version: 1\nfaults_x: []\n", []string{"line 2", `"faults_x"`}},
		{"unknown key in an expected machine", "version: 1\nexpected:\n  machines:\n    - bmc_mac: aa\n      serial: s\n      bmc_macc: bb\n", []string{"line 6", `"bmc_macc"`}},
		{"unknown key in a position", "version: 1\nactual:\n  machines:\n    - {id: h, type: host, bmc_mac: m, position: {slot: 1, rack: 2}}\n", []string{"line 4", `"rack"`}},
		{"unknown key in a list label", "version: 1\nexpected:\n  racks:\n    - labels: [{key: a, val: b}]\n", []string{"line 4", `"val"`}},
		{"missing version", "expected: {}\n", []string{"line 1", `"version"`}},
		{"wrong version", "version: 2\n", []string{"version"}},
		{"missing serial", "version: 1\nexpected:\n  switches:\n    - {bmc_mac: aa}\n", []string{"line 4", `"serial"`}},
		{"missing actual id", "version: 1\nactual:\n  switches:\n    - {bmc_mac: aa}\n", []string{"line 4", `"id"`}},
		{"missing machine type", "version: 1\nactual:\n  machines:\n    - {id: h, bmc_mac: aa}\n", []string{"line 4", `"type"`}},
		{"bad machine type", "version: 1\nactual:\n  machines:\n    - {id: h, type: gpu, bmc_mac: aa}\n", []string{"line 4", "gpu"}},
		{"dpu reference to a host", "version: 1\nactual:\n  machines:\n    - {id: h, type: host, bmc_mac: aa, dpus: [h2]}\n    - {id: h2, type: host, bmc_mac: ab}\n", []string{"line 4", `"h2"`, "dpu"}},
		{"dpu reference to nothing", "version: 1\nactual:\n  machines:\n    - {id: h, type: host, bmc_mac: aa, dpus: [d9]}\n", []string{"line 4", `"d9"`}},
		{"duplicate actual machine id", "version: 1\nactual:\n  machines:\n    - {id: h, type: host, bmc_mac: aa}\n    - {id: h, type: dpu, bmc_mac: ab}\n", []string{"line 5", "duplicate id"}},
		{"duplicate actual switch id", "version: 1\nactual:\n  switches:\n    - {id: s}\n    - {id: s}\n", []string{"line 5", "duplicate id"}},
		{"bad power", "version: 1\nactual:\n  power_shelves:\n    - {id: p, power: maybe}\n", []string{"line 4", "maybe"}},
		{"bad firmware source", "version: 1\nactual:\n  switches:\n    - {id: s, firmware_source: bios}\n", []string{"line 4", "bios"}},
		{"slot not an integer", "version: 1\nactual:\n  machines:\n    - {id: h, type: host, bmc_mac: aa, position: {slot: abc}}\n", []string{"line 4", "abc"}},
		{"unknown RPC", "version: 1\nfaults:\n  - {rpc: GetEverything, empty: true}\n", []string{"line 3", "GetEverything"}},
		{"unknown gRPC code", "version: 1\nfaults:\n  - {rpc: Version, error: BROKEN}\n", []string{"line 3", "BROKEN"}},
		{"ids outside inventory", "version: 1\nfaults:\n  - {rpc: FindMachinesByIds, ids: [a], error: NOT_FOUND}\n", []string{"line 3", "ids"}},
		{"gRPC code as an entry status", "version: 1\nfaults:\n  - {rpc: GetComponentInventory, ids: [a], error: PERMISSION_DENIED}\n", []string{"line 3", "PERMISSION_DENIED"}},
		{"fault without effect", "version: 1\nfaults:\n  - {rpc: Version}\n", []string{"line 3", "no effect"}},
		{"bad delay", "version: 1\nfaults:\n  - {rpc: Version, delay: soon}\n", []string{"line 3", "soon"}},
		{"labels not a map or list", "version: 1\nexpected:\n  racks:\n    - {labels: oops}\n", []string{"line 4", "labels"}},
		{"empty document", "", []string{"empty"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := coresim.ParseManifest([]byte(tt.yaml))
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %s", err, w)
				}
			}
		})
	}
}

func TestParseManifest_AllowsWhatCoreTolerates(t *testing.T) {
	const site = `
version: 1
expected:
  racks:
    - {rack_id: a1}
    - {rack_id: a1}
  machines:
    - {bmc_mac: "aa:bb:cc:00:00:01", serial: S1, rack_id: nowhere, labels: {slot_id: "abc"}}
    - {bmc_mac: "aa:bb:cc:00:00:01", serial: S1}
    - {bmc_mac: "bad", serial: ""}
`
	if _, err := coresim.ParseManifest([]byte(site)); err != nil {
		t.Fatal(err)
	}
}

func TestParseManifest_ReadsLabelsAsMapOrList(t *testing.T) {
	const site = `
version: 1
expected:
  racks:
    - labels: {a: "1", b: null, c: 3}
    - labels: [{key: a, value: "1"}, {key: a, value: "2"}, {key: b}, {key: c, value: null}]
`
	m, err := coresim.ParseManifest([]byte(site))
	if err != nil {
		t.Fatal(err)
	}
	s := func(v string) *string { return &v }
	want := []coresim.Labels{
		{{Key: "a", Value: s("1")}, {Key: "b"}, {Key: "c", Value: s("3")}},
		{{Key: "a", Value: s("1")}, {Key: "a", Value: s("2")}, {Key: "b"}, {Key: "c"}},
	}
	for i, w := range want {
		if diff := cmp.Diff(w, m.Expected.Racks[i].Labels); diff != "" {
			t.Errorf("rack %d labels (-want +got):\n%s", i, diff)
		}
	}
}

func TestMarshalManifest_RoundTrips(t *testing.T) {
	m := coresim.Generate(coresim.GenerateOptions{Racks: 2, Seed: 7, Drift: 0.2})
	m.Expected.Racks[0].Labels = append(m.Expected.Racks[0].Labels, coresim.Label{Key: "chassis.model"}, coresim.Label{Key: "x"})
	var buf bytes.Buffer
	if err := coresim.MarshalManifest(&buf, m); err != nil {
		t.Fatal(err)
	}
	back, err := coresim.ParseManifest(buf.Bytes())
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	ignoreLines := cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Line" }, cmp.Ignore())
	if diff := cmp.Diff(m, back, ignoreLines); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func FuzzParseManifest(f *testing.F) {
	f.Add([]byte("version: 1\n"))
	f.Add([]byte("version: 1\nexpected:\n  racks:\n    - labels: [{key: a}, {key: a, value: b}]\n"))
	f.Add([]byte("version: 1\nactual:\n  machines:\n    - {id: h, type: host, bmc_mac: m, dpus: [d]}\n    - {id: d, type: dpu, bmc_mac: n}\n"))
	f.Add([]byte("version: 1\nfaults:\n  - {rpc: GetComponentInventory, ids: [a], error: NOT_FOUND, times: 2}\n"))
	f.Add([]byte("version: [1]\ncore: {max_find_by_ids: -1}\n"))
	f.Add([]byte("&a version: *a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := coresim.ParseManifest(data)
		if err != nil {
			// A rejection says what was wrong, never a bare prefix.
			if msg := err.Error(); !strings.HasPrefix(msg, "manifest: ") || len(strings.TrimSpace(strings.TrimPrefix(msg, "manifest: "))) == 0 {
				t.Fatalf("rejection %q does not say what is wrong", msg)
			}
			return
		}
		// Whatever parses must validate, serve and survive a write and reread.
		if err := m.Validate(); err != nil {
			t.Fatalf("parsed manifest does not validate: %v", err)
		}
		if _, err := coresim.New(m, nil); err != nil {
			t.Fatalf("parsed manifest cannot be served: %v", err)
		}
		var buf bytes.Buffer
		if err := coresim.MarshalManifest(&buf, m); err != nil {
			t.Fatal(err)
		}
		if _, err := coresim.ParseManifest(buf.Bytes()); err != nil {
			t.Fatalf("rewritten manifest does not parse: %v\n%s", err, buf.String())
		}
	})
}
