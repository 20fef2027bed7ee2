package coresim_test

import (
	"io"
	"testing"

	"rackflow/coresim"
)

// BenchmarkGenerate2000Racks measures generating and writing a 2,000-rack
// site (70,000 expected components), as `core-sim generate` does.
func BenchmarkGenerate2000Racks(b *testing.B) {
	for b.Loop() {
		m := coresim.Generate(coresim.GenerateOptions{Racks: 2000, Seed: 1, Drift: 0.05})
		if err := coresim.MarshalManifest(io.Discard, m); err != nil {
			b.Fatal(err)
		}
	}
}
