package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"rackflow/coresim"
)

func TestCoreSimGenerate_WritesAParsableSite(t *testing.T) {
	code, out, stderr := runCmd(t, nil, "core-sim", "generate", "--racks", "2", "--seed", "3", "--drift", "0.1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	m, err := coresim.ParseManifest([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Expected.Racks) != 2 || len(m.Expected.Machines) != 36 {
		t.Errorf("got %d racks and %d machines", len(m.Expected.Racks), len(m.Expected.Machines))
	}
	if code, _, _ := runCmd(t, nil, "core-sim", "generate"); code != 1 {
		t.Errorf("generate without --racks: exit %d, want 1", code)
	}
}

func TestCoreSim_ServesAndReloadsOnFileChange(t *testing.T) {
	dir := t.TempDir()
	site := filepath.Join(dir, "site.yaml")
	write := func(build string) {
		t.Helper()
		if err := os.WriteFile(site, []byte("version: 1\ncore: {build_version: "+build+"}\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("one")
	var stderr syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"core-sim", "--site", site, "--listen", "127.0.0.1:0", "--watch"},
			IO{Out: &bytes.Buffer{}, Err: &stderr, Getenv: func(string) string { return "" }})
	}()
	addrRE := regexp.MustCompile(`"addr":"(127\.0\.0\.1:\d+)"`)
	eventually(t, 10*time.Second, "the listen address", func() bool { return addrRE.MatchString(stderr.String()) })
	addr := addrRE.FindStringSubmatch(stderr.String())[1]
	version := func() string {
		_, out, _ := runCmd(t, nil, "core", "get", "version", "--core", addr, "--core-insecure")
		return out
	}
	if !strings.Contains(version(), "one") {
		t.Fatalf("version = %q", version())
	}
	if err := os.WriteFile(site, []byte("version: 1\nbogus: true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "the bad manifest to be rejected", func() bool { return strings.Contains(stderr.String(), "bogus") })
	if !strings.Contains(version(), "one") {
		t.Errorf("a bad manifest replaced the old one")
	}
	write("two")
	eventually(t, 10*time.Second, "the reload", func() bool { return strings.Contains(version(), "two") })
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d", code)
	}
}

func TestCoreSim_UsageErrors(t *testing.T) {
	for _, args := range [][]string{{"core-sim"}, {"core-sim", "--site"}, {"core-sim", "--site", "x", "extra"}} {
		if code, _, stderr := runCmd(t, nil, args...); code != 1 || strings.Count(strings.TrimSpace(stderr), "\n") > 1 {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
	if code, _, stderr := runCmd(t, nil, "core-sim", "--site", "/nonexistent.yaml"); code != 1 || stderr == "" {
		t.Errorf("missing file: exit %d, stderr %q", code, stderr)
	}
}
