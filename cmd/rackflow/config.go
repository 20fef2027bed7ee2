package main

import (
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

// newFlags returns a flag set that reports usage errors on stderr.
func newFlags(name string, o IO) *flag.FlagSet {
	fs := flag.NewFlagSet("rackflow "+name, flag.ContinueOnError)
	fs.SetOutput(o.Err)
	return fs
}

// parseFlags parses args, rejecting stray positional arguments. It returns
// false after printing one line when the command should exit 1 (or 0 for -h).
func parseFlags(fs *flag.FlagSet, args []string, o IO) (ok bool, code int) {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return false, 0
		}
		return false, 1
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(o.Err, "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return false, 1
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
