package coresim_test

import (
	"path/filepath"
	"testing"

	"rackflow/coresim"
)

func TestSampleSites_AllParse(t *testing.T) {
	files, err := filepath.Glob("../testdata/sites/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 2 {
		t.Fatalf("found %d sample sites, want at least 2", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			if _, err := coresim.LoadManifest(f); err != nil {
				t.Fatal(err)
			}
		})
	}
}
