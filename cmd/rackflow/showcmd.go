package main

import (
	"context"
)

// show is a read command that prints one thing the API serves: it parses
// the flags and the one argument, then hands the client, the argument and the
// output format to print.
type show struct {
	name  string // the command, as in its error lines
	arg   string // what the argument is, for the usage line
	print func(ctx context.Context, c *apiClient, arg, format string, o IO) error
}

func (s show) run(ctx context.Context, args []string, o IO) int {
	fs := newFlags(s.name, o)
	var cf clientFlags
	cf.register(fs, o)
	output := outputFlag(fs)
	arg, err := parseWithArg(fs, args, s.arg)
	if err == nil {
		err = checkOutput(*output)
	}
	if err != nil {
		return usageError(o, fs, err)
	}
	c, err := newAPIClient(o, cf.server)
	if err != nil {
		return fail(o, s.name, err)
	}
	if err := s.print(ctx, c, arg, *output, o); err != nil {
		return fail(o, s.name, err)
	}
	return 0
}
