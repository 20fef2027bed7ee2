package coresim_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"rackflow/coresim"
)

func TestGenerate_BuildsNVL72Racks(t *testing.T) {
	m := coresim.Generate(coresim.GenerateOptions{Racks: 3, Seed: 1})
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	counts := map[string][2]int{
		"racks":         {len(m.Expected.Racks), 3},
		"machines":      {len(m.Expected.Machines), 3 * 18},
		"switches":      {len(m.Expected.Switches), 3 * 9},
		"power shelves": {len(m.Expected.PowerShelves), 3 * 8},
		"actual":        {len(m.Actual.Machines), 3 * 18 * 3},
		"actual sw":     {len(m.Actual.Switches), 3 * 9},
		"actual ps":     {len(m.Actual.PowerShelves), 3 * 8},
	}
	for name, c := range counts {
		if c[0] != c[1] {
			t.Errorf("%s: got %d, want %d", name, c[0], c[1])
		}
	}
	labels := map[string]bool{}
	for _, l := range m.Expected.Machines[0].Labels {
		labels[l.Key] = true
	}
	for _, k := range []string{"manufacturer", "model", "slot_id", "tray_idx", "host_id"} {
		if !labels[k] {
			t.Errorf("expected machine lacks label %s", k)
		}
	}
}

func TestGenerate_IsDeterministicAndUnique(t *testing.T) {
	a := coresim.Generate(coresim.GenerateOptions{Racks: 20, Seed: 42, Drift: 0.1})
	b := coresim.Generate(coresim.GenerateOptions{Racks: 20, Seed: 42, Drift: 0.1})
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("same seed, different sites:\n%s", diff)
	}
	c := coresim.Generate(coresim.GenerateOptions{Racks: 20, Seed: 43, Drift: 0.1})
	if a.Expected.Machines[0].BMCMAC == c.Expected.Machines[0].BMCMAC {
		t.Error("different seeds gave the same MACs")
	}
	seen := map[string]bool{}
	unique := func(kind, v string) {
		if seen[kind+v] {
			t.Errorf("duplicate %s %q", kind, v)
		}
		seen[kind+v] = true
	}
	for _, list := range [][]coresim.ExpectedComponent{a.Expected.Machines, a.Expected.Switches, a.Expected.PowerShelves} {
		for _, e := range list {
			unique("mac", e.BMCMAC)
			unique("serial", e.Serial)
			unique("uuid", e.ID)
		}
	}
	for _, am := range a.Actual.Machines {
		unique("id", am.ID)
	}
}

func TestGenerate_DriftPerturbsAboutTheFraction(t *testing.T) {
	m := coresim.Generate(coresim.GenerateOptions{Racks: 40, Seed: 5, Drift: 0.1})
	type place struct{ rack, slot string }
	expected := map[string]place{}
	for _, e := range m.Expected.Machines {
		slot := ""
		for _, l := range e.Labels {
			if l.Key == "slot_id" {
				slot = *l.Value
			}
		}
		expected[e.Serial] = place{e.RackID, slot}
	}
	perturbed, found := 0, 0
	for _, am := range m.Actual.Machines {
		if am.Type != coresim.TypeHost {
			continue
		}
		want, ok := expected[am.ChassisSerial]
		if !ok { // an unexpected extra machine
			perturbed++
			continue
		}
		found++
		if want.rack != am.RackID || want.slot != fmt.Sprint(*am.Position.Slot) {
			perturbed++
		}
	}
	perturbed += len(expected) - found // missing machines
	frac := float64(perturbed) / float64(len(expected))
	if frac < 0.05 || frac > 0.2 {
		t.Errorf("perturbed fraction of compute trays %.3f, want about 0.1", frac)
	}
	clean := coresim.Generate(coresim.GenerateOptions{Racks: 40, Seed: 5})
	if len(clean.Actual.Machines) != 40*18*3 {
		t.Errorf("no drift: %d actual machines, want %d", len(clean.Actual.Machines), 40*18*3)
	}
}
