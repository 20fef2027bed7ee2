package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
)

// IO is the process's environment as a command sees it. Tests substitute
// buffers and a map-backed Getenv.
type IO struct {
	In     io.Reader
	Out    io.Writer // results only: tables, JSON, summaries
	Err    io.Writer // logs and error lines
	Getenv func(string) string
}

// command is one subcommand. run returns the process exit code.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, io IO) int
}

// commands is the registry of subcommands; each lives in its own cmd_*.go file
// and adds itself here.
var commands = map[string]command{}

// Run executes the command named by args[0] and returns its exit code.
func Run(ctx context.Context, args []string, io IO) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(io.Err)
		if len(args) == 0 {
			return 1
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(io.Err, "rackflow: unknown command %q (run 'rackflow help' for the list)\n", args[0])
		return 1
	}
	return cmd.run(ctx, args[1:], io)
}

func usage(w io.Writer) {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("usage: rackflow COMMAND [flags]\n\ncommands:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-10s %s\n", n, commands[n].summary)
	}
	io.WriteString(w, b.String())
}

// fail prints one error line for the command and returns exit code 1.
func fail(io IO, name string, err error) int {
	fmt.Fprintf(io.Err, "rackflow %s: %s\n", name, strings.Join(strings.Fields(err.Error()), " "))
	return 1
}
