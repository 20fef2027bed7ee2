package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
)

// runDriftSummary is `rackflow drift summary`: GET /v1/drift/summary.
func runDriftSummary(ctx context.Context, args []string, o IO) int {
	fs := newFlags("drift summary", o)
	var cf clientFlags
	cf.register(fs, o)
	output := outputFlag(fs)
	if ok, code := parseFlags(fs, args, o); !ok {
		return code
	}
	if err := checkOutput(*output); err != nil {
		return usageError(o, fs, err)
	}
	c, err := newAPIClient(o, cf.server)
	if err != nil {
		return fail(o, "drift summary", err)
	}
	var raw json.RawMessage
	if err := c.getJSON(ctx, "/v1/drift/summary", url.Values{}, &raw); err != nil {
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
	_, err = io.WriteString(w, summaryText(it))
	return err
}

// summaryText draws the summary: each count on a line, each breakdown as a
// table, in the server's key order.
func summaryText(it item) string {
	var b strings.Builder
	for _, k := range sortedKeys(it) {
		fmt.Fprintf(&b, "%s: %s\n", k, it.text(k))
	}
	return b.String()
}
