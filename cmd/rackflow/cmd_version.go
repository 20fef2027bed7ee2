package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func init() {
	commands["version"] = command{summary: "print the version and build information", run: runVersion}
}

func runVersion(_ context.Context, _ []string, io IO) int {
	fmt.Fprintf(io.Out, "rackflow %s (%s, %s/%s)\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" || s.Key == "vcs.time" {
				fmt.Fprintf(io.Out, "%s: %s\n", s.Key, s.Value)
			}
		}
	}
	return 0
}
