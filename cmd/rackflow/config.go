package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// env returns the variable's value, or def when it is unset or empty. Used as
// a flag's default, it gives the precedence flag, then variable, then default.
func env(o IO, key, def string) string {
	if v := o.Getenv(key); v != "" {
		return v
	}
	return def
}

// newFlags returns a flag set named "rackflow NAME" that prints nothing by
// itself, so that a usage error is the single line usageError prints.
func newFlags(name string, _ IO) *flag.FlagSet {
	fs := flag.NewFlagSet("rackflow "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// usageError prints err as one line and returns exit code 1; for -h it prints
// the flags instead and returns 0.
func usageError(o IO, fs *flag.FlagSet, err error) int {
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(o.Err, "usage of %s:\n", fs.Name())
		fs.SetOutput(o.Err)
		fs.PrintDefaults()
		return 0
	}
	fmt.Fprintf(o.Err, "%s: %v\n", fs.Name(), err)
	return 1
}

// parseFlags parses args, rejecting stray positional arguments. When the
// command must stop it returns false and the exit code.
func parseFlags(fs *flag.FlagSet, args []string, o IO) (ok bool, code int) {
	if err := fs.Parse(args); err != nil {
		return false, usageError(o, fs, err)
	}
	if fs.NArg() > 0 {
		return false, usageError(o, fs, fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	return true, 0
}

// logConfig holds the logging settings shared by every command.
type logConfig struct {
	Level  string
	Format string
}

func (c *logConfig) register(fs *flag.FlagSet, o IO) {
	fs.StringVar(&c.Level, "log-level", env(o, "RACKFLOW_LOG_LEVEL", "info"), "log level: debug, info, warn or error (RACKFLOW_LOG_LEVEL)")
	fs.StringVar(&c.Format, "log-format", env(o, "RACKFLOW_LOG_FORMAT", "json"), "log format: json or text (RACKFLOW_LOG_FORMAT)")
}

// logger builds the process logger, writing to w (stderr).
func (c logConfig) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.Level)); err != nil {
		return nil, fmt.Errorf("log level %q: want debug, info, warn or error", c.Level)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(c.Format) {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q: want json or text", c.Format)
}

// parseWithArg parses flags before and after one positional argument (a rack
// name, a cycle id, a file) and returns it; what is the argument's name in
// the error when it is missing.
func parseWithArg(fs *flag.FlagSet, args []string, what string) (string, error) {
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if fs.NArg() == 0 {
		return "", fmt.Errorf("missing %s", what)
	}
	arg := fs.Arg(0)
	if err := fs.Parse(fs.Args()[1:]); err != nil {
		return "", err
	}
	if fs.NArg() > 0 {
		return "", fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return arg, nil
}
