package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// listCommand is a read command that prints one page of a /v1 list, or
// every page with --all: racks, components, drift, cycles, events, held.
type listCommand struct {
	name    string
	path    string
	filters []filter
	table   []column // -o table
	wide    []column // added by -o wide
}

// filterKind says how a filter flag's value becomes a query value.
type filterKind int

const (
	textFilter     filterKind = iota // sent as given; may repeat
	oneFilter                        // sent as given; one value
	durationFilter                   // 90m, 24h, 3d: sent as a Go duration
	timeFilter                       // RFC 3339, or a duration meaning that long ago: sent as RFC 3339 UTC
	boolFilter                       // a flag without a value: sent as true
)

// filter maps a flag to a query parameter. Text filters may be repeated:
// the API ORs the values.
type filter struct {
	flag, param, help string
	kind              filterKind
}

// filterValue collects a filter flag's values, converted for the query.
type filterValue struct {
	f      filter
	now    func() time.Time
	values []string
}

func (v *filterValue) String() string { return strings.Join(v.values, ",") }

func (v *filterValue) Set(s string) error {
	q, err := v.convert(s)
	if err != nil {
		return err
	}
	if v.f.kind != textFilter {
		v.values = v.values[:0] // only text filters repeat
	}
	v.values = append(v.values, q)
	return nil
}

func (v *filterValue) IsBoolFlag() bool { return v.f.kind == boolFilter }

func (v *filterValue) convert(s string) (string, error) {
	switch v.f.kind {
	case durationFilter:
		d, err := parseAge(s)
		if err != nil {
			return "", err
		}
		return d.String(), nil
	case timeFilter:
		return parseInstant(s, v.now())
	case boolFilter:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return "", fmt.Errorf("want true or false, found %q", s)
		}
		return strconv.FormatBool(b), nil
	}
	if s == "" {
		return "", errors.New("empty value")
	}
	return s, nil
}

// parseAge accepts a Go duration or a number of days ("3d").
func parseAge(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.ParseFloat(days, 64)
		if err == nil && n >= 0 {
			return time.Duration(n * float64(24*time.Hour)), nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("want a duration such as 90m, 24h or 3d, found %q", s)
	}
	return d, nil
}

// parseInstant accepts an RFC 3339 time, or an age meaning that long before
// now, and returns the time in RFC 3339 UTC.
func parseInstant(s string, now time.Time) (string, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC().Format(time.RFC3339Nano), nil
	}
	if d, err := parseAge(s); err == nil {
		return now.Add(-d).UTC().Format(time.RFC3339), nil
	}
	return "", fmt.Errorf("want an RFC 3339 time such as 2026-01-02T15:04:05Z, or an age such as 24h, found %q", s)
}

// listFlags are the flags every list command has.
type listFlags struct {
	client  clientFlags
	output  *string
	limit   *int
	all     *bool
	filters []*filterValue
}

func (lc listCommand) register(fs *flag.FlagSet, o IO) *listFlags {
	lf := &listFlags{}
	lf.client.register(fs, o)
	lf.output = outputFlag(fs)
	lf.limit = fs.Int("limit", 0, "items per page, at most 1000 (default: the server's, 100)")
	lf.all = fs.Bool("all", false, "follow the pages until the end")
	for _, f := range lc.filters {
		v := &filterValue{f: f, now: time.Now}
		help := f.help
		if f.kind == textFilter {
			help += " (repeat for any of several)"
		}
		fs.Var(v, f.flag, help)
		lf.filters = append(lf.filters, v)
	}
	return lf
}

// query is the list's query string: the filters and the page size.
func (lf *listFlags) query() (url.Values, error) {
	q := url.Values{}
	if *lf.limit < 0 || *lf.limit > 1000 {
		return nil, fmt.Errorf("--limit %d: want 1 to 1000", *lf.limit)
	}
	if *lf.limit > 0 {
		q.Set("limit", strconv.Itoa(*lf.limit))
	}
	for _, v := range lf.filters {
		for _, s := range v.values {
			q.Add(v.f.param, s)
		}
	}
	return q, nil
}

// run is the whole command: flags, then the pages in the chosen format.
func (lc listCommand) run(ctx context.Context, args []string, o IO) int {
	fs := newFlags(lc.name, o)
	lf := lc.register(fs, o)
	if ok, code := parseFlags(fs, args, o); !ok {
		return code
	}
	q, err := lf.query()
	if err == nil {
		err = checkOutput(*lf.output)
	}
	if err != nil {
		return usageError(o, fs, err)
	}
	c, err := newAPIClient(o, lf.client.server)
	if err != nil {
		return fail(o, lc.name, err)
	}
	if err := lc.print(ctx, c, q, *lf.output, *lf.all, o); err != nil {
		return fail(o, lc.name, err)
	}
	return 0
}

// print writes the list in the format, page by page. A table that shows
// only the first page says so on stderr, since a reader cannot tell.
func (lc listCommand) print(ctx context.Context, c *apiClient, q url.Values, format string, all bool, o IO) error {
	w := o.Out
	switch format {
	case outJSON:
		return lc.printJSON(ctx, c, q, all, w)
	case outCSV:
		return lc.printCSV(ctx, c, q, all, w)
	}
	columns := lc.table
	if format == outWide {
		columns = append(append([]column(nil), lc.table...), lc.wide...)
	}
	t := newTable(w, columns)
	shown, more := 0, ""
	err := c.eachPage(ctx, lc.path, q, all, func(p page) error {
		shown += len(p.Items)
		if !all && p.NextCursor != "" {
			more = fmt.Sprintf("rackflow %s: showing %d%s; --all prints every page\n", lc.name, shown, ofTotal(p.Total))
		}
		for _, raw := range p.Items {
			it, err := decodeItem(raw)
			if err != nil {
				return err
			}
			t.row(it)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := t.flush(); err != nil {
		return err
	}
	_, err = io.WriteString(o.Err, more)
	return err
}

func ofTotal(total *int64) string {
	if total == nil {
		return ""
	}
	return fmt.Sprintf(" of %d", *total)
}

func (lc listCommand) printJSON(ctx context.Context, c *apiClient, q url.Values, all bool, w io.Writer) error {
	a := &jsonArray{w: w}
	err := c.eachPage(ctx, lc.path, q, all, func(p page) error {
		for _, raw := range p.Items {
			if err := a.add(raw); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return a.close()
}

// printCSV asks the server for CSV page by page and copies it through,
// keeping the header of the first page only.
func (lc listCommand) printCSV(ctx context.Context, c *apiClient, q url.Values, all bool, w io.Writer) error {
	first := true
	return c.eachCSVPage(ctx, lc.path, q, all, func(body *bufio.Reader) error {
		if !first {
			if _, err := body.ReadString('\n'); err != nil && err != io.EOF {
				return fmt.Errorf("reading the server's CSV: %w", err)
			}
		}
		first = false
		if _, err := io.Copy(w, body); err != nil {
			return fmt.Errorf("reading the server's CSV: %w", err)
		}
		return nil
	})
}
