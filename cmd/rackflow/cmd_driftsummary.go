package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
)

// runDriftSummary is `rackflow drift summary`: GET /v1/drift/summary.
func runDriftSummary(ctx context.Context, args []string, o IO) int {
	fs := newFlags("drift summary", o)
	var cf clientFlags
	cf.register(fs, o)
	output := outputFlag(fs)
	top := fs.Int("top", 0, "how many racks to rank (the server's default: 10)")
	if ok, code := parseFlags(fs, args, o); !ok {
		return code
	}
	if err := checkOutput(*output); err != nil {
		return usageError(o, fs, err)
	}
	q := url.Values{}
	if *top > 0 {
		q.Set("top", strconv.Itoa(*top))
	}
	c, err := newAPIClient(o, cf.server)
	if err != nil {
		return fail(o, "drift summary", err)
	}
	var raw json.RawMessage
	if err := c.getJSON(ctx, "/v1/drift/summary", q, &raw); err != nil {
		return fail(o, "drift summary", err)
	}
	if err := printSummary(o.Out, raw, *output); err != nil {
		return fail(o, "drift summary", err)
	}
	return 0
}

func printSummary(w io.Writer, raw json.RawMessage, format string) error {
	if format == outJSON {
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return fmt.Errorf("the server sent invalid JSON: %w", err)
		}
		return writeObject(w, v)
	}
	it, err := decodeItem(raw)
	if err != nil {
		return err
	}
	if format == outCSV {
		return summaryCSV(w, it)
	}
	_, err = io.WriteString(w, summaryText(it))
	return err
}

// summaryText draws the summary: the total and the oldest drift, then the
// counts by drift and component type, by age and by rack.
func summaryText(s item) string {
	var b strings.Builder
	fmt.Fprintf(&b, "open drift: %s\n", tableCell(s.text("total")))
	if first := s.text("oldest_first_seen_at"); first != "" {
		age, _ := s.number("oldest_age_seconds")
		fmt.Fprintf(&b, "oldest:     %s (first seen %s)\n", ageText(age), timeText(first))
	}
	sections := []struct {
		path    string
		columns []column
	}{
		{"by_type", []column{field("DRIFT_TYPE", "drift_type"), field("COMPONENT_TYPE", "component_type"), field("COUNT", "count")}},
		{"age_buckets", []column{field("AGE", "label"), field("COUNT", "count")}},
		{"top_racks", []column{{"RACK", rackRef}, field("COUNT", "count")}},
	}
	for _, sec := range sections {
		rows := s.list(sec.path)
		if len(rows) == 0 {
			continue
		}
		b.WriteString("\n")
		t := newTable(&b, sec.columns)
		for _, r := range rows {
			m, _ := r.(map[string]any)
			t.row(m)
		}
		t.flush() //nolint:errcheck // a strings.Builder does not fail
	}
	return b.String()
}

// summaryCSV writes the counts by drift type and component type, the table a
// spreadsheet wants.
func summaryCSV(w io.Writer, s item) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"drift_type", "component_type", "count"}) //nolint:errcheck // reported by Error
	for _, r := range s.list("by_type") {
		m, _ := r.(map[string]any)
		it := item(m)
		cw.Write([]string{it.text("drift_type"), it.text("component_type"), it.text("count")}) //nolint:errcheck // reported by Error
	}
	cw.Flush()
	return cw.Error()
}
